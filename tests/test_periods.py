"""Period expressions counted from the notice's own date; unknown events kept as candidates; the 顺延 rule applied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calendar_svc import feed, store
from calendar_svc.extract import extract
from calendar_svc.periods import count_from

SIGNED = "某某市科学技术局\n{date}\n"


def notice(body: str, date: str = "2025年9月25日", title: str = "关于报送2025年度科技项目材料的通知") -> str:
    return f"{title}\n各有关单位：\n{body}\n" + SIGNED.format(date=date)


def records(tmp_path: Path, text: str, name: str = "notice.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = extract([str(path)])
    return result.deadlines, [str(p) for p in result.problems]


def only(found, **where):
    chosen = [d for d in found if all(getattr(d, k) == v for k, v in where.items())]
    assert len(chosen) == 1, [(d.kind, d.end, d.status, d.quote) for d in found]
    return chosen[0]


# -- 自发布之日起N日内, 自印发之日起 ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "请各单位自本通知印发之日起30日内报送项目申报书。",
        "各单位须自本通知发布之日起 30 日内报送项目申报书。",
        "请从本通知下发之日起三十日内报送项目申报书。",
        "自通知印发之日起30天内，各单位报送项目申报书。",
        "请各单位於本通知印發之日起30日內報送項目申報書。",  # traditional characters are read as simplified
    ],
)
def test_a_period_from_publication_is_counted_from_the_notice_date(tmp_path: Path, sentence: str) -> None:
    found, _ = records(tmp_path, notice(sentence, date="2025年3月3日"))
    # 开始的当日不计入: 3月3日 + 30 days = 4月2日 (a Wednesday, no rest-day rule needed).
    d = only(found, status="extracted")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2025, 3, 3), dt.date(2025, 4, 2))
    assert d.basis == "自发文日期（2025年3月3日）起 30 日内（当日不计入）：至2025年4月2日（周三）"
    assert "项目申报书" in d.what


def test_months_count_to_the_same_day_or_the_month_end(tmp_path: Path) -> None:
    found, _ = records(tmp_path, notice("请自本通知印发之日起3个月内完成项目备案。", date="2025年11月30日"))
    assert only(found, status="extracted").end == dt.date(2026, 2, 28)
    assert count_from(dt.date(2024, 1, 31), 1, "months") == dt.date(2024, 2, 29)
    assert count_from(dt.date(2024, 3, 15), 12, "months") == dt.date(2025, 3, 15)


# -- N个工作日内 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed", "n", "due"),
    [
        # 2025 National Day: 9月28日（周日）调休上班 is counted; 10月1日–8日 are not; 10月11日（周六）is counted.
        ("2025年9月25日", "10", dt.date(2025, 10, 15)),
        ("2025年9月26日", "2", dt.date(2025, 9, 29)),
        # 2024 Spring Festival: 2月4日（周日）works; 2月10日–17日 rest; 2月18日（周日）works.
        ("2024年2月8日", "2", dt.date(2024, 2, 18)),
        ("2024年2月2日", "两", dt.date(2024, 2, 5)),
        # 2025 Spring Festival: 1月26日（周日）works; 1月28日–2月4日 rest; 2月8日（周六）works.
        ("2025年1月24日", "3", dt.date(2025, 2, 5)),
        ("2025年2月6日", "2", dt.date(2025, 2, 8)),
        # 2024 National Day: 9月29日（周日）works, 10月1日–7日 rest, 10月12日（周六）works.
        ("2024年9月27日", "3", dt.date(2024, 10, 8)),
        ("2024年10月10日", "2", dt.date(2024, 10, 12)),
    ],
)
def test_working_days_follow_the_state_councils_arrangement(tmp_path: Path, signed: str, n: str, due: dt.date) -> None:
    found, _ = records(tmp_path, notice(f"请于{n}个工作日内将推荐汇总表报送至科技处。", date=signed))
    d = only(found, status="extracted")
    assert (d.kind, d.end) == ("deadline", due)
    assert "个工作日（按国务院节假日和调休安排）" in d.basis


def test_a_year_without_holiday_data_is_refused_clearly(tmp_path: Path) -> None:
    found, problems = records(tmp_path, notice("请于10个工作日内将推荐汇总表报送至科技处。", date="2035年12月25日"))
    assert not [d for d in found if "工作日" in d.quote]
    assert any("没有 2035 年的节假日安排数据" in p and "pip install -U chinese_calendar" in p for p in problems)


# -- unknown events: candidates ------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "event", "rule"),
    [
        ("各单位应于收到通知之日起15日内反馈意见。", "收到通知", "收到通知之日起15日内"),
        ("项目单位应于合同期满之日起15日内提交结题报告。", "合同期满", "合同期满之日起15日内"),
        ("公示期满后5个工作日内，请申报单位提交纸质材料。", "公示期满", "公示期满后5个工作日内"),
        ("企业应于完成变更登记之日起 45 日内向地方工信部门报告。", "完成变更登记", "完成变更登记之日起45日内"),
    ],
)
def test_a_period_from_an_unknown_event_is_a_candidate_with_the_rule_quoted(
    tmp_path: Path, sentence: str, event: str, rule: str
) -> None:
    found, _ = records(tmp_path, notice(sentence))
    d = only(found, status="candidate")
    assert not d.visible
    assert f"期限自“{event}”起算，通知未写明该日，未推算截止日期（原文：“{rule}”）" in d.doubt
    assert not [r for r in found if r.visible]


def test_conditions_and_the_organisers_own_periods_are_not_deadlines(tmp_path: Path) -> None:
    text = notice(
        "实行每月期满后15日内申报纳税的纳税人按规定办理。\n"
        "现将实行每月或者每季度期满后15日内申报纳税的各税种2025年度具体申报纳税期限明确如下，请遵照执行。\n"
        "我局将在受理后20个工作日内完成审核。\n"
        "本办法自印发之日起30日后施行。"
    )
    found, _ = records(tmp_path, text)
    assert found == []


def test_a_period_beside_its_written_dates_adds_nothing(tmp_path: Path) -> None:
    text = notice("本公示自公布之日起5天内为异议期（2025年9月25日起至2025年9月29日止），如有异议请提出。")
    found, _ = records(tmp_path, text)
    assert [(d.start, d.end) for d in found if d.visible] == [(dt.date(2025, 9, 25), dt.date(2025, 9, 29))]


def test_a_date_ending_in_nei_is_not_a_period(tmp_path: Path) -> None:
    found, _ = records(tmp_path, notice("请于2025年9月30日内报送材料。"))
    assert [d.end for d in found] == [dt.date(2025, 9, 30)]
    assert not found[0].basis


# -- the statutory rest-day rule -----------------------------------------------


@pytest.mark.parametrize("rule", ["遇法定节假日顺延", "如遇节假日，截止日期顺延", "逢法定节假日顺延"])
def test_the_notices_rest_day_rule_moves_a_deadline_and_says_so(tmp_path: Path, rule: str) -> None:
    text = notice(f"请于2025年10月1日前报送材料（{rule}）。", date="2025年9月20日")
    found, _ = records(tmp_path, text)
    d = only(found, status="extracted")
    assert d.end == dt.date(2025, 10, 9)  # 国庆节 and 中秋节 break 10月1日–8日
    assert d.basis.startswith("原定2025年10月1日为法定节假日（国庆节），按通知“")
    assert d.basis.endswith("顺延至2025年10月9日（周四）")
    body = feed.to_ical(found, stamp=dt.datetime(2025, 9, 21, tzinfo=dt.UTC), now=dt.datetime(2025, 9, 21, tzinfo=dt.UTC))
    assert "顺延至2025年10月9日" in body.decode().replace("\r\n ", "")


def test_without_the_rule_a_rest_day_deadline_stays_and_is_marked(tmp_path: Path) -> None:
    found, _ = records(tmp_path, notice("请于2025年10月1日前报送材料。", date="2025年9月20日"))
    d = only(found, status="extracted")
    assert (d.end, d.basis) == (dt.date(2025, 10, 1), "")
    described = feed.describe(d)
    assert "提示：该日为法定节假日（国庆节），日期以通知原文为准" in described


def test_a_counted_period_rolls_past_a_weekend_under_the_rule(tmp_path: Path) -> None:
    text = notice("请各单位自本通知印发之日起30日内报送项目申报书，遇法定节假日顺延。")
    d = only(records(tmp_path, text)[0], status="extracted")
    # 9月25日 + 30 = 10月25日（周六） → 10月27日（周一）.
    assert d.end == dt.date(2025, 10, 27)
    assert "至2025年10月25日（周六）；原定2025年10月25日为休息日（周六）" in d.basis


def test_month_lists_give_one_deadline_per_month_and_roll_under_the_rule(tmp_path: Path) -> None:
    text = notice(
        "2月、3月、6月申报纳税期限分别截至当月15日，遇法定节假日顺延。",
        date="2025年1月10日",
        title="关于2025年申报纳税期限的通知",
    )
    found, _ = records(tmp_path, text)
    # 2月15日 is a Saturday → 2月17日; 3月15日 a Saturday → 3月17日; 6月15日 a Sunday → 6月16日.
    assert sorted(d.end for d in found if d.visible) == [dt.date(2025, 2, 17), dt.date(2025, 3, 17), dt.date(2025, 6, 16)]


def test_basis_round_trips_through_the_store(tmp_path: Path) -> None:
    found, _ = records(tmp_path, notice("请于10个工作日内将推荐汇总表报送至科技处。"))
    path = tmp_path / "deadlines.toml"
    store.save(path, found)
    assert [d.basis for d in store.load(path)] == [d.basis for d in found]
    assert "basis = " in path.read_text(encoding="utf-8")


# -- 季度终了后15日内: counted from the end of the quarter the notice names ------------------------------


@pytest.mark.parametrize(
    ("title", "sentence", "due"),
    [
        ("关于2024年第一季度房产税缴纳的通知", "分季缴纳的税款应于季度终了后15日内缴纳入库。", dt.date(2024, 4, 15)),
        ("关于做好税款缴纳工作的通知", "2024年第四季度的城镇土地使用税应于季度终了后15日内申报缴纳。", dt.date(2025, 1, 15)),
        ("关于做好税款缴纳工作的通知", "请于2024年二季度终了之日起15日内报送季度报表。", dt.date(2024, 7, 15)),
        ("关于2024年第三季度统计报表报送的通知", "请于季后10个工作日内报送季度报表。", dt.date(2024, 10, 18)),  # 国庆 skipped
        ("關於2024年第1季度稅款繳納的通知", "分季繳納的稅款應於季度終了後15日內繳納入庫。", dt.date(2024, 4, 15)),
    ],
)
def test_a_period_from_a_named_quarters_end_is_counted_from_its_last_day(
    tmp_path: Path, title: str, sentence: str, due: dt.date
) -> None:
    found, _ = records(tmp_path, notice(sentence, date="2024年3月1日", title=title))
    d = only(found, status="extracted")
    assert d.end == due and "季度末" in d.basis


def test_a_period_from_a_quarters_end_without_the_quarter_named_stays_a_candidate(tmp_path: Path) -> None:
    found, _ = records(tmp_path, notice("分季缴纳的税款应于季度终了后15日内缴纳入库。", date="2024年3月1日", title="关于税款缴纳期限的公告"))
    assert only(found, status="candidate").doubt.startswith("期限自“季度终了”起算")
