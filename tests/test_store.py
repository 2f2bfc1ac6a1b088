"""deadlines.toml: round trip, merge of re-extractions, validation with lines, atomic writes.

Every merge gets an injected ``now``; nothing here depends on today's date.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
import time
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_svc import store
from calendar_svc.errors import InputError
from calendar_svc.model import SHANGHAI, Deadline, NoticeRef, Source

NOTICE = NoticeRef(
    title="工业和信息化部办公厅关于组织开展2024年度中小企业特色产业集群申报工作的通知",
    issuer="工业和信息化部",
    doc_no="工信厅企业函〔2024〕215号",
    date=dt.date(2024, 7, 31),
)
T1 = dt.datetime(2024, 8, 1, 9, 0, tzinfo=SHANGHAI)
T2 = dt.datetime(2024, 8, 20, 14, 30, tzinfo=SHANGHAI)


def timed(ident: str = "a1", *, end: dt.datetime | None = None, file: str = "notice.txt", line: int = 5) -> Deadline:
    return Deadline(
        id=ident,
        kind="deadline",
        start=None,
        end=end or dt.datetime(2024, 9, 30, 16, 0, tzinfo=SHANGHAI),
        all_day=False,
        who="各推荐单位",
        what="通过系统确认推荐项目",
        quote="请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。",
        notice=NOTICE,
        source=Source(file, line),
    )


def window(ident: str = "b2", *, file: str = "notice.txt", line: int = 6) -> Deadline:
    return Deadline(
        id=ident,
        kind="window",
        start=dt.date(2024, 8, 26),
        end=dt.date(2024, 9, 20),
        all_day=True,
        who="项目申报单位",
        what="网上填报申报书",
        quote="项目申报单位应于2024年8月26日至9月20日期间网上填报申报书。",
        notice=NOTICE,
        source=Source(file, line),
    )


# -- round trip ---------------------------------------------------------------


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    first = replace(
        timed(),
        status="confirmed",
        title="确认推荐项目",
        tags=["工信部", "重点"],
        notes="已转给科技处\n第二行",
        revision=2,
        updated=T2,
        history=["2024-08-20: 2024-09-20T16:00+08:00 → 2024-09-30T16:00+08:00"],
        year_guess="",
    )
    second = replace(window(), vanished=True, updated=T1, year_guess="年份取发文日期（2024年7月31日）")
    path = tmp_path / "deadlines.toml"
    store.save(path, [first, second])

    loaded = store.load(path)

    assert sorted(loaded, key=lambda d: d.id) == [first, second]


def test_timed_values_keep_the_shanghai_offset_and_all_day_values_stay_dates(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [timed(), window()])
    text = path.read_text(encoding="utf-8")

    assert "end = 2024-09-30 16:00:00+08:00" in text
    assert "start = 2024-08-26\n" in text and "end = 2024-09-20\n" in text
    raw = tomllib.loads(text)["deadline"]
    by_id = {t["id"]: t for t in raw}
    assert by_id["a1"]["end"].utcoffset() == dt.timedelta(hours=8)
    assert type(by_id["b2"]["start"]) is dt.date and type(by_id["b2"]["end"]) is dt.date
    loaded = {d.id: d for d in store.load(path)}
    assert loaded["a1"].end.utcoffset() == dt.timedelta(hours=8)
    assert loaded["a1"].end.hour == 16
    assert type(loaded["b2"].start) is dt.date


def test_a_time_in_another_zone_reads_back_as_shanghai(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    path.write_text(
        '[[deadline]]\nid = "x"\nkind = "deadline"\nall_day = false\nend = 2024-09-30T08:00:00Z\n',
        encoding="utf-8",
    )
    (record,) = store.load(path)
    assert record.end == dt.datetime(2024, 9, 30, 16, 0, tzinfo=SHANGHAI)
    assert record.end.utcoffset() == dt.timedelta(hours=8)


def test_saved_file_is_sorted_soonest_first_and_loads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    later, sooner = timed("late"), window("soon")
    store.save(path, [later, sooner])
    assert [t["id"] for t in tomllib.loads(path.read_text(encoding="utf-8"))["deadline"]] == ["soon", "late"]
    store.save(path, store.load(path))
    assert store.load(path) == [sooner, later]


def test_missing_file_is_an_empty_calendar(tmp_path: Path) -> None:
    assert store.load(tmp_path / "none.toml") == []


# -- merge --------------------------------------------------------------------


def test_merge_into_nothing_adds_everything_with_updated_now() -> None:
    merged, report = store.merge([], [timed(), window()], now=T1, scope=store.scope_of([window()]))
    assert {d.id for d in report.added} == {"a1", "b2"}
    assert len(merged) == 2
    assert all(d.updated == T1 and d.revision == 0 and not d.vanished for d in merged)
    assert report.changed == [] and report.vanished == [] and report.unchanged == 0


def test_merge_adds_new_records_and_leaves_unchanged_ones_untouched() -> None:
    existing, _ = store.merge([], [timed()], now=T1, scope=store.scope_of([window()]))
    merged, report = store.merge(existing, [timed(), window()], now=T2, scope=store.scope_of([window()]))

    assert [d.id for d in report.added] == ["b2"]
    assert report.unchanged == 1 and report.changed == [] and report.vanished == []
    kept = next(d for d in merged if d.id == "a1")
    assert kept == existing[0]
    assert kept.updated == T1 and kept.revision == 0 and kept.history == []
    added = next(d for d in merged if d.id == "b2")
    assert added.updated == T2


def test_changed_date_bumps_revision_sets_updated_and_logs_history() -> None:
    existing, _ = store.merge([], [timed()], now=T1, scope=store.scope_of([window()]))
    moved = timed(end=dt.datetime(2024, 10, 8, 16, 0, tzinfo=SHANGHAI))

    merged, report = store.merge(existing, [moved], now=T2, scope=store.scope_of([window()]))

    (record,) = merged
    assert report.changed == [record] and report.added == [] and report.unchanged == 0
    assert record.id == "a1"
    assert record.end == dt.datetime(2024, 10, 8, 16, 0, tzinfo=SHANGHAI)
    assert record.revision == 1
    assert record.updated == T2
    assert record.history == ["2024-08-20: 2024-09-30T16:00+08:00 → 2024-10-08T16:00+08:00"]

    again, report2 = store.merge(merged, [replace(moved, end=dt.datetime(2024, 10, 9, 16, 0, tzinfo=SHANGHAI))],
                                 now=T2 + dt.timedelta(days=1), scope=store.scope_of([window()]))
    assert again[0].revision == 2
    assert len(again[0].history) == 2 and again[0].history[0] == record.history[0]


def test_switching_from_timed_to_all_day_is_a_change() -> None:
    existing, _ = store.merge([], [timed()], now=T1, scope=store.scope_of([window()]))
    all_day = replace(timed(), end=dt.date(2024, 9, 30), all_day=True)
    merged, report = store.merge(existing, [all_day], now=T2, scope=store.scope_of([window()]))
    assert merged[0].revision == 1 and merged[0].all_day is True and len(report.changed) == 1


def test_human_owned_fields_survive_re_extraction() -> None:
    existing, _ = store.merge([], [timed(), window()], now=T1, scope=store.scope_of([window()]))
    edited = [
        replace(d, status="hidden", title="我的标题", tags=["跟进"], notes="已电话确认") if d.id == "a1" else d
        for d in existing
    ]
    moved = timed(end=dt.datetime(2024, 10, 8, 16, 0, tzinfo=SHANGHAI))
    fresh = [replace(moved, what="通过系统确认推荐项目并盖章", quote="新的原文")]

    merged, _ = store.merge(edited, fresh + [window()], now=T2, scope=store.scope_of([window()]))

    record = next(d for d in merged if d.id == "a1")
    assert (record.status, record.title, record.tags, record.notes) == ("hidden", "我的标题", ["跟进"], "已电话确认")
    assert record.what == "通过系统确认推荐项目并盖章" and record.quote == "新的原文"
    assert record.revision == 1


def test_vanished_records_are_flagged_and_kept_other_files_left_alone() -> None:
    other = timed("c3", file="other.txt", line=2)
    existing, _ = store.merge([], [timed(), window(), other], now=T1, scope=store.scope_of([window(), other]))

    merged, report = store.merge(existing, [window()], now=T2, scope=store.scope_of([window()]))

    by_id = {d.id: d for d in merged}
    assert set(by_id) == {"a1", "b2", "c3"}
    assert by_id["a1"].vanished is True and by_id["a1"].updated == T2
    assert [d.id for d in report.vanished] == ["a1"]
    assert by_id["c3"] == next(d for d in existing if d.id == "c3")
    assert by_id["c3"].vanished is False
    assert by_id["b2"].vanished is False

    # Still gone on the next run: kept, flagged, not reported again.
    again, report2 = store.merge(merged, [window()], now=T2 + dt.timedelta(days=1), scope=store.scope_of([window()]))
    assert {d.id for d in again} == {"a1", "b2", "c3"}
    assert report2.vanished == [] and next(d for d in again if d.id == "a1").vanished is True


def test_a_vanished_record_that_reappears_is_unflagged() -> None:
    existing, _ = store.merge([], [timed(), window()], now=T1, scope=store.scope_of([window()]))
    gone, _ = store.merge(existing, [window()], now=T2, scope=store.scope_of([window()]))
    later = T2 + dt.timedelta(days=3)

    back, report = store.merge(gone, [timed(), window()], now=later, scope=store.scope_of([window()]))

    record = next(d for d in back if d.id == "a1")
    assert record.vanished is False
    assert record.updated == later
    assert record.revision == 0
    assert [d.id for d in report.changed] == ["a1"] and report.vanished == []


def test_merge_result_survives_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    first, _ = store.merge([], [timed(), window()], now=T1, scope=store.scope_of([window()]))
    store.save(path, first)
    moved = timed(end=dt.datetime(2024, 10, 8, 16, 0, tzinfo=SHANGHAI))
    second, report = store.merge(store.load(path), [moved], now=T2, scope=store.scope_of([window()]))
    store.save(path, second)

    loaded = {d.id: d for d in store.load(path)}
    assert loaded["a1"].revision == 1 and loaded["a1"].history and loaded["a1"].updated == T2
    assert loaded["b2"].vanished is True
    assert len(report.changed) == 1 and len(report.vanished) == 1


# -- validation ---------------------------------------------------------------

GOOD = """\
# reviewed by hand

