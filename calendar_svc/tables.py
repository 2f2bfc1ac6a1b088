"""Tables whose header names what their dates are: each date cell of a deadline column is a deadline.

A cut-off table (``出版日期 | 截稿日期/時間``), a report schedule (``报表名称 | 报送时间``) or a
call's timetable (``批次 | 申报截止时间``) says in its header row which column holds deadlines;
the row says what each one is for. Readers give a table as one row a line with cells joined by
``|`` (HTML, Word, PDF, a copied Markdown table); a cell that wrapped in the page continues on
the next line, so a row is read until it has as many cells as the header. Tables flattened to
one cell a line (a header of short labels, then as many lines per row) are read the same way.

Only tables with a deadline column are read here; a date in one of their other columns (the
publication date a cut-off is for, a holiday) is what the row is about, never a deadline. The
column words are data (``data/tables.toml``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from .context import compact_keep, strip_list_mark
from .packaged import read_toml
from .patterns import lazy

#: A row wrapped over more lines than this is not a row: the table ends before it.
MAX_ROW_LINES = 8
#: Header cells are labels: longer cells, or a line of them longer than this, are prose.
MAX_HEADER_CELL = 40
#: A one-cell-a-line table: its header has this many labels at most, each this short.
MAX_FLAT_COLUMNS = 8
MAX_FLAT_LABEL = 16
MAX_FLAT_CELL = 60

_DATEISH = lazy(r"(?<!\d)\d{1,2}\s*月\s*\d|(?:19|20)\d{2}\s*[年./-]\s*\d|当月|每月")
_SEPARATOR_ROW = lazy(r"^[\s|:：\-—=+]*$")
_SENTENCE = lazy(r"[。；;！？!?]")
_CLOSES_SENTENCE = lazy(r"[。！？!?]\s*$")
_ONLY_NUMBER = lazy(r"^[\d.、)(（）]*$")
_DEADLINE_ROLES = ("deadline", "filed")
#: A cue in a cell of a ``filed`` column that makes its date a deadline: ``3月5日前``, ``…止``, ``17:00``.
_CELL_CUE = lazy(r"前|止|截止|截至|\d\s*[:：]\s*\d\d|\d\s*[时點点]|至|—|-|~")
_LOOSE_SLASH = lazy(r"/+(?=\()|/+$")
_WEEKDAY_NOTE = lazy(r"\((?:星期|周)?[一二三四五六日天]\)")


@dataclass(frozen=True)
class Words:
    """What a header cell says its column is (``data/tables.toml``)."""

    deadline: tuple[str, ...]
    deadline_verbs: tuple[str, ...]
    not_deadline: tuple[str, ...]
    start: tuple[str, ...]
    time: tuple[str, ...]
    who: tuple[str, ...]
    item: tuple[str, ...]
    label_noise: tuple[str, ...]
    plan_words: tuple[str, ...]


@cache
def _words() -> Words:
    data = read_toml("tables.toml")
    columns = data["columns"]
    names = ("deadline", "deadline_verbs", "not_deadline", "start", "time", "who", "item", "label_noise")
    return Words(*(tuple(columns[name]) for name in names), plan_words=tuple(data["rows"]["plan_words"]))


@lru_cache(maxsize=1024)
def column_role(header: str) -> str:
    """What a column holds, by its header.

    ``deadline`` (截稿日期, 申报截止时间, 报送时间), ``filed`` (申报日期, 提交日期: a deadline only
    where the cell says so, else the day each row was filed), ``start`` (开始时间), ``who``
    (报送单位), ``item`` (报表名称) or ``other`` (出版日期, 备注).
    """
    words = _words()
    header = compact_keep(header)
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
    kind: str  # deadline | start
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
    """The date cells of a text's deadline tables, and the spans of their other cells."""

    def __init__(self, cells: list[DateCell], others: list[tuple[int, int]]) -> None:
        self._cells = sorted(cells, key=lambda c: c.begin)
        self._begins = [c.begin for c in self._cells]
        self._others = sorted(others)
        self._other_begins = [b for b, _ in self._others]

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
    lines = _lines(reading)
    for header, rows in (*_pipe_tables(reading, lines), *_flat_tables(reading, lines)):
        for row in rows:
            _read_row(text, reading, header, row, cells, others)
    return TableCells(cells, others)


