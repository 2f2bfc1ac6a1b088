"""The watcher's memory in the database: which worker checks which source, which notices were seen.

Every claim is one short transaction, safe with several workers on one
PostgreSQL database: a source is claimed with ``SELECT … FOR UPDATE SKIP
LOCKED`` (a second worker skips it instead of waiting) and a lease, a notice
by inserting its address (the primary key refuses a second insert), a
re-check by a conditional UPDATE on the time it was last checked. On SQLite
the same statements run one at a time under BEGIN IMMEDIATE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..db import create_tables, unreachable
from .config import Source
from .tables import CLAIMED, DONE, FAILED, MAX_NOTICE_ATTEMPTS, ListPage, QueuedRecord, SeenNotice, SourceState

#: A claim older than this whose worker never finished (it died) is taken over.
LEASE = dt.timedelta(minutes=30)


class Ledger:
    """Claims and facts for one worker (``worker_id``) in ``engine``'s database."""

    def __init__(self, engine: Engine, worker_id: str) -> None:
        self.engine = engine
        self.worker_id = worker_id
        try:
            create_tables(engine)
        except SQLAlchemyError as exc:
            raise unreachable(exc, engine) from None

    # -- sources ----------------------------------------------------------------

    def register(self, sources: Iterable[Source]) -> None:
        """A state row for every source (new ones are due at once)."""
        with Session(self.engine) as session:
            known = set(session.scalars(select(SourceState.name)))
        for source in sources:
            if source.name in known:
                continue
            try:
                with Session(self.engine) as session, session.begin():
                    session.add(SourceState(name=source.name, url=source.url, failures=0, found_last=0, found_total=0, queued_total=0))
            except IntegrityError:
                pass  # another worker registered it first

    def claim_source(self, name: str, now: dt.datetime, *, due_only: bool, unchecked_since: dt.datetime | None = None) -> bool:
        """Take source ``name`` for a check, unless another worker holds it (or, ``due_only``, it is not due)."""
        with Session(self.engine) as session, session.begin():
            query = select(SourceState).where(
                SourceState.name == name, or_(SourceState.claimed_until.is_(None), SourceState.claimed_until < now)
            )
            if due_only:
                query = query.where(or_(SourceState.next_check.is_(None), SourceState.next_check <= now))
            if unchecked_since is not None:
                query = query.where(or_(SourceState.last_check.is_(None), SourceState.last_check < unchecked_since))
            row = session.scalars(query.with_for_update(skip_locked=True)).first()
            if row is None:
                return False
            row.claimed_by, row.claimed_until = self.worker_id, now + LEASE
            return True

    def finish_source(self, source: Source, now: dt.datetime, *, error: str, found: int, queued: int) -> SourceState:
        """Record a check and release the claim; failures in a row push the next check back (doubling, up to 8 × every)."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row = session.get(SourceState, source.name, with_for_update=True)
            assert row is not None
            row.url, row.last_check = source.url, now
            row.claimed_by, row.claimed_until = "", None
            row.found_last = found
            row.found_total = (row.found_total or 0) + found
            row.queued_total = (row.queued_total or 0) + queued
            if error:
                row.failures = (row.failures or 0) + 1
                row.last_error = error
                row.next_check = now + source.every * min(2 ** (row.failures - 1), 8)
            else:
                row.failures, row.last_error, row.last_ok = 0, "", now
                row.next_check = now + source.every
            return row

    def states(self) -> dict[str, SourceState]:
        with Session(self.engine, expire_on_commit=False) as session:
            return {row.name: row for row in session.scalars(select(SourceState))}

    def notice_counts(self) -> dict[str, int]:
        """How many notices each source has had read."""
        with Session(self.engine) as session:
            rows = session.execute(select(SeenNotice.source, func.count()).where(SeenNotice.state == DONE).group_by(SeenNotice.source))
            return {name: count for name, count in rows}

    # -- list pages -------------------------------------------------------------

    def validators(self, url: str) -> dict[str, str]:
        """The conditional-GET headers for ``url``'s next fetch."""
        with Session(self.engine) as session:
            row = session.get(ListPage, url)
        return _conditional(row.etag, row.last_modified) if row is not None else {}

    def save_validators(self, url: str, etag: str, last_modified: str, now: dt.datetime) -> None:
        with Session(self.engine) as session, session.begin():
            session.merge(ListPage(url=url, etag=etag, last_modified=last_modified, checked=now))

    # -- notices ----------------------------------------------------------------

    def known(self, urls: Iterable[str]) -> dict[str, SeenNotice]:
        """The seen rows among ``urls``."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, SeenNotice] = {}
        with Session(self.engine, expire_on_commit=False) as session:
            for start in range(0, len(wanted), 500):
                for row in session.scalars(select(SeenNotice).where(SeenNotice.url.in_(wanted[start : start + 500]))):
                    found[row.url] = row
        return found

    def claim_notice(self, url: str, source: str, title: str, date: str, now: dt.datetime) -> bool:
        """Claim a notice address nobody has: the insert either wins or meets the row another worker made."""
        try:
            with Session(self.engine) as session, session.begin():
                session.add(SeenNotice(url=url, source=source, title=title, listed_date=date, state=CLAIMED,
                                       claimed_by=self.worker_id, claimed_at=now, attempts=0, first_seen=now,
                                       records=0, extractions=0))
            return True
        except IntegrityError:
            return self._take_over(url, now)

    def _take_over(self, url: str, now: dt.datetime) -> bool:
        """A failed notice with tries left, or a claim whose worker died: one worker's UPDATE wins."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                update(SeenNotice)
                .where(SeenNotice.url == url)
                .where(or_(and_(SeenNotice.state == FAILED, SeenNotice.attempts < MAX_NOTICE_ATTEMPTS),
                           and_(SeenNotice.state == CLAIMED, SeenNotice.claimed_at < now - LEASE)))
                .values(state=CLAIMED, claimed_by=self.worker_id, claimed_at=now)
            )
            return result.rowcount == 1

    def claim_recheck(self, row: SeenNotice, now: dt.datetime) -> bool:
        """Take a seen notice for a re-check: only the worker whose UPDATE still sees the old check time wins."""
        with Session(self.engine) as session, session.begin():
            query = update(SeenNotice).where(SeenNotice.url == row.url, SeenNotice.state == DONE)
            query = query.where(SeenNotice.last_checked.is_(None) if row.last_checked is None else SeenNotice.last_checked == row.last_checked)
            return session.execute(query.values(last_checked=now, claimed_by=self.worker_id)).rowcount == 1

    def to_recheck(self, source: Source, now: dt.datetime) -> list[SeenNotice]:
        """Read notices of ``source`` first seen within its ``recheck`` period and not checked for one ``every``."""
        if not source.recheck:
            return []
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(
                select(SeenNotice)
                .where(SeenNotice.source == source.name, SeenNotice.state == DONE,
                       SeenNotice.first_seen >= now - source.recheck,
                       or_(SeenNotice.last_checked.is_(None), SeenNotice.last_checked <= now - source.every * 0.9))
                .order_by(SeenNotice.first_seen.desc())
            ))

    def finish_notice(self, url: str, now: dt.datetime, *, error: str = "", **facts) -> None:
        """Record what reading the notice gave (``facts``: page_sha, content_sha, etag, …) and release it."""
        values = {"claimed_by": "", "last_checked": now, **facts}
        with Session(self.engine) as session, session.begin():
            if error:
                row = session.get(SeenNotice, url, with_for_update=True)
                if row is None:
                    return
                row.state, row.error, row.attempts = FAILED, error, (row.attempts or 0) + 1
                row.claimed_by, row.last_checked = "", now
                return
            session.execute(update(SeenNotice).where(SeenNotice.url == url).values(state=DONE, error="", **values))

    def record_queued(self, source: str, url: str, records: Iterable[tuple[str, str]], now: dt.datetime) -> int:
        """Remember the records (id, summary) a notice added to the queue; returns how many were new to the digest."""
        wanted = dict(records)
        if not wanted:
            return 0
        rows = lambda ids: [QueuedRecord(record_id=i, source=source, url=url, title=wanted[i][:500], queued_at=now) for i in ids]  # noqa: E731
        try:
            with Session(self.engine) as session, session.begin():  # one transaction for the lot, as a rule
                known = set(session.scalars(select(QueuedRecord.record_id).where(QueuedRecord.record_id.in_(list(wanted)))))
                fresh = [i for i in wanted if i not in known]
                session.add_all(rows(fresh))
                if fresh:
                    session.execute(update(SeenNotice).where(SeenNotice.url == url)
                                    .values(records=SeenNotice.records + len(fresh), queued_at=now))
            return len(fresh)
        except IntegrityError:  # another worker queued one of them meanwhile: one at a time
            added = 0
            for record in rows(wanted):
                try:
                    with Session(self.engine) as session, session.begin():
                        session.add(record)
                        session.execute(update(SeenNotice).where(SeenNotice.url == url)
                                        .values(records=SeenNotice.records + 1, queued_at=now))
                    added += 1
                except IntegrityError:
                    pass
            return added

    def forget(self, url: str) -> None:
        """Drop a claim that will not be worked (robots.txt forbids the address after all)."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(SeenNotice).where(SeenNotice.url == url, SeenNotice.claimed_by == self.worker_id))


def _conditional(etag: str, last_modified: str) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def conditional_headers(row: SeenNotice) -> dict[str, str]:
    """The If-None-Match / If-Modified-Since headers for re-checking a seen notice."""
    return _conditional(row.etag, row.last_modified)
