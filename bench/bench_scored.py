"""Experiment: would a scored decision (fitted weights) generalise better than the ordered rules?

Run by hand from the repository root (needs numpy, in the bench extra):

    python bench/bench_scored.py

Issue 15 asks whether ``classify``'s hand-ordered cue rules should become a scored decision:
features from the vocabulary and the grammar, weights fitted on the annotated sets, the
contributing features shown as the reason. The fair test is leave-one-set-out
cross-validation over the sets that may be tuned on: fit on all but one set, score the set
left out, for every set in turn. Two uses of a score are compared with the rules:

- **publish**: a date is published when its score passes a threshold fitted on the
  training sets (F1), instead of when the rules accept it;
- **candidates**: the rules decide what is published; among the dates they turn down, those
  scoring above a threshold fitted on the training sets (the lowest that shows a reviewer
  ≥ 0.98 of their must items) become candidates, instead of those with an action word
  (``candidates.doubt_of``).

Each date mention is one sample, resolved and placed as the extractor would (title lines,
past dates and dates whose year cannot be told are left out of both arms alike); a sample is
positive when it matches a gold ``must`` or ``optional`` item (score.py's rule), negative
otherwise. Restatement merging is not applied in either arm, so the numbers here are
per-mention and differ slightly from the pipeline's.

The blind sets (heldout13, heldout14 and any later one) are never read: SETS lists the
tunable sets by name.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT))

import calendar_svc.classify as C  # noqa: E402
from calendar_svc.candidates import doubt_of  # noqa: E402
from calendar_svc.context import context_of, quote_of  # noqa: E402
from calendar_svc.dates import YearContext, find_mentions, resolve_range  # noqa: E402
from calendar_svc.ingest import read_inputs  # noqa: E402
from calendar_svc.notices import compact, is_signature_line, split_notices  # noqa: E402
from calendar_svc.vocabulary import VOCABULARY as V  # noqa: E402
from scoring import scorer  # noqa: E402  (bench/scoring.py: score.py, loaded once)

#: The sets one may tune on (never a blind set).
SETS = ["shared_notices", "devset2", "corpus"] + ["heldout"] + [f"heldout{n}" for n in range(2, 13)]
TODAY = dt.date(2026, 12, 2)


SCORE = scorer()


@dataclass
class Sample:
    set: str
    notice: str  # file name: the unit score.py scores
    features: list[str]
    rule: str  # "published" | "candidate" | "none"
    record: dict
    label: int | None = None  # 1 must/optional, 0 neither


@dataclass
class Notice:
    set: str
    file: str
    gold: dict
    samples: list[Sample] = field(default_factory=list)


def features(mention, c, notice, rule_kind: str | None, incidental: bool, doubt: str) -> list[str]:
    """Binary features from the grammar (the mention) and the vocabulary (the words around it)."""
    has = V.has_action
    after, before = c.after, c.clause_before
    f = {
        f"rule:{rule_kind or ('incidental' if incidental else 'none')}": True,
        "rule:near_action": bool(doubt),
        "action:sentence": has(c.sentence),
        "action:clause_after": has(c.clause_after),
        "action:clause_before": has(before),
        "action:before40": has(c.before[-40:]),
        "action:below": has(c.below),
        "action:row_label": has(c.row_label),
        "action:heading": has(c.heading),
        "action:title": has(compact(notice.title)),
        "cue:deadline_after": after.startswith(V.deadline_after),
        "cue:deadline_before": before.rstrip(":").endswith(V.deadline_before),
        "cue:weak_before": before.rstrip(":").endswith(V.deadline_weak_before),
        "cue:start_after": after.startswith(V.start_after),
        "cue:start_before": any(w in before for w in V.start_before),
        "cue:period_word": any(w in c.sentence for w in V.periods),
        "cue:deadline_label": bool(C._DEADLINE_NOUN.search(before)),
        "cue:published_label": bool(C._PUBLISHED_LABEL.search(before)),
        "incidental:after_prefix": after.startswith(V.incidental_after_prefixes),
        "incidental:before_word": any(w in before for w in V.incidental_before_words),
        "incidental:after_word": any(c.clause_after.startswith(w) for w in V.incidental_after_words),
        "incidental:condition": bool(C._CONDITION.match(c.clause_after)),
        "incidental:past_act": bool(C._PAST_ACT.match(after.lstrip(",:"))),
        "incidental:state": bool(C._STATE_AFTER.match(after)),
        "organiser:subject": bool(C._ORGANISER.search(c.sentence)),
        "organiser:action": any(w in c.sentence for w in V.organiser_actions),
        "organiser:office_at_work": bool(C._OFFICE_AT_WORK.search(c.sentence)),
        "asks:qing": "请" in c.sentence,
        "asks:ge": "各" in c.sentence,
        "asks:modal": any(w in c.sentence for w in ("须", "应当", "务必", "必须")),
        "grammar:range": mention.is_range,
        "grammar:timed": mention.close.timed,
        "grammar:year_written": mention.close.year is not None,
        "grammar:month_end": mention.close.end_of is not None,
        "grammar:weekday": mention.close.weekday is not None,
        "grammar:from_now": mention.from_now,
        "layout:table_row": "|" in c.line,
        "layout:date_cell": c.in_date_cell,
        "layout:alone": c.alone,
        "layout:schedule": c.in_schedule,
        "layout:opens_sentence": not c.before,
        "layout:signature": is_signature_line(c.line),
        "position:first_tenth": mention.begin < len(notice.text) / 10,
        "position:last_tenth": mention.begin > len(notice.text) * 0.9,
    }
    return [name for name, on in f.items() if on]


def samples_of(set_name: str, path: Path, gold: dict) -> list[Sample]:
    out: list[Sample] = []
    documents, _ = read_inputs(str(path))
    for document in documents:
        for notice in split_notices(document.text, document.name):
            reading = notice.reading
            mentions = find_mentions(reading)
            contexts = C._oriented(notice, mentions, [context_of(reading, m) for m in mentions])
            years = C._YearLabels(notice)
            title = compact(notice.title)
            for mention, c in zip(mentions, contexts):
                line = notice.line_of(mention.begin)
                if title and compact(notice.lines[line - notice.first_line]) == title:
                    continue
                rule_kind = C._kind(mention, c, notice)
                incidental = rule_kind is None and C._is_incidental(mention, c)
                if incidental:
                    years.exclude(mention)
                doubt = doubt_of(mention, c, notice, incidental=incidental) if rule_kind is None else ""
                try:
                    start, end, _ = resolve_range(mention.start, mention.close, YearContext(notice.date, "notice date", *years.before(mention)))
                except (LookupError, ValueError):
                    continue
                if C._is_past(start, end, notice.date) or not mention.close.has_day:
                    continue
                kind = rule_kind or ("window" if mention.is_range else "deadline")
                if kind == "start":
                    start, end = end, None
                record = {"kind": kind, "start": str(start) if start else None, "end": str(end) if end else None,
                          "quote": quote_of(notice.text, mention), "source": {"line": line}}
                rule = "published" if rule_kind else "candidate" if doubt else "none"
                out.append(Sample(set_name, path.name, features(mention, c, notice, rule_kind, incidental, doubt), rule, record))
    for s in out:
        key = SCORE.key(s.record)
        hit = any(key == SCORE.key(g) and SCORE.same_spot(s.record, g) for g in gold.get("must", []) + gold.get("optional", []))
        s.label = int(hit)
    return out


def load() -> list[Notice]:
    notices: list[Notice] = []
    for name in SETS:
        if name == "corpus":
            gold = json.loads((DATA / "corpus_gold.json").read_text("utf-8"))
            entries = [(DATA / "corpus" / "policy-compilation-2024-08.md", gold)]
        else:
            folder = DATA / name
            entries = [(folder / e["file"], e) for e in json.loads((folder / "gold.json").read_text("utf-8"))]
        for path, entry in entries:
            n = Notice(name, path.name, entry)
            n.samples = samples_of(name, path, entry)
            notices.append(n)
    return notices


# --- the model: L2-regularised logistic regression over binary features ----------------------


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 400) -> np.ndarray:
    w = np.zeros(X.shape[1])
    for _ in range(steps):  # Newton steps: a few dozen suffice for a convex problem this small
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) + l2 * w
        hess = (X.T * (p * (1 - p))) @ X + l2 * np.eye(X.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def matrix(samples: list[Sample], names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    X = np.zeros((len(samples), len(names) + 1))
    X[:, -1] = 1.0  # bias
    for r, s in enumerate(samples):
        for f in s.features:
            if f in index:
                X[r, index[f]] = 1.0
    return X


def evaluate(notices: list[Notice], published, candidate) -> dict:
    """score.py over the chosen records of each notice: published P/R, visible R, candidates/notice."""
    t = dict(must=0, tp=0, fp=0, vtp=0, cands=0)
    for n in notices:
        pub = [s.record for s in n.samples if published(s)]
        cand = [s.record for s in n.samples if not published(s) and candidate(s)]
        r = SCORE.score(n.gold, SCORE.actionable(pub))
        v = SCORE.score(n.gold, SCORE.actionable(pub + cand))
        t["must"] += r["must"]
        t["tp"] += r["tp"]
        t["fp"] += r["fp"]
        t["vtp"] += v["tp"]
        t["cands"] += len(cand)
    t["notices"] = len(notices)
    return t


def summary(t: dict) -> str:
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
    r = t["tp"] / t["must"] if t["must"] else 1.0
    v = t["vtp"] / t["must"] if t["must"] else 1.0
    return f"P {p:.3f} R {r:.3f} visible R {v:.3f} cand/notice {t['cands'] / t['notices']:.2f}"


def add(a: dict, b: dict) -> dict:
    return {k: a.get(k, 0) + b[k] for k in b}


ARMS = ("rules", "scored publish", "scored publish, no rule features", "rules + scored candidates")


def _f1(p: np.ndarray, y: np.ndarray, t: float) -> float:
    tp = ((p >= t) & (y == 1)).sum()
    fp = ((p >= t) & (y == 0)).sum()
    fn = ((p < t) & (y == 1)).sum()
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    notices = load()
    names = sorted({f for n in notices for s in n.samples for f in s.features})
    plain = [n for n in names if not n.startswith("rule:")]  # the vocabulary and grammar alone, without the rules' verdicts
    print(f"{sum(len(n.samples) for n in notices)} date mentions in {len(notices)} notices of {len(SETS)} tunable sets; {len(names)} features\n")
    totals: dict[str, dict] = {}
    print(f"{'left out':<15} " + " ".join(f"{arm:<52}" for arm in ARMS))
    for held in SETS:
        train = [s for n in notices if n.set != held for s in n.samples]
        test = [n for n in notices if n.set == held]
        X, y = matrix(train, names), np.array([s.label for s in train], dtype=float)
        w = fit(X, y)
        p_train = 1 / (1 + np.exp(-X @ w))
        # publish threshold: best F1 on the training samples
        best_t, best_f1 = 0.5, -1.0
        for t in np.linspace(0.2, 0.9, 29):
            f1 = _f1(p_train, y, t)
            if f1 > best_f1:
                best_t, best_f1 = t, f1
        # candidate threshold: the highest among rule-rejected samples that shows ≥ 0.98 of the training positives
        rejected = [(p, s.label) for p, s in zip(p_train, train) if s.rule != "published"]
        positives = sum(s.label for s in train)
        missed_by_rules = sum(s.label for s in train if s.rule != "published")
        need = max(0, missed_by_rules - int(0.02 * positives))
        cand_t = 1.0
        for p, label in sorted(rejected, key=lambda x: -x[0]):
            if need <= 0:
                break
            cand_t = p
            need -= label
        score_of = {id(s): float(1 / (1 + np.exp(-matrix([s], names) @ w))[0]) for n in test for s in n.samples}
        Xp = matrix(train, plain)
        wp = fit(Xp, y)
        pp = 1 / (1 + np.exp(-Xp @ wp))
        plain_t = max(np.linspace(0.2, 0.9, 29), key=lambda t: _f1(pp, y, t))
        plain_of = {id(s): float(1 / (1 + np.exp(-matrix([s], plain) @ wp))[0]) for n in test for s in n.samples}
        arms = {  # in the order of ARMS
            "rules": evaluate(test, lambda s: s.rule == "published", lambda s: s.rule == "candidate"),
            "scored publish": evaluate(test, lambda s: score_of[id(s)] >= best_t, lambda s: False),
            "scored publish, no rule features": evaluate(test, lambda s: plain_of[id(s)] >= plain_t, lambda s: False),
            "rules + scored candidates": evaluate(test, lambda s: s.rule == "published", lambda s: score_of[id(s)] >= cand_t),
        }
        for arm, t in arms.items():
            totals[arm] = add(totals.get(arm, {}), t)
        print(f"{held:<15} " + " ".join(f"{summary(t):<52}" for t in arms.values()))
    print(f"\n{'all, micro':<15} " + " ".join(f"{summary(t):<52}" for t in totals.values()))
    X = matrix([s for n in notices for s in n.samples], names)
    y = np.array([s.label for n in notices for s in n.samples], dtype=float)
    w = fit(X, y)
    order = np.argsort(-np.abs(w[:-1]))
    print("\nweights fitted on all tunable sets (largest first):")
    for i in order[:20]:
        print(f"  {names[i]:<28} {w[i]:+.2f}")


if __name__ == "__main__":
    main()
