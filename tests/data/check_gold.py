#!/usr/bin/env python3
"""Validate the gold annotations under tests/data (adapted from shared_notices/check_gold.py).

usage: check_gold.py [GOLD ...]
  with no arguments checks corpus_gold.json, devset2/gold.json and heldout/gold.json.

A list gold (devset2, heldout) is one entry per NN_slug.txt file in the same directory.
A single-object gold (corpus_gold.json) names its file (looked up next to the gold, then in
corpus/) and every item carries "line" (1-based line where the quote starts),
"notice" and "notice_date".

Checks: every quote occurs in its file (whitespace runs collapsed to one space), ISO formats,
all_day consistency, start <= end, kind/field consistency, required keys, every .txt has an entry,
and for line-numbered gold that the quote starts on the given line. Exits 1 on any problem.
"""
import json
import os
import re
import sys
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_DIRS = [HERE, os.path.join(HERE, "corpus")]
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$")
MUST_NOT_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
KINDS = {"deadline", "window", "start"}
ITEM_KEYS = {"kind", "start", "end", "all_day", "who", "what", "quote"}
LINE_KEYS = {"line", "notice", "notice_date"}
ENTRY_KEYS = {"file", "source", "issuer", "notice_date", "must", "optional", "must_not"}

problems = []


def bad(msg):
    problems.append(msg)


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def parse_point(value, where):
    m = DT_RE.match(value)
    if m:
        y, mo, d, hh, mm = map(int, m.groups())
        if not (0 <= hh <= 23 and 0 <= mm <= 59):
            bad(f"{where}: bad time in {value!r} (24:00 is encoded as T23:59)")
            return None
        try:
            return date(y, mo, d), hh * 60 + mm
        except ValueError:
            bad(f"{where}: invalid date {value!r}")
            return None
    m = DATE_RE.match(value)
    if m:
        try:
            return date(*map(int, m.groups())), None
        except ValueError:
            bad(f"{where}: invalid date {value!r}")
            return None
    bad(f"{where}: not YYYY-MM-DD or YYYY-MM-DDTHH:MM: {value!r}")
    return None


def check_line(item, where, lines):
    ln = item.get("line")
    if not isinstance(ln, int) or not (1 <= ln <= len(lines)):
        bad(f"{where}: bad line {ln!r}")
        return
    q = norm(item.get("quote") or "")
    # the quote must start on that line (it may run on into the following lines)
    tail = norm(" ".join(lines[ln - 1: ln + 3]))
    if q and q not in tail:
        bad(f"{where}: quote does not occur at line {ln}: {item.get('quote')!r}")
    elif q and q[:12] not in norm(lines[ln - 1]):
        bad(f"{where}: quote does not start on line {ln}")
    if not isinstance(item.get("notice"), str) or not item["notice"].strip():
        bad(f"{where}: notice must be a non-empty string")
    nd = item.get("notice_date")
    if nd is not None and (not isinstance(nd, str) or not DATE_RE.match(nd)):
        bad(f"{where}: notice_date must be YYYY-MM-DD or null")


def check_item(item, where, text, optional, lines=None):
    keys = ITEM_KEYS | ({"why"} if optional else set()) | (LINE_KEYS if lines is not None else set())
    missing = keys - set(item)
    extra = set(item) - keys
    if missing:
        bad(f"{where}: missing keys {sorted(missing)}")
    if extra:
        bad(f"{where}: unexpected keys {sorted(extra)}")
    kind = item.get("kind")
    if kind not in KINDS:
        bad(f"{where}: bad kind {kind!r}")
    start, end = item.get("start"), item.get("end")
    if kind == "deadline" and (start is not None or end is None):
        bad(f"{where}: deadline needs end only")
    if kind == "window" and (start is None or end is None):
        bad(f"{where}: window needs start and end")
    if kind == "start" and (start is None or end is not None):
        bad(f"{where}: start needs start only")
    for v, n in ((start, "start"), (end, "end")):
        if v is not None and not isinstance(v, str):
            bad(f"{where}.{n}: must be string or null")
    ps = parse_point(start, where + ".start") if isinstance(start, str) else None
    pe = parse_point(end, where + ".end") if isinstance(end, str) else None
    has_time = any(isinstance(v, str) and "T" in v for v in (start, end))
    if not isinstance(item.get("all_day"), bool):
        bad(f"{where}: all_day must be bool")
    elif item["all_day"] == has_time:
        bad(f"{where}: all_day={item['all_day']} inconsistent with values {start!r}/{end!r}")
    if ps and pe:
        ks = (ps[0], ps[1] if ps[1] is not None else 0)
        ke = (pe[0], pe[1] if pe[1] is not None else 24 * 60)
        if ks > ke:
            bad(f"{where}: start {start} after end {end}")
    for k in ("who", "what"):
        if not isinstance(item.get(k), str) or not item.get(k).strip():
            bad(f"{where}: {k} must be a non-empty string")
    if optional and (not isinstance(item.get("why"), str) or not item["why"].strip()):
        bad(f"{where}: optional item needs why")
    q = item.get("quote")
    if not isinstance(q, str) or not q.strip():
        bad(f"{where}: empty quote")
    elif norm(q) not in text:
        bad(f"{where}: quote not found in file: {q!r}")
    elif lines is not None:
        check_line(item, where, lines)


