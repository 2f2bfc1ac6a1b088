"""The role reader's word lists, loaded from ``data/roles.toml``.

Kept as data, apart from the logic in ``roles.py``: a new way of naming a party is a
line in a word list.
"""

from __future__ import annotations

from dataclasses import dataclass

from .packaged import read_toml


@dataclass(frozen=True, eq=False, repr=False)
class RoleWords:
    """The words of ``data/roles.toml``; one instance, so no generated ``__eq__`` or ``__repr__`` (compiled at import)."""

    actor_suffixes: tuple[str, ...]
    default_who: tuple[tuple[str, str], ...]
    relay_verbs: tuple[str, ...]
    leads: tuple[str, ...]
    breaks: tuple[str, ...]
    clause_words: tuple[str, ...]
    office_ends: tuple[str, ...]
    unbroken: tuple[str, ...]
    not_names: tuple[str, ...]
    not_name_ends: tuple[str, ...]
    noun_goes_on: tuple[str, ...]
    label_ends: tuple[str, ...]
    by_task: tuple[tuple[str, str, bool], ...]
    not_tasks: tuple[str, ...]
    handing_verbs: tuple[str, ...]
    papers: tuple[str, ...]
    task_verbs: tuple[str, ...]
    preparing_verbs: tuple[str, ...]
    objection_verbs: tuple[str, ...]
    period_tasks: tuple[tuple[str, str], ...]

    def fallback_who(self, title: str) -> str:
        """Who a notice about ``title`` addresses when it names no one: 征求意见 → 社会公众."""
        return next(who for word, who in self.default_who if word in title)

    def period_task(self, *texts: str) -> str:
        """What a reader does in a period named ``公示`` or ``征求意见``: 提出异议, 提出意见 (else ``""``)."""
        return next((task for word, task in self.period_tasks for text in texts if word in text), "")

    def is_fallback(self, who: str) -> bool:
        """Is ``who`` one of the defaults, guessed from a title, rather than read from the notice?"""
        return any(who == default for _, default in self.default_who)

    def is_public_party(self, who: str) -> bool:
        """Is ``who`` the party of a public task (纳税人, 投标人), a specific one, not a generic filer (申报单位)?"""
        return any(who == party for _, party, public in self.by_task if public)

    def party_of(self, sentence: str, *, public: bool = False) -> str:
        """Who the task in ``sentence`` names by itself (申报纳税 → 纳税人); only a public task's if ``public``."""
        for word in self.not_tasks:
            sentence = sentence.replace(word, "")
        return next((who for word, who, open_ in self.by_task if word in sentence and (open_ or not public)), "")


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def load_role_words() -> RoleWords:
    data = read_toml("roles.toml")
    actors = data["actors"]
    return RoleWords(
        actor_suffixes=_longest_first(actors["suffixes"]),
        default_who=tuple((word, who) for word, who in data["roles"]["default_who"]),
        relay_verbs=_longest_first(actors["relay_verbs"]),
        leads=_longest_first(actors["leads"]),
        breaks=_longest_first(actors["breaks"]),
        clause_words=tuple(actors["clause_words"]),
        office_ends=_longest_first(actors["office_ends"]),
        unbroken=_longest_first(actors["unbroken"]),
        not_names=_longest_first(actors["not_names"]),
        not_name_ends=tuple(actors["not_name_ends"]),
        noun_goes_on=tuple(actors["noun_goes_on"]),
        label_ends=_longest_first(data["tasks"]["label_ends"]),
        by_task=tuple((row["word"], row["who"], row["public"]) for row in data["parties"]["by_task"]),
        not_tasks=tuple(data["parties"]["not_tasks"]),
        handing_verbs=_longest_first(data["tasks"]["handing_verbs"]),
        papers=_longest_first(data["tasks"]["papers"]),
        task_verbs=tuple(data["tasks"]["task_verbs"]),
        preparing_verbs=tuple(data["tasks"]["preparing_verbs"]),
        objection_verbs=tuple(data["tasks"]["objection_verbs"]),
        period_tasks=tuple((word, task) for word, task in data["tasks"]["period_tasks"]),
    )


ROLE_WORDS = load_role_words()
