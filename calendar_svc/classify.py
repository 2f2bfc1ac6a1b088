"""Mention + sentence → deadline or not; who must act and what to do.

A date is a deadline only when the words around it say a reader must act by
or within it. Signing dates, eligibility rules, statistics, conditions,
holidays, the issuer's own steps and dates already past are left out; dates
on which something takes effect are kept as the informational kind
``effective``. All cue words live in ``data/vocabulary.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import Mention, YearContext, find_mentions, resolve_range
from .dates.resolve import ImpossibleDate
from .model import Deadline, Source, When, as_datetime, deadline_id
from .notices import Notice, compact, parse_full_date
from .vocabulary import VOCABULARY as V

#: Ends of a sentence; a table row (cells joined by ``|``) stays one sentence.
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")
_CLAUSE_END = re.compile(r"[，,：:]")
_LIST_MARK = re.compile(r"^[\s\-*>#]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[①-⑳])?\s*")
_YEAR_LABEL = re.compile(r"((?:19|20)\d{2})\s*年")
_MAX_WHAT = 40
#: A short aside between a date and its cue: ``9月30日(含)前``, ``(以邮戳为准)``.
_ASIDE = re.compile(r"^\((?:含[^)]{0,4}|以[^)]{1,6}为准)\)")
_DATE_WORD = re.compile(r"\d+月\d+|\d{4}年\d+月")
#: Words between a date and the action that follows it (``前``, ``起``, ``期间``).
_LEAD_CUE = re.compile(r"^(?:\(星期.\)|之前|以前|前|为止|止|截止|期间|内|起|开始)+")
#: A "what" that only names a period (公示期为, 申报时间): no action in it.
_CUE_ONLY = re.compile(r"(?:期|为|时间)$")
_TITLE_WRAPPER = re.compile(r"^(?:关于)|(?:的)?(?:通知|公告|公示|通告|意见)$")


@dataclass(frozen=True)
class Problem:
    """Something the user should see (an impossible date, a year that could not be told)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class _Context:
    """The words around one mention, compacted (PDF spaces removed)."""

    sentence: str
    before: str
    after: str
    clause_before: str
    clause_after: str
    line: str
    #: The sentence before, on the same line: ``完成注册后填写申报信息。申报起始时间为…``.
    previous: str = ""


def classify_notice(notice: Notice, reference: dt.date | None = None) -> tuple[list[Deadline], list[Problem]]:
    """Every deadline, window, start and effective date of ``notice``, restatements merged."""
    text = notice.text
    deadlines: list[Deadline] = []
    problems: list[Problem] = []
    mentions = find_mentions(text)
    unnamed: set[str] = set()
    anchor = notice.date or reference
    label = "notice date" if notice.date else "reference date (--date)"
    for mention in mentions:
        line = notice.line_of(mention.begin)
        if notice.title and compact(notice.lines[line - notice.first_line]) == compact(notice.title):
            continue  # the title: year labels, not deadlines
        context = _context(text, mention)
        kind = _kind(mention, context, notice)
        if kind is None:
            continue
        year_context = YearContext(anchor, label, *_context_year(notice, mention))
        try:
            start, end, how = resolve_range(mention.start, mention.close, year_context)
        except ImpossibleDate as exc:
            problems.append(Problem(notice.file, line, f"impossible date {mention.text.strip()!r}: {exc}"))
            continue
        except LookupError as exc:
            problems.append(Problem(notice.file, line, f"{mention.text.strip()!r}: {exc}"))
            continue
        if _is_past(start, end, notice.date):
            continue
        if mention.from_now and anchor is not None:
            start, kind = anchor, "window"
        if kind == "start":
            start, end = end, None
        all_day, start, end = _align(start, end)
        who, named = _who(context, notice)
        what = _what(context, notice)
        quote = _quote(text, mention)
        ordinal = sum(1 for d in deadlines if d.source.line == line and d.quote == quote)
        masked = f"{compact(quote.replace(mention.text, '〈日期〉'))}#{ordinal}"
        deadlines.append(
            Deadline(
                id=deadline_id(notice.ref, kind, who, what, masked),
                kind=kind,
                start=start,
                end=end,
                all_day=all_day,
                who=who,
                what=what,
                quote=quote,
                notice=notice.ref,
                source=Source(notice.file, line),
                year_guess=how,
            )
        )
        if not named:
            unnamed.add(deadlines[-1].id)
    return _merge_restatements(_join_start_and_end(deadlines), unnamed), problems


