"""Tables whose header names what their dates are: each date cell of a deadline column is a deadline.

A cut-off table (``出版日期 | 截稿日期/時間``), a report schedule (``报表名称 | 报送时间``) or a
call's timetable (``批次 | 申报截止时间``) says in its header row which column holds deadlines;
the row says what each one is for. Readers give a table as one row a line with cells joined by
``|`` (HTML, Word, PDF, a copied Markdown table); a cell that wrapped in the page continues on
the next line, so a row is read until it has as many cells as the header. Tables flattened to
one cell a line (a header of short labels, then as many lines per row) are read the same way.

A schedule (``时间 | 工作内容``, ``日期 | 事宜``) names no deadline column, only when each row's task
happens: its date cells are read the same way, and classify keeps those whose task is the readers'
(各学院提交…), not the organiser's (学校组织评审). In a date column of such a table a cell may write
its day without a year as ``5.25-5.31`` (第13周): read there only, as :attr:`TableCells.dotted`.

Only tables with a deadline column or a schedule are read here; a date in one of their other
columns (the publication date a cut-off is for, a holiday) is what the row is about, never a
deadline. The column words are data (``data/tables.toml``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from .context import compact_keep, strip_list_mark
from .dates import Mention, Moment
from .packaged import read_toml
from .patterns import lazy
from .vocabulary import VOCABULARY

#: A row wrapped over more lines than this is not a row: the table ends before it.
MAX_ROW_LINES = 8
#: Header cells are labels: longer cells, or a line of them longer than this, are prose.
MAX_HEADER_CELL = 40
#: A one-cell-a-line table: its header has this many labels at most, each this short.
MAX_FLAT_COLUMNS = 8
MAX_FLAT_LABEL = 16
MAX_FLAT_CELL = 60
#: A date cell of a schedule that lost its header: its date and little more (``3月25日—3月28日 |``, ``5.25-5.31 第13周 |``).
MAX_DATE_CELL = 30

_DATEISH = lazy(r"(?<!\d)\d{1,2}\s*月\s*\d|(?:19|20)\d{2}\s*[年./-]\s*\d|当月|每月")
#: A cell that opens with a date: ``3月20日``, ``2025年3月20日``, ``2025.3.20``, ``5.25-5.31``.
_DATE_CELL = lazy(r"(?<![ \t])[ \t]*(?:(?:19|20)\d{2}[ \t]*[年./-][ \t]*)?(?:1[0-2]|0?[1-9])[ \t]*[月.][ \t]*\d")
_SEPARATOR_ROW = lazy(r"^[\s|:：\-—=+]*$")
_SENTENCE = lazy(r"[。；;！？!?]")
#: A section's heading numbered 一、 or (一), or a bare 、 where a copy lost its number.
_SECTION_HEADING = lazy(r"[一二三四五六七八九十]*、|[(（][一二三四五六七八九十]+[)）]")
_TASK_END = lazy(r"[。；;]")
_CLOSES_SENTENCE = lazy(r"[。！？!?]\s*$")
_ONLY_NUMBER = lazy(r"^[\d.、)(（）]*$")
_DEADLINE_ROLES = ("deadline", "filed")
#: A day written ``M.D`` without its year (``5.25-5.31 第13周``, ``6.1～6.7``) opening a date cell of a table.
#: In a schedule's task cell, a day in brackets before 前 or 止: ``第12周末(5.24)前``.
_BRACKETED_DAY = lazy(r"[(（](?P<m>1[0-2]|0?[1-9])\.(?P<d>3[01]|[12]\d|0?[1-9])[)）](?=[ \t]*(?:之?前|以前|止))")
_DOTTED_DAY = lazy(
    r"[ \t]*(?P<m>1[0-2]|0?[1-9])\.(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])"
    r"(?:[ \t]*[-—–~～至][ \t]*(?:(?P<m2>1[0-2]|0?[1-9])\.)?(?P<d2>3[01]|[12]\d|0?[1-9])(?![\d.]))?"
)
#: A cue in a cell of a ``filed`` column that makes its date a deadline: ``3月5日前``, ``…止``, ``17:00``.
_CELL_CUE = lazy(r"前|止|截止|截至|\d\s*[:：]\s*\d\d|\d\s*[时點点]|至|—|-|~")
_LOOSE_SLASH = lazy(r"/+(?=\()|/+$")
_WEEKDAY_NOTE = lazy(r"\((?:星期|周)?[一二三四五六日天]\)")


@dataclass(frozen=True, eq=False, repr=False)
class Words:
    """What a header cell says its column is (``data/tables.toml``); one instance, so no generated ``__eq__`` or
    ``__repr__`` (each generated method is compiled at import)."""

    deadline: tuple[str, ...]
    deadline_verbs: tuple[str, ...]
    not_deadline: tuple[str, ...]
    start: tuple[str, ...]
    time: tuple[str, ...]
    who: tuple[str, ...]
    item: tuple[str, ...]
    label_noise: tuple[str, ...]
    plan_words: tuple[str, ...]
    when: tuple[str, ...]


@cache
def _words() -> Words:
    data = read_toml("tables.toml")
    columns = data["columns"]
    names = ("deadline", "deadline_verbs", "not_deadline", "start", "time", "who", "item", "label_noise")
    return Words(
        *(tuple(columns[name]) for name in names), plan_words=tuple(data["rows"]["plan_words"]), when=tuple(columns["when"])
    )


@lru_cache(maxsize=1024)
def column_role(header: str) -> str:
    """What a column holds, by its header.

    ``deadline`` (截稿日期, 申报截止时间, 报送时间), ``filed`` (申报日期, 提交日期: a deadline only
    where the cell says so, else the day each row was filed), ``start`` (开始时间), ``when`` (a
    schedule's 时间, 日期, 时间节点), ``who`` (报送单位), ``item`` (报表名称, 工作内容) or
    ``other`` (出版日期, 备注).
    """
    words = _words()
    header = compact_keep(header)
    if strip_list_mark(header).strip(":") in words.when:
        return "when"
    timed = any(w in header for w in words.time)
    if any(w in header for w in words.not_deadline):
        return "other" if timed else _other_role(header, words)
    if any(w in header for w in words.start) and timed:
        return "start"
    if any(w in header for w in words.deadline):
        return "deadline"
    if any(w in header for w in words.deadline_verbs) and timed:
        return "deadline" if "时间" in header else "filed"
    if timed:
        return "other"  # 出版日期, 公众假期, 发布时间: what the row is about
    return _other_role(header, words)


def _other_role(header: str, words: Words) -> str:
    if any(w in header for w in words.who):
        return "who"
    if any(w in header for w in words.item):
        return "item"
    return "other"


@dataclass(frozen=True)
class Cell:
    """One cell of a table row: where it lies in the text, and its column's header."""

    begin: int
    end: int
    header: str
    role: str


@dataclass(frozen=True)
class DateCell:
    """A cell of a deadline or start column, with what its row says about it."""

    begin: int
    end: int
    kind: str  # deadline | start | schedule (a schedule's 时间 cell: the row's task decides)
    quote: str
    what: str
    who: str
    #: The row's other cells, compacted: where an organiser's own step (审核, 我局) shows.
    rest: str
    #: The row states a plan's target (力争, 全面完成), not a task.
    plan: bool
    #: The row with this cell's place marked, for the record's id: stable while other rows change.
    row: str


class TableCells:
    """The date cells of a text's deadline tables and schedules, and the spans of their other cells."""

    def __init__(self, cells: list[DateCell], others: list[tuple[int, int]], dotted: list[Mention] | None = None) -> None:
        self._cells = sorted(cells, key=lambda c: c.begin)
        self._begins = [c.begin for c in self._cells]
        self._others = sorted(others)
        self._other_begins = [b for b, _ in self._others]
        #: Days written ``5.25-5.31`` in date cells, which the date grammar leaves alone elsewhere.
        self.dotted = sorted(dotted or (), key=lambda m: m.begin)

    def with_dotted(self, mentions: list[Mention]) -> list[Mention]:
        """``mentions`` and the dotted days of date cells, in order (a cell the grammar read already adds none)."""
        if not self.dotted:
            return mentions
        read = {m.begin for m in mentions}
        return sorted([*mentions, *(m for m in self.dotted if m.begin not in read)], key=lambda m: m.begin)

    def __bool__(self) -> bool:
        return bool(self._cells)

    def at(self, offset: int) -> DateCell | None:
        """The deadline or start cell holding ``offset``, if any."""
        i = bisect_right(self._begins, offset) - 1
        return self._cells[i] if i >= 0 and offset < self._cells[i].end else None

    def elsewhere(self, offset: int) -> bool:
        """Does ``offset`` lie in another column of a deadline table (出版日期, 公众假期)?"""
        i = bisect_right(self._other_begins, offset) - 1
        return i >= 0 and offset < self._others[i][1]


@lru_cache(maxsize=4)
def table_cells(text: str, reading: str) -> TableCells:
    """Every date cell of ``text``'s deadline tables; ``reading`` is its simplified reading (same offsets)."""
    cells: list[DateCell] = []
    others: list[tuple[int, int]] = []
    dotted: list[Mention] = []
    lines = _lines(reading)
    flat = (table for run in (lines, *_spaced_runs(reading, lines)) for table in _flat_tables(reading, run))
    for header, rows in (*_pipe_tables(reading, lines), *flat):
        for row in rows:
            _read_row(text, reading, header, row, cells, others, dotted)
    return TableCells(cells, others, dotted)


def _lines(text: str) -> list[tuple[int, int]]:
    """(begin, end) of each line of ``text``."""
    spans, begin = [], 0
    for line in text.split("\n"):
        spans.append((begin, begin + len(line)))
        begin += len(line) + 1
    return spans


def _spaced_runs(text: str, lines: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Runs of lines each followed by one blank line (``时间`` / `` `` / ``工作进度`` / `` `` / …), blanks left out:
    a table flattened one cell a paragraph, read as :func:`_flat_tables` reads one cell a line."""
    run: list[tuple[int, int]] = []
    for k in range(0, len(lines) - 1):
        begin, end = lines[k]
        filled, spaced = bool(text[begin:end].strip()), not text[lines[k + 1][0] : lines[k + 1][1]].strip()
        if filled and spaced:
            run.append(lines[k])
        elif filled or (k and not text[lines[k - 1][0] : lines[k - 1][1]].strip()):
            if len(run) >= 4:
                yield run
            run = []
    if len(run) >= 4:
        yield run


def _split(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """The ``|``-separated pieces of ``text[begin:end]`` as spans (empty ends kept)."""
    pieces, start = [], begin
    for i in range(begin, end):
        if text[i] == "|":
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, end))
    return pieces


def _header(text: str, begin: int, end: int) -> list[str] | None:
    """The labels of a header row, if the line is one and names a deadline column."""
    line = text[begin:end]
    if "|" not in line or _DATEISH.search(line) or _SENTENCE.search(line):
        return None
    labels = [compact_keep(text[b:e]) for b, e in _split(text, begin, end)]
    if labels and not labels[-1]:
        labels.pop()  # a closing |
    if labels and not labels[0]:
        labels.pop(0)  # an opening |
    if len(labels) < 2 or any(len(label) > MAX_HEADER_CELL for label in labels):
        return None
    return labels if _dates_named([column_role(label) for label in labels]) else None


def _dates_named(roles: list[str]) -> bool:
    """Does a header with these column roles say which column holds the dates to read?

    A deadline column does, beside a column naming the rows; so does a schedule's 时间 beside its 工作内容.
    """
    return any(role in _DEADLINE_ROLES for role in roles) or _is_schedule(roles)


def _heads_lines(roles: list[str]) -> bool:
    """May labels with these roles, one a line, head a table: a deadline column beside another, or a schedule."""
    if "deadline" in roles:
        return not all(role in _DEADLINE_ROLES for role in roles)
    return _is_schedule(roles)


def _is_schedule(roles: list[str]) -> bool:
    """``时间 | 工作内容``: when each row's task happens, and no deadline column."""
    return "when" in roles and "item" in roles and not any(role in _DEADLINE_ROLES for role in roles)


def _date_role(roles: list[str]) -> str:
    """The role of the columns whose cells a table's rows must date: ``deadline``, else a schedule's ``when``."""
    return "deadline" if "deadline" in roles else "when"


def _is_dated(text: str, begin: int, end: int) -> bool:
    """A date in ``text[begin:end]``: written with a month (``3月5日``, ``2024.3.5``), or ``5.25`` opening the cell."""
    return bool(_DATEISH.search(text, begin, end) or _DOTTED_DAY.match(text, begin, end))


def _pipe_tables(text: str, lines: list[tuple[int, int]]) -> Iterator[tuple[list[str], list[list[tuple[int, int]]]]]:
    """Tables of ``|`` rows under a header naming a deadline column: (header, rows of cell spans).

    The header is one line (``出版日期 | 截稿日期 |``) or, where a page put each cell on a line of
    its own (``批次 |`` / ``截止时间 |`` / ``第一批 |`` / ``3月31日 |``), a run of such label lines,
    as many as the first row's dates under its deadline labels allow (narrowest first).
    """
    i = 0
    while i < len(lines):
        begin, end = lines[i]
        if "|" not in text[begin:end]:
            i += 1
            continue
        header = _header(text, begin, end)
        if header is not None:
            closed = text[begin:end].rstrip().endswith("|")
            rows, i = _rows(text, lines, i + 1, len(header), closed)
            yield header, [_cells_of(text, row, closed) for row in rows]
            continue
        found = _one_label_a_line(text, lines, i) or _headerless_schedule(text, lines, i)
        if found is None:
            i += 1
            continue
        header, rows, i = found
        yield header, [_cells_of(text, row, True) for row in rows]


def _headerless_schedule(text: str, lines: list[tuple[int, int]], i: int) -> tuple[list[str], list, int] | None:
    """A schedule one closed cell a line under no header (``3月20日 |`` / ``各培养单位上报… |`` / …): a page
    that lost its header row. Date cells and task cells alternate, date first or task first, two rows at least."""
    dated: list[bool] = []
    j = i
    while j < len(lines):  # stops where the alternation does: linear over the text
        begin, end = lines[j]
        line = text[begin:end].rstrip()
        if line.count("|") != 1 or not line.endswith("|") or len(line) > MAX_FLAT_CELL:
            break
        this = bool(_DATE_CELL.match(line)) and len(line) <= MAX_DATE_CELL
        if dated and this == dated[-1]:
            break  # two dates or two tasks in a row: the alternation ends
        dated.append(this)
        j += 1
    pairs = len(dated) // 2
    if pairs < 2:
        return None
    header = ["时间", "工作内容"] if dated[0] else ["工作内容", "时间"]
    return header, [list(lines[i + 2 * k : i + 2 * k + 2]) for k in range(pairs)], i + 2 * pairs


def _one_label_a_line(text: str, lines: list[tuple[int, int]], i: int) -> tuple[list[str], list, int] | None:
    """A header of one closed label a line from line ``i``, with its rows, or None."""
    labels: list[str] = []
    for begin, end in lines[i : i + 2 * MAX_FLAT_COLUMNS]:
        line = text[begin:end]
        label = _label_line(text, begin, end - len(line) + len(line.rstrip().rstrip("|")))
        if line.count("|") != 1 or not line.rstrip().endswith("|") or label is None:
            break
        labels.append(label)
    roles = [column_role(label) for label in labels]
    for width in range(2, min(len(labels), MAX_FLAT_COLUMNS) + 1):
        if not _heads_lines(roles[:width]):
            continue
        dates = _date_role(roles[:width])
        # The first rows must hold dates where the header says (a schedule's first row may be undated: 第1-4周).
        # Only they are read for the test: reading every row for each width tried was quadratic.
        first, _ = _rows(text, lines, i + width, width, True, limit=1 if dates == "deadline" else 3)
        if any(all(_is_dated(text, b, e) for (b, e), role in zip(_cells_of(text, row, True), roles) if role == dates) for row in first):
            rows, after = _rows(text, lines, i + width, width, True)
            return labels[:width], rows, after
    return None


def _rows(
    text: str, lines: list[tuple[int, int]], i: int, width: int, closed: bool, limit: int | None = None
) -> tuple[list[list[tuple[int, int]]], int]:
    """The rows from line ``i`` of a table ``width`` cells wide (line spans each), and the line after them;
    at most ``limit`` rows when given.

    A row with a closing ``|`` runs over lines until it has ``width`` of them; without, each line
    with a ``|`` is a row.
    """
    rows: list[list[tuple[int, int]]] = []
    row: list[tuple[int, int]] = []  # the line spans of the row being read
    pipes = 0
    while i < len(lines) and (limit is None or len(rows) < limit):
        begin, end = lines[i]
        line = text[begin:end]
        if not line.strip():
            if row:  # a blank line closes a row cut short (a page cut off mid-table)
                rows.append(row)
                row, pipes = [], 0
            i += 1
            continue
        if not row and _SEPARATOR_ROW.match(line) and "-" in line:
            i += 1
            continue
        count = line.count("|")
        if count == 0 and (not row or _SENTENCE.search(line)):
            if row and closed and _cut_off_after(lines, i, text):
                row.append((begin, end))  # a page cut off mid-row: its last line is the row's last cell
                i += 1
            break  # prose after the table
        if row and (pipes + count > width if closed else count >= width - 1):
            rows.append(row)  # this line starts a row of its own
            row, pipes = [], 0
        row.append((begin, end))
        pipes += count
        i += 1
        if pipes >= (width if closed else width - 1) or (not closed and count):
            rows.append(row)
            row, pipes = [], 0
        elif len(row) > MAX_ROW_LINES:
            row = []
            break
    if row:
        rows.append(row)  # a table cut off mid-row
    return rows, i


def _cut_off_after(lines: list[tuple[int, int]], i: int, text: str) -> bool:
    """Is line ``i`` the text's last (only blank lines after it)? A copy cut off there (``…指导教师[...]``)
    lost the closing ``|`` of the row it ends."""
    return not text[lines[i][1] :].strip()


def _cells_of(text: str, row: list[tuple[int, int]], closed: bool) -> list[tuple[int, int]]:
    """The cell spans of a row that may run over several lines."""
    begin, end = row[0][0], row[-1][1]
    pieces = _split(text, begin, end)
    if closed and pieces and not text[pieces[-1][0] : pieces[-1][1]].strip():
        pieces.pop()
    if pieces and not text[pieces[0][0] : pieces[0][1]].strip() and text[begin:end].lstrip().startswith("|"):
        pieces.pop(0)
    return pieces


def _flat_tables(text: str, lines: list[tuple[int, int]]) -> Iterator[tuple[list[str], list[list[tuple[int, int]]]]]:
    """Tables flattened to one cell a line: a run of short labels, one naming a deadline column,
    then rows of as many lines, each with a date in its deadline cells.

    The first row's leading cells (``第一批``) look like labels too, so each width the run allows is
    tried, narrowest first, and the first whose rows hold dates where the header says wins.
    """
    labels = [_label_line(text, begin, end) for begin, end in lines]
    i = 0
    while i < len(lines):
        run = []
        for label in labels[i : i + 2 * MAX_FLAT_COLUMNS]:
            if label is None:
                break
            run.append(label)
        roles = [column_role(label) for label in run]
        if "deadline" not in roles and "when" not in roles:
            i += len(run) or 1  # no part of this run can head a deadline table or a schedule
            continue
        for width in range(2, min(len(run), MAX_FLAT_COLUMNS) + 1):
            if not _heads_lines(roles[:width]):
                continue
            rows = _flat_rows(text, lines, i + width, roles[:width])
            if rows:
                yield run[:width], rows
                i += width * (len(rows) + 1) - 1
                break
        i += 1


def _label_line(text: str, begin: int, end: int) -> str | None:
    """A line that may be a header label: short, no date, no sentence, not ending in a colon."""
    if end - begin > 3 * MAX_FLAT_LABEL:
        return None
    line = compact_keep(text[begin:end])
    if not line or len(line) > MAX_FLAT_LABEL or "|" in line or line.endswith(":") or _DATEISH.search(line) or _SENTENCE.search(line):
        return None
    if _SECTION_HEADING.match(line):
        return None  # 四、评审时间安排 (or 、评审时间安排, its number lost): the section over the table, no column
    return strip_list_mark(line) or line


def _flat_rows(text: str, lines: list[tuple[int, int]], j: int, roles: list[str]) -> list[list[tuple[int, int]]]:
    """The rows of a flattened table from line ``j``: ``len(roles)`` lines each, dates under its date labels."""
    width, rows, dates = len(roles), [], _date_role(roles)
    while j + width <= len(lines):
        spans = lines[j : j + width]
        values = [text[b:e] for b, e in spans]
        if any(not v.strip() or len(v) > MAX_FLAT_CELL or "|" in v or _CLOSES_SENTENCE.search(v) for v in values):
            break  # prose after the table (请严格按时报送。), then its 落款: no row
        if not all(_is_dated(v, 0, len(v)) for v, role in zip(values, roles) if role == dates):
            break
        rows.append(spans)
        j += width
    return rows


def _read_row(
    text: str,
    reading: str,
    header: list[str],
    spans: list[tuple[int, int]],
    cells: list[DateCell],
    others: list[tuple[int, int]],
    dotted: list[Mention],
) -> None:
    """The date cells of one row, with what and who from the row's other cells."""
    schedule = _is_schedule([column_role(h) for h in header])
    if len(spans) < len(header):  # a cell merged over rows (rowspan) leaves out the first cells
        header = header[len(header) - len(spans) :]
    roles = [column_role(h) for h in header]
    if not schedule:  # beside a deadline column, a bare 时间 or 日期 is what the row is about
        roles = ["other" if role == "when" else role for role in roles]
    if not schedule and "deadline" in roles:
        roles = [_step_role(reading, b, e, h, role) for (b, e), h, role in zip(spans, header, roles)]
    row = [Cell(b, e, h, role) for (b, e), h, role in zip(spans, header, roles)]
    if not row:  # a line of bare separators (| |) under the header has no cells to read
        return
    item = _item(reading, row)
    who = next((_cell_text(reading, c) for c in row if c.role == "who" and _cell_text(reading, c)), "")
    row_text = compact_keep(reading[row[0].begin : row[-1].end])
    dated = [c for c in row if c.role in ("start", "deadline") and _DATEISH.search(reading, c.begin, c.end)]
    opens = next((c for c in dated if c.role == "start"), None)
    closes = next((c for c in dated if c.role == "deadline" and opens is not None and c.begin > opens.begin), None)
    # 开始时间 | 截止时间 in one row: one quote for both, so the two read as one window (classify joins them).
    pair = " ".join(text[opens.begin : closes.end].split()) if opens and closes else ""
    for index, cell in enumerate(row):
        filed = cell.role == "filed" and not _CELL_CUE.search(reading, cell.begin, cell.end)
        if cell.role not in ("deadline", "start", "filed", "when") or filed:
            if not schedule:
                others.append((cell.begin, cell.end))
            else:  # a schedule's task may hold a date of its own (…并于9月26日前报科技处, 第12周末(5.24)前…)
                dotted.extend(_dotted_mention(text, day) for day in _BRACKETED_DAY.finditer(reading, cell.begin, cell.end))
            continue
        if not _DATEISH.search(reading, cell.begin, cell.end):
            day = _DOTTED_DAY.match(reading, cell.begin, cell.end)
            if day is None:
                continue
            dotted.append(_dotted_mention(text, day))
        label = _label(cell.header)
        rest = "|".join(_cell_text(reading, c) for c in row if c is not cell)
        scheduled = cell.role == "when"  # the row is its task: quote it whole
        what = _task(reading, row) if scheduled else f"{label}:{item}" if item and label else item or label
        cells.append(
            DateCell(
                begin=cell.begin,
                end=cell.end,
                kind="start" if cell.role == "start" else "schedule" if scheduled else "deadline",
                quote=pair if pair and cell in (opens, closes) else _quote(text, row if scheduled else [cell]),
                what=what,
                who=who,
                rest=rest,
                plan=any(w in rest for w in _words().plan_words),
                row=f"{row_text}#{index}",
            )
        )


def _step_role(text: str, begin: int, end: int, header: str, role: str) -> str:
    """Beside a deadline column, a column headed by a step of handing in (``企业递交纸质材料给镇街``,
    ``镇街报送市局``) whose cell is a date and little more gives that step's last day: a deadline too."""
    if role not in ("item", "other") or not any(w in compact_keep(header) for w in _words().deadline_verbs):
        return role
    cell = text[begin:end].strip().rstrip("|").strip()
    return "deadline" if len(cell) <= MAX_DATE_CELL and _DATE_CELL.match(cell) else role


def _dotted_mention(text: str, day: re.Match[str]) -> Mention:
    """``5.25-5.31`` (or ``5.24``) opening a date cell, as a mention without its year."""
    begin, end = day.start("m"), day.end()
    first = Moment(None, int(day.group("m")), int(day.group("d")))
    if day.groupdict().get("d2") is None:
        return Mention(begin, end, text[begin:end], None, first)
    close = Moment(None, int(day.group("m2") or day.group("m")), int(day.group("d2")))
    return Mention(begin, end, text[begin:end], first, close, separator="-")


def _task(text: str, row: list[Cell]) -> str:
    """A schedule row's task: the first clause of its first item cell naming something to do
    (``申请书提交至学校科技处``, not ``2021年国家自然科学基金``), else of its first item cell.

    ``1.学生上交…; 2.…`` → ``学生上交…``: a cell listing several steps is named by its first.
    """
    tasks = [_TASK_END.split(strip_list_mark(_cell_text(text, c)), 1)[0] for c in row if c.role == "item"]
    tasks = [task for task in tasks if task]
    return next((task for task in tasks if VOCABULARY.has_action(task)), tasks[0] if tasks else "")


def _quote(text: str, cells: list[Cell]) -> str:
    """The cells' text with its blanks and the row's own bars trimmed (``5.25-5.31 第13周 | 1.学生上交…``)."""
    return " ".join(text[cells[0].begin : cells[-1].end].split()).strip(" |")


def _cell_text(text: str, cell: Cell) -> str:
    return compact_keep(text[cell.begin : cell.end])


def _item(text: str, row: list[Cell]) -> str:
    """What the row is about: its item cell (报表名称, 事项), else its first cell that is not a deadline.

    A date or a short code names the row only with its header: ``宪报出版日期2025年1月3日(星期五)``.
    """
    named = [c for c in row if c.role == "item" and _cell_text(text, c) and not _ONLY_NUMBER.match(_cell_text(text, c))]
    rest = [c for c in row if c.role in ("other", "item") and _cell_text(text, c) and not _ONLY_NUMBER.match(_cell_text(text, c))]
    named.sort(key=lambda c: _item_rank(c.header))  # 报送内容 names a row better than its 批次
    for cell in named or rest[:1]:
        value = _cell_text(text, cell)
        if _DATEISH.search(value) or len(value) < 4:
            return f"{cell.header}{_WEEKDAY_NOTE.sub('', value)}"
        return value
    return ""


def _item_rank(header: str) -> int:
    """Where the first item word in ``header`` stands in the data's list (名称 first, 批次 late)."""
    words = _words().item
    return next((i for i, word in enumerate(words) if word in header), len(words))


def _label(header: str) -> str:
    """A deadline column's header without its time words: ``截稿日期/时间(电邮…)`` → ``截稿(电邮…)``."""
    label = header
    for word in _words().label_noise:
        label = label.replace(word, "")
    return _LOOSE_SLASH.sub("", label).strip("/:、 ")
