"""The issuer speaking of itself: the names a body uses for itself in its own notice.

A bureau rarely writes ``我局`` only: ``市科技局将组织专家评审``, ``市工业和信息化局根据…进行复审``, ``2022年11月25日,
成都市商务局发布…`` are the issuer's own steps, not the readers' tasks. Its names are read from the notice (the
issuer its 落款 or title gives, a page's 发布机构 line, the body named right before the notice's last date) and
shortened the way notices shorten them: the place dropped (威海市工业和信息化局 → 市工业和信息化局) and the long words
of the name abbreviated (→ 市工信局, 威海市工信局). The words are data (``data/selfnames.toml``); ``我局``, ``本厅``…
stay in the vocabulary's ``organiser_subjects``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .context import strip_list_mark
from .notices import Notice, compact
from .packaged import read_toml
from .patterns import LazyPattern, lazy
from .script import simplified_reading
from .vocabulary import VOCABULARY as V

@dataclass(frozen=True, eq=False, repr=False)
class _Words:
    """``data/selfnames.toml``, read once."""

    level: LazyPattern  # a level's character (市, 县, 自治区…)
    not_levels: tuple[str, ...]
    suffix: LazyPattern  # how a body's name ends, at the end of a name
    whole: LazyPattern  # a line that is a body's name and nothing else
    date_line: LazyPattern  # a line that is a full date
    run_in: LazyPattern  # a body's name run together with the last date, after no other Han character
    publisher: LazyPattern  # 发布机构: …
    short: tuple[tuple[str, str], ...]
    publishes: LazyPattern  # a body's name, then its publishing a document
    acts: tuple[str, ...]  # the issuer acting, right after its name
    act_reach: int


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _words() -> _Words:
    data = read_toml("selfnames.toml")
    levels, suffixes = _alternation(data["levels"]), _alternation(data["suffixes"])
    han = r"[\u4e00-\u9fff]"
    day = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
    return _Words(
        level=lazy(levels, name="level"),
        not_levels=tuple(data["not_levels"]),
        suffix=lazy(f"(?:{suffixes})$", name="suffix"),
        whole=lazy(rf"{han}{{2,10}}?(?:{levels}){han}{{1,16}}?(?:{suffixes})", name="body name"),
        date_line=lazy(day + r"\W*", name="date line"),
        run_in=lazy(rf"(?<!{han})({han}{{2,10}}?(?:{levels}){han}{{1,16}}?(?:{suffixes})){day}\W*$", name="run-in body"),
        publisher=lazy(rf"(?:{_alternation(data['publisher_labels'])})\s*[:：]\s*({han}{{2,30}})", name="publisher"),
        publishes=lazy(
            rf"^(?!各|请)(?:(?!各){han}){{2,24}}?(?:{_alternation([*data['suffixes'], *data['publishers']])})(?:联合)?(?:正式)?"
            rf"(?:{_alternation(data['publishing'])})了?(?:关于|《)",
            name="publishes",
        ),
        acts=tuple(data["acts"]),
        act_reach=int(data["act_reach"]),
        short=tuple(sorted(data["short"].items(), key=lambda kv: len(kv[0]), reverse=True)),
    )


def _forms(full: str) -> set[str]:
    """A body's full name and the shorter ones it goes by (place dropped, long words abbreviated); nothing for
    what is no body's name."""
    words = _words()
    ends = words.suffix.search(full)
    if ends is None:
        return set()
    levels = [m for m in words.level.finditer(full, 0, ends.start()) if not _in_word(full, m.start(), m.end())]
    if not levels:
        return {full}  # 教务处, 本科生院: no level to drop
    last = levels[-1]  # 广州市黄埔区科学技术局: the district's bureau, 区科学技术局
    place, level, body, suffix = full[: last.start()], last.group(0), full[last.end() : ends.start()], ends.group(0)
    if not body:
        return {full}
    heads = {level, place + level} if place else {level}
    shortened = dict(words.short).get(body + suffix)
    if shortened is not None:  # 人民政府 -> 政府: the whole name after the level shortened
        return {head + name for name in (body + suffix, shortened) for head in heads} | {full}
    bodies = {body} | {body.replace(long, short) for long, short in words.short if long in body}
    return {f"{head}{b}{suffix}" for b in bodies for head in heads}


