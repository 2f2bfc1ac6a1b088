"""The extraction pipeline: files → notices → dates → deadlines.

This is the one place that strings the stages together; the CLI and the
public API call :func:`extract` and nothing below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .classify import Problem, classify_notice
from .ingest import read_document
from .model import Deadline
from .notices import Notice, split_notices


@dataclass
class Extraction:
    """What one run found: the deadlines, the problems to report, the notices read."""

    deadlines: list[Deadline] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def extract(
    paths: Iterable[str],
    *,
    reference: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Extraction:
    """Extract every deadline from ``paths`` (``-`` is stdin).

    ``reference`` dates notices that carry no date of their own, for
    inferring omitted years. Unreadable files raise :class:`InputError`
    before anything is written anywhere.
    """
    result = Extraction()
    for path in paths:
        document = read_document(path)
        notices = split_notices(document.text, document.name)
        found = 0
        for notice in notices:
            deadlines, problems = classify_notice(notice, reference)
            result.deadlines.extend(deadlines)
            result.problems.extend(problems)
            found += len(deadlines)
        result.notices.extend(notices)
        result.files.append(document.name)
        if progress is not None:
            progress(document.name, found)
    return result
