"""Benchmark: reading deadlines.toml, and memory across rewrites (soak).

Run by hand from the repository root:

    python bench/bench_store.py                  # 10 000 records, 5 timed loads, 10 rewrites
    python bench/bench_store.py --count 100000 --rewrites 3

Load: store.load of a file of ``--count`` synthetic records (bench_feed.synthetic, saved by the store),
CPU and wall time, best and median of ``--repeat``; tomllib alone on the same text for comparison.
Save: store.save of the same records into the existing file (nothing changed), with one record
confirmed (what a review action writes), with every record changed, and into a new file; each
rewrite keeps the file's layout (calendar_svc/tomltext.py) and is read back before the rename.
Soak: a live loader (calendar_svc.datafile, what serve's page and scheduler share) follows the file
through ``--rewrites`` rewrites, each with every record's notes changed; the process's RSS after each
reload must stay flat (the old snapshot is dropped once the new one is in place).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tomllib
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_feed import synthetic  # noqa: E402

from calendar_svc import datafile, store  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(action, repeat: int) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        action()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return cpu, wall


def halved(times: tuple[list[float], list[float]]) -> tuple[list[float], list[float]]:
    return tuple([t / 2 for t in series] for series in times)


def show(name: str, cpu: list[float], wall: list[float]) -> None:
    print(f"  {name:<28} CPU best {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s; "
          f"wall best {min(wall):.3f} s, median {statistics.median(wall):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rewrites", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deadlines.toml"
        records = synthetic(args.count)
        store.save(path, records)
        size = path.stat().st_size
        print(f"{args.count} records, {size / 1e6:.1f} MB")
        text = path.read_text("utf-8")
        show("tomllib.loads alone", *timed(lambda: tomllib.loads(text), args.repeat))
        show("store.load (parse + checks)", *timed(lambda: store.load(path), args.repeat))

        loaded = store.load(path)
        show("store.save, nothing changed", *timed(lambda: store.save(path, loaded), args.repeat))
        one = [replace(r, status="confirmed", history=[*r.history, "2026-03-10 10:00 张三：确认"]) if n == 1 else r
               for n, r in enumerate(loaded)]
        # Back and forth, so each save changes the same records; the times shown are per save.
        show("store.save, one confirmed", *halved(timed(lambda: (store.save(path, one), store.save(path, loaded)), args.repeat)))
        every = [replace(r, notes="复核") for r in loaded]
        show("store.save, every one changed", *halved(timed(lambda: (store.save(path, every), store.save(path, loaded)), args.repeat)))
        fresh = Path(folder) / "fresh.toml"
        show("store.save, new file", *timed(lambda: (fresh.unlink(missing_ok=True), store.save(fresh, loaded)), args.repeat))
        store.save(path, records)

        live = datafile.DataFile(path)
        snapshot = live.snapshot()
        assert len(snapshot.deadlines) == args.count and not snapshot.error
        gc.collect()
        print(f"soak: {args.rewrites} rewrites, RSS after each reload (MiB)")
        sizes = [rss_mib()]
        for number in range(args.rewrites):
            store.save(path, [replace(r, notes=f"第{number}次复核") for r in records])
            snapshot = live.snapshot()
            assert snapshot.deadlines[0].notes == f"第{number}次复核", "the rewrite was not picked up"
            gc.collect()
            sizes.append(rss_mib())
        print("  " + " → ".join(f"{s:.0f}" for s in sizes))
        print(f"  growth over the last {args.rewrites - 1} rewrites: {sizes[-1] - sizes[1]:+.0f} MiB")


if __name__ == "__main__":
    main()