def _lines(text: str) -> list[tuple[int, int]]:
    """(begin, end) of each line of ``text``."""
    spans, begin = [], 0
    for line in text.split("\n"):
        spans.append((begin, begin + len(line)))
        begin += len(line) + 1
    return spans


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
    return labels if any(column_role(label) in _DEADLINE_ROLES for label in labels) else None


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
        found = _one_label_a_line(text, lines, i)
        if found is None:
            i += 1
            continue
        header, rows, i = found
        yield header, [_cells_of(text, row, True) for row in rows]


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
        if "deadline" not in roles[:width] or all(role in _DEADLINE_ROLES for role in roles[:width]):
            continue
        rows, after = _rows(text, lines, i + width, width, True)
        if rows and all(
            _DATEISH.search(text, b, e) for (b, e), role in zip(_cells_of(text, rows[0], True), roles) if role == "deadline"
        ):
            return labels[:width], rows, after
    return None


def _rows(text: str, lines: list[tuple[int, int]], i: int, width: int, closed: bool) -> tuple[list[list[tuple[int, int]]], int]:
    """The rows from line ``i`` of a table ``width`` cells wide (line spans each), and the line after them.

    A row with a closing ``|`` runs over lines until it has ``width`` of them; without, each line
    with a ``|`` is a row.
    """
    rows: list[list[tuple[int, int]]] = []
    row: list[tuple[int, int]] = []  # the line spans of the row being read
    pipes = 0
    while i < len(lines):
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
        if "deadline" not in roles:
            i += len(run) or 1  # no part of this run can head a deadline table
            continue
        for width in range(2, min(len(run), MAX_FLAT_COLUMNS) + 1):
            if "deadline" not in roles[:width] or all(role in _DEADLINE_ROLES for role in roles[:width]):
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
    return strip_list_mark(line) or line


def _flat_rows(text: str, lines: list[tuple[int, int]], j: int, roles: list[str]) -> list[list[tuple[int, int]]]:
    """The rows of a flattened table from line ``j``: ``len(roles)`` lines each, dates under its deadline labels."""
    width, rows = len(roles), []
    while j + width <= len(lines):
        spans = lines[j : j + width]
        values = [text[b:e] for b, e in spans]
        if any(not v.strip() or len(v) > MAX_FLAT_CELL or "|" in v or _CLOSES_SENTENCE.search(v) for v in values):
            break  # prose after the table (请严格按时报送。), then its 落款: no row
        if not all(_DATEISH.search(v) for v, role in zip(values, roles) if role == "deadline"):
            break
        rows.append(spans)
        j += width
    return rows


def _read_row(text: str, reading: str, header: list[str], spans: list[tuple[int, int]], cells: list[DateCell], others: list[tuple[int, int]]) -> None:
    """The date cells of one row, with what and who from the row's other cells."""
    if len(spans) < len(header):  # a cell merged over rows (rowspan) leaves out the first cells
        header = header[len(header) - len(spans) :]
    row = [Cell(b, e, h, column_role(h)) for (b, e), h in zip(spans, header)]
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
        if cell.role not in ("deadline", "start", "filed") or filed:
            others.append((cell.begin, cell.end))
            continue
        if not _DATEISH.search(reading, cell.begin, cell.end):
            continue
        label = _label(cell.header)
        rest = "|".join(_cell_text(reading, c) for c in row if c is not cell)
        what = f"{label}:{item}" if item and label else item or label
        cells.append(
            DateCell(
                begin=cell.begin,
                end=cell.end,
                kind="start" if cell.role == "start" else "deadline",
                quote=pair if pair and cell in (opens, closes) else " ".join(text[cell.begin : cell.end].split()),
                what=what,
                who=who,
                rest=rest,
                plan=any(w in rest for w in _words().plan_words),
                row=f"{row_text}#{index}",
            )
        )


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
