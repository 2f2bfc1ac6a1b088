"""What the commands say to a person is Chinese: no English sentence, no raw ISO date.

The main commands run here on good and on bad input, as a user meets them. Every line meant for a
person (stderr, and stdout except ``--json`` and iCal) must carry no English message prefix
(``error:``, ``warning:``, ``note:``, Click's ``Usage:``/``Error:``), no English sentence (three
English words in a row, once file names, addresses, option names, quoted input and format names are
set aside), and no ISO date outside what the user typed. ``--help`` of every command is checked for
English sentences too. The places in errors stay as ``file:line: `` so editors and grep find them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from calendar_svc.cli import main

NOTICE = """关于开展2024年度专项申报工作的通知
各有关单位：
一、请于2024年9月30日17:00前通过系统提交申报书。
二、申报单位须于9月10日前完成线上培训报名。
工业和信息化部
2024年8月1日
"""

#: Words that are names, not sentences: formats, protocols, programs, settings and status codes.
_NAMES = re.compile(
    r"\b(?:TOML|JSON|PDF|OCR|HTTP|SMTP|LibreOffice|CSS|UTF-8|UTF-16|GB18030|Word|Excel|OFD|Markdown|HTML|MiB|"
    r"ToUnicode|ZIP|RSS|Atom|iCalendar|ETag|nginx|webcal|webhook|worker|sqlite|SQLAlchemy|PostgreSQL|"
    r"outbox|calendar-svc|confirmed|hidden|extracted|candidate|pending|unsubscribed|bounced|sent|merged|retry|"
    r"sending|failed|due|window|deadline|start|effective|milestone|weekly|none|both|official|internal|auto|"
    r"list|feed|rules|all_day|true|false|Not Found|Asia/Shanghai)\b"
)
_SCRUB = [
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|“[^”\n]*”"),  # quoted input, field names in backticks
    re.compile(r"(?:https?|sqlite|smtp|webcal)://\S+"),  # addresses
    re.compile(r"(?:[\w.+-]*/)+[\w.+-]*|[\w-]+\.(?:toml|txt|ics|png|html|md|json|lock)\b"),  # paths and file names
    re.compile(r"\S+@\S+"),  # email addresses
    re.compile(r"calendar-svc(?: [a-z]+)*"),  # a command line to type
    re.compile(r"(?<![\w])--?[\w-]+|\[[A-Z|_\-\[\].\s]*\]|\b[A-Z][A-Z_]+\b(?:\.\.\.)?"),  # options, metavars, ENV_VARS
]
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:()]+[A-Za-z]{2,}){2,}")
_PREFIX = re.compile(r"^\s*(?:error|warning|note|alert|Error|Usage|Aborted)\b", re.MULTILINE)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def english_in(text: str) -> list[str]:
    """English sentences left in ``text`` once names, places and quoted input are set aside."""
    found = [m.group(0) for m in _PREFIX.finditer(text)]
    for line in text.splitlines():
        for pattern in _SCRUB:
            line = pattern.sub(" ", line)
        line = _NAMES.sub(" ", line)
        found += _ENGLISH.findall(line)
    return found


#: Spellings offered to type (``如 2024-09-20、2024年9月20日``) teach the input syntax; they tell no date.
_EXAMPLES = re.compile(r"如 [^（）；。\n]*")


def iso_dates_in(text: str) -> list[str]:
    """ISO dates outside quoted input (a typed ``'2026-13-01'`` is quoted back as typed) and examples to type."""
    return _ISO.findall(_EXAMPLES.sub(" ", _SCRUB[0].sub(" ", _SCRUB[2].sub(" ", text))))


def test_the_checks_catch_what_they_are_for() -> None:
    assert english_in("error: x.toml:3: not valid TOML") and english_in("  vanished: a (n.txt:3) is no longer in its source")
    assert english_in("错误：--port: 99999 is not in the range 1<=x<=65535")
    assert not english_in("错误：/tmp/a b/deadlines.toml:3: 不是有效的 TOML：Expected '=' after a key")
    assert not english_in("警告：https://a.example/x.html: 服务器回答 HTTP 404 Not Found")
    assert iso_dates_in("提示：n.txt:2: 2024-08-01") and not iso_dates_in("错误：--now: '2026-13-01'：没有 13 月")
    assert not iso_dates_in("请把年份写在前面，如 2024-09-20 或 2024年9月20日（…）")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "calendar-svc.toml").write_text('[mail]\nfrom = "提醒 <r@calendar.example.edu>"\n', encoding="utf-8")
    return {
        "CALENDAR_SVC_CONFIG": str(tmp_path / "calendar-svc.toml"),
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
        "CALENDAR_SVC_SMTP_URL": "",
    }


def test_main_commands_on_good_and_bad_input_speak_chinese(tmp_path: Path, env: dict[str, str]) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    data = tmp_path / "deadlines.toml"
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    urls = tmp_path / "urls.txt"
    urls.write_text("not an address\n", encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text('[[deadline]]\nid = "a"\nkind = "截止"\nend = 2024-09-30\n', encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text("请于9月30日前提交材料。\n", encoding="utf-8")
    past = (dt.datetime.now(dt.timezone(dt.timedelta(hours=8))) - dt.timedelta(days=400)).strftime("%Y-%m-%dT09:00")

    runs = [
        (0, ["extract", str(notice), "-o", str(data), "--now", "2024-08-02T09:00"]),
        (0, ["extract", str(notice), "-o", str(data), "--now", "2024-08-03T09:00"]),  # unchanged
        (0, ["extract", str(undated), "--date", "2024-08-01"]),  # a guessed year, told
        (0, ["extract", str(undated)]),  # no year at all
        (1, ["extract", str(notice), str(scan), str(tmp_path / "nope.txt")]),
        (1, ["extract", "--urls", str(urls)]),
        (0, ["validate", str(data)]),
        (1, ["validate", str(broken)]),
        (2, ["validate", str(tmp_path / "missing.toml")]),
        (0, ["list", str(data), "--now", "2024-09-01"]),
        (2, ["list", str(data), "--now", "2026-13-01"]),
        (2, ["list", str(data), "--now", "12/03/2026"]),
        (2, ["list", "--bogus"]),
        (2, ["extract"]),
        (2, ["lst"]),
        (0, ["review", str(data)]),
        (1, ["set", "nope", "--data", str(data), "--status", "confirmed"]),
        (0, ["export", str(data), "-o", str(tmp_path / "out.ics"), "--now", "2024-09-01"]),
        (1, ["export", str(data), "-o", "-", "--kind", "bogus"]),
        (2, ["export", str(data), "--alarms", "soon"]),
        (2, ["serve", "--port", "99999"]),
        (0, ["sources"]),
        (2, ["sources", "add", "省厅", "ftp://example.gov.cn/"]),
        (1, ["watch", "--once"]),
        (1, ["subscribe", "not-an-address"]),
        (1, ["subscribe", "a@example.edu", "--offsets", "7x"]),
        (1, ["subscribe", "a@example.edu", "--kind", "holiday"]),
        (1, ["subscribe", "webhook:科研处群"]),
        (0, ["subscribe", "a@example.edu", "--offsets", "7d,1d"]),
        (0, ["subscribers"]),
        (0, ["remind", "--at", "2024-09-20T09:00", "--dry-run"]),
        (1, ["remind", "--at", past]),
        (0, ["status"]),
        (0, ["unsubscribe", "--id", "9"]),
        (0, ["unsubscribe", "a@example.edu"]),
    ]
    for code, args in runs:
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == code, (args, result.output)
        said = result.stderr + ("" if "-o" in args and "-" in args else result.stdout)
        assert not english_in(said), (args, english_in(said), said)
        assert not iso_dates_in(result.stderr), (args, result.stderr)
    failed = CliRunner().invoke(main, ["validate", str(broken)], env=env)
    assert failed.stderr.startswith(f"错误：{broken}:3: ")  # the place first, grep-able and clickable
    nothing = CliRunner().invoke(main, ["extract", str(broken)], env=env)
    assert nothing.exit_code == 0 and nothing.stdout == "（没有截止日期）\n"
    merged = CliRunner().invoke(main, ["extract", str(notice), "-o", str(data), "--now", "2024-08-04T09:00"], env=env)
    assert f"{data}：新增 0 条，变更 0 条，消失 0 条，未变 2 条" in merged.stderr


def test_machine_output_stays_as_it_was(tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    as_json = CliRunner().invoke(main, ["extract", str(notice), "--json", "--now", "2024-08-02T09:00"])
    assert as_json.exit_code == 0 and '"end": "2024-09-30T17:00+08:00"' in as_json.stdout  # ISO, for programs
    data = tmp_path / "deadlines.toml"
    CliRunner().invoke(main, ["extract", str(notice), "-o", str(data), "--now", "2024-08-02T09:00"])
    ics = CliRunner().invoke(main, ["export", str(data), "-o", "-", "--now", "2024-09-01"])
    assert ics.exit_code == 0 and ics.stdout_bytes.startswith(b"BEGIN:VCALENDAR") and b"DTSTART" in ics.stdout_bytes


@pytest.mark.parametrize(
    "command",
    [[], ["extract"], ["list"], ["validate"], ["review"], ["set"], ["serve"], ["export"], ["subscribe"],
     ["subscribers"], ["unsubscribe"], ["remind"], ["status"], ["worker"], ["sources"], ["sources", "add"],
     ["watch"], ["reviewer"], ["reviewer", "add"], ["reviewer", "password"]],
)
def test_every_help_is_chinese(command: list[str]) -> None:
    helped = CliRunner().invoke(main, [*command, "--help"])
    assert helped.exit_code == 0 and helped.stdout.startswith("用法： calendar-svc")
    assert not english_in(helped.stdout), english_in(helped.stdout)
    headings = [line for line in helped.stdout.splitlines() if line and not line[0].isspace()][1:]
    assert headings and all(line.endswith("：") for line in headings), headings  # 选项： as Chinese writes it


def _every_command(group: click.Group, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found: list[tuple[list[str], click.Command]] = [(path, group)]
    for name, command in group.commands.items():
        found += _every_command(command, [*path, name]) if isinstance(command, click.Group) else [([*path, name], command)]
    return found


def test_every_usage_line_names_its_placeholders_in_chinese() -> None:
    """Click's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` are constructor defaults, outside its message catalog."""
    for path, command in _every_command(main, []):
        usage = CliRunner().invoke(main, [*path, "--help"]).stdout.splitlines()[0]
        assert usage.startswith(f"用法： {' '.join(['calendar-svc', *path])} [选项]"), usage
        assert not re.search(r"OPTIONS|COMMAND|ARGS", usage), usage
        assert usage.endswith("命令 [参数]...") == isinstance(command, click.Group), usage