@lru_cache(maxsize=256)
def _read_forms(written: str) -> frozenset[str]:
    """:func:`_forms` of a name read as the contexts are (科學技術局 → 科学技术局); one issuer is asked for again and
    again, by classify and by periods."""
    return frozenset(_forms(simplified_reading(written)))


def _in_word(name: str, begin: int, end: int) -> bool:
    """The level's characters at ``begin:end`` belong to a word that is no level (市场, 城市)."""
    return any(
        name.find(word, max(0, begin - len(word) + 1), end + len(word) - 1) >= 0 for word in _words().not_levels
    )


def _signed(notice: Notice) -> str:
    """The body named right above the notice's last date, blank lines between (东莞市工业和信息化局 / / 2022年9月27日),
    or run together with it at the end of a copy that lost its lines (…0631-8644388威海市工业和信息化局2024年3月1日。)."""
    words = _words()
    lines = [line for line in notice.lines[-SIGNED_LINES:] if line.strip()]
    for index in range(len(lines) - 1, 0, -1):
        line = lines[index]
        if len(line) <= DATE_LINE_LIMIT and "年" in line and words.date_line.fullmatch(compact(line)):
            above = compact(lines[index - 1])
            return above if words.whole.fullmatch(above) else ""
    found = words.run_in.search(compact(lines[-1])) if lines else None
    return found.group(1) if found else ""


#: How many lines at a notice's end are read for its 落款, and at its head for a 发布机构 line.
SIGNED_LINES = 12
#: A 落款 date line is this short (2024年 3月 1日, spaces and all); longer lines are not compacted to look.
DATE_LINE_LIMIT = 24
HEAD_LINES = 12
#: How the labels of a page's publisher line end, in either script: a quick look before reading the line.
_PUBLISHER_ENDS = ("机构", "機構", "机关", "機關", "单位", "單位")
#: The last notice read and its names: classify and periods ask for the same notice's in turn.
_last: list[tuple[Notice, tuple[str, ...]]] = []


def self_names(notice: Notice) -> tuple[str, ...]:
    """Every name the issuer may use for itself in ``notice``, longest first (``我局``… apart, in the vocabulary)."""
    if _last and _last[0][0] is notice:
        return _last[0][1]
    named = {notice.issuer, _signed(notice)}
    for line in notice.lines[:HEAD_LINES]:
        if any(word in line for word in _PUBLISHER_ENDS):  # 发布机构, 發布機構: the only lines worth compacting
            if (found := _words().publisher.search(compact(line))) is not None:
                named.add(found.group(1))
    forms = {form for name in named if name for part in re.split("[、,，]", name) if part for form in _read_forms(part)}
    names = tuple(sorted(forms, key=len, reverse=True))
    _last[:] = [(notice, names)]
    return names


def speaks_of_itself(text: str, names: tuple[str, ...]) -> bool:
    """``text`` opens with the issuer naming itself as the one who acts: 我局…, 本厅…, or one of its own ``names``
    followed by an act (市工信局将…, 市科技局对…进行)."""
    text = strip_list_mark(text)
    if text.startswith(V.organiser_subjects):
        return True
    name = next((n for n in names if text.startswith(n)), None)  # longest first
    if name is None:
        return False
    words = _words()
    rest = text[len(name) : len(name) + words.act_reach + 2]
    return any(act in rest for act in words.acts)  # 市工信局将…, not 县人社局二楼服务大厅


def publishes_document(text: str) -> bool:
    """``text`` opens with a body (any, not only the issuer) publishing a document (``成都市商务局发布关于印发《…》的通知``,
    ``省财政厅印发《…》``): the day of a document's publication, told as news, which nobody acts by. Not the readers'
    (…前各学院印发《…》: a cue first, 各 in the name)."""
    return not text.startswith(V.deadline_after) and _words().publishes.match(text) is not None
