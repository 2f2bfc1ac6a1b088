"""A step counter for regular expressions: how much a backtracking engine does on a text.

Python's ``re`` is a backtracking matcher and exposes no step count, and timing
is not a measure a test can rely on. This module interprets the same parse tree
that ``re`` compiles (``re._parser``) the way a backtracking engine runs it, and
counts one step per node tried. It does less optimising than ``re`` (no
literal-prefix skipping), so its count bounds the real work from above, and its
growth with the input is the real growth: a pattern that backtracks
quadratically counts quadratically here.

Supported: everything the extractor's patterns use (literals, classes,
categories, alternation, groups, greedy/lazy/possessive repeats, atomic
groups, anchors, look-ahead and look-behind, back-references).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from re import _constants as C  # noqa: N812
from re import _parser

Continuation = Callable[[int], bool]
#: The interpreter recurses once or twice per character: texts stay short.
MAX_TEXT = 2_000
sys.setrecursionlimit(max(sys.getrecursionlimit(), 40 * MAX_TEXT))


class Budget(Exception):
    """Raised when a count passes its limit: the pattern is already far from linear."""


class Unmodelled(Exception):
    """A regex construct the step model does not cover. It fails the test loudly rather than guessing a
    count: a new pattern that uses one needs a model here first (``test_the_step_counter_finds_what_re_finds``
    runs every registered pattern through the model)."""


class StepCounter:
    """Counts the steps of matching one pattern; :meth:`search` and :meth:`match` as ``re`` runs them."""

    def __init__(self, source: str, flags: int = 0, limit: int = 5_000_000) -> None:
        self.tree = _parser.parse(source, flags)
        self.flags = self.tree.state.flags
        self.limit = limit
        self.steps = 0
        #: The span of the match found by the last run, or None.
        self.found: tuple[int, int] | None = None
        self.text = ""
        self.groups: dict[int, tuple[int, int]] = {}

    # -- the two ways a pattern is run --------------------------------------------------------
    def search(self, text: str) -> int:
        """Steps to find the first match (or none), trying each start as ``re.search`` does."""
        self._start(text)
        for start in range(len(text) + 1):
            self._tick()
            if self._seq(self.tree.data, 0, start, self._found_from(start)):
                break
        return self.steps

    def match(self, text: str) -> int:
        """Steps of ``re.match`` at position 0."""
        self._start(text)
        self._seq(self.tree.data, 0, 0, self._found_from(0))
        return self.steps

    def _found_from(self, start: int) -> Continuation:
        def found(end: int) -> bool:
            self.found = (start, end)
            return True

        return found

    def _start(self, text: str) -> None:
        if len(text) > MAX_TEXT:
            raise ValueError(f"regex_work reads texts of at most {MAX_TEXT} characters")
        self.text, self.steps, self.groups, self.found = text, 0, {}, None

    def _tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.limit:
            raise Budget(self.steps)

    # -- the interpreter ------------------------------------------------------------------------
    def _seq(self, items: list, index: int, pos: int, k: Continuation) -> bool:
        if index == len(items):
            return k(pos)
        self._tick()
        op, av = items[index]
        text = self.text

        def rest(end: int) -> bool:
            return self._seq(items, index + 1, end, k)

        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.CATEGORY):
            return pos < len(text) and self._char(op, av, text[pos]) and rest(pos + 1)
        if op is C.SUBPATTERN:
            group, _, _, body = av

            def close(end: int) -> bool:
                saved = self.groups.get(group)
                if group is not None:
                    self.groups[group] = (pos, end)
                if rest(end):
                    return True
                if group is not None:
                    if saved is None:
                        self.groups.pop(group, None)
                    else:
                        self.groups[group] = saved
                return False

            return self._seq(body.data, 0, pos, close)
        if op is C.BRANCH:
            for branch in av[1]:  # a loop, not any(): recursion through C would use the C stack
                if self._seq(branch.data, 0, pos, rest):
                    return True
            return False
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            return self._repeat(op is C.MAX_REPEAT, av, pos, rest)
        if op in (C.POSSESSIVE_REPEAT, C.ATOMIC_GROUP):
            end = self._first_end(av if op is C.ATOMIC_GROUP else None, pos, av if op is C.POSSESSIVE_REPEAT else None)
            return end is not None and rest(end)
        if op is C.AT:
            return self._at(av, pos) and rest(pos)
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, body = av
            if direction == 1:
                found = self._seq(body.data, 0, pos, _accept)
            else:
                width = body.getwidth()[0]
                found = pos - width >= 0 and self._seq(body.data, 0, pos - width, lambda end: end == pos)
            return found == (op is C.ASSERT) and rest(pos)
        if op is C.GROUPREF:
            if av not in self.groups:
                return False
            a, b = self.groups[av]
            piece = text[a:b]
            self._tick(len(piece))
            return text.startswith(piece, pos) and rest(pos + len(piece))
        if op is C.GROUPREF_EXISTS:
            group, yes, no = av
            branch = yes if group in self.groups else no
            return self._seq(branch.data if branch is not None else [], 0, pos, rest)
        raise Unmodelled(f"regex_work: no model for {op}")

    def _repeat(self, greedy: bool, av, pos: int, rest: Continuation) -> bool:
        low, high, body = av
        items = body.data
        if len(items) == 1 and items[0][0] in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.CATEGORY):
            return self._repeat_char(greedy, low, high, items[0], pos, rest)

        def more(count: int, at: int) -> bool:
            self._tick()
            def again(end: int) -> bool:
                return end != at and more(count + 1, end)  # an empty round ends the repeat, as in re

            if greedy:
                if count < high and self._seq(items, 0, at, again):
                    return True
                return count >= low and rest(at)
            if count >= low and rest(at):
                return True
            return count < high and self._seq(items, 0, at, again)

        return more(0, pos)

    def _repeat_char(self, greedy: bool, low: int, high: int, item, pos: int, rest: Continuation) -> bool:
        """A repeat of one character class, run as re's REPEAT_ONE: count the run, then back off."""
        op, av = item
        text = self.text
        if greedy:
            end = pos
            while end - pos < high and end < len(text) and self._char(op, av, text[end]):
                end += 1
            self._tick(end - pos + 1)
            for stop in range(end, pos + low - 1, -1):
                self._tick()
                if rest(stop):
                    return True
            return False
        stop = pos
        while True:
            self._tick()
            if stop - pos >= low and rest(stop):
                return True
            if stop - pos >= high or stop >= len(text) or not self._char(op, av, text[stop]):
                return False
            stop += 1

    def _first_end(self, group_body, pos: int, repeat) -> int | None:
        """Where an atomic group or a possessive repeat ends (its first way of matching, kept)."""
        ends: list[int] = []

        def keep(end: int) -> bool:
            ends.append(end)
            return True

        if group_body is not None:
            self._seq(group_body.data, 0, pos, keep)
        else:
            low, high, body = repeat
            self._repeat(True, (low, high, body), pos, keep)
        return ends[0] if ends else None

    def _at(self, where, pos: int) -> bool:
        text, multiline = self.text, self.flags & re.MULTILINE
        if where in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
            return pos == 0 or (where is C.AT_BEGINNING and multiline and text[pos - 1] == "\n")
        if where is C.AT_BEGINNING_LINE:
            return pos == 0 or text[pos - 1] == "\n"
        if where is C.AT_END:
            at_end = pos == len(text) or (pos == len(text) - 1 and text[pos] == "\n")
            return at_end or bool(multiline and pos < len(text) and text[pos] == "\n")
        if where is C.AT_END_LINE:
            return pos == len(text) or text[pos] == "\n"
        if where is C.AT_END_STRING:
            return pos == len(text)
        if where in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY, C.AT_UNI_BOUNDARY, C.AT_UNI_NON_BOUNDARY):
            left = pos > 0 and _word(text[pos - 1])
            right = pos < len(text) and _word(text[pos])
            return (left != right) == (where in (C.AT_BOUNDARY, C.AT_UNI_BOUNDARY))
        raise Unmodelled(f"regex_work: no model for {where}")

    def _char(self, op, av, char: str) -> bool:
        if op is C.LITERAL:
            return ord(char) == av
        if op is C.NOT_LITERAL:
            return ord(char) != av
        if op is C.ANY:
            return char != "\n" or bool(self.flags & re.DOTALL)
        if op is C.CATEGORY:
            return _category(av, char)
        negate, hit = False, False
        for kind, value in av:
            if kind is C.NEGATE:
                negate = True
            elif kind is C.LITERAL:
                hit = hit or ord(char) == value
            elif kind is C.RANGE:
                hit = hit or value[0] <= ord(char) <= value[1]
            elif kind is C.CATEGORY:
                hit = hit or _category(value, char)
            else:
                raise Unmodelled(f"regex_work: no model for {kind} in a class")
        return hit != negate


