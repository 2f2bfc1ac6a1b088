"""One check of the watched sources: list → new notices → read → extract → merge → remember.

For each source the worker can claim: fetch its list page (or feed) with a
conditional GET, follow its pages while they show notices not seen before
(at most ``pages``), claim each new notice in the database, read it with
its attachments through the web-address reader (politely), extract, and
merge everything the source gave into deadlines.toml in one locked write.
Notices seen within ``recheck`` are fetched again (conditionally); one whose
text changed is extracted again and merged, so a moved date goes back to
the review queue. Whatever fails is recorded on the source, never raised:
one broken site never stops the others or the service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import CalendarSvcError, InputError
from ..extract import Extraction, extract
from ..ingest.web import Response, read_url
from .config import Source
from .feeds import looks_like_feed, read_feed
from .ledger import Ledger, conditional_headers
from .tables import DONE
from .listing import Entry, read_listing
from .polite import Disallowed, Polite
from .queueing import merge_into_store

log = logging.getLogger("calendar_svc.sources")

Clock = Callable[[], dt.datetime]


@dataclass
class CheckReport:
    """What one source's check did."""

    source: str
    #: False when another worker had it (or, on a schedule, it was not due): nothing was done.
    checked: bool = True
    error: str = ""
    listed: int = 0
    new_notices: int = 0
    changed_notices: int = 0
    added: int = 0
    changed: int = 0
    vanished: int = 0
    #: Problems with single notices (a 404, robots.txt), which do not fail the source.
    notice_errors: list[str] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Watcher:
    """Checks ``sources`` for one worker: its database claims, its polite client, its clock."""

    def __init__(
        self,
        sources: Sequence[Source],
        *,
        engine: Engine,
        deadlines: str | os.PathLike[str],
        polite: Polite,
        now: Clock,
        worker_id: str | None = None,
    ) -> None:
        self.sources = list(sources)
        self.deadlines = Path(deadlines)
        self.polite = polite
        self.now = now
        self.ledger = Ledger(engine, worker_id or worker_name())
        self.ledger.register(self.sources)

    def set_sources(self, sources: Sequence[Source]) -> None:
        """Watch ``sources`` from now on (sources.toml changed)."""
        self.sources = list(sources)
        self.ledger.register(self.sources)

    def run(self, *, due_only: bool) -> list[CheckReport]:
        """Check every source (``due_only``: those whose time has come) this worker can claim."""
        started = self.now()
        reports = []
        for source in self.sources:
            try:
                claimed = self.ledger.claim_source(source.name, self.now(), due_only=due_only,
                                                   unchecked_since=None if due_only else started)
            except SQLAlchemyError as exc:
                reports.append(CheckReport(source.name, checked=False, error=f"数据库：{_first_line(exc)}"))
                continue
            if not claimed:
                reports.append(CheckReport(source.name, checked=False))
                continue
            report = CheckReport(source.name)
            try:
                self._check(source, report)
            except InputError as exc:
                report.error = exc.problem if exc.file == source.url else str(exc)
            except CalendarSvcError as exc:
                report.error = str(exc)
            except SQLAlchemyError as exc:
                report.error = f"数据库：{_first_line(exc)}"
            except Exception as exc:  # a bug on one site's page must not stop the others
                log.exception("event=source-check-crashed source=%s", source.name)
                report.error = f"{type(exc).__name__}: {exc}"
            try:
                self.ledger.finish_source(source, self.now(), error=report.error, found=report.new_notices, queued=report.added)
            except SQLAlchemyError as exc:
                log.error("event=source-state-lost source=%s error=%s", source.name, _first_line(exc))
            level = logging.WARNING if report.error else logging.INFO
            log.log(level, "event=source-checked source=%s new=%d changed=%d added=%d error=%s",
                    source.name, report.new_notices, report.changed_notices, report.added, report.error or "-")
            reports.append(report)
        return reports

    # -- one source -------------------------------------------------------------

    def _check(self, source: Source, report: CheckReport) -> None:
        entries = self._list(source)
        report.listed = len(entries)
        reads: list[_Read] = []
        done = {url for url, row in self.ledger.known(e.url for e in entries).items() if row.state == DONE}
        for entry in entries:
            if entry.url in done:
                continue  # read before: only a re-check (below) looks at it again
            if not self.polite.allowed(entry.url):
                report.notice_errors.append(f"{entry.url}: robots.txt 不允许读取，已跳过")
                continue
            if not self.ledger.claim_notice(entry.url, source.name, entry.title, entry.date, self.now()):
                continue
            read = self._read(entry.url, report)
            if read is not None:
                report.new_notices += 1
                reads.append(read)
        just_read = {read.url for read in reads}
        for row in self.ledger.to_recheck(source, self.now()):
            if row.url in just_read or not self.ledger.claim_recheck(row, self.now()):
                continue
            read = self._recheck(row, report)
            if read is not None:
                report.changed_notices += 1
                reads.append(read)
        if reads:
            self._merge(source, reads, report)

    def _list(self, source: Source) -> list[Entry]:
        """The notices on the source's first pages, following pages while they show unseen ones."""
        entries: list[Entry] = []
        listed = {source.url}
        url, pages = source.url, 0
        while url and pages < source.pages:
            pages += 1
            response = self.polite.get(url, headers=self.ledger.validators(url))
            if response.status == 304:
                break  # the list did not change: nothing new here or further on
            listing = read_feed(response.body, url) if _is_feed(source, response) else \
                read_listing(response.body, response.url, charset=response.charset, selector=source.selector)
            if not listing.entries and pages == 1:
                hint = "" if source.selector else "；如果这个页面的列表写法特别，请给来源设置 selector"
                raise InputError(url, f"列表页上没有找到通知链接{hint}")
            self.ledger.save_validators(url, response.etag, response.last_modified, self.now())
            fresh = [e for e in listing.entries if e.url not in listed]
            listed.update(e.url for e in fresh)
            entries.extend(fresh)
            known = self.ledger.known(e.url for e in fresh)
            if all(e.url in known for e in fresh):
                break  # everything on this page was seen: older pages were seen too
            url = listing.next_page if listing.next_page != url else ""
        return entries

    def _read(self, url: str, report: CheckReport, page: Response | None = None) -> _Read | None:
        """Extract the notice at ``url`` (``page``: its page, fetched already); a failure is recorded on the notice."""
        if page is not None:
            self.polite.prime(page, url)
        pages: dict[str, Response] = {}

        def get(address: str, limits) -> Response:
            response = self.polite.get(address, limits)
            pages.setdefault(address, response)
            return response

        try:
            extraction = extract([url], read=lambda item: read_url(item, limits=self.polite.limits, get=get))
        finally:
            self.polite.unprime(url)
        if not extraction.files:
            error = str(extraction.errors[0]) if extraction.errors else f"{url}: nothing could be read"
            if extraction.errors and isinstance(extraction.errors[0], Disallowed):
                self.ledger.forget(url)
            else:
                self.ledger.finish_notice(url, self.now(), error=error)
            report.notice_errors.append(error)
            return None
        report.notice_errors.extend(str(e) for e in extraction.errors)  # an attachment that failed
        return _Read(url, extraction, pages.get(url) or page)

    def _recheck(self, row, report: CheckReport) -> _Read | None:
        """Fetch a seen notice again (conditionally); extract it again only if its text changed."""
        try:
            page = self.polite.get(row.url, headers=conditional_headers(row))
        except InputError as exc:
            report.notice_errors.append(str(exc))
            return None
        if page.status == 304 or _sha(page.body) == row.page_sha:
            return None
        read = self._read(row.url, report, page)
        if read is None:
            return None
        if read.content_sha == row.content_sha:  # the page changed around the notice (a counter, a menu), the notice did not
            self.ledger.finish_notice(row.url, self.now(), **read.page_facts)
            return None
        return read

    def _merge(self, source: Source, reads: list[_Read], report: CheckReport) -> None:
        records = [d for read in reads for d in read.extraction.deadlines]
        scope = set().union(*(read.extraction.scope for read in reads))
        now = self.now()
        outcome = merge_into_store(self.deadlines, records, scope=scope, source=source, now=now)
        report.added += len(outcome.added)
        report.changed += len(outcome.changed)
        report.vanished += len(outcome.vanished)
        added = {d.id: d for d in outcome.added}
        for read in reads:
            self.ledger.finish_notice(read.url, now, content_sha=read.content_sha, **read.page_facts)
            mine = [(d.id, added[d.id].summary) for d in read.extraction.deadlines if d.id in added]
            self.ledger.record_queued(source.name, read.url, mine, now)


@dataclass
class _Read:
    """A notice read and extracted, with its page's response (for the next conditional GET)."""

    url: str
    extraction: Extraction
    page: Response | None

    @property
    def content_sha(self) -> str:
        """What was read (page article and attachments, as text): its change is a change of the notice."""
        digest = hashlib.sha256()
        for name in self.extraction.files:
            digest.update(name.encode("utf-8") + b"\0")
        for notice in self.extraction.notices:
            digest.update(notice.text.encode("utf-8") + b"\0")
        return digest.hexdigest()

    @property
    def page_facts(self) -> dict[str, str]:
        if self.page is None:
            return {}
        return {"page_sha": _sha(self.page.body), "etag": self.page.etag, "last_modified": self.page.last_modified}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_feed(source: Source, response: Response) -> bool:
    return source.kind == "feed" or (source.kind == "auto" and looks_like_feed(response.body))


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
