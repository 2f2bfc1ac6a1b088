"""Benchmark: whole-process ``calendar-svc extract`` of the corpus against jionlp's whole process.

Run by hand from the repository root (jionlp comes with the bench extra: pip install -e '.[bench]'):

    python bench/bench_startup.py              # 15 rounds
    python bench/bench_startup.py --runs 30
    python bench/bench_startup.py --quick      # skip jionlp

Each round runs every command once, one after another, so a change of the machine's load hits all of
them alike; the figure is the median of the child's user + system CPU (``os.wait4``), with the wall
time beside it. Commands:

- the interpreter alone, without and with ``site`` (what any Python command pays before its first import);
- ``calendar-svc extract CORPUS --json`` through the installed console script, and ``python -m calendar_svc``;
- ``import jionlp; jionlp.ner.extract_time(CORPUS)``, the baseline of issue 11.

The package is byte-compiled first (``compileall``), as ``pip install`` does: a run from a source tree
with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every module from source on every start.
For the same reason the warm-up run of each command may write the extractor's regex cache
(calendar_svc/patterns.py), which any first run of an installed copy writes.
Run with ``--profile`` to see where calendar-svc's time goes: ``-X importtime`` summed per top-level
package, and the time spent compiling regular expressions.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import site
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus" / "policy-compilation-2024-08.md"

JIONLP = (
    "import sys, jionlp\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "found = jionlp.ner.extract_time(text, time_base={'year': 2024, 'month': 8, 'day': 1}, with_parsing=True)\n"
    "print(len(found))\n"
)


JIONLP_ROW = "jionlp: import + ner.extract_time(CORPUS)"


def console_script(folder: Path) -> list[str]:
    """``calendar-svc`` as ``pip install`` writes it from this tree's pyproject.toml, in ``folder``.

    Written here rather than taken from the environment, whose copy was written by the install that
    made it and runs whatever entry point pyproject.toml named then (a version manager's shim adds a
    shell too). The text is pip's console-script template.
    """
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]["calendar-svc"]
    module, function = entry.split(":")
    script = folder / "calendar-svc"
    script.write_text(
        f"#!{sys.executable}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {module} import {function}\n"
        f"if __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        f"    sys.exit({function}())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return [str(script)]


def commands(quick: bool, folder: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Name → (argv, environment). The ``-S`` rows skip ``site``: its .pth files are this machine's (see below)."""
    py = sys.executable
    corpus = str(CORPUS)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    bare = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *site.getsitepackages()]))
    found = {
        "python -I -S -c pass (bare interpreter)": ([py, "-I", "-S", "-c", "pass"], env),
        "python -c pass (interpreter + site)": ([py, "-c", "pass"], env),
        "calendar-svc extract CORPUS --json": ([*console_script(folder), "extract", corpus, "--json"], env),
        "python -m calendar_svc extract CORPUS --json": ([py, "-m", "calendar_svc", "extract", corpus, "--json"], env),
    }
    if not quick:
        found[JIONLP_ROW] = ([py, "-c", JIONLP, corpus], env)
    found["python -S -m calendar_svc extract CORPUS --json (no .pth files)"] = (
        [py, "-S", "-m", "calendar_svc", "extract", corpus, "--json"], bare)
    if not quick:
        found[JIONLP_ROW + " (no .pth files)"] = ([py, "-S", "-c", JIONLP, corpus], bare)
    return found


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(user + system CPU, wall) of one run of ``argv``; its output is discarded, a failure raised."""
    begin = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - begin
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(argv)}")
    return usage.ru_utime + usage.ru_stime, wall


def profile(env: dict[str, str]) -> None:
    """Where calendar-svc's start goes: import time per top-level package, and regex compiling."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "calendar_svc", "extract", str(CORPUS), "--json"],
                         env=env, capture_output=True, text=True, check=True).stderr
    per_package: dict[str, int] = {}
    for line in out.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        top = name.strip().split(".")[0]
        self_us = int(self_us)
        per_package[top] = per_package.get(top, 0) + self_us
    total = sum(per_package.values())
    print(f"\n-X importtime, self time summed per top-level module (inflated by the tracing): {total / 1000:.1f} ms")
    for name, us in sorted(per_package.items(), key=lambda item: -item[1])[:15]:
        print(f"  {us / 1000:7.1f} ms  {name}")
    probe = (
        "import re, sys, time, cProfile, pstats, io\n"
        "sys.argv = ['calendar-svc', 'extract', sys.argv[1], '--json']\n"
        "from calendar_svc.cli import main\n"
        "p = cProfile.Profile(); p.enable()\n"
        "try:\n    main(prog_name='calendar-svc')\nexcept SystemExit:\n    pass\n"
        "p.disable(); s = io.StringIO(); pstats.Stats(p, stream=s).sort_stats('cumulative').print_stats(25)\n"
        "sys.stderr.write(s.getvalue())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(CORPUS)], env=env, capture_output=True, text=True).stderr
    print("\ncProfile of the command after its imports (cumulative):")
    print("\n".join(line for line in out.splitlines()[:60] if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="skip jionlp")
    parser.add_argument("--profile", action="store_true", help="also show where calendar-svc's start-up goes")
    args = parser.parse_args()

    compileall.compile_dir(ROOT / "calendar_svc", quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="calendar-svc-bench-"))
    try:
        todo = commands(args.quick, folder)
        for argv, env in todo.values():  # check every command works, warm the page cache, write the regex cache
            run_once(argv, {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"})
        cpu: dict[str, list[float]] = {name: [] for name in todo}
        wall: dict[str, list[float]] = {name: [] for name in todo}
        for _ in range(args.runs):
            for name, (argv, env) in todo.items():
                used, took = run_once(argv, env)
                cpu[name].append(used)
                wall[name].append(took)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{args.runs} rounds, load average {os.getloadavg()[0]:.1f}, corpus {CORPUS.stat().st_size // 1000} kB")
    print("| command | CPU median (min–max) | wall median |")
    print("| --- | ---: | ---: |")
    for name in todo:
        print(f"| {name} | {statistics.median(cpu[name]) * 1000:.0f} ms ({min(cpu[name]) * 1000:.0f}–"
              f"{max(cpu[name]) * 1000:.0f}) | {statistics.median(wall[name]) * 1000:.0f} ms |")
    if not args.quick:
        median = {name: statistics.median(values) for name, values in cpu.items()}
        theirs = median[JIONLP_ROW]
        print(f"jionlp / calendar-svc: {theirs / median['calendar-svc extract CORPUS --json']:.1f}× (console script), "
              f"{theirs / median['python -m calendar_svc extract CORPUS --json']:.1f}× (python -m); without .pth files: "
              f"{median[JIONLP_ROW + ' (no .pth files)'] / median['python -S -m calendar_svc extract CORPUS --json (no .pth files)']:.1f}×")
        ratios = [j / c for j, c in zip(cpu[JIONLP_ROW], cpu["calendar-svc extract CORPUS --json"])]
        print(f"per round (console script): median {statistics.median(ratios):.1f}× ({min(ratios):.1f}–{max(ratios):.1f})")
    if args.profile:
        profile(dict(os.environ, PYTHONPATH=str(ROOT)))
    if args.profile:
        profile(env)


if __name__ == "__main__":
    main()
