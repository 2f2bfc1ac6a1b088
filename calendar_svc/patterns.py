"""Regular expressions of the extractor, compiled once, on first use.

Compiling the date grammar costs tens of milliseconds; commands that never
extract (``serve``, ``list``) should not pay it at import. A
:class:`LazyPattern` compiles on its first method call and then hands out the
compiled pattern's own bound methods, so later calls cost what ``re`` costs.

Every pattern of the extraction code is made here, which gives the test of
bounded work (tests/test_linear.py) one list to check: :func:`registry`.
"""

from __future__ import annotations

import re
from typing import Any

_REGISTRY: list[LazyPattern] = []


class LazyPattern:
    """``re.compile(source, flags)``, done when a method is first used."""

    def __init__(self, source: str, flags: int = 0, *, name: str = "") -> None:
        self.source = source
        self.flags = flags
        self.name = name or source[:40]
        self._compiled: re.Pattern[str] | None = None
        #: The methods called on it so far (search, match…): how the code runs it.
        self.used: set[str] = set()
        _REGISTRY.append(self)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self.source

    def __getattr__(self, name: str) -> Any:
        # Called only for names not found on the object: search, match, sub, finditer…
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        if callable(value):
            self.used.add(name)
            setattr(self, name, value)  # next time it is an instance attribute: no wrapper in between
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self.name!r})"


def lazy(source: str, flags: int = 0, *, name: str = "") -> LazyPattern:
    """A pattern compiled on first use, listed in :func:`registry`."""
    return LazyPattern(source, flags, name=name)


def registry() -> list[LazyPattern]:
    """Every pattern the extraction code made (for the bounded-work test)."""
    return list(_REGISTRY)
