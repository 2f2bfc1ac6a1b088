"""The shared live loader: one parse per change for the page and the scheduler, last good data kept."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from reminders_support import Clock, deadline, make_settings, save, service, smtp, subscribe  # noqa: F401

from calendar_svc import datafile, store
from calendar_svc.web import create_app

ALICE = "alice@example.edu"


def good_file(path: Path) -> Path:
    store.save(path, [deadline("a", dt.date(2026, 3, 16)), deadline("b", dt.date(2026, 4, 1))])
    return path


def test_a_missing_file_at_start_is_an_error_that_says_how_to_create_one(tmp_path: Path) -> None:
    live = datafile.DataFile(tmp_path / "deadlines.toml")
    snapshot = live.snapshot()
    assert not snapshot.usable and snapshot.deadlines == ()
    assert snapshot.error == (
        f"{tmp_path / 'deadlines.toml'}: 截止日期文件不存在（被删除或移走了？）；可用 "
        f"calendar-svc extract 通知.txt -o {tmp_path / 'deadlines.toml'} 生成"
    )
    with pytest.raises(datafile.DataFileError, match="截止日期文件不存在"):
        live.load()


@pytest.mark.parametrize("damage", ["delete", "empty", "no-records", "broken"])
def test_a_deleted_emptied_or_broken_file_keeps_the_last_good_data_and_says_so(tmp_path: Path, damage: str) -> None:
    path = good_file(tmp_path / "deadlines.toml")
    live = datafile.DataFile(path)
    assert [d.id for d in live.load()] == ["a", "b"] and live.snapshot().error == ""
    if damage == "delete":
        path.unlink()
    elif damage == "empty":
        path.write_text("", encoding="utf-8")
    elif damage == "no-records":
        store.save(path, [])
    else:
        path.write_text(path.read_text("utf-8") + "\n[[deadline]]\nid = \n", encoding="utf-8")
    snapshot = live.snapshot()
    assert snapshot.usable and [d.id for d in snapshot.deadlines] == ["a", "b"]
    expected = {"delete": "截止日期文件不存在", "empty": "截止日期文件是空的", "no-records": "截止日期文件是空的",
                "broken": "不是有效的 TOML"}[damage]
    assert expected in snapshot.error
    assert [d.id for d in live.load()] == ["a", "b"]
    good_file(path)
    assert live.snapshot().error == ""


def test_any_failure_while_reading_keeps_the_last_good_data(tmp_path: Path, monkeypatch) -> None:
    path = good_file(tmp_path / "deadlines.toml")
    live = datafile.DataFile(path)
    live.load()

    def overflow(_path):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(store, "load", overflow)
    store.save(path, [deadline("c", dt.date(2026, 5, 1))])
    snapshot = live.snapshot()
    assert snapshot.usable and [d.id for d in snapshot.deadlines] == ["a", "b"]
    assert snapshot.error == f"{path}: 无法读取（OverflowError: date value out of range）"


def test_many_threads_asking_at_once_cause_one_parse(tmp_path: Path) -> None:
    live = datafile.DataFile(good_file(tmp_path / "deadlines.toml"))
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        live.snapshot()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert live.loads == 1


def test_page_and_scheduler_share_one_parse_per_change(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-15T09:00")
    app = create_app(settings.deadlines, clock=clock)
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    client = app.test_client()

    assert client.get("/calendar.ics").status_code == 200
    assert [o.status for o in svc.check().outcomes] == ["sent"]
    assert client.get("/healthz").json["deadlines"] == 1
    assert svc.deadlines is datafile.shared(settings.deadlines)
    assert svc.deadlines.loads == 1  # the CLI's count, the page and the scheduler used to parse it once each

    save(settings, deadline("a", dt.date(2026, 3, 16)), deadline("b", dt.date(2026, 3, 16), what="提交纸质材料"))
    assert client.get("/healthz").json["deadlines"] == 2
    assert len(svc.deadlines.load()) == 2
    assert svc.deadlines.loads == 2


def test_the_scheduler_keeps_reminding_from_the_last_good_data_when_the_file_is_deleted(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T09:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    assert svc.check().outcomes == []
    settings.deadlines.unlink()  # an empty schedule would cancel everything pending
    clock.set("2026-03-15T09:00")
    assert [o.status for o in svc.check().outcomes] == ["sent"]
