"""Deadlines → an RFC 5545 calendar that real calendar apps subscribe to.

The feed is what people trust with their deadlines, so it is conservative:
one VTIMEZONE for Asia/Shanghai, a UID per deadline that never changes (its
SEQUENCE follows the store's ``revision``), all-day deadlines as ``VALUE=DATE``
with an exclusive end, and a window as two events (a short opening and a
short closing event with the alarms) rather than a five-week bar. A timed
closing event *ends* at the deadline, so no calendar app shows a block that
begins when it is already too late. The records it shows are picked by
:mod:`calendar_svc.filters`, like the JSON and the page; how much of the past
it keeps is :attr:`FeedConfig.keep_past` (``past=all`` for everything).

Events are serialised by :mod:`calendar_svc.contentlines`, once per record
content (:class:`FeedBuilder`): every filtered variant and the next data
version reuse the bytes of the events that did not change.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from . import contentlines as cl
from . import recurrence
from .filters import Filters, select
from .model import INTERNAL_LABEL, KIND_LABELS, KIND_NAMES, SHANGHAI, Deadline, When, as_datetime, zh_when
from .offsets import Offset, OffsetError, parse_offset
from .packaged import read_toml
from .workdays import rest_day_mark

log = logging.getLogger(__name__)

PRODID = "-//calendar-svc//calendar-svc//ZH"
TZID = "Asia/Shanghai"

#: Asia/Shanghai since its last daylight-saving rule ended (1991-09-15 02:00 CDT → 01:00 CST). No COMMENT
#: directly inside VTIMEZONE (RFC 5545 allows it only in STANDARD/DAYLIGHT; libical and ruby-icalendar refuse it).
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    f"X-LIC-LOCATION:{TZID}",
    "BEGIN:STANDARD",
    "TZNAME:CST",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0800",
    "DTSTART:19910915T020000",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class FeedConfig:
    """What the published calendar looks like; defaults live in ``data/feed.toml``."""

    name: str
    description: str
    refresh: dt.timedelta
    alarms: tuple[dt.timedelta, ...]
    alarm_time: dt.time
    uid_domain: str
    timed_length: dt.timedelta
    keep_past: dt.timedelta
    size_warning: int


def default_config(**overrides: object) -> FeedConfig:
    """The embedded defaults, with ``overrides`` (e.g. ``alarms=parse_offsets("1d")``) applied."""
    data = read_toml("feed.toml")
    config = FeedConfig(
        name=data["name"],
        description=data["description"],
        refresh=parse_offset(data["refresh"]).delta,
        alarms=parse_offsets(data["alarms"]),
        alarm_time=dt.time.fromisoformat(data["alarm_time"]),
        uid_domain=data["uid_domain"],
        timed_length=parse_offset(data["timed_length"]).delta,
        keep_past=parse_offset(data["keep_past"]).delta,
        size_warning=int(data["size_warning"]),
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
    deadlines: Sequence[Deadline],
    *,
    stamp: dt.datetime,
    now: dt.datetime,
    config: FeedConfig | None = None,
    filters: Filters = Filters(),
    past_all: bool = False,
) -> bytes:
    """The calendar of the deadlines ``filters`` selects; see :meth:`FeedBuilder.build`."""
    return FeedBuilder(config).build(deadlines, stamp=stamp, now=now, filters=filters, past_all=past_all)


class FeedBuilder:
    """Builds calendars, serialising each event once per record content.

    Keys are the record's fields (not its place in a file), so the variants of
    one data version share their events, and the next version re-serialises
    only the records that changed. Only two versions' events are kept: a
    different ``deadlines`` sequence starts a new generation, and events the
    new one does not use are dropped with the generation before it.

    Threads may share a builder (the server builds two bodies at a time):
    every step is one dictionary operation, and the worst a race does is
    serialise an event twice.
    """

    def __init__(self, config: FeedConfig | None = None) -> None:
        self.config = config or default_config()
        self._source: Sequence[Deadline] | None = None
        self._events: dict[tuple, bytes] = {}
        self._older: dict[tuple, bytes] = {}

    def build(
        self,
        deadlines: Sequence[Deadline],
        *,
        stamp: dt.datetime,
        now: dt.datetime,
        filters: Filters = Filters(),
        past_all: bool = False,
    ) -> bytes:
        """The calendar of the deadlines ``filters`` selects, from the recent past on (all with ``past_all``).

        ``stamp`` is the DTSTAMP of records that carry no ``updated`` time:
        pass the time the data last changed, so the bytes (and so the ETag)
        stay the same until it changes. ``now`` decides what is past (:func:`in_feed`).
        """
        if deadlines is not self._source:
            self._source, self._older, self._events = deadlines, self._events, {}
        config = self.config
        stamp_utc = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
        shown = in_feed(deadlines, now=now, keep_past=config.keep_past, filters=filters, past_all=past_all)
        parts = [calendar_head(config, filters)]
        parts += [self._serialised(d, past, stamp_utc) for d, past in shown]
        parts.append(b"END:VCALENDAR\r\n")
        count = len(shown)
        body = b"".join(parts)
        if len(body) > config.size_warning:
            log.warning(
                "feed %s is %d bytes (%d deadlines), above the %d-byte warning: some calendar apps "
                "(Google) drop large subscriptions; lower keep_past or subscribe to a filter",
                filters.label() or "(all)", len(body), count, config.size_warning,
            )
        return body

    def _serialised(self, d: Deadline, past: bool, stamp: dt.datetime) -> bytes:
        key = (_content(d), past, stamp if d.updated is None else None)
        data = self._events.get(key)
        if data is None:
            data = self._older.pop(key, None) or event_bytes(d, config=self.config, stamp=stamp, past=past)
            self._events[key] = data
        return data


def in_feed(
    deadlines: Sequence[Deadline],
    *,
    now: dt.datetime,
    keep_past: dt.timedelta,
    filters: Filters = Filters(),
    past_all: bool = False,
) -> list[tuple[Deadline, bool]]:
    """The records a feed shows, soonest first, each with whether it is past (due before today).

    Days, not moments, decide: a body then changes at most once a day while
    the data stays the same.
    """
    today = now.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    horizon = None if past_all else today - keep_past
    shown = []
    for d in select(deadlines, filters):
        due = recurrence.last_due(d)  # a recurring deadline is past once its last occurrence is
        if horizon is None or due >= horizon:
            shown.append((d, due < today))
    return shown


def calendar_head(config: FeedConfig, filters: Filters = Filters()) -> bytes:
    """VCALENDAR's own properties and the VTIMEZONE.

    No METHOD: a subscribed feed is not an iTIP message, and RFC 5546's
    PUBLISH requires an ORGANIZER that a list of government deadlines has not.
    """
    name = f"{config.name} · {filters.label()}" if filters.active else config.name
    refresh = cl.duration(config.refresh)
    return cl.lines(
        (
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            f"NAME:{cl.text(name)}",
            f"X-WR-CALNAME:{cl.text(name)}",
            f"DESCRIPTION:{cl.text(config.description)}",
            f"X-WR-CALDESC:{cl.text(config.description)}",
            f"X-WR-TIMEZONE:{TZID}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}",
            f"X-PUBLISHED-TTL:{refresh}",
            *VTIMEZONE,
        )
    )


def _content(d: Deadline) -> tuple:
    """Everything an event is made of, hashable: the cache key of a record's serialised events."""
    return (
        d.id, d.kind, d.start, d.end, d.all_day, d.who, d.what, d.quote, d.notice, d.source,
        d.status, d.title, tuple(d.tags), d.notes, d.revision, d.updated, d.vanished, d.year_guess, d.internal_of,
        d.basis, d.repeat, d.roll_forward,
    )  # fmt: skip


