"""What a browser would post back from a page's form, read with a real HTML parser.

Shared by the tests that post a section back as an officer would and by benchmarks/load.py,
so none of them depends on the order of attributes in the markup.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The fields of the first form that posts back to its own page (no `action`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self.in_form = False
        self.done = False
        self.textarea: str | None = None  # the name of the textarea being read
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        attr = dict(attrs)
        if tag == "form" and not attr.get("action"):
            self.in_form = True
        elif not self.in_form or not attr.get("name"):
            return
        elif tag == "input":
            kind = (attr.get("type") or "text").lower()
            if kind in {"radio", "checkbox"} and "checked" not in attr:
                return
            if kind not in {"submit", "button", "image", "reset", "file"}:
                self.fields[attr["name"] or ""] = attr.get("value") or ""
        elif tag == "textarea":
            self.textarea, self.text = attr["name"], []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            # HTML drops one newline straight after <textarea>: Django's template writes one.
            self.fields[self.textarea] = text.removeprefix("\n")
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_state(html: str) -> dict[str, str]:
    """Every field the page's own form would send: hidden and text inputs, checked radios and
    checkboxes, and textareas (buttons are left for the caller to add, as a click does)."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.fields
