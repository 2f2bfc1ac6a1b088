"""Benchmark: extraction on hostile and unlucky inputs (issue 10), and its growth with size (issue 11).

Run by hand from the repository root:

    python bench/bench_adversarial.py            # everything
    python bench/bench_adversarial.py --quick    # smaller inputs

Reports
- for every regular expression of the extraction code (calendar_svc.patterns.registry),
  its worst piece among typical pumps (``' ' * n``, ``'1月、' * n``, ``'1' * n`` …) and
  the time per KB of that worst case at 64 KB, run the way the code runs it;
- whole-pipeline inputs: an indented 落款, a ``pdftotext -layout`` style file, a run of
  months, a line of dates without punctuation, a table of contents in a file without
  Markdown headings, and N copies of one notice (time per KB and the 200/20 ratio);
- the corpus document, in process (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus" / "policy-compilation-2024-08.md"
sys.path.insert(0, str(ROOT))

from calendar_svc.classify import classify_notice  # noqa: E402
from calendar_svc.notices import split_notices  # noqa: E402
from calendar_svc.patterns import registry  # noqa: E402

PIECES = [" ", "\n", "\u3000", "#", "1", "一", "年", "1月、", "2024年", "1月1日", "1月1日 ", "的", "关于",
          "|", "。", "前", "至", "(", ",", "8:00", "2024.1.", "截至", "1、"]
NOTICE = (
    "关于开展2024年度项目申报工作的通知\n各有关单位：\n一、申报时间\n"
    "申报单位请于2024年9月30日17:00前通过系统提交申报书，逾期不予受理。\n"
    "系统开放时间为8月1日至9月30日。\n| 1 | 初审 | 10月15日前 |\n"
)


def best_of(function, repeat: int = 3) -> float:
    timings = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function()
        timings.append(time.perf_counter() - begin)
    return min(timings)


def extract_text(text: str) -> int:
    found = 0
    for notice in split_notices(text, "bench.txt"):
        found += len(classify_notice(notice)[0])
    return found


def per_kb(seconds: float, text: str) -> float:
    return seconds * 1000 / (len(text.encode("utf-8")) / 1024)


def bench_patterns(size: int) -> None:
    extract_text(CORPUS.read_text("utf-8"))  # records how the code runs each pattern
    print(f"{'pattern':<44} {'run as':<7} {'worst piece':<12} {'ms/KB':>8}")
    rows = []
    for pattern in registry():
        anchored = pattern.used and pattern.used <= {"match", "fullmatch"}
        run = pattern.compiled.match if anchored else pattern.compiled.search
        worst = (0.0, "")
        for piece in PIECES:
            for suffix in ("", "x"):
                text = piece * (size // len(piece.encode("utf-8"))) + suffix
                worst = max(worst, (per_kb(best_of(lambda: run(text), 1), text), piece + suffix))
        rows.append((worst[0], pattern.name, "match" if anchored else "search", worst[1]))
    for ms, name, mode, piece in sorted(rows, reverse=True):
        print(f"{name[:44]:<44} {mode:<7} {piece!r:<12} {ms:8.3f}")


def bench_inputs(scale: int) -> None:
    inputs = {
        "落款 after 400 spaces": " " * 400 + "科技局 2024年7月1日\n",
        "pdftotext -layout (200 lines × 100 spaces)": "\n".join(
            " " * 100 + f"各单位于2024年3月{i % 28 + 1}日前提交申报材料，逾期不予受理" for i in range(200 * scale)
        ),
        "'1月、' × 4000": "1月、" * 4000 * scale,
        "dates without punctuation (one line)": "请于9月30日前提交 " * 2000 * scale,
        "目录 without Markdown headings": "目录\n" + "".join(f"关于第{i}项工作的通知{i}\n" for i in range(500 * scale))
        + "关于第0项工作的通知\n请于9月30日前报送。\n",
        "indented table rows": "".join(f"{' ' * 60}| {i % 12 + 1}月{i % 28 + 1}日 | 提交 |\n" for i in range(2000 * scale)),
    }
    print(f"\n{'input':<44} {'KB':>7} {'ms':>9} {'ms/KB':>8}")
    for name, text in inputs.items():
        seconds = best_of(lambda: extract_text(text))
        print(f"{name:<44} {len(text.encode('utf-8')) / 1024:7.1f} {seconds * 1000:9.1f} {per_kb(seconds, text):8.3f}")
    print(f"\n{'copies of one notice in one file':<44} {'KB':>7} {'ms':>9} {'ms/KB':>8}")
    timings = {}
    for copies in (1, 20, 200, 400 * scale):
        text = NOTICE * copies
        timings[copies] = best_of(lambda: extract_text(text))
        print(f"{copies:<44} {len(text.encode('utf-8')) / 1024:7.1f} {timings[copies] * 1000:9.1f} "
              f"{per_kb(timings[copies], text):8.3f}")
    print(f"200 copies / 20 copies: {timings[200] / timings[20]:.1f}× (target ≤ 12×)")


def bench_corpus(repeat: int) -> None:
    text = CORPUS.read_text("utf-8")
    extract_text(text)
    timings = []
    for _ in range(repeat):
        begin = time.perf_counter()
        extract_text(text)
        timings.append(time.perf_counter() - begin)
    print(f"\ncorpus document ({len(text)} characters), in process: median {statistics.median(timings) * 1000:.1f} ms "
          f"of {repeat} runs (target < 30 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs")
    args = parser.parse_args()
    bench_patterns(8 * 1024 if args.quick else 64 * 1024)
    bench_inputs(1)
    bench_corpus(10 if args.quick else 30)


if __name__ == "__main__":
    main()
