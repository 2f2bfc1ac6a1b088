"""Accuracy against gold annotations, scored by the shared reference scorer.

Dev sets (tuned on): the 16 shared notices, the corpus document, devset2.
Held-out sets (never tuned on) have lower floors: they measure, they are
not targets. The numbers are reported in the closing notes and README.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

from calendar_svc.extract import extract

HERE = Path(__file__).resolve().parent
SHARED_NOTICES = HERE / "data" / "shared_notices"
CORPUS = HERE / "data" / "corpus" / "policy-compilation-2024-08.md"


def scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED_NOTICES / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The day the sets are scored at, as tools/score_blind.py does: a year settled by weekdays next to today's
#: (classify._YearGuesses.weekdays_vouch) must not make the floors depend on the clock.
TODAY = dt.date(2026, 12, 2)


def score_folder(folder: Path) -> dict:
    score = scorer()
    gold = json.loads((folder / "gold.json").read_text("utf-8"))
    totals = dict(must=0, tp=0, exact=0, fp=0)
    for entry in gold:
        records = [d.to_dict() for d in extract([str(folder / entry["file"])], today=TODAY).deadlines if d.status != "candidate"]  # published
        result = score.score(entry, score.actionable(records))
        for key in totals:
            totals[key] += result[key]
    return totals


def precision(t: dict) -> float:
    return t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0


def recall(t: dict) -> float:
    return t["tp"] / t["must"] if t["must"] else 1.0


@pytest.mark.parametrize(
    ("folder", "floor_p", "floor_r"),
    [
        (SHARED_NOTICES, 0.95, 0.95),
        (HERE / "data" / "devset2", 0.95, 0.85),
        # heldout and heldout2 were scored blind first (README), then tuned on.
        (HERE / "data" / "heldout", 0.95, 0.95),
        # 15 of its 24 must items sit in one schedule with no year anywhere: the
        # extractor asks for --date there instead of guessing (see README).
        (HERE / "data" / "heldout2", 0.95, 0.95),  # 1.000/1.000 since its timetable's 16 weekdays settle 2025
        # heldout3: blind 1.000/0.750 (README), then tuned on.
        (HERE / "data" / "heldout3", 0.97, 0.97),
        # heldout4: blind 0.920/0.767 (README), then tuned on; its graduate-school timetable
        # names its year only as a class (2018届), read since issue 15's second pass.
        (HERE / "data" / "heldout4", 0.95, 0.95),
        # heldout5: blind 0.818/0.818 (README), then tuned on.
        (HERE / "data" / "heldout5", 0.95, 0.95),
        # heldout6: blind 0.882/0.938 (README), then tuned on.
        (HERE / "data" / "heldout6", 0.95, 0.95),
        # heldout7 and heldout8: blind 0.867/1.000 and 0.818/0.900 (README), then tuned on.
        (HERE / "data" / "heldout7", 0.95, 0.95),
        (HERE / "data" / "heldout8", 0.90, 0.95),
        # heldout9 and heldout10: blind 1.000/0.643 and 1.000/0.615 (README), then tuned on.
        (HERE / "data" / "heldout9", 0.97, 0.97),
        (HERE / "data" / "heldout10", 0.95, 0.97),
        # heldout11: blind 1.000/0.923, the last measurement, then tuned on.
        (HERE / "data" / "heldout11", 0.95, 0.95),
        # heldout12 (33 notices): blind 0.868/0.657 (README) before any tuning on it.
        (HERE / "data" / "heldout12", 0.97, 0.97),
        # heldout13 and heldout14 are never tuned on (their READMEs): these floors only catch a general
        # regression, to be fixed by a mechanism tested on texts of one's own, never by reading these sets.
        (HERE / "data" / "heldout13", 0.90, 0.75),
        (HERE / "data" / "heldout14", 0.86, 0.76),
        # heldout15 and heldout16: blind 0.865/0.667 and 0.885/0.613 (README, their READMEs), then tuned on.
        (HERE / "data" / "heldout15", 0.97, 0.97),
        (HERE / "data" / "heldout16", 0.97, 0.97),
        # heldout17–20 are never tuned on (their READMEs), like heldout13 and heldout14: floors only catch a
        # general regression below their end-of-session scores.
        (HERE / "data" / "heldout17", 0.84, 0.79),
        (HERE / "data" / "heldout18", 0.86, 0.70),
        (HERE / "data" / "heldout19", 0.72, 0.69),
        (HERE / "data" / "heldout20", 0.76, 0.65),
        # heldout21–23 are never tuned on: first blind scores 0.737/0.718, 0.788/0.719, 0.795/0.912 (README).
        (HERE / "data" / "heldout21", 0.70, 0.68),
        (HERE / "data" / "heldout22", 0.75, 0.68),
        (HERE / "data" / "heldout23", 0.76, 0.88),
        # heldout24 and heldout25: blind 0.889/0.914 and 0.705/0.295 (README, their READMEs), then tuned on;
        # 0.971/0.971 and 1.000/0.800 since a paper's validity, a system's, a panel's and the issuer's own steps
        # (under its short name) and ranges that qualify what is reported ask nothing.
        (HERE / "data" / "heldout24", 0.97, 0.95),  # 1.000/0.971 once 时限外一个月内 counts from the limit's end
        # heldout25 1.000/0.933 with the recall branch: holiday breaks date a tax calendar, a ROC calendar's rows.
        (HERE / "data" / "heldout25", 0.98, 0.92),
        # heldout26 is never tuned on: first blind score 0.800/0.780 (README).
        (HERE / "data" / "heldout26", 0.77, 0.75),
        # heldout27–29: first blind scores 0.735/0.781, 0.875/0.560, 0.677/0.500 (README); heldout28 is never
        # tuned on, heldout27 and heldout29 are tunable from then on.
        (HERE / "data" / "heldout27", 0.93, 0.91),  # 0.926/0.781 since the issuer's own steps, forms' 启用, ranges;
        # 0.966/0.875 with years from birth dates, documents' names, yearly rules and past acts, 前,需…;
        # 0.968/0.938 with a review word inside what is handed in (前报送…认定(复核)推荐文).
        (HERE / "data" / "heldout28", 0.84, 0.53),
        # heldout29 tuned on since: 0.848/0.667 (repost stamps, enforcement acts, 现在至, items run together), then
        # 0.903/0.667 (a published list, a range telling what was done).
        # 0.914/0.762 with years from birth dates, lost dashes (8:30?11:30) and 登记时间 columns;
        # 0.919/0.810 with two sentences each addressing readers of their own (各…) kept as two tasks.
        (HERE / "data" / "heldout29", 0.89, 0.79),
        # heldout30 and heldout31: first blind scores 0.850/0.630 and 0.857/0.750 (README); heldout30 is tunable
        # from then on, heldout31 is never tuned on.
        (HERE / "data" / "heldout30", 0.87, 0.78),  # 0.895/0.630 once a range a work is held in qualifies;
        # 0.913/0.778 with glued ranges, a page's 截止日期 field, 截至 closing a clause and postmark rules;
        # 0.917/0.815 with the readers' act labelling a date (各代表队报到:4月9日全天).
        (HERE / "data" / "heldout31", 0.83, 0.72),
    ],
    ids=[
        "shared-notices", "devset2", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
        "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14",
        "heldout15", "heldout16", "heldout17", "heldout18", "heldout19", "heldout20",
        "heldout21", "heldout22", "heldout23", "heldout24", "heldout25", "heldout26",
        "heldout27", "heldout28", "heldout29", "heldout30", "heldout31",
    ],
)
def test_notice_sets(folder: Path, floor_p: float, floor_r: float) -> None:
    totals = score_folder(folder)
    assert totals["must"] > 0
    assert precision(totals) >= floor_p, totals
    assert recall(totals) >= floor_r, totals


def test_corpus_every_deadline_exact_and_no_incidental_date() -> None:
    score = scorer()
    gold = json.loads((HERE / "data" / "corpus_gold.json").read_text("utf-8"))
    records = [d.to_dict() for d in extract([str(CORPUS)]).deadlines if d.status != "candidate"]  # published, as score_folder
    result = score.score(gold, score.actionable(records))
    assert result["missed"] == []
    assert result["tp"] == result["exact"] == len(gold["must"])
    assert result["fps"] == []


def test_corpus_windows_have_exact_datetimes() -> None:
    by_line = {d.source.line: d for d in extract([str(CORPUS)]).deadlines}
    window = by_line[967]
    assert window.kind == "window"
    assert (window.start.isoformat(), window.end.isoformat()) == ("2024-08-26T08:00:00+08:00", "2024-09-27T16:00:00+08:00")
    assert window.who == "项目申报单位" and window.what == "网上填报申报书"
    assert window.notice.doc_no == "工信部高新函〔2024〕224号"
    assert by_line[968].end.isoformat() == "2024-09-30T16:00:00+08:00"
    assert by_line[1565].end.isoformat() == "2024-09-15"


@pytest.mark.parametrize(
    ("folder", "prefix", "reference", "floor"),
    [("heldout2", "01_", dt.date(2024, 12, 10), 14)],
)
def test_year_less_schedules_with_a_reference_date(folder: str, prefix: str, reference: dt.date, floor: int) -> None:
    score = scorer()
    path = HERE / "data" / folder
    entry = next(e for e in json.loads((path / "gold.json").read_text("utf-8")) if e["file"].startswith(prefix))
    without = extract([str(path / entry["file"])])
    assert without.problems and all("--date" in str(p) for p in without.problems)
    records = [d.to_dict() for d in extract([str(path / entry["file"])], reference=reference).deadlines if d.status != "candidate"]
    result = score.score(entry, score.actionable(records))
    assert result["fp"] == 0
    assert result["tp"] >= floor


def test_a_timetable_dated_only_by_its_graduating_class() -> None:
    """heldout4's timetable names no year but 2018届: its November dates are 2017's, its spring 2018's."""
    score = scorer()
    path = HERE / "data" / "heldout4"
    entry = next(e for e in json.loads((path / "gold.json").read_text("utf-8")) if e["file"].startswith("06_"))
    records = [d.to_dict() for d in extract([str(path / entry["file"])]).deadlines if d.status != "candidate"]
    result = score.score(entry, score.actionable(records))
    assert (result["fp"], result["tp"]) == (0, len(entry["must"]))


