"""Dates that bound a term of validity, which nobody acts by.

A policy states its own term (``本办法自2024年2月1日起施行,有效期至2028年12月31日``, ``第四条 本意见自印发之日起
执行,2021年12月31日截止``): the end of it is when the rules stop applying, not a day to file by. The words are
data (``data/terms.toml``); this module is the logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .context import Context, strip_list_mark
from .packaged import read_toml
from .patterns import LazyPattern, lazy
from .vocabulary import VOCABULARY as V


@dataclass(frozen=True, eq=False, repr=False)
class _Terms:
    """``data/terms.toml``, read once; one instance, so no generated ``__eq__`` or ``__repr__`` (compiled at import)."""

    own_document: LazyPattern
    own_before: tuple[str, ...]
    own_after: tuple[str, ...]


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _terms() -> _Terms:
    own = read_toml("terms.toml")["own_term"]
    return _Terms(
        # 第四条 本意见…, 本实施细则…: the document naming itself opens the sentence (a few words may qualify it).
        own_document=lazy(
            r"^(?:第[一二三四五六七八九十百零〇\d]{1,6}条)?(?:" + _alternation(own["self_words"])
            + r")[\u4e00-\u9fff]{0,6}?(?:" + _alternation(own["documents"]) + ")",
            name="own document",
        ),
        own_before=tuple(own["before"]),
        own_after=tuple(own["after"]),
    )


def own_term(c: Context) -> bool:
    """The date bounds the notice's own term: the sentence opens with the document naming itself (本办法…), the
    date's clause says a term ends (有效期至…, …截止, 至…止) and names no act of the readers."""
    t = _terms()
    if not t.own_document.match(strip_list_mark(c.sentence)):
        return False
    before = c.clause_before
    ends = before.endswith(t.own_before) or c.clause_after.startswith(t.own_after)
    if not ends:
        return False
    rest = before + c.clause_after
    for word in (*t.own_before, *t.own_after):
        rest = rest.replace(word, "")
    return not V.has_action(rest)
