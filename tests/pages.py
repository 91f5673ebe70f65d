"""Reading our HTML pages as a browser would, with BeautifulSoup, instead of matching markup.

Tests and benchmarks/load.py ask what a page says and what its form would send, so none of
them breaks when a template reorders attributes or rewraps a line. Python's own "html.parser"
does the parsing, so BeautifulSoup is the only extra package.
"""

from __future__ import annotations

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
    the page) would send: hidden and text inputs, checked radios and checkboxes, and textareas.
    Buttons are left for the caller to add, as a click does."""
    form = next((form for form in _parse(html).find_all("form") if not form.get("action")), None)
    if form is None:
        return {}
    fields: dict[str, str] = {}
    for field in form.select("input[name], textarea[name]"):
        name = _attribute(field, "name")
        if not name:
            continue
        if field.name == "textarea":
            # HTML drops one newline straight after <textarea>: Django's template writes one.
            fields[name] = field.get_text().removeprefix("\n")
            continue
        kind = str(field.get("type") or "text").lower()
        if kind in {"radio", "checkbox"} and not field.has_attr("checked"):
            continue
        if kind not in _NOT_POSTED_INPUTS:
            fields[name] = str(field.get("value") or "")
    return fields
