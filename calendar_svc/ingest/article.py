"""The article of a web page, without its frame, by trafilatura (Apache-2.0).

Measured on notice pages in a government frame (menu, breadcrumb,
发布时间/浏览次数, 上一篇/下一篇 with dates, 相关文章 with dates, a 最后更新
footer; tests/gov_site.py; bench/bench_ingest.py): with the whole page
read, 16 of 39 notices got other deadlines than their plain text (the
frame's dates moved notice dates and years); with trafilatura's main
content (precision mode) and the page's headline, 0 of 39. Its XML output is rendered here so tables keep
the `` | `` rows every other reader gives. A page trafilatura finds no
article in (or cannot parse, such as markup nested deeper than lxml
allows) is read whole, by the linear reader.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

_LINE_TAGS = ("p", "head", "item", "quote", "code", "lb")


def article_lines(markup: str) -> list[str] | None:
    """The main content's paragraphs, or None when no article is found."""
    import trafilatura

    try:
        extracted = trafilatura.extract(markup, output_format="xml", include_tables=True, include_comments=False,
                                        include_links=False, include_images=False, favor_precision=True)
    except Exception:  # noqa: BLE001  (lxml and trafilatura raise many kinds on broken markup; fall back to the whole page)
        return None
    if not extracted:
        return None
    try:
        root = ET.fromstring(extracted)
    except ET.ParseError:
        return None
    main = root.find("main")
    if main is None:
        return None
    lines: list[str] = []
    _render(main, lines)
    return [line for line in lines if line] or None


def _render(element: ET.Element, lines: list[str]) -> None:
    for child in element:
        if child.tag == "table":
            for row in child.iter("row"):
                cells = [" ".join("".join(cell.itertext()).split()) for cell in row.findall("cell")]
                if any(cells):
                    lines.append(" | ".join(cells).strip(" |"))
        elif child.tag == "list":
            _render(child, lines)
        elif child.tag in _LINE_TAGS:
            lines.append(" ".join("".join(child.itertext()).split()))
        else:
            _render(child, lines)
            if child.text and child.text.strip():
                lines.append(" ".join(child.text.split()))