[[deadline]]
id = "a1"
kind = "deadline"
status = "extracted"
end = 2024-09-30 16:00:00+08:00
all_day = false
who = "各推荐单位"
tags = []

[[deadline]]
id = "b2"
kind = "window"
status = "confirmed"
start = 2024-08-26
end = 2024-09-20
all_day = true
tags = ["重点"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deadlines.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        store.load(path)
    return caught.value


def test_good_file_loads(tmp_path: Path) -> None:
    loaded = store.load(write(tmp_path, GOOD))
    assert [d.id for d in loaded] == ["a1", "b2"]
    assert loaded[1].tags == ["重点"] and loaded[1].status == "confirmed"


def field_line(text: str, field: str, record: int) -> int:
    """1-based line of ``field =`` inside the ``record``-th ``[[deadline]]`` table."""
    lines = text.split("\n")
    header = [i for i, line in enumerate(lines) if line == "[[deadline]]"][record - 1]
    return next(i + 1 for i in range(header, len(lines)) if lines[i].startswith(f"{field} ="))


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.split("\n")
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


def test_bad_toml_syntax_names_file_and_line(tmp_path: Path) -> None:
    text = GOOD.replace('who = "各推荐单位"', 'who = "各推荐单位')
    path = write(tmp_path, text)
    error = load_error(path)
    assert error.file == str(path)
    assert error.line == line_of(text, "who =")
    assert str(error).startswith(f"{path}:{error.line}: 不是有效的 TOML：")


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('kind = "window"', 'kind = "期限"', "kind", "未知的类型 '期限'（应为 window、deadline、start、effective、milestone 之一）"),
        ('status = "confirmed"', 'status = "done"', "status", "未知的状态 'done'（应为 extracted、candidate、confirmed、hidden 之一）"),
        ('tags = ["重点"]', 'tags = "重点"', "tags", "字段 `tags` 的类型不对（str）"),
        ('tags = ["重点"]', 'tags = ["重点", 3]', "tags", "`tags` 必须是字符串列表"),
        ("all_day = true", 'all_day = "yes"', "all_day", "字段 `all_day` 的类型不对（str）"),
        ("end = 2024-09-20", 'end = "2024-09-20"', "end", "字段 `end` 的类型不对（str）"),
        ('tags = ["重点"]', 'tags = ["重点"]\nline = "6"', "line", "字段 `line` 的类型不对（str）"),
        ('tags = ["重点"]', 'tags = ["重点"]\nrevision = true', "revision", "字段 `revision` 的类型不对（bool）"),
        ("all_day = true", "all_day = false", "start", "`start` 只有日期，但 `all_day` 为 false（请写上时刻，或设 all_day = true）"),
        ("end = 2024-09-20", "end = 2024-08-20", "start", "的开始晚于结束（2024年8月26日 晚于 2024年8月20日）"),
        ("end = 2024-09-20", "end = 2024-09-20 17:00:00+08:00", "end", "`end` 带有时刻，但 `all_day` 为 true"),
        # Out of range: each would reach the feed, the page or /healthz as a 500 or a nonsense value.
        ("end = 2024-09-20", "end = 9999-12-31", "end", "字段 `end` 超出范围（9999年12月31日：年份须在 1970–2199）"),
        ("start = 2024-08-26", "start = 0001-01-01", "start", "字段 `start` 超出范围（1年1月1日："),
        ('tags = ["重点"]', 'tags = ["重点"]\nrevision = -5', "revision", "字段 `revision` 超出范围（-5：须在 0 至 2147483647）"),
        ('tags = ["重点"]', 'tags = ["重点"]\nline = 99999999999', "line", "字段 `line` 超出范围（99999999999："),
        ('tags = ["重点"]', 'tags = ["重点"]\nnotice_date = 3024-07-31', "notice_date", "字段 `notice_date` 超出范围"),
        ('tags = ["重点"]', 'tags = ["重点"]\nupdated = 1000-01-01 00:00:00+08:00', "updated", "字段 `updated` 超出范围"),
        ('tags = ["重点"]', 'tags = ["重点"]\nnotice_date = 2024-07-31 09:00:00', "notice_date", "字段 `notice_date` 的类型不对（datetime）"),
        ('tags = ["重点"]', 'tags = [[[[["重点"]]]]]', "tags", "`tags` 必须是字符串列表"),
        ('id = "b2"', 'id = "b2\\nEND:VEVENT"', "id", "编号 'b2\\nEND:VEVENT' 须由 1–64 个字母"),
        ('id = "b2"', 'id = ""', "id", "编号 '' 须由 1–64 个字母"),
        # A misspelt field is a lost human edit unless it is refused, with the field it was meant to be.
        ('tags = ["重点"]', 'tags = ["重点"]\ntitel = "基金申报"', "titel", "未知的字段 `titel`（是不是 `title`？）"),
        ('tags = ["重点"]', 'tags = ["重点"]\nzzz = 1', "zzz", "未知的字段 `zzz`"),
    ],
    ids=["unknown-kind", "unknown-status", "tags-not-list", "tag-not-string", "all-day-not-bool", "end-is-string",
         "line-is-string", "revision-is-bool", "date-when-timed", "start-after-end", "time-when-all-day",
         "year-9999", "year-1", "negative-revision", "huge-line", "notice-date-far-future", "updated-long-ago",
         "notice-date-with-time", "nested-tags", "id-with-newline", "empty-id", "misspelt-field", "unknown-field"],
)
def test_invalid_record_names_file_and_the_line_of_the_field(tmp_path: Path, old, new, field, words) -> None:
    text = GOOD.replace(old, new)
    assert text != GOOD
    path = write(tmp_path, text)
    error = load_error(path)
    assert error.file == str(path)
    assert words in error.problem
    # The broken record is the second one: the line of its field, not the first record's, not a blank line.
    expected = field_line(text, field, record=2)
    assert text.split("\n")[expected - 1].startswith(f"{field} =")
    assert error.line == expected
    assert str(error) == f"{path}:{expected}: {error.problem}"


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    text = GOOD.replace('id = "b2"', 'id = "a1"')
    path = write(tmp_path, text)
    error = load_error(path)
    headers = [i + 1 for i, line in enumerate(text.split("\n")) if line == "[[deadline]]"]
    assert error.line == headers[1]
    assert f"编号 'a1' 重复（第一次出现在第 {headers[0]} 行）" in error.problem


