"""The extraction pipeline: inputs → documents → notices → dates → deadlines.

This is the one place that strings the stages together; the CLI and the
public API call :func:`extract` and nothing below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .classify import Problem, classify_notice
from .errors import InputError
from .ingest import Document, Limits, read_inputs
from .model import SHANGHAI, Deadline, NoticeRef, Source, identity_keys, notice_key
from .notices import Notice, split_notices


@dataclass
class Extraction:
    """What one run found: the deadlines, the problems to report, the notices read, the inputs that failed.

    ``scope`` holds the identity keys (:func:`model.identity_keys`) of every
    document and notice read, so a merge flags as vanished only records of
    those documents.
    """

    deadlines: list[Deadline] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    scope: set[str] = field(default_factory=set)


def extract(
    inputs: Iterable[str],
    *,
    reference: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
    limits: Limits | None = None,
    read: Callable[[str], tuple[list[Document], list[InputError]]] | None = None,
    today: dt.date | None = None,
) -> Extraction:
    """Extract every deadline from ``inputs``: paths (``-`` is stdin) or http(s) addresses.

    ``reference`` dates notices that carry no date of their own, for
    inferring omitted years. An input that cannot be read lands in
    ``errors`` (one clear message naming it) and contributes nothing; the
    other inputs still go through. ``read`` replaces how an input becomes
    documents (the source watcher reads addresses through its polite fetcher).
    ``today`` (default: the current day in Shanghai) bounds the
    years guessed for notices that name none; those records are candidates for review.
    """
    today = today or dt.datetime.now(SHANGHAI).date()
    result = Extraction()
    seen = _SameNotice()
    for item in inputs:
        documents, errors = read(item) if read is not None else read_inputs(item, limits=limits)
        result.errors.extend(errors)
        pages: dict[str, Notice] = {}
        for document in documents:
            notices = split_notices(document.text, document.name)
            if document.parent and document.parent in pages:
                for notice in notices:
                    _inherit(notice, pages[document.parent])
            elif notices:
                pages[document.name] = notices[0]
            found = 0
            for notice in notices:
                seen.unify(notice)
                deadlines, problems = classify_notice(notice, reference, today)
                kept = [_with_source(d, document) for d in deadlines if seen.first_time(d, document.name)]
                result.deadlines.extend(kept)
                result.problems.extend(problems)
                result.scope |= identity_keys(_source(document), notice.ref)
                found += len(kept)
            result.scope |= identity_keys(_source(document), _NO_NOTICE)
            result.notices.extend(notices)
            result.files.append(document.name)
            if progress is not None:
                progress(document.name, found)
    return result


def _source(document: Document, line: int = 0) -> Source:
    return Source(document.name, line, url=document.url, sha256=document.sha256)


def _with_source(deadline: Deadline, document: Document) -> Deadline:
    return replace(deadline, source=_source(document, deadline.source.line))


_NO_NOTICE = NoticeRef(title="")


def _inherit(notice: Notice, page: Notice) -> None:
    """An attachment is part of the page's notice: its title, and what it does not say itself."""
    notice.title = page.title
    notice.issuer = notice.issuer or page.issuer
    notice.doc_no = notice.doc_no or page.doc_no
    notice.date = notice.date or page.date


class _SameNotice:
    """One notice met by two routes in a run (a page and its .docx; the same 文号, or title and date) is one.

    The later copy takes the first one's title, so ids agree, and a record
    already found (same id, or same kind and dates in the same notice) is
    not added twice.
    """

    def __init__(self) -> None:
        self.by_doc_no: dict[str, Notice] = {}
        self.by_title: dict[str, Notice] = {}
        self.ids: dict[str, str] = {}
        self.moments: dict[tuple, str] = {}

    def unify(self, notice: Notice) -> None:
        first = self.by_doc_no.get(notice.doc_no) if notice.doc_no else None
        first = first or self.by_title.get(_title_key(notice))
        if first is not None and first is not notice:
            _inherit(notice, first)
        else:
            if notice.doc_no:
                self.by_doc_no.setdefault(notice.doc_no, notice)
            if notice.date:
                self.by_title.setdefault(_title_key(notice), notice)

    def first_time(self, deadline: Deadline, document: str) -> bool:
        """False for a record another document of this run already gave."""
        moment = (notice_key(deadline.notice), deadline.kind, deadline.start, deadline.end)
        if self.ids.get(deadline.id, document) != document or self.moments.get(moment, document) != document:
            return False
        self.ids.setdefault(deadline.id, document)
        self.moments.setdefault(moment, document)
        return True


def _title_key(notice: Notice) -> str:
    return "".join(notice.title.split()) + "|" + (notice.date.isoformat() if notice.date else "")
