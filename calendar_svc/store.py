"""deadlines.toml: read, validate, merge re-extractions, write atomically, under a lock.

The file is meant to be reviewed and edited by hand, so every record is a flat
``[[deadline]]`` table, human-owned fields are never overwritten by a merge,
and nothing is ever deleted: what vanished from its source is flagged.
Whoever reads, changes and writes the file back (``extract -o``, the review
page) holds :func:`locked` for the whole read-merge-write, so two writers
never lose each other's changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fcntl
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path

import toml_rs

from . import recurrence, tomltext
from .errors import InputError, os_problem
from .model import KINDS, MAX_INTERNAL_WORKDAYS, SHANGHAI, STATUSES, Deadline, NoticeRef, Source, When, identity_keys, iso, notice_key, zh_when

HEADER = """\
# deadlines.toml: deadlines extracted by calendar-svc, for people to review.
#
# Yours to edit: status (extracted | candidate | confirmed | hidden; a
# candidate is not published until confirmed), title (overrides the calendar
# title), tags, notes, internal_workdays (an internal deadline N working days
# before this one; 0 for none); dates with human_dates = true are never
# re-extracted. `calendar-svc extract` merges new extractions into this file
# and never overwrites those fields nor deletes a record: a record no longer
# found in its source gets vanished = true; a changed date bumps `revision`
# and is logged in `history`. A confirmed record keeps its dates: the new
# ones wait in pending_start/pending_end until someone confirms them.
# Dates are Asia/Shanghai; an all-day value is a plain date.