def test_record_without_any_date_is_an_error_at_its_header(tmp_path: Path) -> None:
    text = GOOD.replace("start = 2024-08-26\nend = 2024-09-20\n", "")
    error = load_error(write(tmp_path, text))
    assert error.line == line_of(text, "[[deadline]]", 2)
    assert "既没有 `start` 也没有 `end`" in error.problem


def test_missing_required_field_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace('id = "b2"\n', "")
    error = load_error(write(tmp_path, text))
    assert "记录缺少必填字段 `id`" in error.problem
    assert error.line == line_of(text, "[[deadline]]", 2)


def test_deadline_that_is_not_an_array_of_tables(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, '[deadline]\nid = "a"\n'))
    assert "`deadline` 必须是表数组（[[deadline]]）" in error.problem and error.line == 1


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    text = GOOD.replace('who = "各推荐单位"', 'who = "@@"')
    path.write_bytes(text.encode("utf-8").replace(b"@@", "各推荐单位".encode("gbk")))
    error = load_error(path)
    assert error.file == str(path)
    assert error.line == line_of(text, "who =")
    assert "不是 UTF-8 文本" in error.problem


# -- atomic writes ------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "deadlines.toml")


def test_failing_rename_leaves_the_original_intact_and_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [timed()])
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        store.save(path, [timed(), window()])

    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_failing_serialisation_leaves_the_original_intact(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [timed()])
    before = path.read_bytes()

    def broken_dumps(*args, **kwargs):
        raise TypeError("cannot serialise")

    monkeypatch.setattr(tomli_w, "dumps", broken_dumps)
    with pytest.raises(TypeError):
        store.save(path, [window()])

    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_failing_write_midway_leaves_the_original_intact(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [timed()])
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.save(path, [timed(), window()])

    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_save_creates_missing_folders_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "deadlines.toml"
    store.save(path, [timed()])
    assert [p.name for p in path.parent.iterdir()] == ["deadlines.toml"]
    assert path.read_text(encoding="utf-8").startswith("# deadlines.toml")