# -- events ------------------------------------------------------------------


def event_bytes(d: Deadline, *, config: FeedConfig, stamp: dt.datetime, past: bool = False) -> bytes:
    """The VEVENTs of one deadline on the wire: the opening event (for a window) and the closing one.

    A ``past`` deadline gets no alarms: nobody needs to be told about a day gone by.
    """
    parts = []
    if d.start is not None and d.end is not None and d.start != d.end:
        parts.append(_event(d, "-open", _summary(d, "start", d.start), d.start, config, stamp, closes=False))
    closes = d.end is not None
    closing_alarms = () if past or not d.actionable else alarms(d, config)
    parts.append(_event(d, "", _summary(d, d.kind, d.key_moment), d.key_moment, config, stamp, closes, closing_alarms))
    return b"".join(parts)


def events(d: Deadline, *, config: FeedConfig, stamp: dt.datetime) -> list:
    """The deadline's events as icalendar components (for an email's .ics), parsed from the feed's own bytes."""
    from icalendar import Calendar

    body = b"".join((calendar_head(config), event_bytes(d, config=config, stamp=stamp), b"END:VCALENDAR\r\n"))
    return Calendar.from_ical(body).walk("VEVENT")


@cache
def shanghai_timezone():
    """The feed's VTIMEZONE as an icalendar component, for callers that assemble their own calendar."""
    from icalendar import Timezone

    return Timezone.from_ical(cl.lines(VTIMEZONE))


