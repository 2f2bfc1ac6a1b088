"""Benchmark the feed for 10 000 deadlines: build times in-process, then /calendar.ics under load.

Run by hand (not in pytest); the load part needs `wrk` (Debian: apt-get install wrk):

    python3 bench/bench_feed.py                 # 10 000 deadlines, 10 s per scenario
    python3 bench/bench_feed.py --build-only    # just the build figures
    python3 bench/bench_feed.py --count 1000 --duration 5 --connections 16

It writes a synthetic deadlines.toml through the model and the store and
loads it back. In-process it times (CPU medians): the first build of the
default feed with a fresh FeedBuilder (what a server does after a change),
the whole history (past=all), every single-filter variant after that (they
reuse the serialised events), a rebuild after one record changed, and
`export --all-variants`. Then it starts the real server (as
`calendar-svc serve` runs it) in a subprocess on 127.0.0.1 and drives it
with wrk: a full download, a gzip download, and a revalidation with
If-None-Match (what polling calendar apps mostly send).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

from calendar_svc import store
from calendar_svc.export import export_variants, variant_filters
from calendar_svc.feed import FeedBuilder
from calendar_svc.model import KINDS, SHANGHAI, Deadline, NoticeRef, Source, deadline_id

#: "Now" for the build figures: half a year into the synthetic data's two years.
NOW = dt.datetime(2026, 7, 1, 10, 0, tzinfo=SHANGHAI)
STAMP = dt.datetime(2026, 6, 30, 8, 0, tzinfo=SHANGHAI)

ISSUERS = ["工业和信息化部", "科学技术部", "教育部", "国家发展改革委", "财政部", "商务部", "农业农村部", "生态环境部"]
TAGS = ["科研项目", "人才", "专项资金", "评审", "备案", "统计报表"]
WHO = ["项目申报单位", "各推荐单位", "省级主管部门", "高等学校", "企业"]
WHAT = ["网上填报申报书", "报送推荐函", "提交纸质材料", "完成信息备案", "报送年度总结"]

SERVER = """
import sys
from calendar_svc.web import create_app, serve
serve(create_app(sys.argv[1]), "127.0.0.1", int(sys.argv[2]))
"""


def synthetic(count: int, seed: int = 7) -> list[Deadline]:
    """``count`` deadlines spread over two years, with every kind, all-day and timed, windows."""
    rng = random.Random(seed)
    start = dt.date(2026, 1, 1)
    result = []
    for i in range(count):
        issuer = ISSUERS[i % len(ISSUERS)]
        notice = NoticeRef(
            title=f"关于组织开展2026年度第{i // 5 + 1}批{rng.choice(TAGS)}申报工作的通知",
            issuer=issuer,
            doc_no=f"{issuer[:2]}〔2026〕{i // 5 + 1}号",
            date=start + dt.timedelta(days=rng.randrange(300)),
        )
        kind = KINDS[i % len(KINDS)]
        who, what = rng.choice(WHO), f"{rng.choice(WHAT)}（第{i}项）"
        day = start + dt.timedelta(days=rng.randrange(730))
        timed = i % 3 == 0
        end: dt.date | dt.datetime = dt.datetime.combine(day, dt.time(16, 0), SHANGHAI) if timed else day
        begin = None
        if kind == "window":
            begin = end - dt.timedelta(days=rng.randrange(7, 40))
        quote = f"请{who}于{day.month}月{day.day}日前{what}，逾期不予受理；联系电话：010-6820{i % 10000:04d}。"
        result.append(
            Deadline(
                id=deadline_id(notice, kind, quote),
                kind=kind,
                start=begin if kind == "window" else (end if kind in ("start", "effective") else None),
                end=None if kind in ("start", "effective") else end,
                all_day=not timed,
                who=who,
                what=what,
                quote=quote,
                notice=notice,
                source=Source(file=f"notices/{i // 5:05d}.txt", line=i % 200 + 1),
                tags=rng.sample(TAGS, k=rng.randrange(3)),
            )
        )
    return result


def cpu(step, repeat: int) -> tuple[float, object]:
    """Median CPU seconds of ``step()`` over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        begun = time.process_time()
        result = step()
        times.append(time.process_time() - begun)
    times.sort()
    return times[len(times) // 2], result


def build_figures(deadlines: list[Deadline], tmp: Path, repeat: int) -> None:
    """The feed's build costs in-process: what a change of deadlines.toml costs the server and the export."""
    logging.getLogger("calendar_svc.feed").setLevel(logging.ERROR)  # every big variant would warn of its size
    loaded = tuple(deadlines)
    first, body = cpu(lambda: FeedBuilder().build(loaded, stamp=STAMP, now=NOW), repeat)
    whole, everything = cpu(lambda: FeedBuilder().build(loaded, stamp=STAMP, now=NOW, past_all=True), repeat)
    builder = FeedBuilder()
    builder.build(loaded, stamp=STAMP, now=NOW, past_all=True)
    filters = variant_filters(loaded)[1:]
    variants, _ = cpu(lambda: [builder.build(loaded, stamp=STAMP, now=NOW, filters=f) for f in filters], repeat)
    changed = (*loaded[:-1], replace(loaded[-1], notes="已核对"))
    rebuild, _ = cpu(lambda: FeedBuilder.build(builder, changed, stamp=STAMP, now=NOW, past_all=True), 1)
    export, files = cpu(lambda: export_variants(loaded, tmp / "site", builder=FeedBuilder(), stamp=STAMP, now=NOW), 1)
    print(f"{len(loaded)} deadlines; now = {NOW:%Y-%m-%d}; CPU medians of {repeat} runs")
    print("| step | CPU | body |")
    print("| --- | ---: | ---: |")
    print(f"| first build, default feed (future + 30 days past), fresh builder | {first * 1000:.0f} ms | {len(body) / 1e6:.1f} MB |")
    print(f"| first build, past=all, fresh builder | {whole * 1000:.0f} ms | {len(everything) / 1e6:.1f} MB |")
    print(f"| {len(filters)} single-filter variants after that (events reused) | {variants * 1000:.0f} ms | |")
    print(f"| rebuild after one record changed | {rebuild * 1000:.0f} ms | |")
    print(f"| export --all-variants ({files} files), fresh builder | {export * 1000:.0f} ms | |")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> tuple[int, int]:
    """Current and peak resident memory of ``pid`` in KiB (VmRSS, VmHWM)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def wrk(url: str, args: argparse.Namespace, headers: dict[str, str]) -> dict[str, float]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),
        "errors": float(len(re.findall(r"Non-2xx or 3xx responses|Socket errors", out))),
    }


def _ms(text: str) -> float:
    """wrk's ``812.00us``, ``3.41ms``, ``1.02s`` in milliseconds."""
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic deadlines (default 10000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build figure (default 3)")
    parser.add_argument("--build-only", action="store_true", help="only the in-process build figures")
    args = parser.parse_args()
    if not args.build_only and not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk (or --build-only)")

    with tempfile.TemporaryDirectory(prefix="bench-feed-") as tmp:
        data = Path(tmp) / "deadlines.toml"
        merged, _ = store.merge([], synthetic(args.count), now=dt.datetime(2026, 1, 1, tzinfo=SHANGHAI))
        store.save(data, merged)
        build_figures(store.load(data), Path(tmp), args.repeat)
        if args.build_only:
            return
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (Path(tmp) / "server.log").open("w")  # the server may warn under overload: expected
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(data), str(port)], cwd=tmp, stderr=log)
        try:
            begun = time.perf_counter()
            wait_until_up(url, timeout=300)
            loaded = time.perf_counter() - begun
            idle = rss_kib(server.pid)[0]
            started = time.perf_counter()
            with urllib.request.urlopen(url + "/calendar.ics", timeout=120) as response:
                body, etag = response.read(), response.headers["ETag"]
            cold = time.perf_counter() - started
            built = rss_kib(server.pid)[0]
            scenarios = [
                ("If-None-Match (304)", {"If-None-Match": etag}),
                ("gzip", {"Accept-Encoding": "gzip"}),
                ("full body", {}),
            ]
            rows = []
            for name, headers in scenarios:
                result = wrk(url + "/calendar.ics", args, headers)
                result["rss"] = rss_kib(server.pid)[0]
                rows.append((name, result))
            rss, peak = rss_kib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()

    print(f"{args.count} deadlines, a {len(body) / 1e6:.1f} MB feed; "
          f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s; the server `calendar-svc serve` runs")
    print(f"data loaded and the default feed built (the first /healthz reports its size): {loaded:.1f} s; "
          f"first /calendar.ics after that: {cold * 1000:.0f} ms")
    print("| scenario | requests/s | p50 ms | p99 ms | server RSS after, MiB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, r in rows:
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['rss'] / 1024:.0f} |")
        if r["errors"]:
            print(f"  (wrk reported errors in {name!r}: rerun with fewer connections)")
    print(f"server RSS: {idle / 1024:.0f} MiB started, {built / 1024:.0f} MiB after the first build, "
          f"{rss / 1024:.0f} MiB after the runs, peak {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