def test_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [timed()])
    os.chmod(path, 0o640)
    store.save(path, [timed(), window()])
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_file_gets_ordinary_permissions_not_the_temp_files_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    path = tmp_path / "deadlines.toml"
    store.save(path, [timed()])
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    reference = tmp_path / "plain.txt"
    reference.write_text("x")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_a_bom_added_by_an_editor_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    assert [d.id for d in store.load(path)] == ["a1", "b2"]


def test_non_utf8_bytes_after_a_bom_name_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    text = GOOD.replace('who = "各推荐单位"', 'who = "@@"')
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8").replace(b"@@", b"\xb8\xf7"))
    error = load_error(path)
    assert error.line == line_of(text, "who =") and "不是 UTF-8 文本" in error.problem


def test_deeply_nested_arrays_are_an_error_with_a_line_not_a_crash(tmp_path: Path) -> None:
    depth = 100_000  # the fast reader's own recursion would crash the process; tomllib's would raise RecursionError
    text = GOOD.replace('tags = ["重点"]', "tags = " + "[" * depth + "]" * depth)
    error = load_error(write(tmp_path, text))
    assert error.problem == "数组或表嵌套过深"
    assert error.line == line_of(text, "tags = [[")


def test_nesting_inside_strings_and_comments_is_not_nesting(tmp_path: Path) -> None:
    brackets = "[" * 5000
    text = GOOD.replace('who = "各推荐单位"', f'who = "{brackets}" # {brackets}\nnotes = \'\'\'{brackets}\n]]\'\'\'')
    loaded = store.load(write(tmp_path, text))
    assert loaded[0].who == brackets and loaded[0].notes == brackets + "\n]]"