"""

#: Read once at import: os.umask can only be read by setting it, which is not thread-safe.
_UMASK = os.umask(0o022)
os.umask(_UMASK)

#: What a record may hold: years people file by, and counts a calendar app accepts
#: (SEQUENCE is a 32-bit integer). Anything outside is a typo, and would break the
#: feed (9999-12-31 has no next day for its exclusive DTEND) rather than show it;
#: before 1901 Asia/Shanghai is local mean time (+08:05:43), which TOML cannot write.
MIN_YEAR, MAX_YEAR = 1970, 2199
MAX_COUNT = 2**31 - 1
_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

#: Nesting the fast parser is given; deeper documents go to tomllib (none of ours nests past 2).
_FAST_NESTING = 32

_EXTRACTED_FIELDS = ("kind", "start", "end", "all_day", "who", "what", "quote", "notice", "source", "year_guess", "doubt",
                     "basis", "repeat", "roll_forward")
_TIMING_FIELDS = ("start", "end", "all_day", "repeat", "roll_forward")
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
    """Read and validate ``path``; a missing file is an empty calendar.

    Every problem is an :class:`InputError` naming the file and line. Lines are
    worked out only then: finding them costs more than reading a good file.
    """
    path = Path(path)
    if not path.exists():
        return []
    text = _read_text(path)
    data = _parse(text, str(path))
    tables = data.get("deadline", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise InputError(str(path), "`deadline` 必须是表数组（[[deadline]]）", 1)
    deadlines: list[Deadline] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        try:
            record = _from_table(table)
        except _Problem as problem:
            raise InputError(str(path), problem.message, _problem_line(text, index, problem.field)) from None
        if record.id in seen:
            first = _problem_line(text, seen[record.id], None)
            raise InputError(str(path), f"编号 {record.id!r} 重复（第一次出现在第 {first} 行）", _problem_line(text, index, None))
        seen[record.id] = index
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
    """Write atomically (a temp file in the same folder, fsync, then rename), keeping the file's layout.

    Records keep the file's order and untouched ones their exact text; a
    changed record has only its changed lines rewritten, a new one goes in
    by date (:mod:`calendar_svc.tomltext`). The new text is read back and
    checked first: if it would not hold exactly these records (a file cut
    in a way that cannot be kept), the whole file is written afresh, soonest
    first. Call it under :func:`locked`, as the read-merge-write it ends.
    """
    path = Path(path)
    ordered = sorted(deadlines, key=_sort_key)
    tables = [_to_table(d) for d in ordered]
    text = _kept_layout(path, tables, {d.id: _sort_key(d) for d in ordered})
    write_atomic(path, text if text is not None else tomltext.render_all(HEADER, tables))


def _kept_layout(path: Path, tables: list[dict], keys: dict[str, tuple]) -> str | None:
    """The old file changed to hold ``tables``, or None (no old file, or it cannot be kept)."""
    try:
        old_text = _read_text(path)
        previous = [_from_table(t) for t in _parse(old_text, str(path)).get("deadline", [])]
    except (InputError, _Problem, TypeError, AttributeError):
        return None  # missing or unreadable: nothing to keep
    old = [_to_table(d) for d in previous]
    keys = {**{d.id: _sort_key(d) for d in previous}, **keys}
    result = tomltext.rewrite(old_text, old, tables, key=lambda table: keys[table["id"]])
    if result is None or not _reads_back(result, tables):
        return None
    return result.text


def _reads_back(result: tomltext.Rewrite, tables: list[dict]) -> bool:
    """Whether ``result`` holds exactly ``tables``: the same ids, and every rewritten record as intended."""
    try:
        written = _parse(result.text, "")["deadline"]
    except (InputError, KeyError):
        return False
    if [t.get("id") for t in written] != result.order or sorted(result.order) != sorted(t["id"] for t in tables):
        return False
    wanted = {t["id"]: t for t in tables}
    try:
        return all(_to_table(_from_table(t)) == wanted[t["id"]] for t in written if t["id"] in result.written)
    except _Problem:
        return False


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
    twins = _by_moment(existing)
    fresh_ids: set[str] = set()
    merged: list[Deadline] = []
    for new in extracted:
        if new.id in fresh_ids:
            continue
        fresh_ids.add(new.id)
        old = by_id.get(new.id)
        twin = _twin(new, twins, fresh_ids) if old is None else None
        if twin is not None:  # the same notice by another route (its page, then its .docx): one record
            fresh_ids.add(twin.id)
            record = replace(twin, vanished=False) if twin.vanished else twin
            if twin.vanished:
                record.updated = now
                report.changed.append(record)
            else:
                report.unchanged += 1
        elif old is None:
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
            elif old.status == "confirmed" and not old.human_dates and (old.pending or _moved(old, new)):
                # A person vouched for these dates: they stay published until a person confirms the new ones.
                record, changed = _held(old, new, now)
                if changed:
                    report.changed.append(record)
                else:
                    report.unchanged += 1
            elif not old.human_dates and _moved(old, new):
                record.revision = old.revision + 1
                record.updated = now
                record.history = [*old.history, f"{now.date().isoformat()}: {span(old)} → {span(new)}"]
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


def _moved(old: Deadline, new: Deadline) -> bool:
    return any(getattr(old, n) != getattr(new, n) for n in _TIMING_FIELDS)


def _held(old: Deadline, new: Deadline, now: dt.datetime) -> tuple[Deadline, bool]:
    """A confirmed record after a re-extraction: its vouched fields kept, the source's new dates waiting beside them.

    It goes back to the review queue (``reason`` 日期有变) with the new dates
    and their sentence in ``pending_*``; 确认 applies them (and sends the
    change alerts), 改日期 sets others. When the source returns to the
    confirmed dates, the wait ends by itself.
    """
    back = replace(old, vanished=False, reason="" if old.reason == VANISHED_REASON else old.reason)
    if old.vanished:
        back.updated = now
    if not _moved(old, new):  # the source says the confirmed dates again
        if not old.pending:
            return back, old.vanished
        back.pending_start = back.pending_end = None
        back.pending_quote = back.reason = ""
        back.updated = now
        back.history = [*old.history, f"{now.date().isoformat()}: 原文恢复为 {span(old)}"]
        return back, True
    waiting = (new.start, new.end, new.quote)
    if old.pending and (old.pending_start, old.pending_end, old.pending_quote) == waiting:
        return back, old.vanished  # still waiting: nothing new
    back.pending_start, back.pending_end, back.pending_quote = waiting
    back.reason = f"日期有变：{span(old)} → {span(new)}"
    back.updated = now
    back.history = [*old.history, f"{now.date().isoformat()}: 原文 {span(old)} → {span(new)}（待确认）"]
    return back, True


def _by_moment(records: Iterable[Deadline]) -> dict[tuple, list[Deadline]]:
    found: dict[tuple, list[Deadline]] = {}
    for d in records:
        found.setdefault((notice_key(d.notice), d.kind, d.start, d.end), []).append(d)
    return found


def _twin(new: Deadline, twins: dict[tuple, list[Deadline]], taken: set[str]) -> Deadline | None:
    """The one stored record of the same notice, kind and dates that another document gave, if exactly one."""
    mine = identity_keys(new.source, new.notice)
    candidates = [d for d in twins.get((notice_key(new.notice), new.kind, new.start, new.end), [])
                  if d.id not in taken and not identity_keys(d.source, d.notice) & mine]
    return candidates[0] if len(candidates) == 1 else None


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
        "internal_workdays": d.internal_workdays,
        "pending_start": d.pending_start,
        "pending_end": d.pending_end,
        "pending_quote": d.pending_quote or None,
        "moved_from": d.moved_from or None,
        "moved_at": d.moved_at.astimezone(SHANGHAI).replace(microsecond=0) if d.moved_at else None,
        "basis": d.basis or None,
        "repeat": d.repeat or None,
        "roll_forward": d.roll_forward or None,
    }
    return {k: v for k, v in table.items() if v is not None}


class _Problem(Exception):
    """A bad record, before its line is known: the field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _from_table(table: dict) -> Deadline:
    """One record, checked field by field; a problem names the field, :func:`load` finds its line."""

    asked: set[str] = set()

    def get(name: str, kind: type | tuple[type, ...], default=None, required: bool = False):
        asked.add(name)
        if name not in table:
            if required:
                raise _Problem(f"记录缺少必填字段 `{name}`")
            return default
        value = table[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)) or (
            kind is dt.date and isinstance(value, dt.datetime)
        ):
            raise _Problem(f"字段 `{name}` 的类型不对（{type(value).__name__}）", name)
        if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise _Problem(f"字段 `{name}` 超出范围（{zh_when(value, weekday=False)}：年份须在 {MIN_YEAR}–{MAX_YEAR}）", name)
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_COUNT:
            raise _Problem(f"字段 `{name}` 超出范围（{value}：须在 0 至 {MAX_COUNT}）", name)
        return value

    ident = get("id", str, required=True)
    if not _ID.fullmatch(ident):
        raise _Problem(f"编号 {ident!r} 须由 1–64 个字母、数字、'.'、'_' 或 '-' 组成", "id")
    kind = get("kind", str, required=True)
    if kind not in KINDS:
        raise _Problem(f"未知的类型 {kind!r}（应为 {'、'.join(KINDS)} 之一）", "kind")
    status = get("status", str, "extracted")
    if status not in STATUSES:
        raise _Problem(f"未知的状态 {status!r}（应为 {'、'.join(STATUSES)} 之一）", "status")
    all_day = get("all_day", bool, True)
    start = _when(get("start", (dt.date, dt.datetime)), all_day, "start")
    end = _when(get("end", (dt.date, dt.datetime)), all_day, "end")
    if start is None and end is None:
        raise _Problem(f"记录 {ident!r} 既没有 `start` 也没有 `end`")
    if start is not None and end is not None and _order(start) > _order(end):
        raise _Problem(f"记录 {ident!r} 的开始晚于结束（{zh_when(start, weekday=False)} 晚于 {zh_when(end, weekday=False)}）", "start")
    tags = get("tags", list, [])
    if not all(isinstance(t, str) for t in tags):
        raise _Problem("`tags` 必须是字符串列表", "tags")
    history = get("history", list, [])
    if not all(isinstance(h, str) for h in history):
        raise _Problem("`history` 必须是字符串列表", "history")
    internal = get("internal_workdays", int)
    if internal is not None and not 0 <= internal <= MAX_INTERNAL_WORKDAYS:
        raise _Problem(f"`internal_workdays` 须为 0–{MAX_INTERNAL_WORKDAYS} 个工作日，不能是 {internal}", "internal_workdays")
    repeat = get("repeat", str, "")
    updated = get("updated", dt.datetime)
    if updated is not None and updated.tzinfo is None:
        updated = updated.replace(tzinfo=SHANGHAI)
    record = Deadline(
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
        internal_workdays=internal,
        pending_start=_pending(get("pending_start", (dt.date, dt.datetime)), "pending_start"),
        pending_end=_pending(get("pending_end", (dt.date, dt.datetime)), "pending_end"),
        pending_quote=get("pending_quote", str, ""),
        moved_from=get("moved_from", str, ""),
        moved_at=_aware(get("moved_at", dt.datetime)),
        basis=get("basis", str, ""),
        repeat=repeat,
        roll_forward=get("roll_forward", bool, False),
    )
    if repeat:
        try:
            recurrence.check(record)
        except recurrence.RuleError as exc:
            raise _Problem(f"`repeat` {repeat!r}: {exc}", "repeat") from None
    _refuse_unknown(table, asked)
    return record


