"""The words around a date mention: its sentence, clauses, line and the line above.

Cue words are matched in a compacted form (whitespace removed, full-width
punctuation folded), because PDF conversions put spaces and line breaks
inside words (``申报起 始时间``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate
from dataclasses import dataclass
from functools import lru_cache

from .dates import Mention
from .patterns import lazy

#: Ends of a sentence; a table row (cells joined by ``|``) stays one sentence.
_SENTENCE_MARKS = "。！？；;!?\n"
SENTENCE_END = lazy(f"[{_SENTENCE_MARKS}]")
#: A run of blanks before a list item (``通告如下:          一、…``): a paragraph break lost in copying, so a
#: sentence end too. Tried only where a run starts, so a long run is read once.
PARAGRAPH_RUN = lazy(
    r"(?<![ \t\u3000])[ \t\u3000]{2,}(?=[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、．])"
)
_BLANKS = " \t\u3000"
#: How far past a run :data:`PARAGRAPH_RUN` looks for its list mark: ``(十二)``.
_MARK_REACH = 5
#: How far a sentence or a line is read on either side of a date. Every annotated notice
#: reads the same with this limit as without; a text without any punctuation (a flattened
#: table, a converted scan) would otherwise make each of its dates read all of it.
REACH = 500
_CLAUSE_END = lazy(r"[，,：:]")
_LIST_MARK = lazy(
    r"^[\s\-*>#]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[a-zA-Z][.、)]|[①-⑳])?\s*"
)
#: A short aside after a date: ``9月30日(含)前``, ``(以邮戳为准)``, ``(工作日9:00-17:00)``.
#: Quotes longer than this are cut to the clauses around the date.
QUOTE_LIMIT = 160
_QUOTE_CLAUSE = lazy(r"[，,；;：:]")
#: What may follow a date in its own table cell: a cue and a weekday note.
_CELL_CUE = lazy(r"(?:\(含[^)]{0,4}\))|之前|以前|前|截止|止|\(星期.\)|\(周.\)")
#: A run of digits is tried from its first digit only (``(?<!\d)``): trying it from each digit
#: of a long run would read the run once per digit.
_DATEISH = lazy(r"(?<!\d)\d+月|\d{4}[年\-./]|(?<![一二三四五六七八九十])[一二三四五六七八九十]+月")
ASIDE = lazy(r"^\([^()]{1,16}\)")
#: What may follow a date that still stands alone on its line: 前, (含), a weekday note.
_ALONE_TAIL = lazy(r"(?:\(含\))?(?:之前|以前|前|截止|止)?(?:\([^()]{1,8}\))?")
#: A salutation (各系部：, 各有关单位：) is no heading of the line below it.
_SALUTATION_END = lazy(r"(?:^各[^:：]{1,20}|单位|部门|局|厅|委|学院|处|各位)[:：]$")
#: A short label before a date that fills the rest of its line (``时间:2021年12月15日前``): its task may be
#: on the next line, as for a date alone.
_LINE_LABEL = lazy(r"[\u4e00-\u9fff]{0,6}(?:时间|日期|期限|时限|节点)[:为]")
_HEADING_PUNCTUATION = lazy(r"[。；;，,]")


@dataclass(frozen=True)
class Context:
    """The words around one mention, compacted (PDF spaces removed)."""

    sentence: str
    before: str
    after: str
    clause_before: str
    clause_after: str
    line: str
    #: The sentence before, on the same line: ``完成注册后填写申报信息。申报起始时间为…``.
    previous: str = ""
    #: A short heading right above the sentence's line (``四、征集时间``), when the sentence opens that line.
    heading: str = ""
    #: The next line, when the date stands alone on its own (``1、10月22日—11月2日`` / ``参评班级…填写…``).
    below: str = ""
    #: In a table row: the row's first cell (``1.学位论文提交``), from the row above when this row continues it.
    row_label: str = ""
    #: In a table row: a short label in the date's own cell (``博士``).
    cell_label: str = ""
    #: The date fills its table cell (besides a short label and a cue such as 前).
    in_date_cell: bool = False
    #: The next sentence (``公示期为…。如有异议,请在公示期内…``): where a period's task may be stated.
    following: str = ""
    #: The date fills its line (besides a list mark, a cue such as 前 and a short aside).
    alone: bool = False
    #: The line above, compacted (for telling which way a flattened schedule runs).
    above: str = ""
    #: In a flattened schedule whose task lines sit above their dates: the task above.
    task_above: str = ""
    #: The next non-blank line, compacted, when the date is alone on its line (kept when ``below`` is cleared).
    next_line: str = ""
    #: One of two or more dates alone on their lines within three lines of each other: a flattened schedule.
    in_schedule: bool = False
    #: The date opens its line (after a list mark): ``3.2月17日-2月21日:各学院…``.
    opens: bool = False


def context_of(text: str, mention: Mention) -> Context:
    """Everything the classifier and the role reader look at around ``mention``, read once."""
    index = _index(text)
    begin, end = index.sentence(mention.begin, mention.end)
    line_number = index.line_number(mention.begin)
    line_begin = max(index.line_starts[line_number], mention.begin - REACH)
    line_end = index.line_end(line_number)
    line_stop = min(line_end if line_end >= 0 else len(text), mention.end + REACH)
    above = index.line_above(line_number)
    before = strip_list_mark(compact_keep(text[begin : mention.begin]))
    rest = compact_keep(text[mention.end : end]).strip(" 。.;；,，")
    opens = not strip_list_mark(text[line_begin : mention.begin]).strip()
    bare = opens and not rest  # nothing else on the line: the line above may say what it is
    alone = opens and (not rest or bool(_ALONE_TAIL.fullmatch(rest)))  # also 3月15日前: the line below may
    labelled = not opens and not mention.is_range and (not rest or bool(_ALONE_TAIL.fullmatch(rest))) and bool(
        is_time_label(compact_keep(strip_list_mark(text[line_begin : mention.begin])))
    )
    heading_above = not text[line_begin : mention.begin].strip() and _is_short_heading(above)
    if not before and (bare or heading_above):
        # A date alone on its line takes its meaning from the line above (一、征集时间).
        before = strip_list_mark(compact_keep(above).lstrip("#"))
    after = ASIDE.sub("", compact_keep(text[mention.end : end]), count=1)
    # A label ending in a colon belongs to its value: "截止时间：9月30日" keeps "截止时间:".
    clause_before = _CLAUSE_END.split(before.rstrip(":"))[-1] + (":" if before.endswith(":") else "")
    clause_after = _CLAUSE_END.split(after[1:] if after.startswith(":") else after)[0]  # "5月13日:学院…上报"
    line = text[line_begin:line_stop]
    row_label, cell_label, in_date_cell = "", "", False
    if "|" in line:
        cell_label = compact_keep(text[line_begin : mention.begin]).rsplit("|", 1)[-1]
        rest = compact_keep(text[mention.end : line_stop]).split("|", 1)[0]
        in_date_cell = len(cell_label) <= 6 and len(_CELL_CUE.sub("", rest)) <= 2
        row_label = _row_label(line, above)
    opens_line = not text[line_begin:begin].strip()
    heading = strip_list_mark(compact_keep(above).lstrip("#")) if opens_line and _is_short_heading(above) else ""
    previous_begin = index.sentence_begin(begin - 1, line_begin)
    return Context(
        sentence=compact_keep(text[begin:end]),
        before=before,
        after=after,
        clause_before=clause_before,
        clause_after=clause_after,
        line=line,
        heading=heading,
        below=compact_keep(index.line_below(line_number)) if (alone or labelled) and line_end >= 0 else "",
        row_label=row_label,
        cell_label=cell_label.rstrip(":") if in_date_cell else "",
        in_date_cell=in_date_cell,
        previous=compact_keep(text[previous_begin:begin]),
        following=_following(text, index, end),
        alone=alone,
        above=compact_keep(above),
        next_line=compact_keep(index.line_below(line_number)) if alone and line_end >= 0 else "",
        opens=opens,
    )


def _following(text: str, index: _TextIndex, end: int) -> str:
    """The sentence after the one ending at ``end`` (on the next line too), read at most :data:`REACH`."""
    close = index.sentence_end(end + 1, end + 1 + REACH)
    stop = min(len(text), end + 1 + REACH) if close is None else close
    return compact_keep(text[end + 1 : stop])


class _TextIndex:
    """Where the lines of one text begin, found once for all its dates; its sentence ends, looked for around each date.

    A sentence end is a mark of :data:`SENTENCE_END` or the last blank of a :data:`PARAGRAPH_RUN`. Listing every one
    of a notice's ends cost more than all its dates' look-ups, which read at most :data:`REACH` characters each way.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        #: Can the text hold a paragraph run (two blanks in a row)?
        self._runs = "  " in text or "\u3000" in text or "\t" in text
        lines = text.split("\n")
        self.line_starts = [0, *accumulate(len(line) + 1 for line in lines[:-1])]
        self._lines = lines
        self._above: dict[int, int] = {}
        self._below: dict[int, int] = {}

    def _nearest(self, number: int, step: int, found: dict[int, int]) -> int:
        """The nearest non-blank line from ``number`` in direction ``step``, -1 if none (remembered)."""
        if number not in found:
            other = number + step
            while 0 <= other < len(self._lines) and not self._lines[other].strip():
                other += step
            found[number] = other if 0 <= other < len(self._lines) else -1
        return found[number]

    def sentence_begin(self, offset: int, floor: int) -> int:
        """The first character of the sentence holding ``offset`` (after the last end before it), or ``floor`` if
        that sentence begins before ``floor``."""
        if offset <= floor:
            return floor
        low = max(floor - 1, 0)  # an end at floor - 1 begins a sentence at floor
        last = max(self.text.rfind(mark, low, offset) for mark in _SENTENCE_MARKS)
        if self._runs:
            last = max(last, self._last_run_end(low, offset))
        return max(last + 1, floor)

    def sentence_end(self, offset: int, limit: int) -> int | None:
        """The first sentence end at or after ``offset`` and before ``limit``, if any."""
        limit = min(limit, len(self.text))
        mark = SENTENCE_END.search(self.text, offset, limit)
        stop = mark.start() if mark is not None else limit
        run = self._first_run_end(offset, stop) if self._runs else None
        return run if run is not None else stop if mark is not None else None

    def sentence(self, begin: int, end: int) -> tuple[int, int]:
        """The sentence around ``text[begin:end]``, read at most :data:`REACH` characters each way."""
        close = self.sentence_end(end, end + REACH)
        return self.sentence_begin(begin, max(begin - REACH, 0)), min(len(self.text), end + REACH) if close is None else close

    def _run_ends(self, low: int, high: int) -> Iterator[int]:
        """The last blank of each paragraph run ending in ``low..high-1``, in order."""
        text = self.text
        start = low
        while start > 0 and text[start - 1] in _BLANKS:
            start -= 1  # a run is matched from its first blank only
        # The look-ahead after a run reads a list mark: up to _MARK_REACH characters past its last blank.
        stop = min(len(text), high + _MARK_REACH)
        if all(text.find(pair, start, stop) < 0 for pair in ("  ", "\t", "\u3000")):
            return  # no two blanks in a row (a tab or an ideographic space alone may start a pair): no run
        for run in PARAGRAPH_RUN.finditer(text, start, stop):
            last = run.end() - 1
            if last >= high:
                return
            if last >= low:
                yield last

    def _first_run_end(self, low: int, high: int) -> int | None:
        return next(self._run_ends(low, high), None)

    def _last_run_end(self, low: int, high: int) -> int:
        return max(self._run_ends(low, high), default=-1)

    def line_number(self, offset: int) -> int:
        return bisect_left(self.line_starts, offset + 1) - 1

    def line_end(self, number: int) -> int:
        """Offset of the newline ending line ``number``, or -1 for the last line."""
        return self.line_starts[number + 1] - 1 if number + 1 < len(self.line_starts) else -1

    def line_above(self, number: int) -> str:
        """The nearest non-blank line above line ``number``, stripped."""
        above = self._nearest(number, -1, self._above)
        return self._lines[above].strip()[-REACH:] if above >= 0 else ""

    def line_below(self, number: int) -> str:
        """The nearest non-blank line below line ``number``, stripped."""
        below = self._nearest(number, 1, self._below)
        return self._lines[below].strip()[:REACH] if below >= 0 else ""


