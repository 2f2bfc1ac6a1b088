"""Benchmark the source watcher: 50 list pages × 20 notices on a loopback site, first check and re-check.

Run by hand (not part of pytest):  python bench/bench_sources.py [--sources 50] [--items 20] [--interval 0]

The site (a threaded http.server on 127.0.0.1) serves TRS-style list pages
and GBK notice pages, each with one deadline, and answers conditional GETs
with 304. The first check reads every list, claims and reads every notice,
extracts it and merges each source's records into deadlines.toml (SQLite
ledger); the second check is what a watcher does all day: one conditional
GET per list and per notice re-checked, nothing read again. ``--interval``
is the per-host politeness delay: 0 measures the work, not the waiting
(all sources share the one loopback host here, so a real delay would
dominate: 2 s × 1 050 requests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calendar_svc import store  # noqa: E402
from calendar_svc.db import make_engine  # noqa: E402
from calendar_svc.ingest import default_limits  # noqa: E402
from calendar_svc.model import SHANGHAI  # noqa: E402
from calendar_svc.sources.config import Source  # noqa: E402
from calendar_svc.sources.polite import Polite  # noqa: E402
from calendar_svc.sources.watch import Watcher  # noqa: E402

_MENU = "".join(f'<li><a href="/m{i}/">栏目{i}</a></li>' for i in range(8))


def list_page(source: int, items: int) -> bytes:
    rows = "".join(
        f'<li><a href="./2025{(i % 12) + 1:02d}/t_{source}_{i}.html" title="关于第{source}批第{i}项申报工作的通知">'
        f"关于第{source}批第{i}项申报工作的通知</a><span>2025-{(i % 12) + 1:02d}-{(i % 27) + 1:02d}</span></li>"
        for i in range(items)
    )
    return (f'<html><head><meta charset="utf-8"><title>通知公告</title></head><body><div class="nav"><ul>{_MENU}</ul></div>'
            f'<div class="list_div"><ul class="list">{rows}</ul></div><div class="footer">版权所有</div></body></html>').encode()


def notice_page(source: int, item: int) -> bytes:
    month = (item % 12) + 1
    title = f"关于第{source}批第{item}项申报工作的通知"
    lines = ["各有关单位：", f"现将第{source}批第{item}项申报工作有关事项通知如下。",
             f"申报单位应于2025年{month}月{(item % 27) + 1}日17:00前通过系统提交第{item}项申报材料。", "某某省科学技术厅", "2025年1月2日"]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>{title}</title></head><body>'
            f'<div class="nav">{_MENU}</div><div class="article"><h1>{title}</h1><div class="content">{body}</div></div>'
            f'<div class="footer">最后更新：2025年1月2日</div></body></html>')
    return page.encode("gb18030")


def serve(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    tags = {path: '"' + hashlib.sha256(body).hexdigest()[:16] + '"' for path, body in pages.items()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == tags[self.path]:
                self.send_response(304)
                self.send_header("ETag", tags[self.path])
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", tags[self.path])
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.0)
    args = parser.parse_args()
    pages = {"/robots.txt": b"User-agent: *\nDisallow: /private/\n"}
    for s in range(args.sources):
        pages[f"/s{s}/index.html"] = list_page(s, args.items)
        for i in range(args.items):
            pages[f"/s{s}/2025{(i % 12) + 1:02d}/t_{s}_{i}.html"] = notice_page(s, i)
    server = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = [Source(f"来源{s}", f"{base}/s{s}/index.html", every=dt.timedelta(hours=6)) for s in range(args.sources)]
    folder = Path(tempfile.mkdtemp(prefix="bench-sources-"))
    engine = make_engine(f"sqlite:///{folder / 'db.sqlite3'}")  # WAL, as the service opens it
    moment = [dt.datetime(2025, 1, 3, 9, 0, tzinfo=SHANGHAI)]
    polite = Polite(default_limits(), user_agent="calendar-svc/bench", interval=args.interval)
    watcher = Watcher(sources, engine=engine, deadlines=folder / "deadlines.toml", polite=polite, now=lambda: moment[0],
                      worker_id="bench")
    started, cpu = time.perf_counter(), time.process_time()
    first = watcher.run(due_only=False)
    first_wall, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    first_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    notices = sum(r.new_notices for r in first)
    records = len(store.load(folder / "deadlines.toml"))
    errors = [r.error for r in first if r.error]
    moment[0] += dt.timedelta(hours=7)
    requests_before = polite.requests
    started, cpu = time.perf_counter(), time.process_time()
    second = watcher.run(due_only=True)
    second_wall, second_cpu = time.perf_counter() - started, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.sources} sources × {args.items} notices, interval {args.interval:g} s, loopback")
    print(f"first check:  {first_wall:.1f} s wall, {first_cpu:.1f} s CPU; {notices} notices read, {records} records queued; "
          f"{requests_before} requests; {len(errors)} errors; {first_wall / max(notices, 1) * 1000:.0f} ms per notice; "
          f"peak RSS {first_rss:.0f} MiB")
    print(f"second check: {second_wall:.2f} s wall, {second_cpu:.2f} s CPU; {sum(r.new_notices for r in second)} new, "
          f"{polite.requests - requests_before} conditional requests; peak RSS {rss:.0f} MiB")
    if errors:
        print("errors:", errors[:3])
    server.shutdown()


if __name__ == "__main__":
    main()
