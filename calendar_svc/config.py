"""Settings: embedded defaults, then calendar-svc.toml, then CALENDAR_SVC_* variables.

Every value is checked here, once, so a bad offset or SMTP URL is reported at
start-up with the file and line (or the variable) that holds it, instead of
failing in the middle of a night's sending.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .channels.robots import WebhookSettings, parse_webhooks
from .errors import InputError, os_problem
from .internal import Rule, parse_rules
from .offsets import Offset, OffsetError, parse_offset, parse_offsets
from .packaged import read_toml

CONFIG_FILE = "calendar-svc.toml"
#: The embedded base_url; ``serve`` replaces it with its own address when nobody configured one.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
ENV_PREFIX = "CALENDAR_SVC_"

#: Environment variable → (section, key) of the settings file; "" is the top level.
ENV_KEYS: dict[str, tuple[str, str]] = {
    "DEADLINES": ("", "deadlines"),
    "DATABASE_URL": ("", "database_url"),
    "BASE_URL": ("", "base_url"),
    "SECRET_KEY": ("", "secret_key"),
    "SMTP_URL": ("mail", "smtp_url"),
    "MAIL_FROM": ("mail", "from"),
    "OUTBOX": ("mail", "outbox"),
    "SMTP_TIMEOUT": ("mail", "timeout"),
    "SMTP_BREAKER": ("mail", "breaker"),
    "REMINDER_OFFSETS": ("reminders", "offsets"),
    "REMINDER_HOUR": ("reminders", "all_day_hour"),
    "REMINDER_WINDOW_OPEN": ("reminders", "window_open"),
    "SENDING_HOURS": ("reminders", "sending_hours"),
    "OFFICE_CLOSE": ("reminders", "office_close"),
    "SKIP_REST_DAYS": ("reminders", "skip_rest_days"),
    "CHECK_INTERVAL": ("reminders", "check_interval"),
    "LATE_AFTER": ("reminders", "late_after"),
    "RETRY_BASE": ("reminders", "retry_base"),
    "RETRY_MAX": ("reminders", "retry_max"),
    "MAX_ATTEMPTS": ("reminders", "max_attempts"),
    "CLAIM_LEASE": ("reminders", "claim_lease"),
    "CONFIRMATIONS_PER_HOUR": ("reminders", "confirmations_per_hour"),
    "CONFIRMATIONS_PER_CLIENT": ("reminders", "confirmations_per_client"),
    "SOURCES": ("sources", "file"),
    "CONTACT": ("sources", "contact"),
}


@dataclass(frozen=True)
class Where:
    """Where a setting came from: a file and line, or an environment variable."""

    file: str
    line: int | None = None


def _error(where: Where | str, problem: str) -> InputError:
    if isinstance(where, Where):
        return InputError(where.file, problem, where.line)
    return InputError(where, problem)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand mail over; ``ssl`` is implicit TLS (smtps), ``starttls`` the upgrade."""

    host: str
    port: int
    user: str = ""
    password: str = ""
    ssl: bool = False
    starttls: bool = False

    def __str__(self) -> str:
        scheme = "smtps" if self.ssl else "smtp"
        who = f"{self.user}@" if self.user else ""
        tls = " (STARTTLS)" if self.starttls else ""
        return f"{scheme}://{who}{self.host}:{self.port}{tls}"


