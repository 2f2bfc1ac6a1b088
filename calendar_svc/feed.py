"""Deadlines → an RFC 5545 calendar that real calendar apps subscribe to.

The feed is what people trust with their deadlines, so it is conservative:
one VTIMEZONE for Asia/Shanghai, a UID per deadline that never changes (its
SEQUENCE follows the store's ``revision``), all-day deadlines as ``VALUE=DATE``
with an exclusive end, and a window as two events (a short opening and the
closing moment with the alarms) rather than a five-week bar. The records
it shows are picked by :mod:`calendar_svc.filters`, like the JSON and the page.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from icalendar import Alarm, Calendar, Event, Timezone, vDuration

from .filters import Filters, select
from .model import KIND_LABELS, KIND_NAMES, SHANGHAI, Deadline, When, zh_when
from .offsets import OffsetError, parse_offset

PRODID = "-//calendar-svc//calendar-svc//ZH"
TZID = "Asia/Shanghai"


@dataclass(frozen=True)
class FeedConfig:
    """What the published calendar looks like; defaults live in ``data/feed.toml``."""

    name: str
    description: str
    refresh: dt.timedelta
    alarms: tuple[dt.timedelta, ...]
    alarm_time: dt.time
    uid_domain: str


def default_config(**overrides: object) -> FeedConfig:
    """The embedded defaults, with ``overrides`` (e.g. ``alarms=parse_offsets("1d")``) applied."""
    text = resources.files("calendar_svc").joinpath("data/feed.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    config = FeedConfig(
        name=data["name"],
        description=data["description"],
        refresh=parse_offset(data["refresh"]).delta,
        alarms=parse_offsets(data["alarms"]),
        alarm_time=dt.time.fromisoformat(data["alarm_time"]),
        uid_domain=data["uid_domain"],
    )
    return replace(config, **overrides)


def parse_offsets(text: str | Sequence[str]) -> tuple[dt.timedelta, ...]:
    """Alarm offsets, written as for reminders (``7d,1d,2h``); ``""`` or ``none`` means no alarms. Longest first."""
    items = text.split(",") if isinstance(text, str) else list(text)
    items = [item.strip() for item in items if item.strip()]
    if items in ([], ["none"]):
        return ()
    try:
        return tuple(sorted({parse_offset(item).delta for item in items}, reverse=True))
    except OffsetError as exc:
        raise ValueError(str(exc)) from None


# -- calendar ----------------------------------------------------------------


def to_ical(
    deadlines: Iterable[Deadline],
    *,
    stamp: dt.datetime,
    config: FeedConfig | None = None,
    filters: Filters = Filters(),
) -> bytes:
    """The calendar of the deadlines ``filters`` selects.

    ``stamp`` is the DTSTAMP of every event: pass the time the data last
    changed, so the bytes (and so the ETag) stay the same until it changes.
    """
    config = config or default_config()
    name = f"{config.name} · {filters.label()}" if filters.active else config.name
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", config.description)
    cal.add("x-wr-caldesc", config.description)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", vDuration(config.refresh), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(config.refresh).to_ical().decode("ascii"))
    cal.add_component(shanghai_timezone())
    stamp_utc = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    for d in select(deadlines, filters):
        for event in events(d, config=config, stamp=stamp_utc):
            cal.add_component(event)
    return cal.to_ical()


def events(d: Deadline, *, config: FeedConfig, stamp: dt.datetime) -> list[Event]:
    """The closing event (with alarms), preceded by an opening event when the record has two moments."""
    closing = _event(d, f"{d.id}@{config.uid_domain}", d.summary, d.key_moment, config, stamp)
    if d.actionable:
        for alarm in alarms(d, config):
            closing.add_component(alarm)
    if d.start is None or d.end is None or d.start == d.end:
        return [closing]
    summary = f"{KIND_LABELS['start']}：{d.title}" if d.title else _opening_summary(d)
    opening = _event(d, f"{d.id}-open@{config.uid_domain}", summary, d.start, config, stamp)
    return [opening, closing]


def _opening_summary(d: Deadline) -> str:
    what = d.what or d.notice.title
    return f"{KIND_LABELS['start']}：{what}（{d.who}）" if d.who else f"{KIND_LABELS['start']}：{what}"


def _event(d: Deadline, uid: str, summary: str, moment: When, config: FeedConfig, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", d.revision)
    if d.updated is not None:
        event.add("last-modified", d.updated.astimezone(dt.timezone.utc).replace(microsecond=0))
    event.add("summary", summary)
    if isinstance(moment, dt.datetime):
        # A point in time: RFC 5545 §3.6.1 says an event without DTEND ends when it starts.
        event.add("dtstart", moment.astimezone(SHANGHAI))
    else:
        event.add("dtstart", moment)
        event.add("dtend", moment + dt.timedelta(days=1))
    event.add("description", describe(d))
    event.add("categories", categories(d))
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    return event


def alarms(d: Deadline, config: FeedConfig) -> list[Alarm]:
    """One DISPLAY alarm per configured offset before the closing moment.

    For an all-day deadline the event starts at midnight, so the trigger is
    shifted to ``alarm_time`` on the day the offset falls on: nobody wants a
    reminder at 00:00.
    """
    triggers: dict[dt.timedelta, str] = {}
    for offset in config.alarms:
        if d.all_day:
            days = offset.days
            clock = dt.timedelta(hours=config.alarm_time.hour, minutes=config.alarm_time.minute)
            trigger = clock - dt.timedelta(days=days)
            note = f"还有{days}天" if days else "今天"
        else:
            trigger = -offset
            note = f"还有{_human(offset)}"
        triggers.setdefault(trigger, note)
    result = []
    for trigger, note in triggers.items():
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{note}：{d.summary}")
        alarm.add("trigger", trigger)
        result.append(alarm)
    return result


def _human(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "天"), (hours, "小时"), (mins, "分钟")) if n]
    return "".join(parts)


def describe(d: Deadline) -> str:
    """The event DESCRIPTION: enough evidence to check the deadline against its notice in seconds."""
    n = d.notice
    lines = []
    if d.who:
        lines.append(f"对象：{d.who}")
    if d.what:
        lines.append(f"事项：{d.what}")
    lines.append(f"时间：{span(d)}")
    lines.append(f"通知：{n.title}")
    if n.issuer:
        lines.append(f"发文机关：{n.issuer}")
    if n.doc_no:
        lines.append(f"文号：{n.doc_no}")
    if n.date:
        lines.append(f"发文日期：{zh_when(n.date, weekday=False)}")
    lines.append(f"原文：「{d.quote}」")
    lines.append(f"出处：{d.source.file} 第 {d.source.line} 行")
    if d.tags:
        lines.append(f"标签：{'、'.join(d.tags)}")
    if d.notes:
        lines.append(f"备注：{d.notes}")
    if d.year_guess:
        lines.append(f"年份为推断：{d.year_guess}")
    if d.vanished:
        lines.append("注意：最近一次提取时原文中已找不到这一条，请核对。")
    return "\n".join(lines)


def span(d: Deadline) -> str:
    """``2026年3月1日（周日） 至 2026年4月5日（周日） 16:00``, or the single moment."""
    if d.start is not None and d.end is not None and d.start != d.end:
        return f"{zh_when(d.start)} 至 {zh_when(d.end)}"
    return zh_when(d.key_moment)


def categories(d: Deadline) -> list[str]:
    """Kind, issuer and tags: what calendar apps let people colour or filter by.

    CATEGORIES is a comma-separated list, and some parsers split on an
    escaped comma too, so a comma inside a value is written as a full-width
    ``，``: every client then sees the same categories.
    """
    names = [KIND_NAMES.get(d.kind, d.kind), d.notice.issuer, *d.tags]
    return list(dict.fromkeys(name.replace(",", "，") for name in names if name))


@cache
def shanghai_timezone() -> Timezone:
    """Asia/Shanghai without the 1986–1991 daylight saving rules no deadline needs; built once (it is slow)."""
    return Timezone.from_tzid(TZID, first_date=dt.date(1992, 1, 1), last_date=dt.date(2038, 1, 1))