# -- the fast reader ------------------------------------------------------------


def same(a, b) -> bool:
    """Equal values of exactly the same types (an offset datetime's tzinfo included)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (dt.datetime, dt.time)):
        return a == b and repr(a) == repr(b)
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def fast_and_reference(text: str):
    """What store's reader and tomllib make of ``text`` (an error is compared by kind)."""
    try:
        reference = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        reference = type(exc)
    try:
        fast = store._parse(text, "deadlines.toml")
    except InputError as exc:
        fast = RecursionError if exc.problem == "数组或表嵌套过深" else tomllib.TOMLDecodeError
    return fast, reference


def test_the_shipped_file_reads_exactly_as_tomllib_reads_it() -> None:
    text = (Path(__file__).resolve().parents[1] / "deadlines.toml").read_text("utf-8")
    fast, reference = fast_and_reference(text)
    assert len(reference["deadline"]) >= 15
    assert same(fast, reference)


HAND_EDITS = [
    'a = 2024-09-27T16:00:00Z', 'a = 2024-09-27 16:00:00.123456789+08:00', 'a = 2024-09-27T16:00:00-00:00',
    'a = 2024-09-27T16:00:00', 'a = 16:00:00', "a = '''x\ny'''", 'a = """x\\\n   y"""', 'a = """""x"""""',
    'a.b.c = 1', 'a = 0x1F', 'a = 1_000', 'a = inf', 'a = nan', 'a = -0.0', 'a = "\\u00e9\\U0001F600"',
    'a = 99999999999999999999', 'a = 1979-05-27T07:32:00.999999+23:59', "a = 'C:\\path' # 注释",
    # TOML 1.1 only, or invalid: tomllib rejects them, so the store must too.
    'a = "\\e"', 'a = 2024-09-27T16:00', 'a = {b = 1,\n c = 2}', 'a = "x\x7fy"', 'a = 2024-02-30',
    'a = 1\na = 2', '[[d]]\n[d.x]\ny=1\n[d.x]', 'a = "\\x41"', 'a = 2024-09-27T24:00:00', 'a = [1,,2]',
]


