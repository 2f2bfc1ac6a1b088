"""What the page shows: deadlines sorted into upcoming, informational and past, with days left.

Kept apart from the template so the wording ("还剩 3 天", "今天截止") and the
grouping (本周, 下周, then by month) are plain Python that the clock can be
injected into. Only the rows that are shown are built: with 10 000 deadlines
the page formats at most ``LIMIT`` of each section.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import recurrence
from ..feed import describe_until, span
from ..filters import DEADLINE_CHOICES
from ..model import KIND_LABELS, KIND_NAMES, SHANGHAI, Deadline, as_datetime, zh_when
from ..workdays import countdown, rest_day_mark

#: Items shown per section; past this the page asks for a filter instead of sending megabytes.
LIMIT = 200
#: Options per filter menu, the most used first; a chosen value not among them is still shown, ticked.
MENU_LIMIT = 60


@dataclass(frozen=True)
class Item:
    """One deadline as a row of the page."""

    deadline: Deadline
    when: str
    span: str
    days: int
    left: str
    urgency: str
    window_state: str
    #: ``该日为法定节假日（国庆节）`` when the deadline falls on a rest day, else ``""``.
    rest_day: str = ""
    #: For a recurring deadline shown by its next occurrence: ``每月15日，共 4 次，至…``.
    repeat: str = ""


@dataclass(frozen=True)
class Group:
    """A heading of the upcoming list: 本周, 下周, or a month (``2026年4月``)."""

    title: str
    items: list[Item]


@dataclass(frozen=True)
class Page:
    upcoming: list[Group]
    informational: list[Item]
    past: list[Item]
    left_out: int = 0
    #: The page reads the same until this moment (a deadline passes, a window opens, the day ends).
    valid_until: dt.datetime | None = None

    @property
    def upcoming_count(self) -> int:
        return sum(len(g.items) for g in self.upcoming)


def build(deadlines: Sequence[Deadline], now: dt.datetime, limit: int = LIMIT) -> Page:
    """Split selected deadlines (already soonest first) by what a reader needs to do about them.

    Each section shows at most ``limit`` items (the soonest, or the latest
    past); ``left_out`` counts the rest, which a filter or search brings up.
    """
    now = now.astimezone(SHANGHAI)
    deadlines, repeats = _next_occurrences(deadlines, now)
    upcoming: list[Deadline] = []
    informational: list[Deadline] = []
    past: list[Deadline] = []
    for d in deadlines:
        if d.due < now:
            past.append(d)
        elif d.actionable:
            upcoming.append(d)
        else:
            informational.append(d)
    past.reverse()
    left_out = sum(max(0, len(section) - limit) for section in (upcoming, informational, past))
    shown = [section[:limit] for section in (upcoming, informational, past)]
    rows = [[_item(d, now, repeats.get(d.id, "")) for d in section] for section in shown]
    return Page(
        upcoming=_grouped(rows[0], now),
        informational=rows[1],
        past=rows[2],
        left_out=left_out,
        valid_until=_next_change((d for section in shown for d in section), now),
    )


def choices(deadlines: Iterable[Deadline]) -> dict[str, list[tuple[str, str, int]]]:
    """Options for the filter menus: (value, label, count), most used first."""
    visible = [d for d in deadlines if d.visible]
    # The issuer and who filters match part of a name (工业和信息化部 also picks
    # 工业和信息化部安全生产司), so each option counts what choosing it will show.
    kinds = Counter(d.kind for d in visible)
    return {
        "issuer": _partial_counts(Counter(d.notice.issuer for d in visible if d.notice.issuer)),
        "who": _partial_counts(Counter(d.who for d in visible if d.who)),
        "tag": _ranked(Counter(tag for d in visible for tag in dict.fromkeys(d.tags))),
        "kind": [(k, KIND_NAMES[k], kinds[k]) for k in KIND_NAMES if kinds[k]],
        "deadlines": _official_or_internal(visible),
    }


def _official_or_internal(visible: list[Deadline]) -> list[tuple[str, str, int]]:
    """The official / internal / both control (``deadlines=``): each choice with what it shows."""
    internal = sum(1 for d in visible if d.internal_of)
    counts = {"both": len(visible), "official": len(visible) - internal, "internal": internal}
    return [(value, DEADLINE_CHOICES[value] or "正式与内部截止", counts[value]) for value in ("both", "official", "internal")]


def _partial_counts(exact: Counter[str]) -> list[tuple[str, str, int]]:
    # Only the listed names are counted against every other name: MENU_LIMIT × distinct names, once per data version.
    listed = [name for name, _ in exact.most_common(MENU_LIMIT)]
    return _ranked(Counter({name: sum(n for other, n in exact.items() if name in other) for name in listed}))


def _ranked(counts: Counter[str]) -> list[tuple[str, str, int]]:
    ranked = sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:MENU_LIMIT]
    return [(v, v, n) for v, n in ranked]


def _next_occurrences(deadlines: Sequence[Deadline], now: dt.datetime) -> tuple[Sequence[Deadline], dict[str, str]]:
    """A recurring deadline as its next occurrence (still soonest first), and what to say about its rule, by id."""
    if not any(d.repeat for d in deadlines):
        return deadlines, {}
    shown, repeats = [], {}
    for d in deadlines:
        occurrence = recurrence.next_occurrence(d, now)
        if d.repeat:
            repeats[occurrence.id] = f"{recurrence.parse(d.repeat).zh}重复，{describe_until(d)}"
        shown.append(occurrence)
    return sorted(shown, key=lambda d: (d.due, d.id)), repeats


def _item(d: Deadline, now: dt.datetime, repeat: str = "") -> Item:
    due = d.due
    past = due < now
    days = (due.date() - now.date()).days
    return Item(
        deadline=d,
        when=zh_when(d.key_moment),
        span=span(d),
        days=days,
        left=_left(d, days, past, now),
        urgency=_urgency(days, past),
        window_state="" if past else _window_state(d, now),
        rest_day=rest_day_mark(d) or "",
        repeat=repeat,
    )


def _left(d: Deadline, days: int, past: bool, now: dt.datetime) -> str:
    label = KIND_LABELS.get(d.kind, "截止")
    if past:
        return f"已过 {-days} 天" if days < 0 else "今天已过"
    if days == 0:
        return f"今天 {d.due:%H:%M} {label}" if not d.all_day else f"今天{label}"
    if days == 1:
        return f"明天{label}"
    if label == "截止":
        return countdown(now.date(), d.due)
    return f"{days} 天后{label}"


def _urgency(days: int, past: bool) -> str:
    if past:
        return "past"
    if days <= 1:
        return "now"
    if days <= 7:
        return "soon"
    return "later"


def _opens(d: Deadline) -> dt.datetime | None:
    if d.kind != "window" or d.start is None or d.end is None:
        return None
    return as_datetime(d.start)


def _window_state(d: Deadline, now: dt.datetime) -> str:
    """For a window that has not closed: open now, or when it opens."""
    opens = _opens(d)
    if opens is None:
        return ""
    if opens <= now:
        return "进行中"
    return f"{zh_when(d.start, weekday=False)}开始"


def _grouped(items: list[Item], now: dt.datetime) -> list[Group]:
    """本周 and 下周 (weeks start on Monday, as Chinese calendars print them), then one group per month."""
    monday = now.date() - dt.timedelta(days=now.weekday())
    groups: list[Group] = []
    for item in items:
        due = item.deadline.due.date()
        weeks = (due - monday).days // 7
        title = "本周" if weeks == 0 else "下周" if weeks == 1 else f"{due.year}年{due.month}月"
        if not groups or groups[-1].title != title:
            groups.append(Group(title=title, items=[]))
        groups[-1].items.append(item)
    return groups


def _next_change(shown: Iterable[Deadline], now: dt.datetime) -> dt.datetime:
    """The first moment after ``now`` at which a shown row would read differently: midnight, a due, an opening."""
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), SHANGHAI)
    soonest = tomorrow
    for d in shown:
        for moment in (d.due, _opens(d)):
            if moment is not None and now <= moment < soonest:
                soonest = moment
    return soonest
