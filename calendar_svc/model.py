"""The records that flow through the pipeline.

Everything downstream of extraction (store, feed, web, reminders) speaks in
these types, so they stay plain dataclasses with no I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Kinds a reader must act on, and informational kinds shown apart from them.
ACTIONABLE_KINDS = ("window", "deadline", "start")
INFORMATIONAL_KINDS = ("effective", "milestone")
KINDS = ACTIONABLE_KINDS + INFORMATIONAL_KINDS

#: Review statuses (the file's stable machine values): extraction writes ``extracted``,
#: or ``candidate`` for a date it is unsure of; people set ``confirmed`` or ``hidden``.
STATUSES = ("extracted", "candidate", "confirmed", "hidden")

#: The statuses that reach the feed, the public page and reminders: a candidate waits for a person.
PUBLISHED_STATUSES = ("extracted", "confirmed")

#: What people read for each status (CLI, review page).
STATUS_NAMES = {"extracted": "待审核", "candidate": "候选", "confirmed": "已确认", "hidden": "已隐藏"}

#: Short Chinese labels used in calendar titles, on the page and in emails.
KIND_LABELS = {
    "window": "截止",
    "deadline": "截止",
    "start": "开始",
    "effective": "施行",
    "milestone": "节点",
}

#: Prefix of the label of an internal deadline (内部截止), derived N working days before the official one.
INTERNAL_LABEL = "内部"
#: The most working days an internal deadline may precede the official one: more than three months is a typo.
MAX_INTERNAL_WORKDAYS = 60

#: Chinese names of the kinds, for filters, calendar categories and the page.
KIND_NAMES = {
    "window": "申报期",
    "deadline": "截止日期",
    "start": "开始日期",
    "effective": "施行日期",
    "milestone": "时间节点",
}

#: A moment in a deadline: a ``date`` for all-day values, an aware ``datetime`` otherwise.
When = dt.date | dt.datetime


@dataclass(frozen=True)
class NoticeRef:
    """Identity of the notice a deadline comes from (shown as evidence)."""

    title: str
    issuer: str = ""
    doc_no: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Source:
    """Where the quote stands: the document (path as given, or address), its line, its address and hash.

    ``url`` is the web address of the page or attachment (shown as 查看原文),
    ``sha256`` the hash of the bytes read: with the notice they identify the
    document, which a file name such as ``index.html`` or ``<stdin>`` does not.
    """

    file: str
    line: int
    url: str = ""
    sha256: str = ""

    @property
    def link(self) -> str:
        """``url`` when it is a web address (http/https), else ``""``: the one 查看原文 link the page, the review
        queue, the feed and the emails may show, never a ``javascript:`` or ``data:`` address from a notice."""
        return self.url if self.url.startswith(("https://", "http://")) else ""


def identity_keys(source: Source, notice: NoticeRef) -> set[str]:
    """What says "the same document" in a re-extraction: its address, its content, or this notice at this name.

    A record is flagged vanished only when one of these was read again
    without it; a file name alone never scopes (two downloads both saved as
    ``index.html``, two notices piped through stdin).
    """
    keys = set()
    stem = source.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if notice.doc_no or notice.date or (notice.title and notice.title != stem):  # not a name-only identity
        keys.add(f"notice {source.file}\x1f{notice_key(notice)}")
    if source.url:
        keys.add(f"url {source.url}")
    if source.sha256:
        keys.add(f"sha256 {source.sha256}")
    return keys


def notice_key(notice: NoticeRef) -> str:
    """A notice's identity across routes: its 文号, else its title and date."""
    if notice.doc_no:
        return "文号 " + re.sub(r"\s+", "", notice.doc_no)
    return "title " + re.sub(r"\s+", "", notice.title) + " " + (notice.date.isoformat() if notice.date else "")


