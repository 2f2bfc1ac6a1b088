"""deadlines.toml rewritten in place: untouched records byte for byte, changed ones edited key by key.

A review or a re-extraction changes a few records out of thousands. Writing
the whole file anew would reflow every record a person formatted by hand
(comments, key order, line breaks) and turn each review into a noisy diff.
So the old text is cut at its ``[[deadline]]`` headers: a record whose
values did not change keeps its text; a changed record that still reads as
the store wrote it is written again the same way (so only its changed lines
differ); a changed record someone formatted by hand is edited with tomlkit,
which keeps its comments and layout and rewrites only the changed keys; a
new record is written between its neighbours by date. tomlkit parses a whole
file of 10 000 records far too slowly (its time grows faster than the file:
4.7 s for 500 records, 14 s for 1 000), so it only ever sees one record.

This module works on plain tables (dicts as TOML holds them) and knows no
records; :func:`calendar_svc.store.save` reads the result back and checks it
before writing, and writes the canonical file whenever :func:`rewrite` says
the old text cannot be kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import tomli_w

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*deadline[ \t]*\]\][ \t]*(?:#[^\n]*)?$", re.MULTILINE)
#: A line that belongs to no record: blank, or a comment (one written above the next record).
_TRIVIA = re.compile(r"[ \t]*(?:#[^\n]*)?")


def render(table: Mapping) -> str:
    """One record as the store writes it: ``[[deadline]]`` then a ``key = value`` line per field."""
    return "[[deadline]]\n" + tomli_w.dumps(table, multiline_strings=False)


def render_all(header: str, tables: Sequence[Mapping]) -> str:
    """A whole file in the canonical form: the header comment, then the records, a blank line apart."""
    return header + "\n".join(render(table) for table in tables)


@dataclass(frozen=True)
class Rewrite:
    """The new text, the ids in the order it holds them, and the ids whose text was written anew."""

    text: str
    order: list[str]
    written: set[str]


@dataclass
class _Piece:
    """A record's text in the old file, and the blank lines and comments after it (they lead the next one)."""

    body: str
    trailer: str


def rewrite(
    text: str,
    old: Sequence[Mapping],
    new: Sequence[Mapping],
    key: Callable[[Mapping], Hashable],
) -> Rewrite | None:
    """``text`` (holding the records ``old``, in order) changed to hold ``new``; None when it cannot be kept.

    ``key`` orders records; a new record goes after the last old one (in
    the file's order) whose key is not greater, so a file kept in date order
    stays in date order. A record of ``old`` missing from ``new`` is dropped.
    """
    split = _split(text, len(old))
    if split is None:
        return None
    prelude, pieces = split
    for table, piece in zip(old, pieces):
        if f'"{table["id"]}"' not in piece.body:  # the cut does not line up with the records
            return None
    wanted = {table["id"]: table for table in new}
    known = {table["id"] for table in old}
    after = _places(old, [t for t in new if t["id"] not in known], key)
    out: list[str] = [prelude]
    order: list[str] = []
    written: set[str] = set()
    trailer: str | None = None  # the text between the previous kept record and the next

    def insert(tables: list[Mapping]) -> None:
        for table in tables:
            out.append(render(table) + "\n" if trailer is None else "\n" + render(table))
            order.append(table["id"])
            written.add(table["id"])

    insert(after.get(-1, []))
    for index, (table, piece) in enumerate(zip(old, pieces)):
        updated = wanted.get(table["id"])
        if updated is None:  # dropped: so is the comment above it
            trailer = piece.trailer if trailer is not None else None
            insert(after.get(index, []))
            continue
        if trailer is not None:
            out.append(trailer)
        if updated == table:
            out.append(piece.body)
        else:
            body = _edited(piece.body, table, updated)
            if body is None:
                return None
            out.append(body)
            written.add(table["id"])
        order.append(table["id"])
        trailer = piece.trailer
        insert(after.get(index, []))
    if trailer is not None:
        out.append(trailer)
    return Rewrite("".join(out), order, written)


def _places(old: Sequence[Mapping], arriving: Sequence[Mapping], key) -> dict[int, list[Mapping]]:
    """For each new record, the index of the old record it follows (-1: before all), by :func:`bisect`.

    The last old record with a key not above ``k`` is found on the suffix
    minima of the old keys, which never decrease: linear in the file.
    """
    lowest: list = [None] * len(old)
    for index in range(len(old) - 1, -1, -1):
        mine = key(old[index])
        lowest[index] = mine if index == len(old) - 1 or mine < lowest[index + 1] else lowest[index + 1]
    places: dict[int, list[Mapping]] = {}
    for table in sorted(arriving, key=key):
        places.setdefault(bisect.bisect_right(lowest, key(table)) - 1, []).append(table)
    return places


def _split(text: str, count: int) -> tuple[str, list[_Piece]] | None:
    """The text before the first record, and each record's piece; None unless there are exactly ``count``."""
    starts = [match.start() for match in _HEADER.finditer(text)]
    if len(starts) != count:  # a header inside a multi-line string, or one spelt another way
        return None
    if not starts:
        return (text if not text or text.endswith("\n") else text + "\n"), []
    pieces = [_piece(text[start:end]) for start, end in zip(starts, [*starts[1:], len(text)])]
    return text[: starts[0]], pieces


def _piece(chunk: str) -> _Piece:
    lines = chunk.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the chunk's final newline
    cut = len(lines)
    while cut > 1 and _TRIVIA.fullmatch(lines[cut - 1]):
        cut -= 1
    body = "\n".join(lines[:cut]) + "\n"
    return _Piece(body, chunk[len(body) :])


def _edited(body: str, old: Mapping, new: Mapping) -> str | None:
    """``body`` (the text of ``old``) holding ``new``: rewritten whole if the store wrote it, else key by key."""
    if body == render(old):
        return render(new)
    import tomlkit  # only for records formatted by hand
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(body)
        tables = document.get("deadline")
        if not isinstance(tables, list) or len(tables) != 1 or set(document) != {"deadline"}:
            return None
        table = tables[0]
        for name in old:
            if name not in new and name in table:
                del table[name]
        for name, value in new.items():
            if old.get(name, _MISSING) != value or name not in table:
                table[name] = _item(value)
        edited = tomlkit.dumps(document)
    except (TOMLKitError, ValueError, TypeError):
        return None
    return edited if edited.endswith("\n") else edited + "\n"


_MISSING = object()


def _item(value):
    """A tomlkit value; a list is written one item a line, as the store writes it."""
    import tomlkit

    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(value)
        return array.multiline(bool(value))
    return value