@pytest.mark.parametrize("text", HAND_EDITS)
def test_hand_edits_read_exactly_as_tomllib_reads_them(text: str) -> None:
    fast, reference = fast_and_reference(text)
    assert same(fast, reference), (fast, reference)


generated_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(
        st.tuples(
            generated_text,
            st.lists(generated_text, max_size=3),
            st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2199, 12, 30)),
            st.booleans(),
            st.integers(0, 2**31 - 1),
        ),
        max_size=8,
    )
)
def test_generated_files_read_exactly_as_tomllib_reads_them(tmp_path: Path, records) -> None:
    made = []
    for number, (words, tags, moment, all_day, revision) in enumerate(records):
        end = moment.date() if all_day else moment.replace(tzinfo=SHANGHAI, microsecond=0)
        made.append(replace(timed(f"g{number}"), end=end, all_day=all_day, who=words, what=words[::-1],
                            quote=words * 3, notes=words, tags=tags, revision=revision, history=tags))
    path = tmp_path / "generated.toml"
    path.unlink(missing_ok=True)  # each example writes a new file (one kept by save would keep its order)
    store.save(path, made)
    fast, reference = fast_and_reference(path.read_text("utf-8"))
    assert same(fast, reference)
    assert store.load(path) == sorted(made, key=store._sort_key)


