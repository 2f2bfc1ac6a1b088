"""Errors that carry where the problem is, so users can fix their input."""

from __future__ import annotations


class CalendarSvcError(Exception):
    """Base class: the CLI prints these as one clear line and exits non-zero."""


class InputError(CalendarSvcError):
    """Bad input: names the file, the line (when known) and the problem."""

    def __init__(self, file: str, problem: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}")