@lru_cache(maxsize=4)
def _index(text: str) -> _TextIndex:
    """The index of ``text``; a notice's text and its quotes' text are each indexed once."""
    return _TextIndex(text)


def _row_label(line: str, above: str) -> str:
    """The first cell of this table row, or of the row above when this one starts with a date."""
    for row in (line, above):
        if "|" not in row:
            return ""
        first = strip_list_mark(compact_keep(row.split("|", 1)[0]))
        if first and not _DATEISH.search(first):
            return first
    return ""


def _is_short_heading(previous: str) -> bool:
    """The line above is a short label such as ``一、报到注册时间``."""
    salutation = _SALUTATION_END.search(previous)
    return 0 < len(previous) <= 24 and not _HEADING_PUNCTUATION.search(previous) and not salutation and not (
        _DATEISH.search(previous)  # 截标日期:三月二十日 over 开标日期:…: a line with a date is a row, not a heading
    )


def is_time_label(text: str) -> bool:
    """``时间:``, ``时间节点:``, ``完成时间为``: a label whose value is the date after it."""
    return bool(_LINE_LABEL.fullmatch(text))


def compact_keep(text: str) -> str:
    """Whitespace removed (PDF spaces), punctuation kept: the form cue words are matched in."""
    # str.split() splits at exactly the characters re's \s matches (str.isspace): a third of the time of a sub
    return "".join(text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",").split())


