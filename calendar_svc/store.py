"""deadlines.toml: read, validate, merge re-extractions, write atomically.

The file is meant to be reviewed and edited by hand, so every record is a flat
``[[deadline]]`` table, human-owned fields are never overwritten by a merge,
and nothing is ever deleted: what vanished from its source is flagged.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomli_w

from .errors import InputError
from .model import KINDS, SHANGHAI, STATUSES, Deadline, NoticeRef, Source, When, identity_keys, iso

HEADER = """\
# deadlines.toml: deadlines extracted by calendar-svc, for people to review.
#
# Yours to edit: status (extracted | candidate | confirmed | hidden; a
# candidate is not published until confirmed), title (overrides the calendar
# title), tags, notes; dates with human_dates = true are never re-extracted. `calendar-svc extract` merges new extractions
# into this file and never overwrites those fields nor deletes a record: a
# record no longer found in its source gets vanished = true; a changed date
# bumps `revision` and is logged in `history`.
# Dates are Asia/Shanghai; an all-day value is a plain date.

"""

#: Read once at import: os.umask can only be read by setting it, which is not thread-safe.
_UMASK = os.umask(0o022)
os.umask(_UMASK)

_EXTRACTED_FIELDS = ("kind", "start", "end", "all_day", "who", "what", "quote", "notice", "source", "year_guess", "doubt")
_TIMING_FIELDS = ("start", "end", "all_day")
_UNREVIEWED = ("extracted", "candidate")

#: The queue reasons a merge writes (see :mod:`calendar_svc.review`).
VANISHED_REASON = "已从原文消失"


@dataclass
class MergeReport:
    """What a merge did, so the CLI can tell the user."""

    added: list[Deadline] = field(default_factory=list)
    changed: list[Deadline] = field(default_factory=list)
    vanished: list[Deadline] = field(default_factory=list)
    unchanged: int = 0


def load(path: str | os.PathLike[str]) -> list[Deadline]:
    """Read and validate ``path``; a missing file is an empty calendar."""
    path = Path(path)
    if not path.exists():
        return []
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise InputError(str(path), f"not valid TOML: {exc.msg if hasattr(exc, 'msg') else exc}", line) from None
    tables = data.get("deadline", [])
    if not isinstance(tables, list):
        raise InputError(str(path), "`deadline` must be an array of tables ([[deadline]])", 1)
    deadlines: list[Deadline] = []
    seen: dict[str, int] = {}
    headers = _table_lines(text)
    lines = text.split("\n")
    for index, table in enumerate(tables):
        line = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        record = _from_table(table, str(path), line, _field_lines(lines, line, end))
        if record.id in seen:
            raise InputError(str(path), f"duplicate id {record.id!r} (first at line {seen[record.id]})", line)
        seen[record.id] = line
        deadlines.append(record)
    return deadlines


@contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the writers' lock of ``path`` (an advisory lock on ``path.lock`` beside it).

    Wrap every read-change-write of a deadlines file in it: ``extract -o``
    merges and the review page's edits then run one after the other instead
    of one overwriting the other's work. Readers need no lock: :func:`save`
    replaces the file atomically. The lock is released when the holder exits
    or dies, so a killed writer never leaves the file locked.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.with_name(target.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, _mode_for(target))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def save(path: str | os.PathLike[str], deadlines: Iterable[Deadline]) -> None:
    """Write atomically: a temp file in the same folder, fsync, then rename."""
    path = Path(path)
    ordered = sorted(deadlines, key=_sort_key)
    body = tomli_w.dumps({"deadline": [_to_table(d) for d in ordered]}, multiline_strings=False)
    write_atomic(path, HEADER + body)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so readers see the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions the file has, or those a new file gets (mkstemp's temp file is 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def merge(
    existing: list[Deadline],
    extracted: list[Deadline],
    *,
    now: dt.datetime,
    scope: Iterable[str] = (),
) -> tuple[list[Deadline], MergeReport]:
    """Merge a fresh extraction into the reviewed records.

    Extraction-owned fields follow the new extraction; a changed date bumps
    ``revision`` (the feed's SEQUENCE) and is logged in ``history``. Records
    of a document in ``scope`` (identity keys: its address, its content
    hash, or its notice under its name; see :func:`model.identity_keys`)
    that the extraction no longer finds are flagged ``vanished``; records of
    other documents are left alone, whatever their file name.
    """
    report = MergeReport()
    by_id = {d.id: d for d in existing}
    fresh_ids: set[str] = set()
    merged: list[Deadline] = []
    for new in extracted:
        if new.id in fresh_ids:
            continue
        fresh_ids.add(new.id)
        old = by_id.get(new.id)
        if old is None:
            record = replace(new, updated=now, revision=0, vanished=False)
            report.added.append(record)
        else:
            taken = [n for n in _EXTRACTED_FIELDS if not (old.human_dates and n in _TIMING_FIELDS)]
            record = replace(old, **{name: getattr(new, name) for name in taken}, vanished=False)
            if old.status in _UNREVIEWED:
                record.status = new.status  # a candidate the rules now accept, or the reverse
            if old.reason == VANISHED_REASON:
                record.reason = ""
            if old.human_dates and span(new) != old.source_dates:
                # A person's dates stand; the source's new ones are shown next to them for a look.
                record.reason = f"原文日期有变：{old.source_dates} → {span(new)}"
                record.source_dates = span(new)
                record.updated = now
                record.history = [*old.history, f"{now.date().isoformat()}: 原文 {old.source_dates} → {span(new)}（人工日期未改）"]
                report.changed.append(record)
            elif not old.human_dates and any(getattr(old, n) != getattr(new, n) for n in _TIMING_FIELDS):
                record.revision = old.revision + 1
                record.updated = now
                record.history = [*old.history, f"{now.date().isoformat()}: {span(old)} → {span(new)}"]
                if old.status == "confirmed":  # back to the queue: a person confirmed the old date, not this one
                    record.reason = f"日期有变：{span(old)} → {span(new)}"
                report.changed.append(record)
            elif old.vanished:
                record.updated = now
                report.changed.append(record)
            else:
                report.unchanged += 1
        merged.append(record)
    touched = set(scope)
    for old in existing:
        if old.id in fresh_ids:
            continue
        if not old.vanished and identity_keys(old.source, old.notice) & touched:
            reason = old.reason if old.status == "hidden" else VANISHED_REASON
            old = replace(old, vanished=True, updated=now, reason=reason)
            report.vanished.append(old)
        merged.append(old)
    return sorted(merged, key=_sort_key), report


def scope_of(deadlines: Iterable[Deadline]) -> set[str]:
    """The identity keys of the documents these records come from (a merge's ``scope``)."""
    return set().union(*(identity_keys(d.source, d.notice) for d in deadlines))


def span(d: Deadline) -> str:
    """A record's dates as one short string (history entries, queue reasons)."""
    if d.start is not None and d.end is not None:
        return f"{iso(d.start)}–{iso(d.end)}"
    return iso(d.end if d.end is not None else d.start) or "?"


def _sort_key(d: Deadline) -> tuple:
    return (d.due, d.source.file, d.source.line, d.id)


def _to_table(d: Deadline) -> dict:
    table: dict = {
        "id": d.id,
        "kind": d.kind,
        "status": d.status,
        "start": d.start,
        "end": d.end,
        "all_day": d.all_day,
        "who": d.who,
        "what": d.what,
        "title": d.title,
        "tags": list(d.tags),
        "notes": d.notes,
        "quote": d.quote,
        "notice": d.notice.title,
        "issuer": d.notice.issuer,
        "doc_no": d.notice.doc_no,
        "notice_date": d.notice.date,
        "file": d.source.file,
        "line": d.source.line,
        "url": d.source.url or None,
        "sha256": d.source.sha256 or None,
        "year_guess": d.year_guess,
        "revision": d.revision,
        "updated": d.updated.astimezone(SHANGHAI).replace(microsecond=0) if d.updated else None,
        "vanished": d.vanished,
        "history": list(d.history),
        # Review fields, written only when set (most records never have them).
        "human_dates": d.human_dates or None,
        "reason": d.reason or None,
        "source_dates": d.source_dates or None,
        "doubt": d.doubt or None,
    }
    return {k: v for k, v in table.items() if v is not None}


def _from_table(table: dict, file: str, line: int, field_lines: dict[str, int] | None = None) -> Deadline:
    """One record; errors name the line of the offending field (else the table's header)."""
    at = (field_lines or {}).get

    def get(name: str, kind: type | tuple[type, ...], default=None, required: bool = False):
        if name not in table:
            if required:
                raise InputError(file, f"deadline is missing the required field `{name}`", line)
            return default
        value = table[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise InputError(file, f"field `{name}` has the wrong type ({type(value).__name__})", at(name, line))
        return value

    ident = get("id", str, required=True)
    kind = get("kind", str, required=True)
    if kind not in KINDS:
        raise InputError(file, f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})", at("kind", line))
    status = get("status", str, "extracted")
    if status not in STATUSES:
        raise InputError(file, f"unknown status {status!r} (expected one of {', '.join(STATUSES)})", at("status", line))
    all_day = get("all_day", bool, True)
    start = _when(get("start", (dt.date, dt.datetime)), all_day, file, at("start", line), "start")
    end = _when(get("end", (dt.date, dt.datetime)), all_day, file, at("end", line), "end")
    if start is None and end is None:
        raise InputError(file, f"deadline {ident!r} has neither `start` nor `end`", line)
    if start is not None and end is not None and _order(start) > _order(end):
        raise InputError(file, f"deadline {ident!r} starts after it ends ({iso(start)} > {iso(end)})", at("start", line))
    tags = get("tags", list, [])
    if not all(isinstance(t, str) for t in tags):
        raise InputError(file, "`tags` must be a list of strings", at("tags", line))
    history = get("history", list, [])
    if not all(isinstance(h, str) for h in history):
        raise InputError(file, "`history` must be a list of strings", at("history", line))
    updated = get("updated", dt.datetime)
    if updated is not None and updated.tzinfo is None:
        updated = updated.replace(tzinfo=SHANGHAI)
    return Deadline(
        id=ident,
        kind=kind,
        start=start,
        end=end,
        all_day=all_day,
        who=get("who", str, ""),
        what=get("what", str, ""),
        quote=get("quote", str, ""),
        notice=NoticeRef(
            title=get("notice", str, ""),
            issuer=get("issuer", str, ""),
            doc_no=get("doc_no", str, ""),
            date=get("notice_date", dt.date),
        ),
        source=Source(file=get("file", str, ""), line=get("line", int, 0), url=get("url", str, ""), sha256=get("sha256", str, "")),
        status=status,
        title=get("title", str, ""),
        tags=list(tags),
        notes=get("notes", str, ""),
        revision=get("revision", int, 0),
        updated=updated.astimezone(SHANGHAI) if updated else None,
        vanished=get("vanished", bool, False),
        history=list(history),
        year_guess=get("year_guess", str, ""),
        doubt=get("doubt", str, ""),
        human_dates=get("human_dates", bool, False),
        reason=get("reason", str, ""),
        source_dates=get("source_dates", str, ""),
    )


def _when(value: dt.date | None, all_day: bool, file: str, line: int, name: str) -> When | None:
    """Dates for all-day records, Asia/Shanghai datetimes otherwise (a local time is taken as Shanghai)."""
    if value is None:
        return None
    if all_day:
        if isinstance(value, dt.datetime):
            raise InputError(file, f"`{name}` has a time but `all_day` is true", line)
        return value
    if not isinstance(value, dt.datetime):
        raise InputError(file, f"`{name}` is a date but `all_day` is false (give a time, or set all_day = true)", line)
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def _order(value: When) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(0, 0), tzinfo=SHANGHAI)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # an editor (Notepad) may have added a BOM
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), "not UTF-8 text", line) from None
    return text.replace("\r\n", "\n")


_TABLE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*deadline[ \t]*\]\]", re.MULTILINE)
_KEY = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*=")


def _table_lines(text: str) -> list[int]:
    """1-based lines of the ``[[deadline]]`` headers, for error messages (one pass over the text)."""
    lines, line, counted = [], 1, 0
    for match in _TABLE_HEADER.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.append(line)
    return lines


def _field_lines(lines: list[str], first: int, end: int) -> dict[str, int]:
    """1-based line of each ``key =`` between a table's header (``first``) and the next (``end``)."""
    found: dict[str, int] = {}
    for number in range(first + 1, min(end, len(lines) + 1)):
        match = _KEY.match(lines[number - 1])
        if match:
            found.setdefault(match.group(1), number)
    return found


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
