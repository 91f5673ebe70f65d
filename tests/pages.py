"""Reading our HTML pages as a browser would, instead of matching markup.

Tests and benchmarks/load.py ask what a page says and what its form would send, so none of
them breaks when a template reorders attributes or rewraps a line. What a page says is read
with BeautifulSoup over Python's own "html.parser"; what its form would send, with lxml's
forms (`FormElement.form_values`, over libxml2's parser): twenty times faster on a section
page, which matters to the load benchmark's hundred officers.
"""

from __future__ import annotations

import lxml.html
from bs4 import BeautifulSoup, Tag

# What a click sends for itself, or what a test cannot fill in; form_state leaves them out.
_NOT_POSTED_INPUTS = {"submit", "button", "image", "reset", "file"}


def _parse(html: str) -> BeautifulSoup:
    # multi_valued_attributes=None keeps every attribute as the one string the page wrote
    # (as getAttribute gives it), instead of splitting class and the like into lists.
    return BeautifulSoup(html, "html.parser", multi_valued_attributes=None)


def _text(element: Tag) -> str:
    """Its text with runs of whitespace made single spaces, as the reader of the page sees it."""
    return " ".join(element.get_text().split())


def _attribute(element: Tag, name: str) -> str:
    value = element.get(name)
    assert isinstance(value, str), f"<{element.name}> has no {name} attribute"
    return value


def texts(html: str, selector: str) -> list[str]:
    """The text of each element the CSS selector matches, in page order, whitespace collapsed
    (a visually hidden "Error:" prefix included, as a screen reader says it)."""
    return [_text(element) for element in _parse(html).select(selector)]


def attribute_values(html: str, selector: str, attribute: str) -> list[str]:
    """The attribute's value on each element the CSS selector matches, in page order."""
    return [_attribute(element, attribute) for element in _parse(html).select(selector)]


def title(html: str) -> str:
    """The page's <title>: what a tab and a screen reader announce first, "Error: " included."""
    found = _parse(html).select_one("title")
    assert found is not None, "the page has no <title>"
    return _text(found)


def error_summary(html: str) -> str:
    """The text of the GOV.UK error summary: "There is a problem" and each error in it."""
    found = _parse(html).select_one(".govuk-error-summary")
    assert found is not None, "the page has no GOV.UK error summary"
    return _text(found)


def links(html: str, within: str = "body") -> dict[str, str]:
    """Where each link goes, by its text, inside the first element the CSS selector `within`
    matches: for an error summary, the field each message takes you to."""
    container = _parse(html).select_one(within)
    assert container is not None, f"the page has no {within}"
    return {_text(link): _attribute(link, "href") for link in container.select("a[href]")}


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The text of each cell (th or td) of each row, header rows included, of the table with
    this id: what a reader sees, so the tests compare numbers as the page shows them."""
    table = _parse(html).find("table", id=table_id)
    assert isinstance(table, Tag), f"the page has no table with id {table_id!r}"
    return [[_text(cell) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]


def form_state(html: str) -> dict[str, str]:
    """Every field the page's own form (the first one without an action, which posts back to
    the page) would send: hidden and text inputs (empty when they have no value), checked
    radios and checkboxes, selected options and textareas. Buttons are left for the caller to
    add, as a click does."""
    if not html.strip():
        return {}
    forms = lxml.html.document_fromstring(html).forms
    form = next((form for form in forms if not form.get("action")), None)
    if form is None:
        return {}
    elements = list(form.inputs)  # every input, select and textarea, one by one
    textareas = {e.name for e in elements if e.tag == "textarea"}
    buttons = {e.name for e in elements if e.tag == "input" and _kind(e) == "button"}
    fields = {}
    for name, value in form.form_values():
        if name not in buttons:
            # A newline straight after <textarea> is not part of its value, as browsers read
            # it and libxml2 does not; Django's template writes one.
            fields[name] = value.removeprefix("\n") if name in textareas else value
    # lxml leaves out an input with no value attribute, which a browser sends empty.
    for e in elements:
        unchecked = _kind(e) in _NOT_POSTED_INPUTS | {"radio", "checkbox"}
        if e.tag == "input" and e.name and e.get("disabled") is None and not unchecked:
            fields.setdefault(e.name, "")
    return fields


def _kind(element: lxml.html.HtmlElement) -> str:
    return str(element.get("type") or "text").lower()
