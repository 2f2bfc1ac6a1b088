"""The command line as a whole: typed dates, one error style, terminal-safe output, serve's start-up checks,
``python -m calendar_svc`` and what each command imports."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reminders_support import deadline, free_port

from calendar_svc import store
from calendar_svc.cli import main

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31m红字\x9b1A\u202e反转\x00"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def data_file(tmp_path: Path, *records) -> Path:
    path = tmp_path / "deadlines.toml"
    store.save(path, list(records) or [deadline("d", dt.date(2024, 9, 20))])
    return path


# -- typed dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-13-01", "'2026-13-01'：没有 13 月；顺序是年、月、日"),
        ("12/03/2026", "'12/03/2026' 有歧义或不是日期：请把年份写在前面"),
        ("03.12.2026", "'03.12.2026' 有歧义或不是日期"),
        ("2026-02-30", "2026年2月没有 30 日"),
        ("2026年2月30日", "2026年2月没有 30 日"),
        ("2024-09-20T25:00", "25:00 不是一天中的时刻"),
        ("下周二", "'下周二' 不是日期和时刻"),
        ("1726790400", "'1726790400' 有歧义或不是日期"),
    ],
)
def test_an_invalid_or_ambiguous_typed_date_is_refused_for_every_option(tmp_path: Path, typed: str, words: str) -> None:
    path = data_file(tmp_path)
    notice = tmp_path / "n.txt"
    notice.write_text("请于9月30日前提交。\n", encoding="utf-8")
    env = {"CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CALENDAR_SVC_DEADLINES": str(path)}
    for option, args in [
        ("--now", ["list", str(path), "--now", typed]),
        ("--date", ["extract", str(notice), "--date", typed]),
        ("--now", ["extract", str(notice), "-o", str(tmp_path / "out.toml"), "--now", typed]),
        ("--at", ["remind", "--at", typed, "--dry-run"]),
    ]:
        result = run(*args, env=env)
        assert result.exit_code == 2, (args, result.output)
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"错误：{option}: ") and words in first, first
        assert "Error:" not in result.stderr and "Usage:" not in result.stderr and "用法：" not in result.stderr
    assert not (tmp_path / "out.toml").exists()


@pytest.mark.parametrize(
    "typed", ["2024-09-14", "2024-09-14T00:00", "2024-09-14T00:00+08:00", "2024/9/14", "2024.9.14", "2024年9月14日", "20240914"]
)
def test_every_year_first_spelling_reads_the_same_day(tmp_path: Path, typed: str) -> None:
    path = data_file(tmp_path, deadline("d", dt.date(2024, 9, 20)))
    assert "6天" in run("list", str(path), "--now", typed).stdout


def test_a_typed_time_and_offset_are_kept(tmp_path: Path) -> None:
    from calendar_svc.typed import parse_day, parse_moment

    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert parse_moment("2024年9月20日 8:05") == dt.datetime(2024, 9, 20, 8, 5, tzinfo=shanghai)
    assert parse_moment("2024-09-20 8:05") == dt.datetime(2024, 9, 20, 8, 5, tzinfo=shanghai)
    assert parse_moment("2024年9月20日8时") == dt.datetime(2024, 9, 20, 8, 0, tzinfo=shanghai)
    assert parse_moment("2024-09-20T00:30Z") == dt.datetime(2024, 9, 20, 8, 30, tzinfo=shanghai)
    assert parse_day("2024年8月1日") == dt.date(2024, 8, 1)
    with pytest.raises(ValueError, match="这里只要日期"):
        parse_day("2024-08-01T10:00")


# -- one error style ------------------------------------------------------------------


def test_usage_errors_come_out_in_the_clis_own_style(tmp_path: Path) -> None:
    unknown = run("list", "--bogus")
    assert unknown.exit_code == 2
    assert unknown.stderr == "错误：没有选项 '--bogus'\n  （calendar-svc list -h 查看用法）\n"
    missing = run("extract")
    assert missing.exit_code == 2 and missing.stderr.startswith("错误：缺少参数 'INPUTS...'\n")
    absent = run("list", str(tmp_path / "nope.toml"))
    assert absent.exit_code == 2 and absent.stderr.startswith(f"错误：DATA: 文件 '{tmp_path / 'nope.toml'}' 不存在\n")
    bad_port = run("serve", "--port", "99999")
    assert bad_port.exit_code == 2 and bad_port.stderr.startswith("错误：--port: 99999 不在范围 1<=x<=65535 内\n")
    typo = run("lst")
    assert typo.exit_code == 2 and typo.stderr.startswith("错误：没有命令 'lst'（是不是以下之一：'list', 'set'？）\n")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[deadline]]\nid = 3\n", encoding="utf-8")
    failed = run("validate", str(broken))
    assert failed.exit_code == 1 and failed.stderr == f"错误：{broken}:2: 字段 `id` 的类型不对（int）\n"


def test_help_and_version_still_exit_zero() -> None:
    assert run("--help").exit_code == 0 and "用法： calendar-svc" in run("--help").stdout
    assert run("list", "-h").exit_code == 0
    assert run("--version").exit_code == 0


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    done = subprocess.run([sys.executable, "-m", "calendar_svc", "validate", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}：格式正确，1 条截止日期（待审核 1，已确认 0，已隐藏 0）\n"
    helped = subprocess.run([sys.executable, "-m", "calendar_svc", "--help"], capture_output=True, text=True, timeout=60)
    assert helped.stdout.startswith("用法： calendar-svc ")


# -- terminal-safe output ---------------------------------------------------------------


def empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "calendar-svc.toml"
    path.write_text("", encoding="utf-8")
    return path


def no_raw_controls(text: str) -> bool:
    return not any(c in text for c in ("\x1b", "\x07", "\x9b", "\u202e", "\x00"))


def test_list_shows_hostile_notice_text_escaped(tmp_path: Path) -> None:
    hostile = deadline("h", dt.date(2024, 9, 20), who=HOSTILE, what=HOSTILE, issuer=HOSTILE)
    path = data_file(tmp_path, hostile)
    table = run("list", str(path), "--now", "2024-09-14").stdout
    assert no_raw_controls(table)
    assert "\\x1b]0;owned\\x07" in table
    listed = run("list", str(path), "--json", "--now", "2024-09-14").stdout
    assert no_raw_controls(listed)
    assert json.loads(listed)[0]["who"] == HOSTILE  # still valid JSON, the text intact once decoded


def test_reminder_commands_show_web_typed_and_notice_text_escaped(tmp_path: Path) -> None:
    path = data_file(tmp_path, deadline("h", dt.date(2099, 9, 21), what=HOSTILE))
    env = {
        "CALENDAR_SVC_DEADLINES": str(path),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
        "CALENDAR_SVC_CONFIG": str(empty_config(tmp_path)),
    }
    assert run("subscribe", "alice@example.edu", "--who", "\x1b]0;owned\x07项目", env=env).exit_code == 0
    assert run("subscribe", "bob@example.edu", env=env).exit_code == 0  # gets the hostile deadline's reminders
    outputs = [run(*args, env=env).output for args in (["subscribers"], ["remind", "--at", "2099-09-20T09:00", "--dry-run"], ["status"])]
    for output in outputs:
        assert no_raw_controls(output), output
    assert "\\x1b]0;owned\\x07" in outputs[0] and "\\x1b]0;owned\\x07" in outputs[1]


# -- serve's start-up checks ---------------------------------------------------------------


def serve_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
        "CALENDAR_SVC_CONFIG": str(empty_config(tmp_path)),
    }


def test_serve_on_a_port_in_use_says_so_before_starting_anything(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "calendar_svc", "serve", "--data", str(path), "--port", str(port)],
            capture_output=True, text=True, timeout=60, env=serve_env(tmp_path), cwd=tmp_path,
        )
    assert done.returncode == 1
    assert done.stderr == f"错误：端口 {port} 已被占用，请用 --port 换一个\n"
    assert not (tmp_path / "db.sqlite3").exists()  # the reminder side never started


def test_serve_without_a_deadlines_file_says_where_it_looked_and_how_to_make_one(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "calendar_svc", "serve", "--port", str(port)],
        stderr=subprocess.PIPE, text=True, env=serve_env(tmp_path), cwd=tmp_path,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in server.stderr:
            lines.append(line)
            if f"网址 http://127.0.0.1:{port}/" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(60) and server.poll() is None, "".join(lines)
        import requests

        deadline_at = time.monotonic() + 60
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline_at, "".join(lines)
                time.sleep(0.05)
        assert health.status_code == 503 and health.json()["exists"] is False
        assert requests.get(f"http://127.0.0.1:{port}/calendar.ics", timeout=5).status_code == 503
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = "".join(lines)
    assert f"警告：{tmp_path.resolve() / 'deadlines.toml'}：文件不存在（--data deadlines.toml）" in text
    assert "从通知生成：calendar-svc extract 通知.txt -o deadlines.toml" in text


# -- what a command imports ----------------------------------------------------------------

IMPORTED = """
import sys
from calendar_svc.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ["icalendar", "dateparser", "flask", "sqlalchemy", "apscheduler", "calendar_svc.feed", "calendar_svc.extract"]
print("imported:", *(name for name in heavy if name in sys.modules), file=sys.stderr)
"""


def imported_by(tmp_path: Path, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("imported:")]
    return set(line.split()[1:])


def test_each_command_imports_only_what_it_uses(tmp_path: Path) -> None:
    notice = tmp_path / "n.txt"
    notice.write_text("关于申报的通知\n请于2024年9月30日前提交。\n", encoding="utf-8")
    path = data_file(tmp_path)
    assert imported_by(tmp_path, "extract", str(notice), "--json", "--date", "2024-08-01") == {"calendar_svc.extract"}
    assert imported_by(tmp_path, "list", str(path), "--now", "2024年9月14日") == set()
    assert imported_by(tmp_path, "validate", str(path)) == set()


STARTUP = """
import sys
from calendar_svc.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
slow = ["importlib.metadata", "email", "tomllib", "html.parser", "logging", "chinese_calendar", "calendar_svc.workdays", "calendar_svc.store"]
print("imported:", *(name for name in slow if name in sys.modules), file=sys.stderr)
"""


def test_extract_of_a_text_notice_skips_what_only_other_inputs_need(tmp_path: Path) -> None:
    """Whole-process extract (bench/bench_startup.py) pays for none of: importlib.metadata (12 ms with email),
    tomllib (the shipped data is read by toml_rs), html.parser (only HTML inputs), logging, the workday tables,
    the store (only with -o)."""
    notice = tmp_path / "n.txt"
    notice.write_text("关于申报的通知\n请于2024年9月30日前提交。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", STARTUP, "extract", str(notice), "--json", "--date", "2024-08-01"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("imported:")]
    assert line.split()[1:] == []
    assert json.loads(done.stdout)[0]["end"] == "2024-09-30"
