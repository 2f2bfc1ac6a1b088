"""The entry point (calendar_svc/launch.py): a plain ``extract`` runs without click, and says and does exactly
what the click command says and does; every other command line goes to click untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from calendar_svc import launch
from calendar_svc.cli import main as click_app

NOTICE = """\
科技局关于开展2024年度项目申报工作的通知
各有关单位：
请各申报单位于2024年9月30日17:00前通过系统提交申报书，逾期不予受理。
系统开放时间为8月1日至9月30日。
科技局
2024年7月1日
"""
NOW = "2024-07-15T09:00"


def outcome(capsys: pytest.CaptureFixture[str], run) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``run()``, which exits as a command does."""
    with pytest.raises(SystemExit) as exited:
        run()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0 if code is None else 1), out, err


def both(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """The launcher's outcome and the click application's for the same command line."""
    via_launch = outcome(capsys, lambda: launch.main(args, prog_name="calendar-svc"))
    via_click = outcome(capsys, lambda: click_app.main(args, prog_name="calendar-svc"))
    return via_launch, via_click


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


def test_the_plain_reader_takes_inputs_and_the_listed_options(notice: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out.toml")
    inputs, options = launch.plain_extract(["extract", str(notice), "--json", "-", "--date", "2024-08-01", "-o", out])
    assert inputs == [str(notice), "-"]
    assert options["as_json"] and not options["lists"] and options["output"] == out
    assert options["reference"].isoformat() == "2024-08-01" and options["now"] is None
    _, twice = launch.plain_extract(["extract", "a.txt", "--date", "2024-08-01", "--date", "2024-09-01", "--urls"])
    assert twice["reference"].isoformat() == "2024-09-01" and twice["lists"]  # the last one counts, as in click


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["list"],
        ["--version"],
        ["extract"],  # no inputs
        ["extract", "a.txt", "-h"],
        ["extract", "a.txt", "--help"],
        ["extract", "a.txt", "--date=2024-08-01"],
        ["extract", "a.txt", "-oout.toml"],
        ["extract", "a.txt", "-o"],  # no value
        ["extract", "a.txt", "-o", "--json"],  # click would take --json as the file name
        ["extract", "a.txt", "--date", "2026-13-01"],  # click says what is wrong with it
        ["extract", "a.txt", "--now", "下周二"],
        ["extract", "--", "a.txt"],
        ["extract", "a.txt", "--bogus"],
        ["extract", "a.txt", "-jo", "x"],
    ],
)
def test_anything_else_goes_to_click(argv: list[str]) -> None:
    assert launch.plain_extract(argv) is None


def test_an_output_click_would_refuse_goes_to_click(tmp_path: Path) -> None:
    assert launch.plain_extract(["extract", "a.txt", "-o", str(tmp_path)]) is None  # a directory
    assert launch.plain_extract(["extract", "a.txt", "-o", str(tmp_path / "new.toml")]) is not None


def test_shell_completion_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CALENDAR_SVC_COMPLETE", "bash_complete")
    assert launch.plain_extract(["extract", "a.txt"]) is None


@pytest.mark.parametrize(
    "extra",
    [["--json"], [], ["--json", "--date", "2024-08-01"], ["--json", "--now", NOW]],
    ids=["json", "table", "reference-date", "now"],
)
def test_a_plain_extract_says_what_click_says(capsys: pytest.CaptureFixture[str], notice: Path, extra: list[str]) -> None:
    via_launch, via_click = both(capsys, ["extract", str(notice), *extra, "--now", NOW])
    assert via_launch == via_click
    assert via_launch[0] == 0 and "2024" in via_launch[1]


def test_a_plain_extract_fails_as_click_does(capsys: pytest.CaptureFixture[str], notice: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    via_launch, via_click = both(capsys, ["extract", missing, str(notice), "--json", "--now", NOW])
    assert via_launch == via_click and via_launch[0] == 1 and "missing.txt" in via_launch[2]
    listing = tmp_path / "urls.txt"
    listing.write_text("not an address\n", encoding="utf-8")
    via_launch, via_click = both(capsys, ["extract", "--urls", str(listing)])
    assert via_launch == via_click
    assert via_launch[0] == 1 and via_launch[2].startswith(f"错误：{listing}:1: 不是网址：")


def test_a_plain_merge_writes_what_click_writes(capsys: pytest.CaptureFixture[str], notice: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "launch.toml", tmp_path / "click.toml"
    via_launch = outcome(capsys, lambda: launch.main(["extract", str(notice), "-o", str(first), "--now", NOW]))
    via_click = outcome(capsys, lambda: click_app.main(["extract", str(notice), "-o", str(second), "--now", NOW]))
    assert via_launch[0] == via_click[0] == 0
    assert via_launch[2].replace(str(first), "OUT") == via_click[2].replace(str(second), "OUT")
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_help_and_usage_errors_are_clicks(capsys: pytest.CaptureFixture[str], notice: Path) -> None:
    for args in (["extract", "-h"], ["extract"], ["extract", str(notice), "--date", "2026-13-01"], ["--help"]):
        via_launch, via_click = both(capsys, args)
        assert via_launch == via_click, args
    helped = outcome(capsys, lambda: launch.main(["extract", "-h"], prog_name="calendar-svc"))
    assert helped[0] == 0 and helped[1].startswith("用法： calendar-svc extract [选项] INPUTS...")


def test_python_dash_m_extracts_without_loading_click(notice: Path) -> None:
    probe = (
        "import sys\n"
        "from calendar_svc.launch import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n    print('exit', exc.code, 'click' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", probe, "extract", str(notice), "--json", "--now", NOW],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.stderr.splitlines()[-1] == "exit 0 False", done.stderr
    assert '"end": "2024-09-30T17:00+08:00"' in done.stdout
    module = subprocess.run([sys.executable, "-m", "calendar_svc", "extract", str(notice), "--json", "--now", NOW],
                            capture_output=True, text=True, timeout=60, env=env)
    assert module.returncode == 0 and module.stdout == done.stdout