def _context(text: str, mention: Mention) -> _Context:
    begin = _last(_SENTENCE_END, text, mention.begin) + 1
    end_match = _SENTENCE_END.search(text, mention.end)
    end = end_match.start() if end_match else len(text)
    line_begin = text.rfind("\n", 0, mention.begin) + 1
    line_end = text.find("\n", mention.end)
    before = _strip_list_mark(compact_keep(text[begin : mention.begin]))
    alone = not text[line_begin : mention.begin].strip() and not text[mention.end : end].strip(" 。.;；,，")
    heading_above = not text[line_begin : mention.begin].strip() and _is_short_heading(text, line_begin)
    if not before and (alone or heading_above):
        # A date alone on its line takes its meaning from the line above (一、征集时间).
        before = _strip_list_mark(compact_keep(_line_above(text, line_begin)).lstrip("#"))
    after = _ASIDE.sub("", compact_keep(text[mention.end : end]), count=1)
    clause_before = _CLAUSE_END.split(before)[-1]
    clause_after = _CLAUSE_END.split(after)[0]
    return _Context(
        sentence=compact_keep(text[begin:end]),
        before=before,
        after=after,
        clause_before=clause_before,
        clause_after=clause_after,
        line=text[line_begin : line_end if line_end >= 0 else len(text)],
        previous=compact_keep(text[max(line_begin, _last(_SENTENCE_END, text, begin - 1) + 1) : begin]),
    )


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


def _strip_list_mark(text: str) -> str:
    return _LIST_MARK.sub("", text, count=1)


def _last(pattern: re.Pattern[str], text: str, stop: int) -> int:
    last = -1
    for match in pattern.finditer(text, 0, stop):
        last = match.start()
    return last


def _kind(mention: Mention, c: _Context, notice: Notice) -> str | None:
    """``window``/``deadline``/``start``/``effective``, or None for an incidental date."""
    close = mention.close
    if not close.has_day or (mention.start is not None and not mention.start.has_day):
        return None
    if _is_signature_line(c.line, notice):
        return None
    if c.after.startswith(V.effective_after) or any(c.after.startswith("起" + w) for w in ("施行", "实施")):
        return "effective"
    if _is_incidental(mention, c):
        return None
    if close.end_of is not None and (
        any(c.clause_before.endswith(w) or c.clause_before.startswith(w) for w in V.goal_before)
        or not _has_action(c.sentence)
    ):
        return None
    if not _has_action(c.sentence) and not _has_action(c.before[-40:]):
        return None
    if mention.is_range:
        if mention.separator == "、" or _has_period(c) or _has_action(c.clause_after) or _has_action(c.clause_before):
            return "window"
        return None
    if c.after.startswith(V.start_after) and not c.after.startswith(("起至", "起到")):
        return "start"
    if any(w in c.clause_before for w in V.start_before):
        return "start"
    if mention.from_now or re.search(r"(?:截至|截止|至)当月", compact(mention.text)):
        return "deadline"
    if c.after.startswith(V.deadline_after) or _ends_with_cue(c) or _is_schedule_row(c):
        return "deadline"
    return None


def _is_incidental(mention: Mention, c: _Context) -> bool:
    after, before = c.after, c.clause_before
    if after.startswith(V.incidental_after_prefixes) and not after.startswith("后补"):
        return True
    if any(after.startswith(p) for p in ("以前出生", "之前出生")):
        return True
    if any(w in before for w in V.incidental_before_words) and not _ends_with_cue(c, strong=True):
        return True
    if any(c.clause_after.startswith(w) or c.clause_after.startswith(("前" + w, "之前" + w)) for w in V.incidental_after_words):
        return True
    if before.endswith("由") and re.match(r"(?:延长|延期|推迟|调整|改)(?:至|为|到)", after):
        return True  # the old date of an extension: only the new one counts
    if re.fullmatch(r"(?:目前|同期)?(?:截至|截止到?)", before) and c.after.startswith(","):
        return True  # 截至2024年6月底, 可再生能源装机… : a statistic
    if re.match(r"^(?:之前|以前|前)?[^,。;]{0,40}的(?:[^,。;的]{0,8}(?:人|企业|单位|项目|申请))?(?:,|$)", c.clause_after) and not _ends_with_cue(c, strong=True):
        return True  # 在…之前提出请求的, / …仍无法办理…的纳税人, : a condition selecting cases
    if before.endswith("到") and after.startswith(("仍", "还", "尚")):
        return True
    row_action = c.clause_after.split("|")[1] if "|" in c.clause_after else c.clause_after
    return any(w in row_action[:20] for w in V.organiser_actions)


def _is_signature_line(line: str, notice: Notice) -> bool:
    """The 落款 or a publication stamp: only an issuer and a date on the line."""
    stripped = re.sub(r"^[#\s]*", "", line).strip()
    if re.match(r"^(?:来源|发布时间|发表时间|发布日期|时间|日期)\s*[:：]", stripped):
        return True
    if re.search(r"[，,。；;：:]", stripped) and not re.match(r"^[(（].*[)）]$", stripped):
        return False
    date = parse_full_date(stripped)
    return date is not None and (notice.date is None or date == notice.date) and len(compact(stripped)) <= 60


