"""Positioned text runs (PDF, OFD) → paragraphs in reading order.

Fixed-layout formats know where each run of text stands, not which runs
form a sentence. Lines are rebuilt from runs that share a baseline; a page
with an empty gutter down its middle is read column by column; a line that
reaches the right margin runs on into the next one unless that one is
indented (Chinese paragraphs start two characters in) or the line ends a
sentence; runs far apart on one line are table cells (`` | ``). Page
numbers (``— 1 —``, ``第 1 页``) and lines repeated at the top or bottom of
every page are dropped, so a sentence that crosses a page joins up again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{0,4}[-—–－\s]*$|^第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
_SENTENCE_END = tuple("。！？!?")
_LEADING_LATIN = re.compile(r"^[^\x21-\x7e]{0,2}[\x21-\x7e]+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
#: A space that only reflects the gap typesetters put between Chinese and Latin or digits (``2024 年``).
_AUTOSPACE = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_CJK}])")


@dataclass
class Run:
    """A piece of text and its box, in page units with y growing upwards."""

    left: float
    bottom: float
    right: float
    top: float
    text: str
    #: The font size, when the format gives it: glyph boxes of digits and Latin letters are shorter.
    size: float = 0.0
    #: A real space character stood before this run (not a gap the layout left).
    space_before: bool = False

    @property
    def height(self) -> float:
        return self.size or max(self.top - self.bottom, 0.1)


@dataclass
class Line:
    runs: list[Run] = field(default_factory=list)
    page: int = 0
    column: tuple[float, float] = (0.0, 0.0)

    @property
    def left(self) -> float:
        return min(r.left for r in self.runs)

    @property
    def right(self) -> float:
        return max(r.right for r in self.runs)

    @property
    def top(self) -> float:
        return max(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return min(r.bottom for r in self.runs)

    @property
    def height(self) -> float:
        return sorted(r.height for r in self.runs)[len(self.runs) // 2]

    def cells(self) -> list[tuple[float, str]]:
        """The line's text split where runs stand far apart (table cells), each with its left edge."""
        ordered = sorted(self.runs, key=lambda r: r.left)
        cells = [(ordered[0].left, [ordered[0].text])]
        for before, run in zip(ordered, ordered[1:]):
            separator = _separator(before, run, self.height)
            if separator == " | ":
                cells.append((run.left, [run.text]))
            else:
                cells[-1][1].extend((separator, run.text))
        return [(left, "".join(parts).strip()) for left, parts in cells]

    def text(self) -> str:
        return " | ".join(text for _, text in self.cells())


def _separator(before: Run, run: Run, height: float) -> str:
    """Nothing between neighbours, a space between Latin words, `` | `` between table cells."""
    gap = run.left - before.right
    if gap > 2.5 * height:
        return " | "
    if run.space_before:
        return " "
    latin = before.text[-1].isascii() and before.text[-1].isalnum() and run.text[0].isascii() and run.text[0].isalnum()
    return " " if gap > (0.25 if latin else 1.2) * height else ""


def page_lines(runs: list[Run], width: float, page: int) -> list[Line]:
    """One page's runs → lines, top to bottom, column by column."""
    runs = [r for r in runs if r.text.strip()]
    columns = _columns(runs, width)
    lines: list[Line] = []
    for low, high in columns:
        inside = [r for r in runs if low <= (r.left + r.right) / 2 < high]
        column_lines = _lines(inside)
        if column_lines:
            bounds = _bounds(column_lines)
            for line in column_lines:
                line.page, line.column = page, bounds
        lines.extend(column_lines)
    return lines


def _bounds(lines: list[Line]) -> tuple[float, float]:
    """Where the column's text starts, and its right margin: the edge most lines end on (justified text)."""
    prose = [line for line in lines if " | " not in line.text() and len(line.text()) > 3] or lines
    rights = Counter(round(line.right) for line in prose)
    top = max(rights.values())
    return min(line.left for line in prose), float(max(r for r, n in rights.items() if n == top))


