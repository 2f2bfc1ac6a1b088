"""The candidate net's trade-off: reviewer-visible recall against candidates per notice.

Run by hand from the repository root:

    python bench/bench_candidates.py            # the curve, summed over the tunable sets
    python bench/bench_candidates.py --sets     # and each set's figures at every width

The net (``calendar_svc/candidates.py``) ranks the dates the rules turned down by how likely
each is a task (``doubts.RANKS``: an action word in or near the sentence, then an incidental
date that still closes an act or a month.day form, then a closing word or time label without
an act, then a period in a condition whose sentence names an act, then any other concrete
date) and keeps those up to ``candidates.NET_WIDTH``. No weight is fitted to any set: the ranks are design
choices, the width is the one knob, so every set scores as if held out and the curve below is
what a new set should see. For each width the whole extractor runs (restatement merging and
deduplication included) and score.py scores every tunable set's gold: published P/R
(status != candidate), visible R (published + candidates) and candidates per notice; then, at
the shipped width, how many candidates of each rank are gold items (is the order right?).

The sealed sets (heldout13, heldout14, heldout17–23, heldout26, heldout28, heldout31) are never read: SETS names the
tunable sets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT))

from calendar_svc import candidates  # noqa: E402
from calendar_svc.extract import extract  # noqa: E402
from scoring import scorer  # noqa: E402  (bench/scoring.py: score.py, loaded once)

#: The sets one may tune on, by name (never a blind set).
SETS = ["shared_notices", "devset2", "heldout", *(f"heldout{n}" for n in (*range(2, 13), 15, 16, 24, 25, 27, 29, 30))]
#: Extraction day for notices that name no year (the figures do not move with the real date).
TODAY = dt.date(2026, 12, 2)


@dataclass
class Tally:
    notices: int = 0
    must: int = 0
    tp: int = 0
    fp: int = 0
    visible: int = 0
    candidates: int = 0
    #: per rank: [candidates, those that are a gold must item, those that are an optional one]
    ranks: dict = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name in vars(self):
            if name != "ranks":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        for rank, counts in other.ranks.items():
            mine = self.ranks.setdefault(rank, [0, 0, 0])
            self.ranks[rank] = [a + b for a, b in zip(mine, counts)]

    def row(self, label: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        return (f"| {label} | {precision:.3f} | {self.tp / self.must:.3f} | {self.visible / self.must:.3f} "
                f"({self.visible}/{self.must}) | {self.candidates / self.notices:.2f} |")


def score_set(name: str, score) -> Tally:
    folder = DATA / name
    tally = Tally()
    for entry in json.loads((folder / "gold.json").read_text("utf-8")):
        records = [d.to_dict() for d in extract([str(folder / entry["file"])], today=TODAY).deadlines]
        published = [r for r in records if r.get("status") != "candidate"]
        shown = score.score(entry, score.actionable(records))
        kept = score.score(entry, score.actionable(published))
        tally.notices += 1
        tally.must += kept["must"]
        tally.tp += kept["tp"]
        tally.fp += kept["fp"]
        tally.visible += shown["tp"]
        tally.candidates += len(records) - len(published)
        for record in records:
            if record.get("status") == "candidate":
                must, optional = (
                    any(score.key(record) == score.key(g) and score.same_spot(record, g) for g in entry.get(part, []))
                    for part in ("must", "optional")
                )
                counts = tally.ranks.setdefault(candidates.rank_of(record.get("doubt") or ""), [0, 0, 0])
                counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + must, counts[2] + (optional and not must)
    return tally


def _ranks(tallies: dict[str, Tally]) -> dict[int, list[int]]:
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    return total.ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", action="store_true", help="also print each set's figures at every width")
    args = parser.parse_args()
    score = scorer()
    shipped = candidates.NET_WIDTH
    widths = sorted(set(candidates.RANKS.values()))
    print("| net width (ranks kept) | published P | published R | visible R | candidates per notice |")
    print("|---|---|---|---|---|")
    per_set: dict[int, dict[str, Tally]] = {}
    try:
        for width in widths:
            candidates.NET_WIDTH = width
            total = Tally()
            per_set[width] = {}
            for name in SETS:
                tally = score_set(name, score)
                per_set[width][name] = tally
                total.add(tally)
            reasons = ", ".join(r for r, rank in candidates.RANKS.items() if rank == width)
            mark = " (ships)" if width == shipped else ""
            print(total.row(f"{width}: + {reasons}{mark}"))
    finally:
        candidates.NET_WIDTH = shipped
    print("\nAt the shipped width, how many candidates of each rank are a gold must or optional item:")
    print("| rank | candidates | must items | optional items |")
    print("|---|---|---|---|")
    for rank, (count, must, optional) in sorted(_ranks(per_set[shipped]).items()):
        print(f"| {rank} | {count} | {must} ({must / count:.0%}) | {optional} ({optional / count:.0%}) |")
    if args.sets:
        for width, tallies in per_set.items():
            print(f"\nwidth {width}")
            print("| set | published P | published R | visible R | candidates per notice |")
            print("|---|---|---|---|---|")
            for name, tally in tallies.items():
                print(tally.row(name))


if __name__ == "__main__":
    main()