@dataclass
class Deadline:
    """One obligation: a window, a deadline or a start, or an informational date.

    ``start``/``end`` are dates when ``all_day`` is true and Asia/Shanghai-aware
    datetimes otherwise. The human-owned fields (status, title, tags, notes)
    are never overwritten by re-extraction; the bookkeeping fields are owned
    by :mod:`calendar_svc.store`.
    """

    id: str
    kind: str
    start: When | None
    end: When | None
    all_day: bool
    who: str
    what: str
    quote: str
    notice: NoticeRef
    source: Source
    # Human-owned review fields.
    status: str = "extracted"
    title: str = ""
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    #: A person corrected the dates: re-extraction never overwrites them.
    human_dates: bool = False
    # Review bookkeeping: why a person must look (Chinese; cleared by 确认/隐藏), and,
    # for human-corrected dates, what the source says (shown next to them, not applied).
    reason: str = ""
    source_dates: str = ""
    #: A confirmed record's new dates from a re-extraction, waiting for a person (with the sentence they come
    #: from): until 确认 the record keeps the dates and quote a person vouched for (:mod:`calendar_svc.review`).
    pending_start: When | None = None
    pending_end: When | None = None
    pending_quote: str = ""
    #: The last change of a confirmed record's dates: what they were (as in ``history``) and when a person
    #: confirmed the change. Subscribers get one 截止日期变更 email per change (:mod:`calendar_svc.reminders.changes`).
    moved_from: str = ""
    moved_at: dt.datetime | None = None
    #: The operator's internal deadline for this record: official − N working days (0: none), overriding
    #: the ``[[internal]]`` rules; ``None`` follows them (:mod:`calendar_svc.internal`).
    internal_workdays: int | None = None
    #: On a derived internal deadline: the id of the official record it is counted back from.
    internal_of: str = ""
    # Store-owned bookkeeping.
    revision: int = 0
    updated: dt.datetime | None = None
    vanished: bool = False
    history: list[str] = field(default_factory=list)
    year_guess: str = ""
    #: Why the extractor is unsure of a ``candidate`` (Chinese, e.g. "年份为推断"); extraction-owned.
    doubt: str = ""
    #: How the date was counted from the notice's words (``自发文日期（…）起 30 日内…``, ``…按通知“遇法定节假日顺延”
    #: 顺延至…``), shown beside it on the page and in the feed; extraction-owned (:mod:`calendar_svc.periods`).
    basis: str = ""
    #: A recurring deadline: an RFC 5545 RRULE (``FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231``) whose first
    #: occurrence is ``end``; ``""`` for one date (:mod:`calendar_svc.recurrence`).
    repeat: str = ""
    #: The notice's rule that an occurrence on a rest day moves to the next working day (遇法定节假日顺延).
    roll_forward: bool = False

    @property
    def pending(self) -> bool:
        """New dates wait for a person (see ``pending_start``)."""
        return self.pending_start is not None or self.pending_end is not None

    @property
    def actionable(self) -> bool:
        return self.kind in ACTIONABLE_KINDS

    @property
    def visible(self) -> bool:
        """Published: in the feed, on the public page and in reminders (never a hidden record or a candidate)."""
        return self.status in PUBLISHED_STATUSES

    @property
    def key_moment(self) -> When:
        """The moment that matters: the closing one, or the opening for a start."""
        moment = self.end if self.end is not None else self.start
        assert moment is not None, f"deadline {self.id} has neither start nor end"
        return moment

    @property
    def due(self) -> dt.datetime:
        """The key moment as an aware datetime; an all-day value is due at the end of its day."""
        return as_datetime(self.key_moment, end_of_day=True)

    @property
    def summary(self) -> str:
        """A calendar title that reads well on a phone: ``截止：网上填报申报书（项目申报单位）``."""
        if self.title:
            return self.title
        label = KIND_LABELS.get(self.kind, self.kind)
        if self.internal_of:
            label = INTERNAL_LABEL + label
        what = self.what or self.notice.title
        return f"{label}：{what}（{self.who}）" if self.who else f"{label}：{what}"

    def to_dict(self) -> dict:
        """JSON-ready record (ISO 8601 with offset for timed values, ``YYYY-MM-DD`` for all-day)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "start": iso(self.start),
            "end": iso(self.end),
            "all_day": self.all_day,
            "who": self.who,
            "what": self.what,
            "title": self.summary,
            "quote": self.quote,
            "notice": {
                "title": self.notice.title,
                "issuer": self.notice.issuer,
                "doc_no": self.notice.doc_no,
                "date": iso(self.notice.date),
            },
            "source": {"file": self.source.file, "line": self.source.line, "url": self.source.url, "sha256": self.source.sha256},
            "status": self.status,
            "reason": self.reason,
            "tags": list(self.tags),
            "notes": self.notes,
            "revision": self.revision,
            "vanished": self.vanished,
            "year_guess": self.year_guess,
            "doubt": self.doubt,
            "basis": self.basis,
            "repeat": self.repeat,
            "roll_forward": self.roll_forward,
        }


def iso(value: When | None) -> str | None:
    """ISO 8601: ``YYYY-MM-DD`` for a date, with offset for an aware datetime."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def as_datetime(value: When, *, end_of_day: bool = False) -> dt.datetime:
    """An aware datetime for ``value``; a date becomes the start (or last minute) of its day."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    clock = dt.time(23, 59) if end_of_day else dt.time(0, 0)
    return dt.datetime.combine(value, clock, tzinfo=SHANGHAI)


_WEEKDAYS = "一二三四五六日"


def zh_when(value: When, *, weekday: bool = True) -> str:
    """A moment as Chinese readers write it: ``2026年3月1日（周日）16:00``; a date has no time."""
    if isinstance(value, dt.datetime):
        value = as_datetime(value).astimezone(SHANGHAI)
    text = f"{value.year}年{value.month}月{value.day}日"
    if weekday:
        text += f"（周{_WEEKDAYS[value.weekday()]}）"
    if isinstance(value, dt.datetime):
        text += value.strftime(" %H:%M")
    return text


def deadline_id(notice: NoticeRef, kind: str, sentence: str) -> str:
    """A stable id from what identifies the obligation, never from its date.

    ``sentence`` is the quote with its dates masked (and the mention's place
    among them), so a changed date keeps the id, and the calendar event, of
    the obligation it belongs to. Who and what are left out on purpose: they
    are read from that same sentence, and a better reading of them must not
    turn one obligation into a new event.
    """
    title = re.sub(r"\s+", "", notice.title)
    digest = hashlib.sha256("\x1f".join((title, kind, sentence)).encode("utf-8"))
    return digest.hexdigest()[:16]


_ISO_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?")


def zh_dates(text: str) -> str:
    """ISO dates inside bookkeeping text (history, queue reasons) as people write them; a span's en dash reads 至.

    ``2026-03-12 → 2026-03-19T16:00+08:00`` → ``2026年3月12日 → 2026年3月19日 16:00``; what is not a
    date is kept as it is.
    """

    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        try:
            value: When = dt.datetime.fromisoformat(found.replace("Z", "+00:00")) if "T" in found else dt.date.fromisoformat(found)
        except ValueError:
            return found
        return zh_when(value, weekday=False)

    return _ISO_IN_TEXT.sub(one, text).replace("–", " 至 ")
