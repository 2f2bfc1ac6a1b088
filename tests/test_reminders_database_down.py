"""An unreachable reminders database: clean one-line errors, and `serve` keeps the feed and page up."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from reminders_support import deadline, free_port, save, smtp  # noqa: F401
from test_reminders_scheduler import Process, env_for, wait_for

from calendar_svc import store
from calendar_svc.cli import main


def down_url() -> str:
    return f"postgresql+psycopg://calendar:hunter2@127.0.0.1:{free_port()}/reminders"  # nothing listens there


@pytest.mark.parametrize("command", ["status", "subscribers", "remind --at 2099-01-01T09:00", "worker"])
def test_commands_say_in_one_line_that_the_database_is_unreachable(tmp_path: Path, command: str) -> None:
    (tmp_path / "calendar-svc.toml").write_text("", encoding="utf-8")
    env = {"CALENDAR_SVC_CONFIG": str(tmp_path / "calendar-svc.toml"), "CALENDAR_SVC_DATABASE_URL": down_url()}
    result = CliRunner().invoke(main, command.split(), env=env)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("错误：")]
    assert len(errors) == 1 and "无法使用数据库 postgresql+psycopg://calendar:***@127.0.0.1" in errors[0]
    assert "Traceback" not in result.output and "hunter2" not in result.output


def test_serve_keeps_the_feed_and_page_up_while_the_reminders_database_is_down(tmp_path: Path, smtp) -> None:  # noqa: F811
    blocker = tmp_path / "state"
    blocker.write_text("a file where the database folder should be", encoding="utf-8")
    env = {
        **env_for(tmp_path, smtp.url),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{blocker / 'reminders.sqlite3'}",
        "CALENDAR_SVC_CHECK_INTERVAL": "1",
    }
    (tmp_path / "calendar-svc.toml").write_text("", encoding="utf-8")
    store.save(tmp_path / "deadlines.toml", [deadline("d", dt.date(2099, 9, 21))])
    port = free_port()
    code = "from calendar_svc.cli import main; main()"
    server = Process([sys.executable, "-c", code, "serve", "--data", str(tmp_path / "deadlines.toml"), "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _get(f"{base}/healthz") is not None or server.returncode is not None), "".join(server.lines)
        assert requests.get(f"{base}/calendar.ics", timeout=5).status_code == 200
        assert requests.get(f"{base}/", timeout=5).status_code == 200
        health = json.loads(_get(f"{base}/healthz"))
        assert health["reminders"]["status"] == "unavailable" and "reminders" in health["reminders"]["error"]
        refused = requests.post(f"{base}/subscribe", data={"email": "bob@example.org"}, timeout=5)
        assert refused.status_code == 503 and "稍后再试" in refused.text
        assert server.wait_for_line("event=reminders-unavailable")

        blocker.unlink()  # the database becomes usable: serve picks the reminders up by itself
        assert wait_for(lambda: json.loads(_get(f"{base}/healthz") or "{}").get("reminders", {}).get("status") == "ok")
        assert requests.post(f"{base}/subscribe", data={"email": "bob@example.org"}, timeout=5).status_code == 202
        assert wait_for(lambda: len(smtp.mailbox.to("bob@example.org")) == 1)
    finally:
        err = server.stop(2)  # SIGINT
    assert "Traceback" not in err


def _get(url: str) -> str | None:
    try:
        return requests.get(url, timeout=2).text
    except requests.ConnectionError:
        return None