def _event(
    d: Deadline,
    suffix: str,
    summary: str,
    moment: When,
    config: FeedConfig,
    stamp: dt.datetime,
    closes: bool,
    alarm_list: Sequence[tuple[dt.timedelta, str]] = (),
) -> bytes:
    updated = d.updated.astimezone(dt.timezone.utc).replace(microsecond=0) if d.updated is not None else None
    out = [
        "BEGIN:VEVENT",
        f"UID:{cl.text(d.id)}{suffix}@{cl.text(config.uid_domain)}",
        # Without METHOD, DTSTAMP is when the event's information last changed (RFC 5545 §3.8.7.2).
        f"DTSTAMP:{cl.utc_datetime(updated or stamp)}",
        f"SEQUENCE:{max(d.revision, 0)}",
    ]
    if updated is not None:
        out.append(f"LAST-MODIFIED:{cl.utc_datetime(updated)}")
    out.append(f"SUMMARY:{cl.text(summary)}")
    if isinstance(moment, dt.datetime):
        start, end = _timed_span(moment, config.timed_length, closes)
        out.append(f"DTSTART;TZID={TZID}:{cl.local_datetime(start)}")
        out.append(f"DTEND;TZID={TZID}:{cl.local_datetime(end)}")
    else:
        out.append(f"DTSTART;VALUE=DATE:{cl.date(moment)}")
        out.append(f"DTEND;VALUE=DATE:{cl.date(moment + dt.timedelta(days=1))}")
    if d.repeat and closes:
        out += _recurrence_lines(d, config, closes)
    out.append(f"DESCRIPTION:{cl.text(describe(d, uid_domain=config.uid_domain))}")
    if d.internal_of:
        out.append(f"RELATED-TO;RELTYPE=SIBLING:{cl.text(d.internal_of)}@{cl.text(config.uid_domain)}")
    out.append(f"CATEGORIES:{cl.text_list(categories(d))}")
    url = d.source.link
    if url:
        out.append(f"URL:{cl.uri(url)}")
    if d.vanished:
        out.append("STATUS:TENTATIVE")
    out.append("TRANSP:TRANSPARENT")
    out.append("CLASS:PUBLIC")
    for trigger, note in alarm_list:
        out += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{cl.text(note)}", f"TRIGGER:{cl.duration(trigger)}", "END:VALARM"]
    out.append("END:VEVENT")
    return cl.lines(out)


def _recurrence_lines(d: Deadline, config: FeedConfig, closes: bool) -> list[str]:
    """RRULE, and for occurrences the notice's rest-day rule moved (顺延), an EXDATE and an RDATE each.

    EXDATE and RDATE name an instance by its DTSTART, so a timed deadline's are
    its event's visible start, ``timed_length`` before the deadline.
    """
    rule = recurrence.parse(d.repeat)
    timed = isinstance(d.end, dt.datetime)
    text = rule.text()
    if timed and rule.until is not None:
        # With a TZID'd DTSTART, UNTIL is UTC (RFC 5545 §3.3.10): the end of that day in Shanghai.
        until = dt.datetime.combine(rule.until, dt.time(23, 59, 59), tzinfo=SHANGHAI)
        text = text.replace(f"UNTIL={rule.until:%Y%m%d}", f"UNTIL={cl.utc_datetime(until)}")
    lines = [f"RRULE:{text}"]
    moved = [(written, moment) for written, moment in recurrence.moments(d) if written != moment]
    if moved:
        if timed:
            starts = [(_timed_span(w, config.timed_length, closes)[0], _timed_span(m, config.timed_length, closes)[0]) for w, m in moved]
            lines.append(f"EXDATE;TZID={TZID}:" + ",".join(cl.local_datetime(w) for w, _ in starts))
            lines.append(f"RDATE;TZID={TZID}:" + ",".join(cl.local_datetime(m) for _, m in starts))
        else:
            lines.append("EXDATE;VALUE=DATE:" + ",".join(cl.date(w) for w, _ in moved))
            lines.append("RDATE;VALUE=DATE:" + ",".join(cl.date(m) for _, m in moved))
    return lines


def _timed_span(moment: dt.datetime, length: dt.timedelta, closes: bool) -> tuple[dt.datetime, dt.datetime]:
    """A closing moment is the event's visible end; an opening moment its visible start."""
    local = moment.astimezone(SHANGHAI)
    return (local - length, local) if closes else (local, local + length)


_LABEL_PREFIX = re.compile("^(?:内部)?(?:" + "|".join(sorted(set(KIND_LABELS.values()))) + r")\s*(?:\d{1,2}:\d{2})?\s*[：:]\s*")