TUNED = [SHARED_NOTICES] + [HERE / "data" / name for name in (
    "devset2", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8")]


def test_who_and_what_agree_with_the_annotators() -> None:
    """Character F1 of who/what against gold (tests/agreement.py defines it), and no record without a who."""
    from agreement import Agreement, set_agreement

    from calendar_svc.vocabulary import VOCABULARY

    score, total = scorer(), Agreement()
    for folder in TUNED:
        total.add(set_agreement(score, folder, VOCABULARY.has_action))
    assert total.pairs >= 150
    assert total.empty_who == 0
    assert total.mean_who >= 0.59, total.mean_who
    assert total.mean_who_party >= 0.75, total.mean_who_party  # a shorter name of the same party agrees
    assert total.mean_what >= 0.68, total.mean_what
    assert total.verbless_what <= 0.13 * total.records


def test_who_and_what_agree_with_the_annotators_on_every_tunable_set() -> None:
    """The same measure over every tunable set (tests/agreement.py TUNABLE), not only the first ten."""
    from agreement import TUNABLE, Agreement, set_agreement

    from calendar_svc.vocabulary import VOCABULARY

    score, total = scorer(), Agreement()
    for name in TUNABLE:
        total.add(set_agreement(score, HERE / "data" / name, VOCABULARY.has_action))
    assert total.pairs >= 600
    assert total.empty_who == 0
    # heldout30 joined at its first blind score: who 0.535 -> 0.529, party 0.672 -> 0.662, what 0.656 -> 0.648,
    # whats without a verb 16.1% -> 17.3% (README).
    # then a tax calendar is for taxpayers: who 0.529 -> 0.584, party 0.662 -> 0.716; the public a notice is
    # about: 0.593 / 0.728; then the recall branch's years, rows and windows matched more pairs (635), enrolment and
    # calendar records whose who is roles' open part: who 0.593 -> 0.587 (party 0.721, what 0.646 hold theirs).
    assert total.mean_who >= 0.58, total.mean_who
    assert total.mean_who_party >= 0.72, total.mean_who_party
    assert total.mean_what >= 0.64, total.mean_what
    assert total.verbless_what <= 0.18 * total.records


def test_who_and_what_agree_with_the_annotators_on_the_sealed_sets() -> None:
    """The same measure over the sealed sets (tests/agreement.py SEALED), as one total: a change of the roles
    must generalise to notices nobody read. Only the total is ever shown."""
    from agreement import SEALED, Agreement, set_agreement

    from calendar_svc.vocabulary import VOCABULARY

    score, total = scorer(), Agreement()
    for name in SEALED:
        total.add(set_agreement(score, HERE / "data" / name, VOCABULARY.has_action))
    who, party, what = total.mean_who, total.mean_who_party, total.mean_what  # totals only, never a pair
    assert total.pairs >= 430
    assert total.empty_who == 0
    assert who >= 0.54, who
    assert party >= 0.59, party
    assert what >= 0.56, what
    assert total.verbless_what <= 0.26 * total.records