def _lines(runs: list[Run]) -> list[Line]:
    lines: list[Line] = []
    for run in sorted(runs, key=lambda r: (-r.top, r.left)):
        middle = (run.top + run.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.bottom <= middle <= line.top:
                line.runs.append(run)
                break
        else:
            lines.append(Line(runs=[run]))
    return lines


def _columns(runs: list[Run], width: float) -> list[tuple[float, float]]:
    """Two columns when almost nothing crosses a gutter near the middle and both sides hold several lines.

    "Almost": a centred page number or running header may cross it.
    """
    whole = [(float("-inf"), float("inf"))]
    if len(runs) < 10 or width <= 0:
        return whole
    bins = 60
    crossing = [0] * bins
    for run in runs:
        first = max(int(run.left / width * bins), 0)
        last = min(int(run.right / width * bins), bins - 1)
        for index in range(first, last + 1):
            crossing[index] += 1
    allowed = max(2, len(runs) // 30)
    middle = [i for i in range(int(bins * 0.35), int(bins * 0.65)) if crossing[i] <= allowed]
    if not middle:
        return whole
    gutter = (middle[0] + middle[-1] + 1) / 2 / bins * width
    left = [r for r in runs if r.right <= gutter]
    right = [r for r in runs if r.left >= gutter]
    if len(_lines(left)) < 5 or len(_lines(right)) < 5:
        return whole
    if sum(r.right - r.left for r in left) < 0.2 * sum(r.right - r.left for r in runs):
        return whole
    return [(float("-inf"), gutter), (gutter, float("inf"))]


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """Lines of every page → paragraphs, with page furniture dropped and broken sentences joined.

    A table row whose cells wrap over several lines becomes one line again:
    a line that only holds text under a later column of the row above
    continues that cell.
    """
    furniture = _furniture(pages)
    body = [line for lines in pages for line in lines if _key(line) not in furniture and not _PAGE_NUMBER.match(line.text())]
    out: list[str] = []
    previous: Line | None = None
    row: list[tuple[float, str]] | None = None  # the table row being built: (left edge, text) per cell
    for line in body:
        cells = line.cells()
        if row is not None and previous is not None and _continues_cell(row, previous, line):
            index = max(i for i, (left, _) in enumerate(row) if left <= line.left + line.height)
            row[index] = (row[index][0], row[index][1] + line.text())
            out[-1] = " | ".join(text for _, text in row)
        elif len(cells) > 1:
            row = cells
            out.append(" | ".join(text for _, text in row))
        else:
            row = None
            text = cells[0][1]
            if previous is not None and out and _runs_on(previous, line, out[-1], text):
                out[-1] += text
            else:
                out.append(text)
        previous = line
    return [_AUTOSPACE.sub("", p) for p in out]


def _continues_cell(row: list[tuple[float, str]], previous: Line, line: Line) -> bool:
    """Text under a column after the first, just below the row: the rest of a wrapped cell."""
    h = line.height
    close = line.page == previous.page and previous.bottom - line.top < 1.5 * h
    return close and len(line.cells()) == 1 and line.left >= row[1][0] - h


def _runs_on(previous: Line, line: Line, before: str, text: str) -> bool:
    if " | " in before or " | " in text or before.endswith(_SENTENCE_END):
        return False
    h = previous.height
    if abs(line.height - h) > 0.2 * h:
        return False
    if _centred(line):  # a title broken over lines: centred under a line as wide or wider
        return line.page == previous.page and previous.bottom - line.top < 1.5 * h and _symmetric(previous)
    low, high = line.column
    # Ragged lines end early where a number, an address or a Latin word did not fit on them.
    unbroken = _LEADING_LATIN.match(text)
    slack = max(6 * h, (0.55 * len(unbroken.group(0)) + 1.5) * h if unbroken else 0)
    indented = line.left > low + 0.8 * h
    return previous.right >= previous.column[1] - slack and not indented


def _symmetric(line: Line) -> bool:
    low, high = line.column
    return abs((line.left - low) - (high - line.right)) < 2 * line.height


def _centred(line: Line) -> bool:
    return line.left > line.column[0] + 2.5 * line.height and _symmetric(line)


def _key(line: Line) -> tuple[str, int]:
    return (re.sub(r"\d+", "#", line.text()), round(line.top / 5))


def _furniture(pages: list[list[Line]]) -> set[tuple[str, int]]:
    """Lines at the same height with the same text (digits aside) near the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        edges = lines[:2] + lines[-2:]
        seen.update({_key(line) for line in edges})
    return {key for key, count in seen.items() if count >= max(2, (len(pages) + 1) // 2)}
