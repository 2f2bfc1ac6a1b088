"""Settings: embedded defaults, calendar-svc.toml, CALENDAR_SVC_* overrides, and clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calendar_svc import config
from calendar_svc.errors import InputError
from calendar_svc.offsets import OffsetError, parse_offset, parse_offsets


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar-svc.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_run_on_a_fresh_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = config.load(env={})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.smtp is None  # → the outbox folder
    assert settings.outbox == Path("outbox")
    assert [o.label for o in settings.offsets] == ["7d", "1d"]
    assert settings.all_day_hour == 9
    assert settings.source == "内置默认设置"  # shown by `serve` as 设置来自 内置默认设置


def test_file_then_environment(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'database_url = "sqlite:///x.db"\nbase_url = "https://a.example/"\n[mail]\nsmtp_url = "smtp://127.0.0.1:2525"\n'
        '[reminders]\noffsets = ["3d", "2h"]\nall_day_hour = 8\n',
    )
    settings = config.load(path, env={})
    assert settings.database_url == "sqlite:///x.db"
    assert settings.base_url == "https://a.example"
    assert settings.smtp == config.SmtpSettings(host="127.0.0.1", port=2525)
    assert [o.label for o in settings.offsets] == ["3d", "2h"]
    assert settings.all_day_hour == 8
    env = {
        "CALENDAR_SVC_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/db",
        "CALENDAR_SVC_SMTP_URL": "smtps://me:s%40cret@mail.example.edu",
        "CALENDAR_SVC_MAIL_FROM": "提醒 <r@example.edu>",
        "CALENDAR_SVC_DEADLINES": "/srv/deadlines.toml",
        "CALENDAR_SVC_SECRET_KEY": "k",
        "CALENDAR_SVC_REMINDER_OFFSETS": "1w,1d",
        "CALENDAR_SVC_REMINDER_HOUR": "10",
    }
    settings = config.load(path, env=env)
    assert settings.database_url == env["CALENDAR_SVC_DATABASE_URL"]
    assert settings.smtp == config.SmtpSettings(host="mail.example.edu", port=465, user="me", password="s@cret", ssl=True)
    assert settings.mail_from == "提醒 <r@example.edu>"
    assert settings.deadlines == Path("/srv/deadlines.toml")
    assert settings.secret_key == "k"
    assert [o.label for o in settings.offsets] == ["7d", "1d"]
    assert settings.all_day_hour == 10


def test_config_file_from_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, '[reminders]\nall_day_hour = 7\nsending_hours = "07:00-20:00"\n')
    assert config.load(env={"CALENDAR_SVC_CONFIG": str(path)}).all_day_hour == 7
    with pytest.raises(InputError, match="missing.toml: 设置文件不存在"):
        config.load(env={"CALENDAR_SVC_CONFIG": str(tmp_path / "missing.toml")})


def test_sending_hours_office_close_and_rest_days(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, '[reminders]\nsending_hours = "7:30-21:00"\noffice_close = "17:30"\nskip_rest_days = true\n'), env={})
    assert settings.sending_hours == (dt.time(7, 30), dt.time(21, 0))
    assert settings.office_close == dt.time(17, 30) and settings.skip_rest_days
    defaults = config.load(write(tmp_path, ""), env={})
    assert defaults.sending_hours == (dt.time(8, 0), dt.time(20, 0)) and defaults.office_close == dt.time(17, 0)
    assert not defaults.skip_rest_days
    problems = {
        '[reminders]\nsending_hours = "20:00-08:00"\n': r"calendar-svc.toml:2: sending_hours 至少要有一小时，开始时刻在前",
        '[reminders]\nsending_hours = "8-20"\n': r"calendar-svc.toml:2: sending_hours 必须是 17:00 这样的时刻，不能是 '8'",
        '[reminders]\noffice_close = "25:00"\n': r"office_close 必须是 17:00 这样的时刻",
        '[reminders]\nall_day_hour = 7\n': r"calendar-svc.toml:2: all_day_hour 7 不在 sending_hours 08:00-20:00 之内",
    }
    for text, message in problems.items():
        with pytest.raises(InputError, match=message):
            config.load(write(tmp_path, text), env={})
    with pytest.raises(InputError, match="CALENDAR_SVC_SENDING_HOURS: sending_hours 必须是 08:00-20:00 这样的两个时刻"):
        config.load(write(tmp_path, ""), env={"CALENDAR_SVC_SENDING_HOURS": "all day"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://user:pass@host:587?starttls=true", config.SmtpSettings("host", 587, "user", "pass", starttls=True)),
        ("smtps://user:pass@host", config.SmtpSettings("host", 465, "user", "pass", ssl=True)),
        ("smtp://127.0.0.1:2525", config.SmtpSettings("127.0.0.1", 2525)),
        ("smtp://mail.example.edu", config.SmtpSettings("mail.example.edu", 25)),
    ],
)
def test_smtp_urls(url: str, expected: config.SmtpSettings) -> None:
    assert config.parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://host", "必须以 smtp:// 或 smtps:// 开头"),
        ("smtp://", "没有主机名"),
        ("smtp://host:99999", "out of range"),
        ("smtp://host:abc", "格式不对"),
        ("smtp://host?tls=1", "不认识的选项 'tls'"),
        ("smtp://host?starttls=maybe", "应为 true 或 false"),
        ("smtps://host?starttls=true", "已经是 TLS"),
        ("smtp://host/path", "主机名后面不应有路径"),
    ],
)
def test_malformed_smtp_url_is_a_clear_error(url: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as info:
        config.parse_smtp_url(url, "CALENDAR_SVC_SMTP_URL")
    assert str(info.value).startswith("CALENDAR_SVC_SMTP_URL:")


def test_smtp_error_from_environment_names_the_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    with pytest.raises(InputError) as info:
        config.load(path, env={"CALENDAR_SVC_SMTP_URL": "smtp:/nohost"})
    assert str(info.value).startswith("CALENDAR_SVC_SMTP_URL: SMTP 网址 ")


def test_unparsable_file_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '# settings\ndatabase_url = "sqlite:///x.db"\n[mail]\nsmtp_url = smtp://oops\n')
    with pytest.raises(InputError) as info:
        config.load(path, env={})
    assert info.value.file == str(path)
    assert info.value.line == 4
    assert str(info.value).startswith(f"{path}:4: 不是有效的 TOML：")


def test_bad_offset_in_file_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[mail]\nfrom = "a@b.c"\n\n[reminders]\nall_day_hour = 9\noffsets = ["7d", "7x"]\n')
    with pytest.raises(InputError, match="提前量 '7x' 不对") as info:
        config.load(path, env={})
    assert (info.value.file, info.value.line) == (str(path), 6)


def test_bad_values_in_environment_name_the_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    cases = {
        "CALENDAR_SVC_REMINDER_OFFSETS": ("7x", "提前量 '7x' 不对"),
        "CALENDAR_SVC_REMINDER_HOUR": ("25", "0–23"),
        "CALENDAR_SVC_MAX_ATTEMPTS": ("0", "至少是 1"),
        "CALENDAR_SVC_RETRY_BASE": ("soon", "这样的时长"),
        "CALENDAR_SVC_BASE_URL": ("calendar.example.edu", "http"),
    }
    for name, (value, problem) in cases.items():
        with pytest.raises(InputError, match=problem) as info:
            config.load(path, env={name: value})
        assert info.value.file == name


def test_unknown_setting_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[mail]\nsmtp_uri = 'smtp://h'\n")
    with pytest.raises(InputError, match=r"不认识的设置 mail\.smtp_uri（可用：") as info:
        config.load(path, env={})
    assert info.value.line == 2


def test_offsets_parse_to_one_canonical_form() -> None:
    assert parse_offset("24h").label == "1d"
    assert parse_offset("1w").label == "7d"
    assert parse_offset("1d12h").delta == dt.timedelta(hours=36)
    assert [o.label for o in parse_offsets("2h, 7d,1d,24h")] == ["7d", "1d", "2h"]
    assert [o.zh for o in parse_offsets("1d12h,30m")] == ["1天12小时", "30分钟"]
    for bad in ("7x", "", "d7", "0d", "7", "1.5d", "400d", "-1d"):
        with pytest.raises(OffsetError):
            parse_offsets(bad)
