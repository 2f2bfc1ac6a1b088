"""Benchmark: calendar-svc's extractor against 'every date found is a deadline' baselines.

Run by hand from the repository root (needs the bench extra: pip install -e '.[bench]'):

    python bench/bench_extract.py            # all sections
    python bench/bench_extract.py --quick    # skip jionlp (slow to load)

Reports: extraction time of the corpus document; precision/recall of
calendar-svc, dateparser.search_dates(languages=['zh']) and jionlp's
ner.extract_time against tests/data/corpus_gold.json (scored by
tests/data/shared_notices/score.py); what dateparser gets right on isolated
Chinese date strings, which decides what calendar-svc uses it for; and
precision/recall on every notice set with a gold.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = DATA / "corpus" / "policy-compilation-2024-08.md"
GOLD = ROOT / "tests" / "data" / "corpus_gold.json"
sys.path.insert(0, str(ROOT))

from calendar_svc.extract import extract  # noqa: E402
from calendar_svc.vocabulary import VOCABULARY  # noqa: E402
from scoring import scorer  # noqa: E402  (bench/scoring.py: score.py, loaded once)

sys.path.insert(0, str(ROOT / "tests"))
from agreement import Agreement, agreement  # noqa: E402

warnings.filterwarnings("ignore")


def line_records(text: str, found: list[tuple[int, dt.date]]) -> list[dict]:
    """Baseline predictions: each (offset, date) becomes a deadline quoting its line."""
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    records = []
    for position, day in found:
        index = max(i for i, s in enumerate(starts) if s <= position)
        records.append({"kind": "deadline", "start": None, "end": day.isoformat(), "quote": lines[index],
                        "source": {"line": index + 1}})
    return records


def time_it(function, repeat: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(repeat):
        begin = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings), result


def report(name: str, seconds: float, records: list[dict]) -> None:
    score = scorer()
    gold = json.loads(GOLD.read_text("utf-8"))
    r = score.score(gold, score.actionable(records))
    print(f"{name:<34} {seconds * 1000:9.1f} ms   found {len(records):4d}   tp {r['tp']:2d}/{r['must']}   "
          f"exact {r['exact']:2d}   fp {r['fp']:4d}   P {r['precision']:.3f}   R {r['recall']:.3f}")


def bench_calendar_svc(repeat: int) -> None:
    seconds, result = time_it(lambda: extract([str(CORPUS)]), repeat)
    report("calendar-svc extract", seconds, [d.to_dict() for d in result.deadlines if d.status != "candidate"])  # published


def bench_dateparser(text: str) -> None:
    from dateparser.search import search_dates

    def run():
        return search_dates(text, languages=["zh"], settings={"RELATIVE_BASE": dt.datetime(2024, 8, 1)}) or []

    seconds, found = time_it(run, 1)
    cursor, hits = 0, []
    for substring, value in found:
        position = text.find(substring, cursor)
        if position < 0:
            position = text.find(substring)
        cursor = max(cursor, position)
        hits.append((max(position, 0), value.date()))
    report("dateparser.search_dates(zh)", seconds, line_records(text, hits))


def bench_jionlp(text: str) -> None:
    import jionlp

    def run():
        return jionlp.ner.extract_time(text, time_base={"year": 2024, "month": 8, "day": 1}, with_parsing=True)

    seconds, found = time_it(run, 1)
    hits = []
    for item in found:
        detail = item.get("detail", {})
        moments = detail.get("time") if isinstance(detail, dict) else None
        if not moments or not isinstance(moments, list):
            continue
        try:
            day = dt.datetime.strptime(str(moments[-1])[:10], "%Y-%m-%d").date()
        except ValueError:
            continue
        hits.append((item["offset"][0], day))
    report("jionlp.ner.extract_time", seconds, line_records(text, hits))


ISOLATED = [
    ("2024年8月26日", "2024-08-26"),
    ("2024 年 9 月 30 日", "2024-09-30"),
    ("２０２４年８月２６日", "2024-08-26"),
    ("2024-08-26", "2024-08-26"),
    ("2024.8.26", "2024-08-26"),
    ("2024/8/26", "2024-08-26"),
    ("2024年9月30日16:00", "2024-09-30T16:00"),
    ("2024年9月30日17时", "2024-09-30T17:00"),
    ("2024年9月30日下午5点", "2024-09-30T17:00"),
    ("9 月 15 日", "2024-09-15"),
    ("8月26日", "2024-08-26"),
    ("9月27日16:00", "2024-09-27T16:00"),
    ("二〇二四年八月二十六日", "2024-08-26"),
    ("十月三十一日", "2024-10-31"),
    ("2024年6月底", "2024-06-30"),
    ("2月30日", "error"),
]


def bench_dateparser_isolated() -> None:
    import dateparser

    base = dt.datetime(2024, 8, 1)
    right = 0
    print("\ndateparser.parse on isolated strings (reference date 2024-08-01):")
    for text, expected in ISOLATED:
        value = dateparser.parse(text, languages=["zh"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
        if value is None:
            got = "None"
        elif "T" in expected:
            got = value.strftime("%Y-%m-%dT%H:%M")
        else:
            got = value.date().isoformat()
        ok = got == expected or (expected == "error" and value is None)
        right += ok
        print(f"  {'ok ' if ok else 'BAD'} {text!r:<28} → {got:<17} (want {expected})")
    print(f"  {right}/{len(ISOLATED)} right")


def bench_notice_sets() -> None:
    """Precision and recall on every notice set with a gold.json (tests/data/*)."""
    score = scorer()
    folders = sorted(p.parent for p in DATA.glob("*/gold.json"))  # tests/data/shared_notices among them
    print("\nnotice sets (tests/data/shared_notices/score.py; who/what: character F1, tests/agreement.py):")
    for folder in folders:
        gold = json.loads((folder / "gold.json").read_text("utf-8"))
        t = dict(must=0, tp=0, fp=0)
        roles = Agreement()
        for entry in gold:
            records = score.actionable([d.to_dict() for d in extract([str(folder / entry["file"])]).deadlines if d.status != "candidate"])
            r = score.score(entry, records)
            for key in t:
                t[key] += r[key]
            roles.add(agreement(score, entry, records, VOCABULARY.has_action))
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
        rec = t["tp"] / t["must"] if t["must"] else 1.0
        print(f"  {folder.name:<15} {len(gold):3d} notices  must {t['must']:3d}  tp {t['tp']:3d}  fp {t['fp']:2d}  "
              f"P {p:.3f}  R {rec:.3f}  who {roles.mean_who:.3f}  what {roles.mean_what:.3f}  no who {roles.empty_who}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip jionlp")
    parser.add_argument("--repeat", type=int, default=20, help="runs of calendar-svc to take the median of")
    args = parser.parse_args()
    text = CORPUS.read_text("utf-8")
    print(f"corpus: {CORPUS.name}, {len(text):,} characters, {text.count(chr(10)) + 1} lines\n")
    bench_calendar_svc(args.repeat)
    bench_dateparser(text)
    if not args.quick:
        bench_jionlp(text)
    bench_dateparser_isolated()
    bench_notice_sets()


if __name__ == "__main__":
    main()