def strip_list_mark(text: str) -> str:
    return _LIST_MARK.sub("", text, count=1)


def quote_of(text: str, mention: Mention) -> str:
    """The sentence holding the mention, verbatim (one line of a table).

    A sentence longer than :data:`QUOTE_LIMIT` is cut to the clauses around
    the date, so the quote still reads as the notice's own words.
    """
    index = _index(text)
    close = index.sentence_end(mention.end, mention.end + REACH)
    end = len(text) if close is None else close + 1 if text[close] != "\n" else close
    begin, end = index.sentence_begin(mention.begin, max(mention.begin - REACH, 0)), min(end, mention.end + REACH)
    if end - begin > QUOTE_LIMIT:
        begin, end = _clauses_around(text, begin, end, mention)
    quote = text[begin:end].strip()
    return _LIST_MARK.sub("", quote, count=1) if quote.startswith(("-", "*", "#")) else quote


def _clauses_around(text: str, begin: int, end: int, mention: Mention) -> tuple[int, int]:
    """Widen from the mention's own clause, alternating right and left, while under the limit."""
    cuts = [begin] + [m.end() for m in _QUOTE_CLAUSE.finditer(text, begin, end)] + [end]
    lo = max(i for i, c in enumerate(cuts) if c <= mention.begin)
    hi = min(i for i, c in enumerate(cuts) if c >= mention.end)
    right_first = True  # the action usually follows the date: take the next clause, then the one before
    while True:
        wider = [(lo, hi + 1), (lo - 1, hi)] if right_first else [(lo - 1, hi), (lo, hi + 1)]
        fits = [(a, b) for a, b in wider if 0 <= a and b < len(cuts) and cuts[b] - cuts[a] <= QUOTE_LIMIT]
        if not fits:
            return cuts[lo], cuts[hi]
        lo, hi = fits[0]
        right_first = not right_first