def test_a_good_file_never_works_out_line_numbers(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, GOOD)

    def not_now(*args):
        raise AssertionError("line numbers are for error messages only")

    monkeypatch.setattr(store, "_problem_line", not_now)
    assert len(store.load(path)) == 2


# -- the writers' lock ----------------------------------------------------------

NOTICE_TEXT = """\
科学技术部关于征集2024年度第{n}批国际合作项目的通知
国科外函〔2024〕3{n}号
各有关单位：
请各单位于2024年10月1{n}日前通过国际合作管理系统提交申报材料，逾期不予受理。
科学技术部国际合作司
2024年8月1日
"""

#: A reviewer's edit (what the review page does): under the lock, load, wait for the go, save.
REVIEWER = """
import sys
from dataclasses import replace
from calendar_svc import store
path = sys.argv[1]
with store.locked(path):
    records = store.load(path)
    print("locked", flush=True)
    sys.stdin.readline()
    store.save(path, [replace(r, notes="reviewed") for r in records])
"""


def cli(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "calendar_svc", *args], **popen)


def extract_args(tmp_path: Path, n: int, output: Path) -> list[str]:
    notice = tmp_path / f"notice{n}.txt"
    notice.write_text(NOTICE_TEXT.format(n=n), encoding="utf-8")
    return ["extract", str(notice), "-o", str(output), "--now", "2024-08-20T09:00"]


def blocked_on_a_lock(pid: int) -> bool:
    """Whether ``pid`` waits for a file lock (the kernel lists waiters in /proc/locks with ``->``)."""
    return any("->" in line and f" {pid} " in line for line in Path("/proc/locks").read_text().splitlines())


def test_extract_waits_for_a_writer_holding_the_lock_and_keeps_its_edit(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    assert cli(*extract_args(tmp_path, 1, data)).wait(timeout=120) == 0
    reviewer = subprocess.Popen([sys.executable, "-c", REVIEWER, str(data)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
    try:
        assert reviewer.stdout.readline() == "locked\n"
        extracting = cli(*extract_args(tmp_path, 2, data), stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while extracting.poll() is None and not blocked_on_a_lock(extracting.pid):
            assert time.monotonic() < deadline, "extract neither finished nor waited for the lock"
            time.sleep(0.01)
        # Without the lock extract has already written; the reviewer's save then drops its record.
        reviewer.stdin.write("go\n")
        reviewer.stdin.flush()
        assert reviewer.wait(timeout=60) == 0
        _, err = extracting.communicate(timeout=120)
        assert extracting.returncode == 0, err
    finally:
        reviewer.kill()
    records = store.load(data)
    assert len(records) == 2, "the second extraction was lost"
    assert [r.notes for r in records if r.notice.title.startswith("科学技术部关于征集2024年度第1批")] == ["reviewed"]


def test_concurrent_extracts_into_one_file_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    starter = "import sys; sys.stdin.readline(); from calendar_svc.cli import main; main(sys.argv[1:])"
    runs = [
        subprocess.Popen([sys.executable, "-c", starter, *extract_args(tmp_path, n, data)], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for n in range(1, 5)
    ]
    for run in runs:  # released together, once all have started Python
        run.stdin.write("go\n")
        run.stdin.flush()
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    assert sorted(r.end for r in store.load(data)) == [dt.date(2024, 10, 10 + n) for n in range(1, 5)]
    assert (tmp_path / "deadlines.toml.lock").exists()
