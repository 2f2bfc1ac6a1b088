"""The watcher as the CLI and ``serve`` open it: settings → sources, database, polite client, clock."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..config import Settings
from ..db import make_engine, unreachable
from ..ingest.limits import Limits, default_limits
from ..model import SHANGHAI
from .config import Source, load_sources
from .ledger import Ledger
from .polite import Polite
from .tables import SourceState
from .watch import Watcher, worker_name


def system_clock() -> dt.datetime:
    return dt.datetime.now(SHANGHAI)


def user_agent(contact: str, limits: Limits | None = None) -> str:
    """``calendar-svc/0.1 (+deadline calendar for policy notices; contact: …)``: who is asking, and how to reach them."""
    base = (limits or default_limits()).web.user_agent
    if not contact:
        return base
    return base[:-1] + f"; contact: {contact})" if base.endswith(")") else f"{base} (contact: {contact})"


def open_watcher(
    settings: Settings,
    *,
    now: Callable[[], dt.datetime] = system_clock,
    engine: Engine | None = None,
    limits: Limits | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    worker_id: str | None = None,
) -> Watcher:
    """A watcher of the sources in ``settings.sources_file``, merging into ``settings.deadlines``."""
    sources = load_sources(settings.sources_file)
    limits = limits or default_limits()
    polite = Polite(limits, user_agent=user_agent(settings.contact, limits), interval=settings.crawl_interval,
                    clock=clock, sleep=sleep)
    engine = engine or make_engine(settings.database_url)
    return Watcher(sources, engine=engine, deadlines=settings.deadlines, polite=polite, now=now,
                   worker_id=worker_id or worker_name())


@dataclass(frozen=True)
class SourceRow:
    """A source as ``calendar-svc sources`` and the review page show it."""

    source: Source
    state: SourceState | None
    notices: int

    @property
    def failing(self) -> bool:
        return self.state is not None and (self.state.failures or 0) > 0


def source_rows(settings: Settings, *, engine: Engine | None = None) -> list[SourceRow]:
    """Every configured source with its state in the database (none yet if never checked)."""
    sources = load_sources(settings.sources_file)
    engine = engine or make_engine(settings.database_url)
    try:
        ledger = Ledger(engine, "report")
        states, counts = ledger.states(), ledger.notice_counts()
    except SQLAlchemyError as exc:
        raise unreachable(exc, engine) from None
    return [SourceRow(s, states.get(s.name), counts.get(s.name, 0)) for s in sources]


@dataclass(frozen=True)
class Failing:
    """A source whose last checks failed, as the review page shows it."""

    name: str
    url: str
    failures: int
    error: str
    last_check: str


def failing_sources(engine: Engine, sources_file) -> list[Failing]:
    """The configured sources whose last check failed, worst first."""
    names = {s.name: s for s in load_sources(sources_file)}
    try:
        states = Ledger(engine, "report").states()
    except SQLAlchemyError as exc:
        raise unreachable(exc, engine) from None
    found = []
    for name, state in states.items():
        if name in names and state.failures:
            local = state.last_check.astimezone(SHANGHAI) if state.last_check else None
            when = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" if local else ""
            found.append(Failing(name, names[name].url, state.failures, state.last_error, when))
    return sorted(found, key=lambda f: (-f.failures, f.name))
