"""Agreement of ``who`` / ``what`` with the annotators' fields: the measure the README reports.

Definition (issue 15). Records are paired with gold ``must`` items exactly as
``shared/notices/score.py`` pairs them (same key day, same spot, first unused
record). For each pair, and separately for ``who`` and ``what``:

    agreement = character F1 = 2·|P ∩ G| / (|P| + |G|)

over the multisets of letters and digits of the predicted text P and the gold
text G (punctuation and blanks dropped; traditional characters read as
simplified, so 單位 agrees with 单位). A gold field with alternatives in
brackets, ``各单位(项目申报单位)``, agrees as well as its best reading: the
whole, the part outside the brackets, or the part inside. An empty prediction
agrees 0 with a non-empty gold field. The set's figure is the mean over its
pairs; pairs whose gold field is empty are left out of that field's mean.

Party agreement (``who`` only, reported beside the character F1, never instead
of it). Character F1 scores a correct but shorter name of the gold's party
below a wrong one: 纳税人 for ``实行每月或者每季度期满后15日内申报纳税的纳税人``
gets 0.22, the tax offices that forward the calendar 0.43. So a prediction
that names the same party less precisely agrees 1: its letters occur in the
gold reading in order, it ends on the same two letters (the head noun of a
Chinese noun phrase is its end: 纳税人, 单位, 学院), and it keeps every party
the reading's head joins (和, 及, 与, 或, 、 after its last 的, outside brackets),
so 个人 is not ``任何单位和个人``. Alternatives joined by ``/`` (``申报单位/项目申报人``) are
readings here too. Otherwise the pair agrees by its best character F1.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from calendar_svc.script import simplified_reading

_NOT_LETTER = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"[(（]([^()（）]*)[)）]")
_JOINED = re.compile(r"[和及与或、]")


@dataclass
class Agreement:
    """Sums over the pairs of a set (or of several): who, what, and how many records had no who."""

    who: list[float] = field(default_factory=list)
    who_party: list[float] = field(default_factory=list)
    what: list[float] = field(default_factory=list)
    empty_who: int = 0
    verbless_what: int = 0
    pairs: int = 0
    records: int = 0

    def add(self, other: Agreement) -> None:
        self.who += other.who
        self.who_party += other.who_party
        self.what += other.what
        self.empty_who += other.empty_who
        self.verbless_what += other.verbless_what
        self.pairs += other.pairs
        self.records += other.records

    @property
    def mean_who(self) -> float:
        return sum(self.who) / len(self.who) if self.who else 1.0

    @property
    def mean_who_party(self) -> float:
        return sum(self.who_party) / len(self.who_party) if self.who_party else 1.0

    @property
    def mean_what(self) -> float:
        return sum(self.what) / len(self.what) if self.what else 1.0


def letters(text: str) -> Counter[str]:
    return Counter(_NOT_LETTER.sub("", simplified_reading(text or "")))


def char_f1(predicted: str, gold: str) -> float:
    p, g = letters(predicted), letters(gold)
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    return 2 * sum((p & g).values()) / (sum(p.values()) + sum(g.values()))


def readings(gold: str) -> list[str]:
    """``各单位(项目申报单位)`` → the whole, ``各单位`` and ``项目申报单位``."""
    inside = _BRACKETED.findall(gold)
    outside = _BRACKETED.sub("", gold)
    return [gold, outside, *inside]


def field_agreement(predicted: str, gold: str) -> float:
    return max(char_f1(predicted, reading) for reading in readings(gold) if reading.strip() or reading == gold)


def same_party(predicted: str, gold: str) -> bool:
    """Does ``predicted`` name the party of the gold reading ``gold``, less precisely (module docstring)?"""
    p = _NOT_LETTER.sub("", simplified_reading(predicted))
    g = _NOT_LETTER.sub("", simplified_reading(_BRACKETED.sub("", gold)))
    if len(p) < 2 or p[-2:] != g[-2:]:
        return False
    if len(_JOINED.findall(_head(predicted))) < len(_JOINED.findall(_head(gold))):
        return False  # 个人 for 任何单位和个人: one of the parties only
    rest = iter(g)
    return all(letter in rest for letter in p)


def _head(name: str) -> str:
    """The head of a noun phrase: what follows its last 的, brackets dropped (``实行每月或者…的纳税人`` → 纳税人)."""
    return _BRACKETED.sub("", name).rsplit("的", 1)[-1]


def party_agreement(predicted: str, gold: str) -> float:
    """1 if ``predicted`` names a reading's party (:func:`same_party`), else the best character F1;
    alternatives joined by ``/`` (``申报单位/项目申报人``) are readings here too."""
    outside = _BRACKETED.sub("", gold)
    alternatives = [part for part in outside.split("/") if part.strip()] if "/" in outside else []
    choices = [reading for reading in readings(gold) + alternatives if reading.strip()]
    if any(same_party(predicted, reading) for reading in choices):
        return 1.0
    return max(char_f1(predicted, reading) for reading in choices)


def pairs(score, entry: dict, records: list[dict]) -> list[tuple[dict, dict]]:
    """(record, gold item) pairs, as ``score.score`` matches them."""
    used: set[int] = set()
    found = []
    for gold in entry.get("must", []):
        for index, record in enumerate(records):
            if index not in used and score.key(record) == score.key(gold) and score.same_spot(record, gold):
                used.add(index)
                found.append((record, gold))
                break
    return found


def agreement(score, entry: dict, records: list[dict], has_action) -> Agreement:
    """The agreement of one notice's records with its gold entry."""
    result = Agreement()
    for record, gold in pairs(score, entry, records):
        result.pairs += 1
        if gold.get("who"):
            result.who.append(field_agreement(record.get("who", ""), gold["who"]))
            result.who_party.append(party_agreement(record.get("who", ""), gold["who"]))
        if gold.get("what"):
            result.what.append(field_agreement(record.get("what", ""), gold["what"]))
    result.records = len(records)
    for record in records:
        result.empty_who += not record.get("who")
        result.verbless_what += not has_action(record.get("what", ""))
    return result