def _refuse_unknown(table: dict, known: set[str]) -> None:
    """A misspelt field (``titel = …``) is an error, not a silently lost human edit."""
    for name in table:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"（是不是 `{close[0]}`？）" if close else ""
            raise _Problem(f"未知的字段 `{name}`{hint}", name)


def _pending(value: When | None, name: str) -> When | None:
    """A waiting new date: a plain date (all day) or a time, read as Shanghai like the record's own."""
    if isinstance(value, dt.datetime):
        return _when(value, False, name)
    return value


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=SHANGHAI)).astimezone(SHANGHAI)


def _when(value: dt.date | None, all_day: bool, name: str) -> When | None:
    """Dates for all-day records, Asia/Shanghai datetimes otherwise (a local time is taken as Shanghai)."""
    if value is None:
        return None
    if all_day:
        if isinstance(value, dt.datetime):
            raise _Problem(f"`{name}` 带有时刻，但 `all_day` 为 true", name)
        return value
    if not isinstance(value, dt.datetime):
        raise _Problem(f"`{name}` 只有日期，但 `all_day` 为 false（请写上时刻，或设 all_day = true）", name)
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
        raise InputError(str(path), os_problem(exc)) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # an editor (Notepad) may have added a BOM
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), "不是 UTF-8 文本", line) from None
    return text.replace("\r\n", "\n")


