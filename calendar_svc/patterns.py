"""Regular expressions of the extractor, compiled once, on first use, and cached between runs.

Compiling the extractor's ~100 patterns costs ~50 ms (the date grammar alone ~15 ms:
``re`` builds a bitmap for every ``[\\u4e00-\\u9fff]`` in Python), a third of a whole
``calendar-svc extract`` process, and commands that never extract (``serve``, ``list``)
should not pay it at all. So a :class:`LazyPattern` compiles on its first method call and
then hands out the compiled pattern's own bound methods, so later calls cost what ``re``
costs.

What the compiler produces (the regex engine's program, a list of integers) is kept in a
cache file beside this module's bytecode, under bytecode's rules: keyed on the exact
Python build, not written when ``sys.dont_write_bytecode`` is set (PYTHONDONTWRITEBYTECODE)
or the folder is read-only, and a file that does not fit is ignored. A later process hands
the cached program straight to the engine (``_sre.compile``, what ``re.compile`` ends in),
which takes microseconds. An entry is stored only after the pattern rebuilt from it
compared equal to ``re.compile``'s own (patterns compare by source, flags and program), so
the cache can make a pattern faster to build but never different.

Every pattern of the extraction code is made here, which gives the test of bounded work
(tests/test_linear.py) one list to check: :func:`registry`.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:  # CPython's regex engine and compiler: the cache needs them, the patterns do not
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python: compile every time
    _sre = None

_REGISTRY: list[LazyPattern] = []

#: What a cache file must have been written by: this format, this exact Python build, this engine.
_CACHE_KEY = ("calendar-svc regex cache 1", sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))

#: (source, flags) → the arguments of ``_sre.compile`` after the source.
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


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
            self._compiled = _CACHE.compile(self.source, self.flags)
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


class StartsPattern(LazyPattern):
    """A pattern searched for only where ``starts`` matches: where every match of it begins.

    ``re`` skips ahead in a tight loop only for a pattern led by a literal or a character class;
    one led by a lookahead or a group is entered at every character (~18 ns each in a Chinese
    text, 1.6 ms for the corpus document). ``starts``, led by a character class and holding
    wherever a match can begin, finds the places to try; the pattern is matched there. The
    matches are the plain pattern's (tests/test_fast_paths.py), for patterns that never match
    the empty string.
    """

    def __init__(self, source: str, flags: int = 0, *, starts: str, name: str = "") -> None:
        super().__init__(source, flags, name=name)
        self.starts = LazyPattern(starts, name=f"where {self.name} starts")

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.used.add("search")
        match, find = self.compiled.match, self.starts.search
        while (start := find(string, pos, endpos)) is not None:
            found = match(string, start.start(), endpos)
            if found is not None:
                return found
            pos = start.start() + 1
        return None

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        self.used.add("finditer")
        while (found := self.search(string, pos, endpos)) is not None:
            yield found
            pos = found.end()


class CompiledCache:
    """Compiled regex programs of earlier runs, read from ``path`` once, written back at exit if it grew."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[tuple[str, int], _Entry] | None = None
        self._grew = False

    def compile(self, source: str, flags: int = 0) -> re.Pattern[str]:
        """The same pattern as ``re.compile(source, flags)``: from the cache when it holds it."""
        if _sre is None or self.path is None:
            return re.compile(source, flags)
        entries = self._load()
        entry = entries.get((source, int(flags)))
        if entry is not None:
            try:
                return _sre.compile(source, *entry)
            except (TypeError, ValueError, RuntimeError):  # not a program this engine accepts: compile anew
                del entries[(source, int(flags))]
        compiled = re.compile(source, flags)
        entry = _program(source, flags)
        if entry is not None and _sre.compile(source, *entry) == compiled:
            entries[(source, int(flags))] = entry
            if not self._grew and not sys.dont_write_bytecode:
                self._grew = True
                atexit.register(self.save)
        return compiled

    def _load(self) -> dict[tuple[str, int], _Entry]:
        if self._entries is None:
            self._entries = {}
            try:
                key, entries = marshal.loads(self.path.read_bytes())
                if key == _CACHE_KEY and isinstance(entries, dict):
                    self._entries = entries
            except (OSError, EOFError, ValueError, TypeError):  # missing, truncated or foreign: start empty
                pass
        return self._entries

    def save(self) -> None:
        """Write the programs of the patterns that exist now (a temp file, then a rename); quietly skip if it cannot."""
        if not self._grew or self._entries is None or self.path is None:
            return
        current = {(p.source, int(p.flags)) for p in _REGISTRY}
        kept = {key: entry for key, entry in self._entries.items() if key in current}
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(exist_ok=True)
            temp.write_bytes(marshal.dumps((_CACHE_KEY, kept)))
            os.replace(temp, self.path)
            self._grew = False
        except OSError:  # a read-only install: every run compiles, as before
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                pass


def _program(source: str, flags: int) -> _Entry | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``source``, in plain marshallable values."""
    try:
        tree = _parser.parse(source, flags)
        code = _compiler._code(tree, flags)
        groups = tree.state.groupdict
        index: list[str | None] = [None] * tree.state.groups
        for name, number in groups.items():
            index[number] = name
        return int(flags | tree.state.flags), [int(op) for op in code], tree.state.groups - 1, dict(groups), tuple(index)
    except Exception:  # noqa: BLE001 - the compiler's internals changed: this pattern is simply not cached
        return None


def _default_cache_path() -> Path | None:
    """``__pycache__/patterns.<python tag>.regex`` beside this module, as for its bytecode."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = Path(sys.pycache_prefix) / "calendar_svc" if sys.pycache_prefix else Path(__file__).parent / "__pycache__"
    return folder / f"patterns.{tag}.regex"


_CACHE = CompiledCache(_default_cache_path())


def lazy(source: str, flags: int = 0, *, name: str = "", starts: str = "") -> LazyPattern:
    """A pattern compiled on first use, listed in :func:`registry`; searched only where ``starts`` matches, if given
    (:class:`StartsPattern`)."""
    if starts:
        return StartsPattern(source, flags, starts=starts, name=name)
    return LazyPattern(source, flags, name=name)


def registry() -> list[LazyPattern]:
    """Every pattern the extraction code made (for the bounded-work test)."""
    return list(_REGISTRY)