def _has_action(text: str) -> bool:
    return any(w in text for w in V.actions)


def _has_period(c: _Context) -> bool:
    return any(w in c.sentence for w in V.periods) or any(w in c.clause_before for w in ("时间", "于", "在", "期"))


def _has_deadline_noun(text: str) -> bool:
    return bool(re.search(r"(?:时间|日期|期限)(?:为|是)?:?$", text))


def _ends_with_cue(c: _Context, *, strong: bool = False) -> bool:
    """The clause before the date ends with a word that makes it a closing moment.

    ``strong`` leaves out 于/在, which also introduce conditions (在…之前提出请求的).
    """
    before = c.clause_before.rstrip(":")
    if not strong and before.endswith(V.deadline_weak_before):
        return True
    return before.endswith(V.deadline_before) or _has_deadline_noun(c.clause_before) or bool(
        re.search(r"(?:延长|延期|延迟|推迟|顺延|延缓|截止)(?:至|到)$", before)
    )


def _is_schedule_row(c: _Context) -> bool:
    """A row of a schedule table: ``1月15日 | 各二级部门…交到科技处``."""
    return c.after.startswith("|") and _has_action(c.after)


def _is_past(start: When | None, end: When, notice_date: dt.date | None) -> bool:
    """A date that closed before the notice was issued is history, not a deadline."""
    if notice_date is None:
        return False
    last = end if end is not None else start
    day = last.date() if isinstance(last, dt.datetime) else last
    return day < notice_date


def _align(start: When | None, end: When | None) -> tuple[bool, When | None, When | None]:
    """One ``all_day`` for both ends: when either end has a time, both become datetimes."""
    timed = isinstance(start, dt.datetime) or isinstance(end, dt.datetime)
    if not timed:
        return True, start, end
    start = as_datetime(start) if start is not None else None
    end = as_datetime(end, end_of_day=True) if end is not None else None
    return False, start, end


def _context_year(notice: Notice, mention: Mention) -> tuple[int | None, str]:
    """The nearest year written before ``mention`` (a date or a label such as 2018年度), else in the title."""
    labels = list(_YEAR_LABEL.finditer(notice.text, 0, mention.begin))
    if labels:
        return int(labels[-1].group(1)), f"{labels[-1].group(0).strip()!r} written before it"
    match = _YEAR_LABEL.search(notice.title)
    if match:
        return int(match.group(1)), f"the title {notice.title!r}"
    return None, ""


_ACTOR_END = re.compile("|".join(map(re.escape, V.actor_suffixes)))
_ACTOR_SPAN = 24
_MODAL = ("应当", "应", "须", "需", "要", "务必", "于", "在", "可", "将", "请", "自行", "统一", "按", "根据", "通过")


def _who(c: _Context, notice: Notice) -> tuple[str, bool]:
    """Who must act, and whether the sentence names them.

    The first subject of the sentence, else ``请X`` after the date, else the
    notice's salutation (``各有关单位：``), which the sentence does not name.
    """
    parts = [re.sub(r"^(?:请|由|凡|对)", "", _strip_list_mark(p)) for p in reversed(re.split(r"[,:|]", c.before))]
    after = _LEAD_CUE.sub("", c.after)
    asked = [p[1:] for p in re.split(r"[,:|]", after) if p.startswith(("请", "由"))]
    row = [re.split(r"[,:|]", after[1:])[0]] if after.startswith("|") else []  # a schedule row's next cell
    for strict in (True, False):
        for part in row + parts + asked:
            actor = _actor(part, strict=strict)
            if actor:
                return _trim_actor(actor), True
    for line in notice.lines[1:6]:
        line = line.strip()
        if line.endswith((":", "：")) and len(line) <= 80:
            return line.rstrip(":：").split("，")[-1].split(",")[-1], False
    return "", False


def _actor(clause: str, *, strict: bool = False) -> str:
    """The noun phrase opening ``clause`` that names an actor (``团体标准组织`` in ``团体标准组织应…``).

    Of the phrases ending in an actor word, the one followed by a modal (应, 须, 于…)
    wins; else (unless ``strict``) the first, if it is short enough to be a name.
    """
    ends = [m.end() for m in _ACTOR_END.finditer(clause, 0, _ACTOR_SPAN)]
    ends = [e for e in ends if re.fullmatch(r"[\u4e00-\u9fff()、]+", clause[:e])]
    for end in ends:
        if clause[end:].startswith(_MODAL) or end == len(clause):
            return clause[:end]
    return clause[: ends[0]] if ends and ends[0] <= 8 and not strict else ""


def _trim_actor(who: str) -> str:
    who = re.sub(r"^(?:请|由|经|并|且|同时|另|各位)", "", who)
    return who


