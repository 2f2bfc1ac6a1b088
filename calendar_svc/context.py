"""The words around a date mention: its sentence, clauses, line and the line above.

Cue words are matched in a compacted form (whitespace removed, full-width
punctuation folded), because PDF conversions put spaces and line breaks
inside words (``申报起 始时间``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import Mention

#: Ends of a sentence; a table row (cells joined by ``|``) stays one sentence.
SENTENCE_END = re.compile(r"[。！？；;!?\n]")
_CLAUSE_END = re.compile(r"[，,：:]")
_LIST_MARK = re.compile(
    r"^[\s\-*>#]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[a-zA-Z][.、)]|[①-⑳])?\s*"
)
#: A short aside after a date: ``9月30日(含)前``, ``(以邮戳为准)``, ``(工作日9:00-17:00)``.
#: Quotes longer than this are cut to the clauses around the date.
QUOTE_LIMIT = 160
_QUOTE_CLAUSE = re.compile(r"[，,；;：:]")
#: What may follow a date in its own table cell: a cue and a weekday note.
_CELL_CUE = re.compile(r"(?:\(含[^)]{0,4}\))|之前|以前|前|截止|止|\(星期.\)|\(周.\)")
_DATEISH = re.compile(r"\d+月|\d{4}[年\-./]|[一二三四五六七八九十]+月")
ASIDE = re.compile(r"^\([^()]{1,16}\)")


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


def context_of(text: str, mention: Mention) -> Context:
    """Everything the classifier and the role reader look at around ``mention``, read once."""
    begin = last_match(SENTENCE_END, text, mention.begin) + 1
    end_match = SENTENCE_END.search(text, mention.end)
    end = end_match.start() if end_match else len(text)
    line_begin = text.rfind("\n", 0, mention.begin) + 1
    line_end = text.find("\n", mention.end)
    line_stop = line_end if line_end >= 0 else len(text)
    before = strip_list_mark(compact_keep(text[begin : mention.begin]))
    alone = not strip_list_mark(text[line_begin : mention.begin]).strip() and not text[mention.end : end].strip(" 。.;；,，")
    heading_above = not text[line_begin : mention.begin].strip() and _is_short_heading(text, line_begin)
    if not before and (alone or heading_above):
        # A date alone on its line takes its meaning from the line above (一、征集时间).
        before = strip_list_mark(compact_keep(_line_above(text, line_begin)).lstrip("#"))
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
        row_label = _row_label(text, line_begin)
    opens_line = not text[line_begin:begin].strip()
    heading = strip_list_mark(compact_keep(_line_above(text, line_begin)).lstrip("#")) if (
        opens_line and _is_short_heading(text, line_begin)
    ) else ""
    return Context(
        sentence=compact_keep(text[begin:end]),
        before=before,
        after=after,
        clause_before=clause_before,
        clause_after=clause_after,
        line=line,
        heading=heading,
        below=compact_keep(_line_below(text, line_end)) if alone and line_end >= 0 else "",
        row_label=row_label,
        cell_label=cell_label.rstrip(":") if in_date_cell else "",
        in_date_cell=in_date_cell,
        previous=compact_keep(text[max(line_begin, last_match(SENTENCE_END, text, begin - 1) + 1) : begin]),
    )


def _row_label(text: str, line_begin: int) -> str:
    """The first cell of this table row, or of the row above when this one starts with a date."""
    line = text[line_begin:].split("\n", 1)[0]
    for row in (line, _line_above(text, line_begin)):
        if "|" not in row:
            return ""
        first = strip_list_mark(compact_keep(row.split("|", 1)[0]))
        if first and not _DATEISH.search(first):
            return first
    return ""


def _line_below(text: str, line_end: int) -> str:
    """The nearest non-blank line below the line ending at ``line_end``."""
    return text[line_end + 1 :].lstrip().split("\n", 1)[0].strip()


def _line_above(text: str, line_begin: int) -> str:
    """The nearest non-blank line above the line starting at ``line_begin``."""
    return text[: max(0, line_begin - 1)].rstrip().rsplit("\n", 1)[-1].strip()


def _is_short_heading(text: str, line_begin: int) -> bool:
    """The line above is a short label such as ``一、报到注册时间``."""
    previous = _line_above(text, line_begin)
    salutation = re.search(r"(?:单位|部门|局|厅|委|学院|处|各位)[:：]$", previous)
    return 0 < len(previous) <= 24 and not re.search(r"[。；;，,]", previous) and not salutation


def compact_keep(text: str) -> str:
    """Whitespace removed (PDF spaces), punctuation kept: the form cue words are matched in."""
    return re.sub(r"\s+", "", text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ","))


def strip_list_mark(text: str) -> str:
    return _LIST_MARK.sub("", text, count=1)


def last_match(pattern: re.Pattern[str], text: str, stop: int) -> int:
    last = -1
    for match in pattern.finditer(text, 0, stop):
        last = match.start()
    return last


def quote_of(text: str, mention: Mention) -> str:
    """The sentence holding the mention, verbatim (one line of a table).

    A sentence longer than :data:`QUOTE_LIMIT` is cut to the clauses around
    the date, so the quote still reads as the notice's own words.
    """
    begin = last_match(SENTENCE_END, text, mention.begin) + 1
    end_match = SENTENCE_END.search(text, mention.end)
    end = end_match.end() if end_match and end_match.group() != "\n" else (end_match.start() if end_match else len(text))
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