@dataclass(frozen=True)
class Settings:
    """Everything the reminders, web page and CLI need to run."""

    deadlines: Path
    database_url: str
    base_url: str
    secret_key: str
    smtp: SmtpSettings | None
    mail_from: str
    outbox: Path
    smtp_timeout: float
    smtp_breaker: int
    offsets: tuple[Offset, ...]
    all_day_hour: int
    window_open: bool
    check_interval: int
    late_after: dt.timedelta
    retry_base: dt.timedelta
    retry_max: dt.timedelta
    max_attempts: int
    claim_lease: dt.timedelta
    confirmations_per_hour: int = 100
    confirmations_per_client: int = 10
    #: Reminders go out only between these local times (a moment outside them moves earlier).
    sending_hours: tuple[dt.time, dt.time] = (dt.time(8, 0), dt.time(20, 0))
    #: An all-day deadline's day ends here for offsets shorter than a day (``2h`` → 15:00).
    office_close: dt.time = dt.time(17, 0)
    #: Move reminders off weekends and holidays to the working day before.
    skip_rest_days: bool = False
    source: str = "内置默认设置"
    #: ``[[internal]]`` rules: internal deadlines N working days before the official ones.
    internal_rules: tuple[Rule, ...] = ()
    #: ``[[webhook]]`` group robots (企业微信, 钉钉, 飞书) that subscriptions may name as ``webhook:NAME``.
    webhooks: tuple[WebhookSettings, ...] = ()
    #: ``[sources]``: the watched sources' file, the contact in the User-Agent, seconds between
    #: requests to one host, the reviewers' digest hour and extra addresses (calendar_svc.sources).
    sources_file: Path = Path("sources.toml")
    contact: str = ""
    crawl_interval: float = 2.0
    digest_hour: int = 9
    notify: tuple[str, ...] = ()


def load(path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings; ``path`` defaults to $CALENDAR_SVC_CONFIG, then ./calendar-svc.toml if present."""
    env = os.environ if env is None else env
    values = _defaults()
    source = Settings.source
    explicit = path if path is not None else env.get(f"{ENV_PREFIX}CONFIG")
    file = Path(explicit) if explicit else Path(CONFIG_FILE)
    if explicit and not file.exists():
        raise InputError(str(file), "设置文件不存在")
    text = ""
    if file.exists():
        text = _read_text(file)
        _overlay(values, _parse(text, str(file)), str(file), text)
        source = str(file)
    for name, (section, key) in ENV_KEYS.items():
        if f"{ENV_PREFIX}{name}" in env:
            _section(values, section)[key] = env[f"{ENV_PREFIX}{name}"]
    return _build(values, source, env, text)


def redact_url(url: str) -> str:
    """``smtp://***@host``: a URL as error messages and logs may show it, without user and password."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://).*@", r"\1***@", url.strip())


def parse_smtp_url(url: str, where: Where | str = "smtp_url") -> SmtpSettings:
    """``smtp://user:pass@host:587?starttls=true``, ``smtps://…``, ``smtp://127.0.0.1:2525``."""
    shown = redact_url(url)
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise _error(where, f"SMTP 网址 {shown!r} 格式不对：{exc}") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise _error(where, f"SMTP 网址 {shown!r} 格式不对：必须以 smtp:// 或 smtps:// 开头")
    if not parts.hostname:
        raise _error(where, f"SMTP 网址 {shown!r} 格式不对：没有主机名")
    if parts.path not in ("", "/"):
        raise _error(where, f"SMTP 网址 {shown!r} 格式不对：主机名后面不应有路径")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"starttls"}
    if unknown:
        raise _error(where, f"SMTP 网址 {shown!r} 格式不对：不认识的选项 {sorted(unknown)[0]!r}（可用：starttls）")
    starttls = _bool(query.get("starttls", ["false"])[-1], where)
    ssl = parts.scheme == "smtps"
    if ssl and starttls:
        raise _error(where, f"SMTP 网址 {shown!r} 格式不对：smtps:// 已经是 TLS，请去掉 starttls")
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if ssl else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        ssl=ssl,
        starttls=starttls,
    )


def _defaults() -> dict:
    return read_toml("settings.toml")


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(file), "不是 UTF-8 文本") from None
    except OSError as exc:
        raise InputError(str(file), os_problem(exc)) from None


