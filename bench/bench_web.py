"""Benchmark the web server at 10 000 deadlines against nginx serving the same bytes, and under slow clients.

Run by hand (not in pytest); needs wrk and nginx from Debian (apt-get install wrk nginx-light):

    python3 bench/bench_web.py                    # 10 000 deadlines, 5 rounds of 3 s per scenario, 32 connections
    python3 bench/bench_web.py --count 1000 --duration 3

It writes the synthetic deadlines of bench_feed.py, starts the shipped server
(``calendar_svc.web.serve``, as ``calendar-svc serve`` runs it, without the
reminder scheduler) in a subprocess on 127.0.0.1, warms the feed and the page,
and drives it with wrk, one scenario after another, in ``--rounds`` rounds:

- feed revalidation (If-None-Match → 304), what polling calendar apps send;
- the page with gzip (a browser's first visit), and its revalidation (304);
- the same feed bytes and ETag from nginx (one worker, If-None-Match → 304).

The machine is shared, and its load moves within seconds, so each ratio is taken
within one round (scenarios a few seconds apart) and reported per round, with
the median and the spread over the rounds; the table gives each scenario's median.

Then the hostile loads of issue 10, each bounded in time: 100 connections from
four loopback addresses trickle header lines (slowloris) while one normal
client times its requests; a POST announcing 300 MiB is timed to its 413; and
four clients ask for a new feed variant (a fresh ``q``) back to back, each a
build, while wrk measures the cached 304s (cache-busting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_feed import NOW, free_port, rss_kib, synthetic, wait_until_up, wrk  # noqa: E402

from calendar_svc import store  # noqa: E402
from calendar_svc.model import SHANGHAI  # noqa: E402

SERVER = """
import datetime as dt, sys
from calendar_svc.model import SHANGHAI
from calendar_svc.web import create_app, serve
now = dt.datetime.fromisoformat(sys.argv[3])
serve(create_app(sys.argv[1], clock=lambda: now), "127.0.0.1", int(sys.argv[2]))
"""

NGINX = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ text/calendar ics; }}
  server {{
    listen 127.0.0.1:{port};
    root {dir}/site;
    location = /calendar.ics {{ etag off; add_header ETag '"{etag}"'; if ($http_if_none_match = '"{etag}"') {{ return 304; }} }}
  }}
}}
"""


FEED_304 = "feed If-None-Match (304)"
PAGE_200 = "page, gzip (200)"
PAGE_304 = "page If-None-Match (304)"
NGINX_304 = "nginx, same feed bytes, If-None-Match (304)"


@contextmanager
def nginx_serving(tmp_path: Path, body: bytes) -> Iterator[tuple[str, str]]:
    """nginx (one worker) serving ``body`` as /calendar.ics with a fixed ETag: (url, quoted ETag)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "calendar.ics").write_bytes(body)
    etag = hashlib.sha256(body).hexdigest()[:32]
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX.format(dir=tmp_path, port=port, etag=etag))
    nginx = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/calendar.ics"
    try:
        for _ in range(100):
            try:
                if get(url, {"If-None-Match": f'"{etag}"'})[0] == 304:
                    break
            except OSError:
                time.sleep(0.05)
        yield url, f'"{etag}"'
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def slow_clients(url: str, count: int, rounds: int) -> list[float]:
    """Latency (ms) of a normal request, ``rounds`` times, while ``count`` connections trickle headers."""
    host, port = url.removeprefix("http://").split(":")
    attackers = []
    for i in range(count):
        sock = socket.create_connection((host, int(port)), timeout=10, source_address=(f"127.0.0.{2 + i % 4}", 0))
        sock.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n")
        attackers.append(sock)
    times = []
    try:
        for n in range(rounds):
            for sock in attackers:
                try:
                    sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
                except OSError:
                    pass  # closed by the header deadline: as intended
            started = time.perf_counter()
            status, _, _ = get(url + "/healthz")
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200
            time.sleep(0.5)  # the attacker's pace (a line every 0.5 s here, every 5 s in the report)
    finally:
        for sock in attackers:
            sock.close()
    return times


def huge_post(url: str) -> tuple[float, bytes]:
    """Seconds until a POST announcing 300 MiB is answered, having sent only its headers."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        started = time.perf_counter()
        sock.sendall(b"POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 314572800\r\n\r\n--b\r\n")
        answer = sock.recv(200)
        return time.perf_counter() - started, answer.split(b"\r\n", 1)[0]


