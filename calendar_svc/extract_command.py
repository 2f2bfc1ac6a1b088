"""``calendar-svc extract``: read notices, print or merge what they hold.

The click command (:mod:`calendar_svc.cli`) and the launcher's plain reading of the same command
line (:mod:`calendar_svc.launch`) both call :func:`run_extract`, so the command does one thing
whichever way its options were read; nothing here needs click.
"""

from __future__ import annotations

import datetime as dt
import sys

from .console import count_of, echo, json_text
from .model import SHANGHAI, zh_dates
from .table import format_table


def run_extract(
    inputs: tuple[str, ...] | list[str],
    *,
    lists: bool = False,
    output: str | None = None,
    as_json: bool = False,
    reference: dt.date | None = None,
    now: dt.datetime | None = None,
) -> None:
    """What ``calendar-svc extract`` does once its options are read (see the command's help)."""
    from .extract import extract

    addresses = address_lists(inputs) if lists else list(inputs)
    stamp = now or dt.datetime.now(SHANGHAI)
    if output:
        from . import store  # only with -o: the store's TOML readers and writers are start-up time otherwise

        store.load(output)  # a broken file fails here, before any input is read; the merge reads it again, locked

    def progress(name: str, found: int) -> None:
        if len(addresses) > 1 or output or name not in addresses:
            echo(f"{name}：{count_of(found)}", err=True)

    result = extract(addresses, reference=reference, progress=progress, today=stamp.date())
    for error in result.errors:
        echo(f"错误：{error}", err=True)
    for problem in result.problems:
        echo(f"警告：{problem}", err=True)
    guessed = [d for d in result.deadlines if d.year_guess]
    for record in guessed:
        echo(f"提示：{record.source.file}:{record.source.line}: {zh_dates(record.year_guess)}", err=True)
    if as_json and result.files:
        echo(json_text([d.to_dict() for d in result.deadlines]))
    if output and result.files:
        with store.locked(output):  # re-read under the lock: a review action may have saved meanwhile
            merged, report = store.merge(store.load(output), result.deadlines, now=stamp, scope=result.scope)
            store.save(output, merged)
        echo(
            f"{output}：新增 {len(report.added)} 条，变更 {len(report.changed)} 条，"
            f"消失 {len(report.vanished)} 条，未变 {report.unchanged} 条",
            err=True,
        )
        for record in report.changed:
            echo(f"  {record.source.file}:{record.source.line}: 变更：{record.summary}："
                 f"{zh_dates(record.history[-1]) if record.history else '重新出现'}", err=True)
        for record in report.vanished:
            echo(f"  {record.source.file}:{record.source.line}: 消失：{record.summary}", err=True)
    if not as_json and not output and result.files:
        echo(format_table(result.deadlines, now=None))
    if result.errors:
        sys.exit(1)


def address_lists(files: tuple[str, ...]) -> list[str]:
    """The addresses in ``--urls`` files: one a line; blank lines and ``#`` comments skipped."""
    from .errors import InputError, os_problem

    addresses = []
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else open(name, encoding="utf-8-sig").read()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(name, os_problem(exc) if isinstance(exc, OSError) else "不是 UTF-8 文本") from None
        for number, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
            if not line:
                continue
            if not line.startswith(("http://", "https://")):
                raise InputError(name, f"不是网址：{line[:80]!r}（每行一个 http:// 或 https:// 网址）", number)
            addresses.append(line)
    return addresses
