"""The extract, list and validate commands, end to end, on notices written here and on the real corpus.

Merges get ``--now`` and listings ``--now``: nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner, Result

from calendar_svc.cli import main

CORPUS = Path(__file__).resolve().parent / "data" / "corpus" / "policy-compilation-2024-08.md"

MIIT = """\
工业和信息化部办公厅关于组织开展2024年度中小企业特色产业集群申报工作的通知
工信厅企业函〔2024〕215号
各省、自治区、直辖市及计划单列市工业和信息化主管部门：
为贯彻落实《中华人民共和国中小企业促进法》，现将有关事项通知如下。
一、请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。
二、项目申报单位应于2024年8月26日至9月20日期间网上填报申报书。
三、请各地主管部门于2024年9月10日前完成线上培训报名。
四、联系人：王明，电话：010-68205555。
工业和信息化部
2024年7月31日
"""

MOST = """\
科技部国际合作司关于征集2024年度国际合作项目的通知
国科外函〔2024〕34号
各有关单位：
请各单位于2024年10月15日前通过国际合作管理系统提交申报材料，逾期不予受理。
科学技术部国际合作司
2024年8月16日
"""

UNDATED = """\
关于开展创新项目征集的通知
请各单位于9月30日前报送项目材料。
"""

IMPOSSIBLE = """\
关于报送年度统计材料的通知
一、请各单位于2024年2月30日前报送统计报表。
二、请各单位于2024年3月15日前报送汇总表。
某某市科学技术局
2024年1月5日
"""

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIMED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\+08:00$")


def run(*args: str, input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def notice(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def records(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_end(items: list[dict]) -> dict[str, dict]:
    return {item["end"]: item for item in items}


# -- extract --json -----------------------------------------------------------


def test_json_records_have_the_documented_shape(tmp_path: Path) -> None:
    path = notice(tmp_path, "miit.txt", MIIT)
    items = records(run("extract", path, "--json"))

    assert isinstance(items, list) and len(items) == 3
    for item in items:
        assert {"id", "kind", "start", "end", "all_day", "who", "what", "quote", "notice", "source"} <= set(item)
        assert set(item["notice"]) >= {"title", "issuer", "doc_no", "date"}
        assert set(item["source"]) == {"file", "line", "url", "sha256"}
        assert re.fullmatch(r"[0-9a-f]{64}", item["source"]["sha256"]) and item["source"]["url"] == ""
        assert re.fullmatch(r"[0-9a-f]{16}", item["id"])
        for key in ("start", "end"):
            value = item[key]
            if value is not None:
                assert (ISO_DATE if item["all_day"] else ISO_TIMED).match(value), value
        assert item["quote"] in MIIT
        assert item["quote"].strip() in MIIT.split("\n")[item["source"]["line"] - 1]

    ends = by_end(items)
    confirm = ends["2024-09-30T16:00+08:00"]
    assert confirm["kind"] == "deadline" and confirm["start"] is None and confirm["all_day"] is False
    assert confirm["who"] == "各推荐单位" and confirm["what"] == "通过系统确认推荐项目"
    assert {k: confirm["source"][k] for k in ("file", "line")} == {"file": path, "line": 5}
    assert confirm["notice"] == {
        "title": "工业和信息化部办公厅关于组织开展2024年度中小企业特色产业集群申报工作的通知",
        "issuer": "工业和信息化部",
        "doc_no": "工信厅企业函〔2024〕215号",
        "date": "2024-07-31",
    }
    window = ends["2024-09-20"]
    assert window["kind"] == "window" and window["start"] == "2024-08-26" and window["all_day"] is True
    assert window["who"] == "项目申报单位" and window["what"] == "网上填报申报书"
    assert window["source"]["line"] == 6
    assert ends["2024-09-10"]["start"] is None


def test_ids_are_stable_across_runs(tmp_path: Path) -> None:
    path = notice(tmp_path, "miit.txt", MIIT)
    first = [item["id"] for item in records(run("extract", path, "--json"))]
    second = [item["id"] for item in records(run("extract", path, "--json"))]
    assert first == second and len(set(first)) == len(first)


def test_stdin_dash(tmp_path: Path) -> None:
    items = records(run("extract", "-", "--json", input=MIIT.encode("gb18030")))
    assert {item["end"] for item in items} == {"2024-09-30T16:00+08:00", "2024-09-20", "2024-09-10"}
    assert {item["source"]["file"] for item in items} == {"<stdin>"}


def test_several_files_in_one_call(tmp_path: Path) -> None:
    first, second = notice(tmp_path, "miit.txt", MIIT), notice(tmp_path, "most.txt", MOST)
    result = run("extract", first, second, "--json")
    items = records(result)
    files = {item["source"]["file"] for item in items}
    assert files == {first, second}
    most = [item for item in items if item["source"]["file"] == second]
    assert len(most) == 1
    assert most[0]["end"] == "2024-10-15" and most[0]["notice"]["doc_no"] == "国科外函〔2024〕34号"
    assert most[0]["notice"]["issuer"] == "科学技术部国际合作司"
    assert f"{first}：3 条截止日期" in result.stderr and f"{second}：1 条截止日期" in result.stderr


def test_html_notice(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>\n" for line in MOST.strip().split("\n")[1:])
    page = f"<html><head><title>{MOST.split(chr(10))[0]}</title><script>x='2024年1月1日前'</script></head><body>{body}</body></html>"
    path = tmp_path / "most.html"
    path.write_bytes(page.encode("gbk"))
    (item,) = records(run("extract", str(path), "--json"))
    assert item["end"] == "2024-10-15"
    assert item["notice"]["title"] == "科技部国际合作司关于征集2024年度国际合作项目的通知"


def test_date_gives_the_year_to_an_undated_notice_and_says_so(tmp_path: Path) -> None:
    path = notice(tmp_path, "undated.txt", UNDATED)

    without = run("extract", path, "--json", "--now", "2024-08-01T09:00+08:00")
    assert [(r["status"], r["doubt"]) for r in records(without)] == [("candidate", "年份为推断：文中没有年份，按提取当天推算")]
    assert f"{path}:2:" in without.stderr and "--date" in without.stderr

    result = run("extract", path, "--json", "--date", "2024-08-01")
    (item,) = records(result)
    assert item["end"] == "2024-09-30" and item["all_day"] is True
    assert item["year_guess"]
    assert f"提示：{path}:2: " in result.stderr and "2024-08-01" not in result.stderr
    assert "参考日期（--date）（2024年8月1日）" in result.stderr and "--date" in result.stderr

    later = records(run("extract", path, "--json", "--date", "2025-03-01"))
    assert later[0]["end"] == "2025-09-30"


def test_bad_date_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("extract", notice(tmp_path, "undated.txt", UNDATED), "--date", "不是日期")
    assert result.exit_code == 2 and "--date" in result.stderr


def test_impossible_date_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = notice(tmp_path, "stats.txt", IMPOSSIBLE)
    result = run("extract", path, "--json")
    items = records(result)
    assert re.search(rf"{re.escape(path)}:2: .*2月30日", result.stderr)
    # Not shifted to 3月1日 or 2月29日: only the valid date comes out.
    assert [item["end"] for item in items] == ["2024-03-15"]
    assert all("2月30日" not in item["quote"] for item in items)


# -- extract -o ---------------------------------------------------------------


def test_output_creates_then_merges_keeping_edits(tmp_path: Path) -> None:
    source = Path(notice(tmp_path, "miit.txt", MIIT))
    data = tmp_path / "deadlines.toml"

    first = run("extract", str(source), "-o", str(data), "--now", "2024-08-01T09:00")
    assert first.exit_code == 0, first.output
    assert f"{data}：新增 3 条，变更 0 条，消失 0 条，未变 0 条" in first.stderr
    assert first.stdout == ""
    tables = tomllib.loads(data.read_text(encoding="utf-8"))["deadline"]
    assert len(tables) == 3
    assert all(t["status"] == "extracted" and t["revision"] == 0 for t in tables)
    assert all(t["updated"] == dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))) for t in tables)

    second = run("extract", str(source), "-o", str(data), "--now", "2024-08-02T09:00")
    assert f"{data}：新增 0 条，变更 0 条，消失 0 条，未变 3 条" in second.stderr
    assert tomllib.loads(data.read_text(encoding="utf-8"))["deadline"] == tables

    # A reviewer edits the record of the 9月30日 deadline by hand ...
    text = data.read_text(encoding="utf-8")
    head, sep, rest = text.partition("end = 2024-09-30 16:00:00+08:00")
    assert sep
    head = head[: head.rindex('status = "extracted"')] + 'status = "confirmed"' + head[head.rindex('status = "extracted"') + len('status = "extracted"'):]
    rest = rest.replace("tags = []", 'tags = ["工信部", "重点"]', 1).replace('notes = ""', 'notes = "已转科技处"', 1)
    data.write_text(head + sep + rest, encoding="utf-8")
    # ... and the ministry moves that deadline.
    source.write_text(MIIT.replace("2024年9月30日16:00前", "2024年10月8日16:00前"), encoding="utf-8")

    third = run("extract", str(source), "-o", str(data), "--now", "2024-08-20T10:30")
    assert third.exit_code == 0, third.output
    assert f"{data}：新增 0 条，变更 1 条，消失 0 条，未变 2 条" in third.stderr
    assert "原文 2024年9月30日 16:00 → 2024年10月8日 16:00" in third.stderr

    after = tomllib.loads(data.read_text(encoding="utf-8"))["deadline"]
    assert len(after) == 3
    (moved,) = [t for t in after if "pending_end" in t]
    # Confirmed, so the confirmed date stays published; the new one waits for a person (日期有变 in the queue).
    assert moved["end"].isoformat() == "2024-09-30T16:00:00+08:00" and moved["revision"] == 0
    assert moved["pending_end"].isoformat() == "2024-10-08T16:00:00+08:00"
    assert moved["reason"] == "日期有变：2024-09-30T16:00+08:00 → 2024-10-08T16:00+08:00"
    assert moved["status"] == "confirmed"
    assert moved["tags"] == ["工信部", "重点"]
    assert moved["notes"] == "已转科技处"
    assert moved["history"] == ["2024-08-20: 原文 2024-09-30T16:00+08:00 → 2024-10-08T16:00+08:00（待确认）"]
    assert moved["updated"].isoformat() == "2024-08-20T10:30:00+08:00"
    others = [t for t in after if t["id"] != moved["id"]]
    assert all(t["revision"] == 0 and t["status"] == "extracted" for t in others)
    unhashed = lambda t: {k: v for k, v in t.items() if k != "sha256"}  # noqa: E731  (the hash follows the edited file)
    assert [unhashed(t) for t in others] == [unhashed(t) for t in tables if t["id"] != moved["id"]]
    assert run("validate", str(data)).exit_code == 0


def test_output_flags_deadlines_gone_from_the_source(tmp_path: Path) -> None:
    source = Path(notice(tmp_path, "miit.txt", MIIT))
    other = notice(tmp_path, "most.txt", MOST)
    data = tmp_path / "deadlines.toml"
    run("extract", str(source), other, "-o", str(data), "--now", "2024-08-20T10:00")
    source.write_text(MIIT.replace("三、请各地主管部门于2024年9月10日前完成线上培训报名。\n", ""), encoding="utf-8")

    result = run("extract", str(source), "-o", str(data), "--now", "2024-08-21T10:00")

    assert f"{data}：新增 0 条，变更 0 条，消失 1 条，未变 2 条" in result.stderr
    assert f"  {source}:7: 消失：截止：" in result.stderr
    tables = tomllib.loads(data.read_text(encoding="utf-8"))["deadline"]
    assert len(tables) == 4
    flagged = [t for t in tables if t["vanished"]]
    assert [t["end"] for t in flagged] == [dt.date(2024, 9, 10)]
    assert next(t for t in tables if t["file"] == other)["vanished"] is False


def test_binary_input_fails_cleanly_and_leaves_the_data_untouched(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    good = notice(tmp_path, "miit.txt", MIIT)
    run("extract", good, "-o", str(data), "--now", "2024-08-01T09:00")
    before = data.read_bytes()
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00")

    result = run("extract", good, str(scan), "-o", str(data), "--now", "2024-08-02T09:00")

    assert result.exit_code == 1
    assert f"错误：{scan}: 是图片（PNG），不是文字：没有文字层，不支持 OCR\n" in result.stderr
    assert "Traceback" not in result.output
    assert data.read_bytes() == before
    # Nothing left behind but the writers' lock file (kept: removing it would race with a waiting writer).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deadlines.toml", "deadlines.toml.lock", "miit.txt", "scan.png"]


def test_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    result = run("extract", missing, "--json")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：{missing}: ")
    assert result.stdout == ""


def test_broken_output_file_is_not_overwritten(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    data.write_text('[[deadline]]\nid = "a"\nkind = "deadline"\nend = 2024-09-3\n', encoding="utf-8")
    before = data.read_bytes()
    result = run("extract", notice(tmp_path, "miit.txt", MIIT), "-o", str(data), "--now", "2024-08-01T09:00")
    assert result.exit_code == 1 and f"错误：{data}:4: 不是有效的 TOML：" in result.stderr
    assert data.read_bytes() == before


# -- list ---------------------------------------------------------------------


def listed(tmp_path: Path) -> Path:
    data = tmp_path / "deadlines.toml"
    result = run("extract", notice(tmp_path, "miit.txt", MIIT), notice(tmp_path, "most.txt", MOST),
                 "-o", str(data), "--now", "2024-08-20T10:00")
    assert result.exit_code == 0, result.output
    return data


def table_rows(output: str) -> list[str]:
    lines = output.rstrip("\n").split("\n")
    assert set(lines[1].replace(" ", "")) == {"-"}
    return lines[2:]


def test_list_upcoming_shows_future_rows_soonest_first_with_days_left(tmp_path: Path) -> None:
    data = listed(tmp_path)
    result = run("list", str(data), "--upcoming", "--now", "2024-09-14T00:00")
    assert result.exit_code == 0, result.output
    rows = table_rows(result.stdout)
    assert len(rows) == 3
    assert "2024年9月20日" in rows[0] and re.search(r"\s6天\s", rows[0]) and "网上填报申报书" in rows[0]
    assert "2024年9月30日" in rows[1] and "16:00" in rows[1] and re.search(r"\s16天\s", rows[1])
    assert "2024年10月15日" in rows[2] and re.search(r"\s31天\s", rows[2])
    assert "9月10日" not in result.stdout


def test_list_without_upcoming_marks_past_rows(tmp_path: Path) -> None:
    data = listed(tmp_path)
    rows = table_rows(run("list", str(data), "--now", "2024-09-14T00:00").stdout)
    assert len(rows) == 4
    assert "2024年9月10日" in rows[0] and "已过" in rows[0]


def test_list_upcoming_counts_the_day_of_the_deadline_as_today(tmp_path: Path) -> None:
    data = listed(tmp_path)
    rows = table_rows(run("list", str(data), "--upcoming", "--now", "2024-09-30T15:00").stdout)
    assert len(rows) == 2 and "今天" in rows[0] and "16:00" in rows[0]
    rows = table_rows(run("list", str(data), "--upcoming", "--now", "2024-09-30T16:01").stdout)
    assert len(rows) == 1 and "2024年10月15日" in rows[0]


def test_list_json(tmp_path: Path) -> None:
    data = listed(tmp_path)
    items = records(run("list", str(data), "--json", "--upcoming", "--now", "2024-09-14T00:00"))
    assert [item["end"] for item in items] == ["2024-09-20", "2024-09-30T16:00+08:00", "2024-10-15"]
    assert items[0]["start"] == "2024-08-26"
    assert all(item["status"] == "extracted" and item["revision"] == 0 for item in items)


def test_list_hides_hidden_records_unless_all(tmp_path: Path) -> None:
    data = listed(tmp_path)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('status = "extracted"', 'status = "hidden"', 1), encoding="utf-8")
    assert len(records(run("list", str(data), "--json", "--now", "2024-08-21T00:00"))) == 3
    assert len(records(run("list", str(data), "--json", "--all", "--now", "2024-08-21T00:00"))) == 4


# -- validate -----------------------------------------------------------------


def test_validate_a_good_file(tmp_path: Path) -> None:
    data = listed(tmp_path)
    result = run("validate", str(data))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{data}：格式正确，4 条截止日期（待审核 4，已确认 0，已隐藏 0）"


def test_validate_a_broken_file_names_the_line(tmp_path: Path) -> None:
    data = listed(tmp_path)
    text = data.read_text(encoding="utf-8")
    broken = text.replace('kind = "deadline"', 'kind = "截止"', 1)
    data.write_text(broken, encoding="utf-8")
    line = broken.split("\n").index('kind = "截止"') + 1

    result = run("validate", str(data))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"错误：{data}:{line}: 未知的类型 '截止'（应为 window、deadline、start、effective、milestone 之一）"
    )
    assert "Traceback" not in result.output


def test_validate_a_missing_file_fails(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "deadlines.toml"))
    assert result.exit_code != 0
    assert "deadlines.toml' 不存在" in result.stderr
    assert "ok" not in result.stdout


# -- the real console script and the real corpus ------------------------------


def console_script() -> str:
    script = Path(sys.executable).with_name("calendar-svc")
    assert script.exists(), f"the console script is not installed next to {sys.executable}"
    return str(script)


def test_console_script_extract_json_and_error_exit(tmp_path: Path) -> None:
    path = notice(tmp_path, "miit.txt", MIIT)
    done = subprocess.run([console_script(), "extract", path, "--json"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    items = json.loads(done.stdout.decode("utf-8"))
    assert "2024-09-30T16:00+08:00" in {item["end"] for item in items}

    piped = subprocess.run([console_script(), "extract", "-", "--json"], input=MIIT.encode("utf-8"),
                           capture_output=True, timeout=120)
    assert [i["id"] for i in json.loads(piped.stdout)] == [i["id"] for i in items]

    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    failed = subprocess.run([console_script(), "extract", str(scan)], capture_output=True, timeout=120)
    assert failed.returncode == 1
    assert failed.stderr.decode().startswith(f"错误：{scan}: ")
    assert b"Traceback" not in failed.stderr


def test_real_corpus(tmp_path: Path) -> None:
    assert CORPUS.is_file(), CORPUS
    data = tmp_path / "deadlines.toml"
    result = run("extract", str(CORPUS), "-o", str(data), "--json", "--now", "2024-08-20T10:00")
    items = records(result)
    assert len(items) >= 10
    assert len({item["id"] for item in items}) == len(items)

    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 - PDF text breaks and spaces lines
    for item in items:
        assert squeeze(item["quote"])[:10] in squeeze(lines[item["source"]["line"] - 1]), item

    windows = [i for i in items if i["start"] == "2024-08-26T08:00+08:00"]
    assert len(windows) == 1
    (first,) = windows
    assert first["kind"] == "window" and first["end"] == "2024-09-27T16:00+08:00"
    assert first["notice"]["doc_no"] == "工信部高新函〔2024〕224号" and first["notice"]["date"] == "2024-07-31"
    assert first["source"]["line"] == 967
    ends = {i["end"] for i in items if i["kind"] in ("deadline", "window")}
    assert {"2024-09-30T16:00+08:00", "2024-09-16", "2024-10-08T16:00+08:00", "2024-10-26"} <= ends
    # Eligibility rules and statistics are not deadlines.
    assert not any(i["end"] in ("2023-06-30", "1964-01-01", "2024-06-30") for i in items)

    assert f"{data}：新增 {len(items)} 条，" in result.stderr
    again = run("extract", str(CORPUS), "-o", str(data), "--now", "2024-08-21T10:00")
    assert f"{data}：新增 0 条，变更 0 条，消失 0 条，未变 {len(items)} 条" in again.stderr
    check = run("validate", str(data))
    assert check.exit_code == 0 and f"格式正确，{len(items)} 条截止日期" in check.stdout


def test_validate_lists_what_needs_a_person(tmp_path: Path) -> None:
    from calendar_svc import store
    from calendar_svc.model import Deadline, NoticeRef, Source

    def record(ident: str, **fields) -> Deadline:
        return Deadline(
            id=ident, kind="deadline", start=None, end=dt.date(2024, 9, 15), all_day=True, who="地方工信部门",
            what="报送名单", quote="于 9 月 15 日前报送名单。", notice=NoticeRef("通知", "工业和信息化部"),
            source=Source("n.txt", 3), **fields,
        )

    data = tmp_path / "deadlines.toml"
    store.save(data, [
        record("a", year_guess="年份取发文日期（2024年8月1日）"),
        record("b", vanished=True, status="confirmed"),
        record("c", status="hidden"),
    ])
    result = run("validate", str(data))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{data}：格式正确，3 条截止日期（待审核 1，已确认 1，已隐藏 1）"
    assert "  n.txt:3: 请核对年份：截止：报送名单（地方工信部门）：年份取发文日期（2024年8月1日）\n" in result.stderr
    assert "  n.txt:3: 已从来源中消失：截止：报送名单（地方工信部门）\n" in result.stderr


def test_list_shows_informational_dates_apart(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    notice = tmp_path / "n.txt"
    notice.write_text(
        "关于开展申报工作的通知\n各有关单位：\n请于2024年9月30日前提交申报书。\n本办法自2024年10月1日起施行。\n某某局\n2024年8月1日\n",
        encoding="utf-8",
    )
    assert run("extract", str(notice), "-o", str(data), "--now", "2024-08-02T09:00").exit_code == 0
    out = run("list", str(data), "--now", "2024-09-01T00:00").stdout
    deadlines, _, informational = out.partition("其他日期（施行等，无需报送）")
    assert "截止日期" in deadlines and "施行日期" not in deadlines
    assert "施行日期" in informational and "2024年10月1日" in informational
