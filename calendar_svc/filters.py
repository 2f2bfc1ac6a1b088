"""Which deadlines a view shows: the one filter the feed, the JSON, the page and the reminders share.

It lives below all of them so that a subscription, a feed URL and a page link
always pick the same records.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import CalendarSvcError
from .model import KIND_NAMES, KINDS, Deadline

#: Query parameters every view accepts; anything else is a 400 (a typo would otherwise widen the feed).
FILTER_PARAMS = ("issuer", "tag", "kind", "who", "q", "deadlines")
#: The feed's own parameter beside the filter: ``past=all`` keeps every past deadline (default: the recent past).
PAST_PARAM = "past"
_MAX_VALUES = 20
_MAX_LENGTH = 200


#: Chinese names of the parameters, for the page's error banner.
PARAM_NAMES = {"issuer": "发文机关", "tag": "标签", "kind": "类型", "who": "对象", "q": "搜索", "deadlines": "正式/内部截止"}
#: ``deadlines=``: official ones only, internal ones only (see :mod:`calendar_svc.internal`); both when absent.
DEADLINE_CHOICES = {"official": "仅正式截止", "internal": "仅内部截止", "both": ""}


class FilterError(CalendarSvcError):
    """A query string the views refuse; the message says what to send instead.

    ``zh`` says the same in Chinese: the page shows it, and the feed and JSON give it first, then the terse English.
    """

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or message


@dataclass(frozen=True)
class Filters:
    """A selection of deadlines: OR within a parameter, AND across parameters.

    ``issuer`` and ``who`` match as substrings (``推荐单位`` finds ``各推荐单位``),
    ``tag`` and ``kind`` exactly, ``q`` every word anywhere in the record.
    """

    issuer: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    q: str = ""
    #: ``official`` or ``internal``; ``""`` shows both.
    deadlines: str = ""

    @property
    def active(self) -> bool:
        return bool(self.issuer or self.tag or self.kind or self.who or self.q or self.deadlines)

    def items(self) -> list[tuple[str, str]]:
        """The filter as query pairs in a fixed order, for links and cache keys."""
        pairs = [(name, value) for name in ("issuer", "tag", "kind", "who") for value in getattr(self, name)]
        if self.q:
            pairs.append(("q", self.q))
        if self.deadlines:
            pairs.append(("deadlines", self.deadlines))
        return pairs

    def canonical(self) -> Filters:
        """The same selection written one way (values sorted, search words sorted once each).

        Two URLs that pick the same records then share one cache entry and one feed.
        """
        return Filters(
            issuer=tuple(sorted(self.issuer)),
            tag=tuple(sorted(self.tag)),
            kind=tuple(sorted(self.kind)),
            who=tuple(sorted(self.who)),
            q=" ".join(sorted(set(self.q.split()))),
            deadlines=self.deadlines,
        )

    def label(self) -> str:
        """A short Chinese description, appended to the calendar name of a filtered feed."""
        parts = [*self.issuer, *self.tag, *(KIND_NAMES.get(k, k) for k in self.kind), *self.who]
        if self.q:
            parts.append(f"“{self.q}”")
        if self.deadlines:
            parts.append(DEADLINE_CHOICES[self.deadlines])
        return " · ".join(parts)

    def matches(self, d: Deadline) -> bool:
        if self.deadlines and (self.deadlines == "internal") != bool(d.internal_of):
            return False
        if self.issuer and not any(_norm(v) in _norm(d.notice.issuer) for v in self.issuer):
            return False
        if self.tag and not set(self.tag) & set(d.tags):
            return False
        if self.kind and d.kind not in self.kind:
            return False
        if self.who and not any(_norm(v) in _norm(d.who) for v in self.who):
            return False
        if self.q:
            haystack = _norm(" ".join(_searchable(d)))
            return all(word in haystack for word in _norm(self.q).split())
        return True


def parse_filters(params: Mapping[str, Sequence[str]]) -> Filters:
    """Validate a query string (name → values); refuse unknown names and kinds with a clear message."""
    unknown = sorted(set(params) - set(FILTER_PARAMS))
    if unknown:
        raise FilterError(
            f"unknown parameter {unknown[0]!r}; allowed: {', '.join(FILTER_PARAMS)}",
            f"不认识的参数“{unknown[0]}”；可用的参数：{'、'.join(f'{n}（{PARAM_NAMES[n]}）' for n in FILTER_PARAMS)}",
        )
    values: dict[str, tuple[str, ...]] = {}
    for name in FILTER_PARAMS:
        given = [v.strip() for v in params.get(name, ()) if v.strip()]
        if len(given) > _MAX_VALUES:
            raise FilterError(
                f"too many values for {name!r} (at most {_MAX_VALUES})",
                f"{PARAM_NAMES[name]}最多可选 {_MAX_VALUES} 项",
            )
        for value in given:
            if len(value) > _MAX_LENGTH:
                raise FilterError(
                    f"value of {name!r} is too long (at most {_MAX_LENGTH} characters)",
                    f"{PARAM_NAMES[name]}的内容太长（最多 {_MAX_LENGTH} 个字）",
                )
        values[name] = tuple(dict.fromkeys(given))
    bad = [k for k in values["kind"] if k not in KINDS]
    if bad:
        raise FilterError(
            f"unknown kind {bad[0]!r}; expected one of {', '.join(KINDS)}",
            f"不认识的类型“{bad[0]}”；可选：{'、'.join(f'{k}（{KIND_NAMES[k]}）' for k in KINDS)}",
        )
    choice = values["deadlines"][-1] if values["deadlines"] else "both"
    if choice not in DEADLINE_CHOICES:
        raise FilterError(
            f"unknown deadlines={choice[:_MAX_LENGTH]!r}; expected official, internal or both",
            f"“{PARAM_NAMES['deadlines']}”只能是 official（正式截止）、internal（内部截止）或 both（两者）",
        )
    return Filters(
        issuer=values["issuer"],
        tag=values["tag"],
        kind=values["kind"],
        who=values["who"],
        q=" ".join(values["q"]),
        deadlines="" if choice == "both" else choice,
    )


def parse_feed_query(params: Mapping[str, Sequence[str]]) -> tuple[Filters, bool]:
    """A feed URL's query: the filter, and whether ``past=all`` asks for the whole history."""
    past = [v.strip() for v in params.get(PAST_PARAM, ()) if v.strip()]
    if any(value != "all" for value in past):
        raise FilterError(
            f"bad value {past[0][:_MAX_LENGTH]!r} for 'past'; the only one is past=all",
            "“past”只能是 all（含已过期的截止日期）",
        )
    return parse_filters({k: v for k, v in params.items() if k != PAST_PARAM}), bool(past)


def select(deadlines: Iterable[Deadline], filters: Filters = Filters()) -> list[Deadline]:
    """The visible deadlines ``filters`` picks, soonest due first: what the feed, JSON and page show."""
    chosen = [d for d in deadlines if d.visible and filters.matches(d)]
    return sorted(chosen, key=lambda d: (d.due, d.id))


def _norm(text: str) -> str:
    """Full-width and half-width forms, and case, compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def _searchable(d: Deadline) -> list[str]:
    n = d.notice
    return [d.summary, d.what, d.who, d.quote, d.notes, n.title, n.issuer, n.doc_no, *d.tags, KIND_NAMES.get(d.kind, "")]