def _parse(text: str, file: str) -> dict:
    """The document as tomllib reads it, by the fast reader when it can.

    toml_rs (Rust, TOML 1.0 mode) gives the same values and types as tomllib
    on every file we write and on hand edits (tests/test_store.py compares
    them); it reads 10 000 records about 10× faster. Anything it rejects,
    and anything nested deeper than ours ever is (its recursion is not
    bounded), goes to tomllib, so errors and edge cases are tomllib's.
    """
    if _nesting(text) <= _FAST_NESTING:
        try:
            return toml_rs.loads(text, toml_version="1.0.0")
        except Exception:  # noqa: BLE001 - whatever it rejects, tomllib decides and words the error
            pass
    import tomllib  # only here: importing it costs more than reading our data with toml_rs

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise InputError(file, f"不是有效的 TOML：{exc.msg if hasattr(exc, 'msg') else exc}", line) from None
    except RecursionError:
        raise InputError(file, "数组或表嵌套过深", _deepest_line(text)) from None


#: Strings and comments, whose brackets nest nothing (one branch per opening character: ~40 ms for 10 000 records).
_STRING_OR_COMMENT = re.compile(
    r'"(?:""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""|[^"\\\n]*(?:\\.[^"\\\n]*)*")'
    r"|'(?:''[^']*(?:'(?!'')[^']*)*'''|[^'\n]*')"
    r"|#[^\n]*"
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _nesting(text: str) -> int:
    """How deep brackets nest outside strings and comments."""
    brackets = _NOT_BRACKET.sub("", _STRING_OR_COMMENT.sub("", text))
    return max(accumulate((_STEP[c] for c in brackets), lambda depth, step: max(depth + step, 0)), default=0)


def _deepest_line(text: str) -> int:
    """The line where nesting first passes what the fast reader is given (for the error message)."""
    blanked = _STRING_OR_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)  # lines kept
    depth = 0
    for match in re.finditer(r"[\[\]{}]", blanked):
        depth = max(depth + _STEP[match.group()], 0)
        if depth > _FAST_NESTING:
            return text.count("\n", 0, match.start()) + 1
    return 1


_TABLE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*deadline[ \t]*\]\]", re.MULTILINE)
_KEY = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*=")


def _problem_line(text: str, index: int, name: str | None) -> int:
    """1-based line of record ``index``'s field ``name`` (else its ``[[deadline]]`` header)."""
    headers = [match.start() for match in _TABLE_HEADER.finditer(text)]
    if index >= len(headers):
        return 1
    start = headers[index]
    end = headers[index + 1] if index + 1 < len(headers) else len(text)
    header_line = text.count("\n", 0, start) + 1
    if name is not None:
        for number, line in enumerate(text[start:end].split("\n")[1:], header_line + 1):
            match = _KEY.match(line)
            if match and match.group(1) == name:
                return number
    return header_line


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
