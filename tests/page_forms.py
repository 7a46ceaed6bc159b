"""What a browser would post from a page's form: every input, textarea and selected option as the page drew them."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "radio", "file"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.fields[name] = attrs.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # Browsers drop the newline that follows <textarea> and send lines ending in CRLF.
            text = self.fields[self._textarea] + data
            self.fields[self._textarea] = text.removeprefix("\n").replace("\n", "\r\n")


def form_data(html: str) -> dict[str, str]:
    """The fields of the page's forms, as a browser would send them unchanged (csrf token included)."""
    reader = _FormReader()
    reader.feed(html)
    return reader.fields