#: The sets tuned on (WHO.md): the report covers these and never the sealed blind sets.
TUNABLE = ("shared_notices", "devset2", "heldout", *(f"heldout{n}" for n in range(2, 13)), "heldout15", "heldout16",
           "heldout24", "heldout25", "heldout27", "heldout29", "heldout30")
#: The sets nobody tunes on: only their total is ever printed (``--sealed``), to check that a change generalises.
SEALED = ("heldout13", "heldout14", *(f"heldout{n}" for n in range(17, 24)), "heldout26", "heldout28", "heldout31")


def set_agreement(score, folder, has_action) -> Agreement:
    """The agreement of every record extracted from ``folder`` (its ``gold.json``) with its gold."""
    import json

    from calendar_svc.extract import extract

    total = Agreement()
    for entry in json.loads((folder / "gold.json").read_text("utf-8")):
        found = score.actionable([d.to_dict() for d in extract([str(folder / entry["file"])]).deadlines])
        total.add(agreement(score, entry, found, has_action))
    return total


def pair_lines(score, folder, has_action) -> list[str]:
    """One line per pair of a tunable set, for reading its disagreements: file, line, both scores, the gold and
    the predicted field (``--pairs``); records without a verb in their what are marked ``!``."""
    import json

    from calendar_svc.extract import extract

    lines = []
    for entry in json.loads((folder / "gold.json").read_text("utf-8")):
        found = score.actionable([d.to_dict() for d in extract([str(folder / entry["file"])]).deadlines])
        for record, gold in pairs(score, entry, found):
            line = (record.get("source") or {}).get("line") or record.get("line")
            for name, measure in (("who", party_agreement), ("what", field_agreement)):
                if gold.get(name):
                    mark = "!" if name == "what" and not has_action(record.get("what", "")) else " "
                    agreed = measure(record.get(name, ""), gold[name])
                    text = f"{agreed:5.2f}{mark} {entry['file'][:30]}:{line} {name:4} gold={gold[name]} | got={record.get(name, '')}"
                    lines.append("".join(ch for ch in text if ch.isprintable()))  # no terminal escapes from a notice
    return lines


def _line(name: str, result: Agreement) -> str:
    return f"{name:16} {result.pairs:5} {result.mean_who:6.3f} {result.mean_who_party:6.3f} {result.mean_what:6.3f}"


def main() -> None:
    """``python tests/agreement.py [SET…]``: who/what agreement per tunable set, and over all of them;
    ``--pairs [SET…]``: every pair of the tunable sets with its agreement, to read the disagreements;
    ``--sealed``: one line, the total over the sealed sets (nothing of any one notice is shown)."""
    import importlib.util
    import sys
    from pathlib import Path

    from calendar_svc.vocabulary import VOCABULARY

    data = Path(__file__).resolve().parent / "data"
    spec = importlib.util.spec_from_file_location("score", data / "shared_notices" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    if sys.argv[1:] == ["--sealed"]:
        total = Agreement()
        for name in SEALED:
            total.add(set_agreement(score, data / name, VOCABULARY.has_action))
        print(f"{'set':16} {'pairs':>5} {'who':>6} {'party':>6} {'what':>6}  (empty who, what without a verb, records)")
        print(_line("sealed (total)", total), f" ({total.empty_who}, {total.verbless_what}, {total.records})")
        return
    listing = sys.argv[1:2] == ["--pairs"]
    names = sys.argv[1 + listing :] or TUNABLE
    unknown = [name for name in names if name not in TUNABLE]
    if unknown:
        sys.exit(f"agreement: not a tunable set: {', '.join(unknown)} (sealed blind sets are never scored here)")
    if listing:  # who by party agreement, what by character F1; sort to see the worst first (sort -n)
        for name in names:
            for line in pair_lines(score, data / name, VOCABULARY.has_action):
                print(f"{name:14} {line}")
        return
    total = Agreement()
    print(f"{'set':16} {'pairs':>5} {'who':>6} {'party':>6} {'what':>6}")
    for name in names:
        result = set_agreement(score, data / name, VOCABULARY.has_action)
        total.add(result)
        print(_line(name, result))
    print(_line("all", total), f" ({total.empty_who} without who, {total.verbless_what} without a verb, of {total.records})")
    print("who: character F1; party: a shorter name of the gold's party agrees 1 (module docstring)")


if __name__ == "__main__":
    main()
