"""The classifier's vocabulary, loaded from ``data/vocabulary.toml``.

Kept as data so that a new phrasing is a one-line change to a word list,
reviewed like any other data, and not an edit to the classifier's logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .packaged import read_toml
from .patterns import LazyPattern, lazy


@dataclass(frozen=True, eq=False, repr=False)
class Vocabulary:
    """The words and patterns of ``data/vocabulary.toml``; one instance, so no generated ``__eq__`` or ``__repr__``
    (each generated method is compiled at import)."""

    title_pattern: LazyPattern
    single_title_ends: tuple[str, ...]
    issuer_aliases: dict[str, str]
    deadline_after: tuple[str, ...]
    deadline_before: tuple[str, ...]
    deadline_weak_before: tuple[str, ...]
    start_after: tuple[str, ...]
    start_before: tuple[str, ...]
    closes_after: tuple[str, ...]
    opened_before: tuple[str, ...]
    actions: tuple[str, ...]
    #: Any of :attr:`actions`: one search of a sentence, not one scan of it per word (~100 words: 6x faster).
    action_words: LazyPattern
    periods: tuple[str, ...]
    consultations: tuple[str, ...]
    incidental_after_prefixes: tuple[str, ...]
    incidental_before_words: tuple[str, ...]
    incidental_after_words: tuple[str, ...]
    organiser_actions: tuple[str, ...]
    enforcement_acts: tuple[str, ...]
    organiser_subjects: tuple[str, ...]
    organiser_reviews: tuple[str, ...]
    organiser_offices: tuple[str, ...]
    organiser_units: tuple[str, ...]
    organiser_verbs: tuple[str, ...]
    passed_on: LazyPattern
    hand_in_verbs: tuple[str, ...]
    system_subjects: tuple[str, ...]
    panels: tuple[str, ...]
    work_subjects: tuple[str, ...]
    done_verbs: tuple[str, ...]
    attribute_events: tuple[str, ...]
    attribute_labels: tuple[str, ...]
    range_times: tuple[str, ...]
    panel_verbs: tuple[str, ...]
    published_verbs: tuple[str, ...]
    published_things: tuple[str, ...]
    as_of_states: tuple[str, ...]
    as_of_reports: tuple[str, ...]
    system_steps: tuple[str, ...]
    asks: tuple[str, ...]
    effective_after: tuple[str, ...]
    goal_before: tuple[str, ...]
    holidays: tuple[str, ...]
    superseded_before: tuple[str, ...]
    scope_labels: tuple[str, ...]
    scope_bounds: tuple[str, ...]
    reviewed_year: tuple[str, ...]
    reviewed_year_next: tuple[str, ...]
    holiday_breaks: tuple[str, ...]

    def has_action(self, text: str) -> bool:
        """Does ``text`` name something a reader does (提交, 报送, 申报…)?"""
        return self.action_words.search(text) is not None

    def canonical_issuer(self, name: str) -> str:
        """The name people filter by: ``工信部`` → ``工业和信息化部`` (also as a prefix)."""
        name = name.strip(" 、")
        for short, full in self.issuer_aliases.items():
            if name == short:
                return full
            if name.startswith(short) and not name.startswith(full):
                return full + name[len(short):]
        return name


def _collected(papers: list[str], verbs: list[str]) -> tuple[str, ...]:
    """准考证发放, 发放准考证, …: a paper handed out is an act of the readers, who collect it."""
    return tuple(w for paper in papers for verb in verbs for w in (paper + verb, verb + paper))


def load_vocabulary() -> Vocabulary:
    data = read_toml("vocabulary.toml")
    cues, incidental = data["cues"], data["incidental"]
    actions = (*cues["actions"], *_collected(cues["collected"], cues["handed_out"]))
    return Vocabulary(
        title_pattern=lazy("|".join(f"(?:{p})" for p in data["titles"]["patterns"]), name="title"),
        single_title_ends=tuple(data["titles"]["single_ends"]),
        issuer_aliases=dict(data["issuers"]["aliases"]),
        deadline_after=tuple(cues["deadline_after"]),
        deadline_before=tuple(cues["deadline_before"]),
        deadline_weak_before=tuple(cues["deadline_weak_before"]),
        start_after=tuple(cues["start_after"]),
        start_before=tuple(cues["start_before"]),
        closes_after=tuple(cues["closes_after"]),
        opened_before=tuple(cues["opened_before"]),
        actions=actions,
        action_words=lazy("|".join(map(re.escape, actions)), name="actions"),
        periods=tuple(cues["periods"]),
        consultations=tuple(cues["consultations"]),
        incidental_after_prefixes=tuple(incidental["after_prefixes"]),
        incidental_before_words=tuple(incidental["before_words"]),
        incidental_after_words=tuple(incidental["after_words"]),
        organiser_actions=tuple(incidental["organiser_actions"]),
        enforcement_acts=tuple(incidental["enforcement_acts"]),
        organiser_subjects=tuple(incidental["organiser_subjects"]),
        organiser_reviews=tuple(incidental["organiser_reviews"]),
        organiser_offices=tuple(incidental["organiser_offices"]),
        organiser_units=tuple(incidental["organiser_units"]),
        organiser_verbs=tuple(incidental["organiser_verbs"]),
        passed_on=lazy(
            "(?:" + "|".join(map(re.escape, incidental["passed_on_links"])) + ")(?:"
            + "|".join(map(re.escape, incidental["passed_on_verbs"])) + ")",
            name="passed on",
        ),
        hand_in_verbs=tuple(incidental["hand_in_verbs"]),
        system_subjects=tuple(incidental["system_subjects"]),
        panels=tuple(incidental["panels"]),
        work_subjects=tuple(incidental["work_subjects"]),
        done_verbs=tuple(incidental["done_verbs"]),
        attribute_events=tuple(incidental["attribute_events"]),
        attribute_labels=tuple(incidental["attribute_labels"]),
        range_times=tuple(incidental["range_times"]),
        panel_verbs=tuple(incidental["panel_verbs"]),
        published_verbs=tuple(incidental["published_verbs"]),
        published_things=tuple(incidental["published_things"]),
        as_of_states=tuple(incidental["as_of_states"]),
        as_of_reports=tuple(incidental["as_of_reports"]),
        system_steps=tuple(incidental["system_steps"]),
        asks=tuple(incidental["asks"]),
        effective_after=tuple(incidental["effective_after"]),
        goal_before=tuple(incidental["goal_before"]),
        holidays=tuple(incidental["holidays"]),
        superseded_before=tuple(incidental["superseded_before"]),
        scope_labels=tuple(incidental["scope_labels"]),
        scope_bounds=tuple(incidental["scope_bounds"]),
        reviewed_year=tuple(data["years"]["reviewed"]),
        reviewed_year_next=tuple(data["years"]["reviewed_next"]),
        holiday_breaks=tuple(data["years"]["breaks"]),
    )


VOCABULARY = load_vocabulary()