def longest_bound(source: str, flags: int = 0) -> int:
    """The largest finite repeat count in the pattern (``{0,80}`` → 80): below that, work may look quadratic."""
    def walk(items) -> int:
        best = 0
        for op, av in items:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                low, high, body = av
                best = max(best, high if high != C.MAXREPEAT else low, walk(body.data))
            elif op is C.SUBPATTERN or op in (C.ASSERT, C.ASSERT_NOT):
                best = max(best, walk(av[-1].data))
            elif op is C.ATOMIC_GROUP:
                best = max(best, walk(av.data))
            elif op is C.BRANCH:
                best = max([best] + [walk(branch.data) for branch in av[1]])
        return best

    return walk(_parser.parse(source, flags).data)


def _accept(end: int) -> bool:
    return True


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _category(category, char: str) -> bool:
    tests = {
        C.CATEGORY_DIGIT: char.isdecimal(),
        C.CATEGORY_NOT_DIGIT: not char.isdecimal(),
        C.CATEGORY_SPACE: char.isspace(),
        C.CATEGORY_NOT_SPACE: not char.isspace(),
        C.CATEGORY_WORD: _word(char),
        C.CATEGORY_NOT_WORD: not _word(char),
    }
    if category not in tests:
        raise Unmodelled(f"regex_work: no model for {category}")
    return tests[category]
