"""The workday calendar against the State Council's 2024 and 2025 arrangements."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc import workdays
from calendar_svc.model import SHANGHAI
from calendar_svc.workdays import NoWorkdayData, add_workdays, is_workday, workdays_between

D = dt.date


@pytest.mark.parametrize(
    "day",
    [D(2024, 2, 4), D(2024, 2, 18), D(2024, 9, 29), D(2024, 10, 12),
     D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)],
)
def test_tiaoxiu_weekend_is_a_workday(day: dt.date) -> None:
    assert day.weekday() >= 5
    assert is_workday(day)
    assert workdays.rest_day_note(day) is None


def test_spring_festival_2024_break() -> None:
    # 2月10日至17日放假调休，共8天；2月4日（星期日）、2月18日（星期日）上班。
    for offset in range(8):
        assert not is_workday(D(2024, 2, 10) + dt.timedelta(days=offset))
    assert is_workday(D(2024, 2, 9))
    assert add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 18)
    assert add_workdays(D(2024, 2, 18), -1) == D(2024, 2, 9)
    assert workdays_between(D(2024, 2, 2), D(2024, 2, 19)) == 8  # 2/4, 2/5–2/9, 2/18, 2/19
    assert workdays.rest_day_note(D(2024, 2, 14)) == "该日为法定节假日（春节）"


def test_national_day_2024_break() -> None:
    # 10月1日至7日放假调休；9月29日（星期日）、10月12日（星期六）上班。
    assert [is_workday(D(2024, 9, 28) + dt.timedelta(days=n)) for n in range(11)] == [
        False, True, True, False, False, False, False, False, False, False, True
    ]
    assert add_workdays(D(2024, 9, 27), 2) == D(2024, 9, 30)
    assert add_workdays(D(2024, 10, 11), 1) == D(2024, 10, 12)


def test_spring_festival_2025_arithmetic() -> None:
    # 1月28日至2月4日放假调休；1月26日（星期日）、2月8日（星期六）上班。
    assert add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert add_workdays(D(2025, 2, 5), -2) == D(2025, 1, 26)
    assert workdays_between(D(2025, 1, 27), D(2025, 2, 10)) == 5  # 2/5 2/6 2/7 2/8 2/10


def test_national_day_2025_arithmetic() -> None:
    # 10月1日至8日放假调休；9月28日（星期日）、10月11日（星期六）上班。
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_workdays(D(2025, 10, 9), -5) == D(2025, 9, 25)
    assert workdays_between(D(2025, 9, 26), D(2025, 10, 13)) == 7
    assert workdays_between(D(2025, 10, 13), D(2025, 9, 26)) == -7
    assert workdays.rest_day_note(D(2025, 10, 8)) == "该日为法定节假日（国庆节）"


def test_add_and_between_are_inverse_across_a_year() -> None:
    start = D(2024, 12, 20)  # a Friday
    assert is_workday(start)
    for n in range(0, 260, 7):
        end = add_workdays(start, n)
        assert is_workday(end)
        assert workdays_between(start, end) == n
        assert add_workdays(end, -n) == start


def test_plain_weekend_note_names_the_weekday() -> None:
    assert workdays.rest_day_note(D(2025, 3, 1)) == "该日为休息日（周六）"
    assert workdays.rest_day_note(D(2025, 3, 3)) is None


def test_datetime_is_read_as_a_shanghai_day() -> None:
    # 2025-09-30 16:30 UTC is 10月1日 00:30 in Shanghai: a holiday.
    moment = dt.datetime(2025, 9, 30, 16, 30, tzinfo=dt.timezone.utc)
    assert not is_workday(moment)
    assert is_workday(moment.astimezone(SHANGHAI) - dt.timedelta(hours=1))


def test_year_without_data_is_refused() -> None:
    last = workdays.covered_years()[1]
    beyond = D(last + 1, 3, 1)
    with pytest.raises(NoWorkdayData, match=f"没有 {last + 1} 年的节假日安排数据.*pip install -U chinese_calendar"):
        is_workday(beyond)
    with pytest.raises(NoWorkdayData):
        add_workdays(D(last, 12, 31), 5)
    with pytest.raises(NoWorkdayData):
        workdays_between(D(last, 12, 1), beyond)
    with pytest.raises(NoWorkdayData):
        is_workday(D(workdays.covered_years()[0] - 1, 6, 1))
    # Below feed, page and emails: no mark and no count rather than a guessed one.
    assert workdays.rest_day_note(D(last + 1, 1, 2)) is None
    assert workdays.workdays_left(D(last, 12, 1), beyond) is None


def test_dates_past_the_data_read_the_package_version_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every date past the holiday data raises NoWorkdayData, whose message names the installed version:
    read once per process (4 000 reads of the package metadata were 60% of a 10 000-deadline feed build)."""
    from importlib import metadata

    reads: list[str] = []
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: (reads.append(name), real(name))[1])
    workdays._package_version.cache_clear()
    last = workdays.covered_years()[1]
    for offset in range(200):
        with pytest.raises(workdays.NoWorkdayData, match="chinese_calendar"):
            workdays.day_kind(dt.date(last + 1, 1, 1) + dt.timedelta(days=offset))
    assert reads == ["chinese_calendar"]
