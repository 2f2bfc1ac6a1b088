"""HTML → paragraphs, in one linear pass.

A streaming parser (the standard library's ``html.parser``) rather than a
tree: a tree rebuilt with ``insert_after`` took 57 s on 20 000 nested
``<div>``s, and a page from the web is untrusted input. Block elements end
lines, table cells are joined by `` | ``, script, style, navigation and the
like are dropped, and entities are decoded before whitespace is collapsed (a
``&#13;`` is whitespace, never a line end inside a record).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
     "blockquote", "pre", "dd", "dt", "ul", "ol", "dl", "header", "footer", "main", "aside", "form", "hr",
     "center", "body", "caption", "figure", "figcaption", "address")
)
CELL_TAGS = frozenset(("td", "th"))
#: Never visible (or not the notice): their text is dropped with them.
DROP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "nav", "iframe", "svg", "object", "select"))
#: Page chrome: links inside them are not the notice's attachments.
CHROME_TAGS = frozenset(("nav", "header", "footer", "aside"))
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_HEADLINES = ("h1", "h2", "h3")


@dataclass
class Link:
    """An ``<a href>`` of the page: where it points, its text, and whether it sits in page chrome."""

    href: str
    text: str
    in_chrome: bool


@dataclass
class Page:
    """What one pass over the markup yields."""

    lines: list[str]
    title: str = ""
    headline: str = ""
    links: list[Link] = field(default_factory=list)
    charset: str = ""
    #: ``<img>`` elements outside page chrome: a page of them and no text is a scan.
    images: int = 0


class _Reader(HTMLParser):
    """Collects visible text as lines; counts open dropped and chrome elements instead of building a tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lines: list[str] = []
        self.dropped: list[str] = []
        self.chrome = 0
        self.pre = 0
        self.in_cell = False  # a <br> or <p> inside a table cell wraps the cell, not the row
        self.title_parts: list[str] | None = None
        self.title = ""
        self.headline = ""
        self.headline_parts: list[str] | None = None
        self.links: list[Link] = []
        self.link: tuple[str, list[str]] | None = None
        self.charset = ""
        self.images = 0

    # -- events ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        if tag == "title" and not self.title:
            self.title_parts = []
            return
        if tag == "body":
            self.dropped = [t for t in self.dropped if t != "head"]  # an unclosed <head> ends at <body>
        if tag in DROP_TAGS:
            self.dropped.append(tag)
            return
        if self.dropped:
            return
        if tag in CHROME_TAGS:
            self.chrome += 1
        if tag == "img" and not self.chrome:
            self.images += 1
        if tag == "pre":
            self.pre += 1
        if tag in ("tr", "table"):
            self.in_cell = False  # also ends a cell left open (<td> may omit its </td>)
        if tag in BLOCK_TAGS:
            self._break()
        if tag in CELL_TAGS:
            if self.in_cell:
                self.parts.append(" | ")  # <td>a<td>b: the first cell ends where the next begins
            self.in_cell = True
        if tag in _HEADLINES and not self.headline and self.headline_parts is None:
            self.headline_parts = []
        if tag == "a":
            href = dict(attrs).get("href")
            self.link = (href, []) if href else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        elif tag == "img" and not self.dropped and not self.chrome:
            self.images += 1
        elif tag in BLOCK_TAGS and not self.dropped:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None:
            self.title = _collapse("".join(self.title_parts))
            self.title_parts = None
            return
        if self.dropped:
            if tag == self.dropped[-1]:
                self.dropped.pop()
            elif tag in DROP_TAGS and tag in self.dropped:
                del self.dropped[len(self.dropped) - 1 - self.dropped[::-1].index(tag):]
            return
        if tag in _VOID:
            return
        if tag in CHROME_TAGS and self.chrome:
            self.chrome -= 1
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag in CELL_TAGS:
            self.parts.append(" | ")
            self.in_cell = False
        elif tag in BLOCK_TAGS:
            if tag in ("tr", "table"):
                self.in_cell = False
            self._break()
        if tag in _HEADLINES and self.headline_parts is not None:
            self.headline = _collapse("".join(self.headline_parts))
            self.headline_parts = None
        if tag == "a" and self.link is not None:
            href, text = self.link
            self.links.append(Link(href=href, text=_collapse("".join(text)), in_chrome=self.chrome > 0))
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self.dropped:
            return
        if self.headline_parts is not None:
            self.headline_parts.append(data)
        if self.link is not None:
            self.link[1].append(data)
        if self.pre:
            first, *rest = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self.parts.append(first)
            for piece in rest:
                self._end_line()
                self.parts.append(piece)
        else:
            self.parts.append(data)

    # -- helpers --------------------------------------------------------------

    def _meta(self, attrs: dict[str, str | None]) -> None:
        if self.charset:
            return
        if attrs.get("charset"):
            self.charset = (attrs["charset"] or "").strip()
        elif (attrs.get("http-equiv") or "").lower() == "content-type":
            match = re.search(r"charset\s*=\s*([\w.-]+)", attrs.get("content") or "", re.IGNORECASE)
            self.charset = match.group(1) if match else ""

    def _break(self) -> None:
        """A block boundary: a line end, or a space inside a table cell (``<td>4月28日<br>下午五时正</td>``)."""
        if self.in_cell:
            self.parts.append(" ")
        else:
            self._end_line()

    def _end_line(self) -> None:
        if self.parts:
            line = _collapse("".join(self.parts)).strip(" |")
            if line:
                self.lines.append(line)
            self.parts = []

    def finish(self) -> Page:
        self.close()
        self._end_line()
        return Page(lines=self.lines, title=self.title, headline=self.headline, links=self.links, charset=self.charset,
                    images=self.images)


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_page(markup: str) -> Page:
    """One linear pass: visible lines, ``<title>``, first headline, links, declared charset."""
    reader = _Reader()
    reader.feed(markup)
    return reader.finish()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one paragraph per line, table cells joined by `` | ``.

    The ``<title>`` leads when the body does not already show it.
    """
    page = parse_page(markup)
    return lines_with_title(page.lines, page.title)


def lines_with_title(lines: list[str], title: str) -> str:
    paragraphs = list(lines)
    if title and not any(title in p or p in title for p in paragraphs[:5]):
        paragraphs.insert(0, title)
    return "\n".join(paragraphs) + "\n"


def declared_charset(data: bytes) -> str:
    """The ``<meta charset>`` (or http-equiv) in the first 4 KiB, read as ASCII."""
    head = data[:4096].decode("ascii", errors="replace")
    match = re.search(r"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.-]+)", head, re.IGNORECASE)
    return match.group(1) if match else ""