def _summary(d: Deadline, kind: str, moment: When) -> str:
    """``截止 16:00：网上填报申报书（项目申报单位）``: the label, the time of a timed moment, then the record's title.

    A reviewer's title that already starts with a label (``截止：…``) loses it
    first, so the opening event reads ``开始：…`` and never ``开始：截止：…``.
    """
    label = KIND_LABELS.get(kind, kind)
    if d.internal_of:
        label = INTERNAL_LABEL + label
    if isinstance(moment, dt.datetime):
        label += " " + moment.astimezone(SHANGHAI).strftime("%H:%M")
    if d.title:
        rest = _LABEL_PREFIX.sub("", d.title.strip(), count=1)
    else:
        what = d.what or d.notice.title
        rest = f"{what}（{d.who}）" if d.who else what
    return f"{label}：{rest}"


def alarms(d: Deadline, config: FeedConfig) -> list[tuple[dt.timedelta, str]]:
    """(TRIGGER, text) of one DISPLAY alarm per configured offset before the deadline.

    Triggers are relative to DTSTART, which every client honours (not all
    read ``RELATED=END``): a timed event starts ``timed_length`` before its
    deadline, so each trigger is shifted by that much. For an all-day deadline
    the event starts at midnight, so the trigger falls at ``alarm_time`` on the
    day the offset falls on: nobody wants a reminder at 00:00.
    """
    summary = _summary(d, d.kind, d.key_moment)
    triggers: dict[dt.timedelta, str] = {}
    for offset in config.alarms:
        if d.all_day:
            days = offset.days
            clock = dt.timedelta(hours=config.alarm_time.hour, minutes=config.alarm_time.minute)
            trigger = clock - dt.timedelta(days=days)
            note = f"还有{days}天" if days else "今天"
        else:
            # A deadline's event ends at it, so DTSTART is timed_length earlier; an opening moment's starts at it.
            trigger = (config.timed_length if d.end is not None else dt.timedelta(0)) - offset
            note = f"还有{Offset(offset).zh}"
        triggers.setdefault(trigger, f"{note}：{summary}")
    return list(triggers.items())


def describe(d: Deadline, *, uid_domain: str = "calendar-svc") -> str:
    """The event DESCRIPTION: enough evidence to check the deadline against its notice in seconds.

    It is published, so it names the source by its URL and never by a path on
    the operator's machine.
    """
    n = d.notice
    lines = []
    if d.who:
        lines.append(f"对象：{d.who}")
    if d.what:
        lines.append(f"事项：{d.what}")
    lines.append(f"时间：{span(d)}")
    if d.repeat:
        lines.append(f"重复：{recurrence.parse(d.repeat).zh}，" + describe_until(d))
    if d.basis:
        lines.append(f"计算：{d.basis}")
    mark = rest_day_mark(d) if not d.repeat else None
    if mark:
        lines.append(f"提示：{mark}")
    lines.append(f"通知：{n.title}")
    if n.issuer:
        lines.append(f"发文机关：{n.issuer}")
    if n.doc_no:
        lines.append(f"文号：{n.doc_no}")
    if n.date:
        lines.append(f"发文日期：{zh_when(n.date, weekday=False)}")
    lines.append(f"原文：「{d.quote}」")
    url = d.source.link
    if url:
        lines.append(f"出处：{url}")
    if d.tags:
        lines.append(f"标签：{'、'.join(d.tags)}")
    if d.notes:
        lines.append(f"备注：{d.notes}")
    if d.internal_of:
        lines.append(f"正式截止日期的日历事件：UID {d.internal_of}@{uid_domain}")
    if d.year_guess:
        lines.append(f"年份：原文未写年份，按上下文推断为{as_datetime(d.key_moment).year}年，请核对。")
    if d.vanished:
        lines.append("注意：最近一次提取时原文中已找不到这一条，请核对。")
    return "\n".join(lines)


def describe_until(d: Deadline) -> str:
    """``共 4 次，至2026年12月15日（周二）``: how long a recurring deadline runs, and that rest days move it."""
    every = recurrence.moments(d)
    text = f"共 {len(every)} 次，至{zh_when(every[-1][1])}"
    return text + ("；遇休息日顺延至下一个工作日" if d.roll_forward else "")


def span(d: Deadline) -> str:
    """``2026年3月1日（周日） 至 2026年4月5日（周日） 16:00``, or the single moment."""
    if d.start is not None and d.end is not None and d.start != d.end:
        return f"{zh_when(d.start)} 至 {zh_when(d.end)}"
    return zh_when(d.key_moment)


def categories(d: Deadline) -> list[str]:
    """Kind, issuer and tags: what calendar apps let people colour or filter by.

    CATEGORIES is a comma-separated list, and several clients split on an
    escaped comma or show ``\\;`` literally, so a comma or semicolon inside a
    value is written full-width (``，`` ``；``): every client sees the same categories.
    """
    names = [KIND_NAMES.get(d.kind, d.kind), d.notice.issuer, *d.tags]
    cleaned = (cl.clean_text(name).replace(",", "，").replace(";", "；").strip() for name in names)
    return list(dict.fromkeys(name for name in cleaned if name))