def busting(url: str, source: str, stop: threading.Event, built: list[int]) -> None:
    """From ``source``, ask for feed variants nobody asked for before, back to back, until ``stop``."""
    host, port = url.removeprefix("http://").split(":")
    n = 0
    while not stop.is_set():
        n += 1
        connection = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
        connection.request("GET", "/calendar.ics?q=" + urllib.parse.quote(f"词{source}-{n}"))
        response = connection.getresponse()
        response.read()
        connection.close()
        built.append(response.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the four main scenarios (ratios per round)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} not found: apt-get install wrk nginx-light")

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "deadlines.toml"
        merged, _ = store.merge([], synthetic(args.count), now=dt.datetime(2026, 1, 1, tzinfo=SHANGHAI))
        store.save(data, merged)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (tmp_path / "server.log").open("w")
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(data), str(port), NOW.isoformat()], stdout=log, stderr=log)
        try:
            started = time.perf_counter()
            wait_until_up(url, timeout=120)
            loaded = time.perf_counter() - started
            status, feed_headers, feed_body = get(url + "/calendar.ics")
            assert status == 200, (status, feed_body[:300])
            started = time.perf_counter()
            status, page_headers, page_body = get(url + "/", {"Accept-Encoding": "gzip"})
            assert status == 200, (status, page_headers, page_body[:300])
            first_page = time.perf_counter() - started
            feed_etag, page_etag = feed_headers["ETag"], page_headers["ETag"]
            print(f"{args.count} deadlines; data up in {loaded:.1f} s; feed {len(feed_body) / 1e6:.1f} MB; "
                  f"first page render {first_page * 1000:.0f} ms ({len(page_body) / 1e3:.0f} kB gzip); "
                  f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds")
            with nginx_serving(tmp_path, feed_body) as (nginx_url, nginx_etag):
                scenarios = {
                    FEED_304: (url + "/calendar.ics", {"If-None-Match": feed_etag}),
                    PAGE_200: (url + "/", {"Accept-Encoding": "gzip"}),
                    PAGE_304: (url + "/", {"If-None-Match": page_etag, "Accept-Encoding": "gzip"}),
                    NGINX_304: (nginx_url, {"If-None-Match": nginx_etag}),
                }
                rounds = [{name: wrk(target, args, headers) for name, (target, headers) in scenarios.items()}
                          for _ in range(args.rounds)]
            rss, peak = rss_kib(server.pid)
            slow = slow_clients(url, 100, 6)
            refused_in, refusal = huge_post(url)
            stop, statuses = threading.Event(), []
            sources = [f"127.0.0.{10 + i}" for i in range(4)]  # wrk's 32 connections fill 127.0.0.1's share
            attackers = [threading.Thread(target=busting, args=(url, source, stop, statuses)) for source in sources]
            for thread in attackers:
                thread.start()
            try:
                busted = wrk(url + "/calendar.ics", args, {"If-None-Match": feed_etag})
            finally:
                stop.set()
                for thread in attackers:
                    thread.join(timeout=120)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print("| scenario | requests/s, median (min–max) of the rounds | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    for name in (*scenarios, "feed 304 while 4 clients bust the cache"):
        runs = [r[name] for r in rounds] if name in scenarios else [busted]
        rps = [r["rps"] for r in runs]
        spread = f" ({min(rps):.0f}–{max(rps):.0f})" if len(rps) > 1 else ""
        print(f"| {name} | {statistics.median(rps):.0f}{spread} | {statistics.median(r['p50'] for r in runs):.2f} | "
              f"{statistics.median(r['p99'] for r in runs):.2f} |")
    ratios = {
        "page 200 (gzip) / feed 304": [r[PAGE_200]["rps"] / r[FEED_304]["rps"] for r in rounds],
        "page 304 / feed 304": [r[PAGE_304]["rps"] / r[FEED_304]["rps"] for r in rounds],
        "feed 304 / nginx 304": [r[FEED_304]["rps"] / r[NGINX_304]["rps"] for r in rounds],
    }
    for name, values in ratios.items():
        print(f"{name}: median {statistics.median(values):.2f}, min {min(values):.2f}, max {max(values):.2f}; "
              f"per round {' '.join(f'{v:.2f}' for v in values)}")
    print(f"server RSS {rss / 1024:.0f} MiB (peak {peak / 1024:.0f} MiB)")
    print(f"100 trickling connections: /healthz in {statistics.median(slow):.1f} ms median, {max(slow):.1f} ms max")
    print(f"POST announcing 300 MiB: {refusal.decode()} after {refused_in * 1000:.1f} ms, its body never sent")
    print(f"cache-busting: {statuses.count(200)} new variants built, {statuses.count(503)} told 503 Retry-After, "
          f"during the 304 run above")


if __name__ == "__main__":
    main()