def check_must_not(it, ww, text, lines=None):
    need = {"date", "quote", "why"} | (LINE_KEYS if lines is not None else set())
    if not isinstance(it, dict) or set(it) != need:
        bad(f"{ww}: needs exactly {sorted(need)}")
        return
    d = it["date"]
    if not isinstance(d, str) or not MUST_NOT_RE.match(d):
        bad(f"{ww}: date must be YYYY, YYYY-MM or YYYY-MM-DD: {d!r}")
    elif DATE_RE.match(d):
        parse_point(d, ww)
    if not isinstance(it["quote"], str) or norm(it["quote"]) not in text:
        bad(f"{ww}: quote not found in file: {it['quote']!r}")
    elif lines is not None:
        check_line(it, ww, lines)
    if not isinstance(it["why"], str) or not it["why"].strip():
        bad(f"{ww}: empty why")


def check_sections(entry, w, text, lines=None):
    for sec, opt in (("must", False), ("optional", True)):
        items = entry.get(sec, [])
        if not isinstance(items, list):
            bad(f"{w}.{sec}: must be a list")
            continue
        for j, it in enumerate(items):
            if not isinstance(it, dict):
                bad(f"{w}.{sec}[{j}]: not an object")
                continue
            check_item(it, f"{w}.{sec}[{j}]", text, opt, lines)
    mn = entry.get("must_not", [])
    if not isinstance(mn, list):
        bad(f"{w}.must_not: must be a list")
        mn = []
    for j, it in enumerate(mn):
        check_must_not(it, f"{w}.must_not[{j}]", text, lines)
    # the same (key day, quote) should not sit in two sections
    seen = {}
    for sec in ("must", "optional"):
        for it in entry.get(sec, []) or []:
            k = ((it.get("end") or it.get("start") or "")[:10], norm(it.get("quote") or ""), it.get("line"))
            if sec == "optional" and seen.get(k) == "must":
                pass  # a restatement may share the sentence of a must item
            seen.setdefault(k, sec)
    for it in mn:
        if isinstance(it, dict):
            k = (it.get("date"), norm(it.get("quote") or ""), it.get("line"))
            if k in seen:
                bad(f"{w}: {k} is both {seen[k]} and must_not")


def check_list_gold(path):
    d = os.path.dirname(os.path.abspath(path))
    gold = json.load(open(path, encoding="utf-8"))
    if not isinstance(gold, list):
        bad(f"{path}: must be a list")
        return (0, 0, 0, 0)
    seen = set()
    for i, entry in enumerate(gold):
        w = f"{path}:entry[{i}]"
        if not isinstance(entry, dict):
            bad(f"{w}: not an object")
            continue
        missing = ENTRY_KEYS - set(entry)
        if missing:
            bad(f"{w}: missing keys {sorted(missing)}")
        fn = entry.get("file", "")
        w = f"{os.path.basename(d)}/{fn or i}"
        if fn in seen:
            bad(f"{w}: duplicate file entry")
        seen.add(fn)
        fp = os.path.join(d, fn)
        if not fn or not os.path.isfile(fp):
            bad(f"{w}: file not found")
            continue
        try:
            text = norm(open(fp, encoding="utf-8").read())
        except UnicodeDecodeError:
            bad(f"{w}: not UTF-8")
            continue
        nd = entry.get("notice_date")
        if nd is not None and (not isinstance(nd, str) or not DATE_RE.match(nd)):
            bad(f"{w}: notice_date must be YYYY-MM-DD or null")
        elif nd is not None:
            parse_point(nd, w + ".notice_date")
        for k in ("source", "issuer"):
            if not isinstance(entry.get(k), str) or not entry.get(k).strip():
                bad(f"{w}: {k} must be a non-empty string")
        check_sections(entry, w, text)
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".txt") and fn not in seen:
            bad(f"{os.path.basename(d)}/{fn}: no gold entry")
    return (len(gold), sum(len(e.get("must", [])) for e in gold),
            sum(len(e.get("optional", [])) for e in gold), sum(len(e.get("must_not", [])) for e in gold))


def check_object_gold(path):
    gold = json.load(open(path, encoding="utf-8"))
    fn = gold.get("file")
    fp = None
    for base in [os.path.dirname(os.path.abspath(path))] + CORPUS_DIRS:
        if fn and os.path.isfile(os.path.join(base, fn)):
            fp = os.path.join(base, fn)
            break
    if not fp:
        bad(f"{path}: file {fn!r} not found")
        return (0, 0, 0, 0)
    raw = open(fp, encoding="utf-8").read()
    lines = raw.split("\n")
    check_sections(gold, os.path.basename(path), norm(raw), lines)
    return (1, len(gold.get("must", [])), len(gold.get("optional", [])), len(gold.get("must_not", [])))


def main(argv):
    paths = argv or [os.path.join(HERE, "corpus_gold.json"),
                     os.path.join(HERE, "devset2", "gold.json"),
                     os.path.join(HERE, "heldout", "gold.json")]
    results = []
    for p in paths:
        if not os.path.isfile(p):
            bad(f"{p}: missing")
            continue
        try:
            g = json.load(open(p, encoding="utf-8"))
        except Exception as e:  # noqa: BLE001
            bad(f"{p}: cannot read: {e}")
            continue
        n = check_list_gold(p) if isinstance(g, list) else check_object_gold(p)
        results.append((p, n))
    if problems:
        for pr in problems:
            print("PROBLEM:", pr)
        print(f"{len(problems)} problem(s)")
        return 1
    for p, (f, m, o, mn) in results:
        print(f"OK: {os.path.relpath(p, HERE)}: {f} file(s), {m} must, {o} optional, {mn} must_not")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
