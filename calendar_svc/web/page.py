"""What the page shows: deadlines sorted into upcoming, informational and past, with days left.

Kept apart from the template so the wording ("还剩 3 天", "今天截止") and the
grouping are plain Python that the clock can be injected into.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..feed import span
from ..model import KIND_LABELS, KIND_NAMES, SHANGHAI, Deadline, zh_when

#: Items shown per section; past this the page asks for a filter instead of sending megabytes.
LIMIT = 200


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


@dataclass(frozen=True)
class Month:
    title: str
    items: list[Item]


@dataclass(frozen=True)
class Page:
    upcoming: list[Month]
    informational: list[Item]
    past: list[Item]
    left_out: int = 0

    @property
    def upcoming_count(self) -> int:
        return sum(len(m.items) for m in self.upcoming)


def build(deadlines: Iterable[Deadline], now: dt.datetime, limit: int = LIMIT) -> Page:
    """Split selected deadlines (already soonest first) by what a reader needs to do about them.

    Each section shows at most ``limit`` items (the soonest, or the latest
    past); ``left_out`` counts the rest, which a filter or search brings up.
    """
    now = now.astimezone(SHANGHAI)
    upcoming: list[Item] = []
    informational: list[Item] = []
    past: list[Item] = []
    for d in deadlines:
        item = _item(d, now)
        if d.due < now:
            past.append(item)
        elif d.actionable:
            upcoming.append(item)
        else:
            informational.append(item)
    past.reverse()
    left_out = sum(max(0, len(items) - limit) for items in (upcoming, informational, past))
    return Page(
        upcoming=_by_month(upcoming[:limit]),
        informational=informational[:limit],
        past=past[:limit],
        left_out=left_out,
    )


def choices(deadlines: Iterable[Deadline]) -> dict[str, list[tuple[str, str, int]]]:
    """Options for the filter menus: (value, label, count), most used first."""
    visible = [d for d in deadlines if d.visible]
    exact = Counter(d.notice.issuer for d in visible if d.notice.issuer)
    # The issuer filter matches part of a name (工业和信息化部 also picks 工业和信息化部安全生产司),
    # so each option counts what choosing it will show.
    issuers = {name: sum(n for other, n in exact.items() if name in other) for name in exact}
    tags = Counter(tag for d in visible for tag in dict.fromkeys(d.tags))
    kinds = Counter(d.kind for d in visible)
    return {
        "issuer": [(v, v, n) for v, n in sorted(issuers.items(), key=lambda p: (-p[1], p[0]))],
        "tag": [(v, v, n) for v, n in sorted(tags.items(), key=lambda p: (-p[1], p[0]))],
        "kind": [(k, KIND_NAMES[k], kinds[k]) for k in KIND_NAMES if kinds[k]],
    }


def _item(d: Deadline, now: dt.datetime) -> Item:
    due = d.due
    days = (due.date() - now.date()).days
    return Item(
        deadline=d,
        when=zh_when(d.key_moment),
        span=span(d),
        days=days,
        left=_left(d, days, due < now),
        urgency=_urgency(days, due < now),
        window_state=_window_state(d, now),
    )


def _left(d: Deadline, days: int, past: bool) -> str:
    label = KIND_LABELS.get(d.kind, "截止")
    if past:
        return f"已过 {-days} 天" if days < 0 else "今天已过"
    if days == 0:
        return f"今天 {d.due:%H:%M} {label}" if not d.all_day else f"今天{label}"
    if days == 1:
        return f"明天{label}"
    if label == "截止":
        return f"还剩 {days} 天"
    return f"{days} 天后{label}"


def _urgency(days: int, past: bool) -> str:
    if past:
        return "past"
    if days <= 1:
        return "now"
    if days <= 7:
        return "soon"
    return "later"


def _window_state(d: Deadline, now: dt.datetime) -> str:
    """For a window: open now, or when it opens."""
    if d.kind != "window" or d.start is None or d.end is None:
        return ""
    opens = d.start if isinstance(d.start, dt.datetime) else dt.datetime.combine(d.start, dt.time(), SHANGHAI)
    if opens <= now:
        return "进行中"
    return f"{zh_when(d.start, weekday=False)}开始"


def _by_month(items: list[Item]) -> list[Month]:
    months: list[Month] = []
    for item in items:
        due = item.deadline.due
        title = f"{due.year}年{due.month}月"
        if not months or months[-1].title != title:
            months.append(Month(title=title, items=[]))
        months[-1].items.append(item)
    return months