def _what(c: _Context, notice: Notice) -> str:
    """What to do: the verb phrase after the date, else the clause before it."""
    after = _LEAD_CUE.sub("", c.after)
    after = re.sub(r"^[,|]?(?:请)?", "", after)
    actor = _actor(after)
    if actor and after[len(actor) : len(actor) + 1] in ("将", "于", "在", "应", "须", "把"):
        after = after[len(actor) + 1 :]
    phrase = re.split(r"[,;。|]", after)[0]
    phrase = re.sub(r"^(?:统一|务必|须|应|将|把)", "", phrase)
    if len(phrase) < 4 or _DATE_WORD.search(phrase):
        clauses = [p for p in re.split(r"[,;]", c.before) if p]
        candidates = [_strip_cue(p) for p in reversed(clauses)]
        phrase = next((p for p in candidates if len(p) >= 4 and not _DATE_WORD.search(p)), "")
    if (len(phrase) < 4 or _CUE_ONLY.search(phrase)) and c.previous:
        clauses = [_strip_cue(p) for p in reversed(re.split(r"[,;。]", c.previous)) if p]
        phrase = next((p for p in clauses if len(p) >= 4 and _has_action(p) and not _DATE_WORD.search(p)), phrase)
    phrase = phrase.strip(": ")
    if phrase.count("(") > phrase.count(")"):
        phrase = phrase[: phrase.rfind("(")] if phrase.endswith("(") else phrase + ")"
    if len(phrase) < 4 or _CUE_ONLY.search(phrase):
        phrase = short_title(notice.title)
    return phrase[:_MAX_WHAT]


def _strip_cue(clause: str) -> str:
    """``项目申报单位网上填报申报书的受理时间为`` → ``网上填报申报书``."""
    clause = re.sub(
        r"(?:截止到|截止至|截止|截至|于|在|请于|至|(?:进一步)?(?:顺延|延长|延期|延迟|推迟|调整|延缓|延|顺)(?:至|到|为))$", "", clause
    )
    clause = re.sub(r"(?:的)?(?:受理|截止|起始|开始)?(?:时间|日期|期限)(?:为|是)?:?$", "", clause)
    actor = _actor(clause)
    if actor and len(actor) < len(clause):
        clause = clause[len(actor) :]
    return re.sub(r"^(?:现将|现|并|另|请|应|须|将)", "", clause)


def short_title(title: str) -> str:
    """``关于明确2020年度申报纳税期限的通知`` → ``明确2020年度申报纳税期限``: a title as a calendar label."""
    return _TITLE_WRAPPER.sub("", re.sub(r"\s+", "", title))


def _quote(text: str, mention: Mention) -> str:
    """The sentence holding the mention, verbatim (one line of a table), trimmed to a readable length."""
    begin = _last(_SENTENCE_END, text, mention.begin) + 1
    end_match = _SENTENCE_END.search(text, mention.end)
    end = end_match.end() if end_match and end_match.group() != "\n" else (end_match.start() if end_match else len(text))
    quote = _LIST_MARK.sub("", text[begin:end].strip(), count=1) if text[begin:end].strip().startswith(("-", "*", "#")) else text[begin:end].strip()
    if len(quote) > 160:
        offset = mention.begin - begin
        lo = max(0, offset - 80)
        quote = text[begin + lo : min(end, begin + offset + len(mention.text) + 80)].strip()
    return quote


def _join_start_and_end(deadlines: list[Deadline]) -> list[Deadline]:
    """``起始时间为8月1日, 截止时间为8月31日`` in one sentence is one window."""
    joined: list[Deadline] = []
    for record in deadlines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == "start"
            and record.kind == "deadline"
            and previous.source == record.source
            and previous.quote == record.quote
        ):
            all_day, start, end = _align(previous.start, record.end)
            joined[-1] = Deadline(
                **{**record.__dict__, "kind": "window", "start": start, "end": end, "all_day": all_day,
                   "id": deadline_id(record.notice, "window", record.who, record.what, previous.id + record.id)}
            )
            continue
        joined.append(record)
    return joined


def _merge_restatements(deadlines: list[Deadline], unnamed: set[str]) -> list[Deadline]:
    """The same deadline restated in one notice is one record: the first statement wins.

    A later deadline restates an earlier window or deadline closing the same
    day for the same people (or without naming anyone); an informational
    date restates the same kind on the same day.
    """
    kept: list[Deadline] = []
    for record in deadlines:
        same_people = record.id in unnamed
        restated = any(
            _day(k.key_moment) == _day(record.key_moment)
            and (
                (record.kind == "deadline" and k.kind in ("window", "deadline") and (same_people or record.who == k.who))
                or (not record.actionable and k.kind == record.kind)
            )
            for k in kept
        )
        if not restated:
            kept.append(record)
    return kept


def _day(value: When | None) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value