def _parse(text: str, file: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(file, f"不是有效的 TOML：{exc}", int(match.group(1)) if match else None) from None


def _key_line(text: str, section: str, key: str) -> int | None:
    """1-based line where ``key`` is set (inside ``[section]``), for error messages."""
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_-]+)\s*\]", stripped)
        if header:
            current = header.group(1)
        elif current == section and re.match(rf"^[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return None


def _overlay(values: dict, given: dict, file: str, text: str) -> None:
    """Copy ``given`` over ``values``, refusing keys the defaults do not know (typos)."""
    for key, value in given.items():
        if key not in values:
            raise InputError(file, f"不认识的设置 {key!r}（可用：{', '.join(sorted(values))}）", _key_line(text, "", key))
        if isinstance(values[key], dict):
            if not isinstance(value, dict):
                raise InputError(file, f"{key!r} 必须是表（[{key}]）")
            for sub, item in value.items():
                if sub not in values[key]:
                    known = ", ".join(sorted(values[key]))
                    raise InputError(file, f"不认识的设置 {key}.{sub}（可用：{known}）", _key_line(text, key, sub))
                values[key][sub] = item
        else:
            values[key] = value


def _section(values: dict, name: str) -> dict:
    return values if not name else values[name]


def _build(values: dict, source: str, env: Mapping[str, str], text: str) -> Settings:
    mail, rem = values["mail"], values["reminders"]

    def where(section: str, key: str) -> Where:
        for name, target in ENV_KEYS.items():
            if target == (section, key) and f"{ENV_PREFIX}{name}" in env:
                return Where(f"{ENV_PREFIX}{name}")
        if source == Settings.source:
            return Where(Settings.source)
        return Where(source, _key_line(text, section, key))

    smtp_url = str(mail["smtp_url"]).strip()
    hour = _int(rem["all_day_hour"], where("reminders", "all_day_hour"), "all_day_hour")
    if not 0 <= hour <= 23:
        raise _error(where("reminders", "all_day_hour"), f"all_day_hour 必须是 0–23，不能是 {hour}")
    offsets_value = rem["offsets"]
    try:
        offsets = parse_offsets(offsets_value if isinstance(offsets_value, (str, list)) else str(offsets_value))
    except OffsetError as exc:
        raise _error(where("reminders", "offsets"), str(exc)) from None
    sending_hours = _hours_range(rem["sending_hours"], where("reminders", "sending_hours"))
    if not sending_hours[0] <= dt.time(hour) <= sending_hours[1]:
        raise _error(
            where("reminders", "all_day_hour"),
            f"all_day_hour {hour} 不在 sending_hours {rem['sending_hours']} 之内：全天截止日期的提醒会挪到前一天晚上",
        )
    office_close = _clock(rem["office_close"], where("reminders", "office_close"), "office_close")
    base_url = str(values["base_url"]).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", base_url) or not re.fullmatch(r"[!-~]+", base_url) or "<" in base_url or ">" in base_url:
        raise _error(where("", "base_url"), f"base_url 必须是 http(s) 网址，不能是 {base_url!r}")
    return Settings(
        deadlines=Path(str(values["deadlines"])),
        database_url=str(values["database_url"]),
        base_url=base_url,
        secret_key=str(values["secret_key"]),
        smtp=parse_smtp_url(smtp_url, where("mail", "smtp_url")) if smtp_url else None,
        mail_from=_no_newlines(str(mail["from"]), where("mail", "from"), "mail from"),
        outbox=Path(str(mail["outbox"])),
        smtp_timeout=float(_positive(mail["timeout"], where("mail", "timeout"), "timeout")),
        smtp_breaker=_positive(mail["breaker"], where("mail", "breaker"), "breaker"),
        offsets=offsets,
        all_day_hour=hour,
        window_open=_bool(rem["window_open"], where("reminders", "window_open")),
        check_interval=_positive(rem["check_interval"], where("reminders", "check_interval"), "check_interval"),
        late_after=_duration(rem["late_after"], where("reminders", "late_after"), "late_after"),
        retry_base=_duration(rem["retry_base"], where("reminders", "retry_base"), "retry_base"),
        retry_max=_duration(rem["retry_max"], where("reminders", "retry_max"), "retry_max"),
        max_attempts=_positive(rem["max_attempts"], where("reminders", "max_attempts"), "max_attempts"),
        claim_lease=_duration(rem["claim_lease"], where("reminders", "claim_lease"), "claim_lease"),
        confirmations_per_hour=_positive(rem["confirmations_per_hour"], where("reminders", "confirmations_per_hour"), "confirmations_per_hour"),
        confirmations_per_client=_positive(
            rem["confirmations_per_client"], where("reminders", "confirmations_per_client"), "confirmations_per_client"
        ),
        sending_hours=sending_hours,
        office_close=office_close,
        skip_rest_days=_bool(rem["skip_rest_days"], where("reminders", "skip_rest_days")),
        source=source,
        internal_rules=parse_rules(values["internal"], source),
        webhooks=parse_webhooks(values["webhook"], source),
        **_sources_settings(values["sources"], where),
    )


def _clock(value: object, where: Where, name: str) -> dt.time:
    """``17:00`` or ``8:30``: a local time of day."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(value))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise _error(where, f"{name} 必须是 17:00 这样的时刻，不能是 {value!r}")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _hours_range(value: object, where: Where) -> tuple[dt.time, dt.time]:
    """``08:00-20:00``: the first time before the second, at least an hour apart."""
    first, sep, second = str(value).partition("-")
    if not sep:
        raise _error(where, f"sending_hours 必须是 08:00-20:00 这样的两个时刻，不能是 {value!r}")
    start, end = _clock(first, where, "sending_hours"), _clock(second, where, "sending_hours")
    if dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start) < dt.timedelta(hours=1):
        raise _error(where, f"sending_hours 至少要有一小时，开始时刻在前，不能是 {value!r}")
    return start, end


def _sources_settings(section: dict, where) -> dict:
    """The ``[sources]`` table, checked (calendar_svc.sources reads the watched sources' own file)."""
    contact = _no_newlines(str(section["contact"]).strip(), where("sources", "contact"), "contact")
    if any(not c.isprintable() or ord(c) > 126 for c in contact):
        raise _error(where("sources", "contact"), f"contact 只能用 ASCII 字符（它写进 HTTP 头），不能是 {contact!r}")
    try:
        interval = float(section["interval"])
    except (TypeError, ValueError):
        raise _error(where("sources", "interval"), f"interval 必须是秒数，不能是 {section['interval']!r}") from None
    if not 0 <= interval <= 3600:
        raise _error(where("sources", "interval"), f"interval 必须是 0–3600 秒，不能是 {interval:g}")
    hour = _int(section["digest_hour"], where("sources", "digest_hour"), "digest_hour")
    if not 0 <= hour <= 23:
        raise _error(where("sources", "digest_hour"), f"digest_hour 必须是 0–23，不能是 {hour}")
    notify = section["notify"]
    if isinstance(notify, str):
        notify = [part for part in re.split(r"[,\s]+", notify) if part]
    if not isinstance(notify, list) or not all(isinstance(a, str) and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", a) for a in notify):
        raise _error(where("sources", "notify"), f"notify 必须是邮箱地址列表，不能是 {notify!r}")
    return {"sources_file": Path(str(section["file"])), "contact": contact, "crawl_interval": interval,
            "digest_hour": hour, "notify": tuple(notify)}


def _duration(value: object, where: Where, name: str) -> dt.timedelta:
    try:
        return parse_offset(str(value)).delta
    except OffsetError:
        raise _error(where, f"{name} 必须是 30m、2h 或 1d 这样的时长，不能是 {value!r}") from None


def _int(value: object, where: Where, name: str) -> int:
    if isinstance(value, bool):
        raise _error(where, f"{name} 必须是整数，不能是 {value!r}")
    try:
        return int(str(value).strip())
    except ValueError:
        raise _error(where, f"{name} 必须是整数，不能是 {value!r}") from None


def _positive(value: object, where: Where, name: str) -> int:
    number = _int(value, where, name)
    if number < 1:
        raise _error(where, f"{name} 至少是 1，不能是 {number}")
    return number


def _bool(value: object, where: Where | str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise _error(where, f"应为 true 或 false，不能是 {value!r}")


def _no_newlines(value: str, where: Where, name: str) -> str:
    if "\r" in value or "\n" in value:
        raise _error(where, f"{name} 必须写在一行")
    return value
