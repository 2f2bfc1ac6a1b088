"""The ``calendar-svc`` command: a thin shell over the pipeline.

Each command parses its options, calls the library, and formats the result.
Errors from the library (:class:`CalendarSvcError`) become one clear line on
stderr and exit status 1, never a traceback; usage errors (a bad option or
value) come out in the same ``错误：…`` style, with exit status 2. Every
message a person reads is Chinese (Click's own through :mod:`.clickzh`), with
dates as people write them; ``--json``, iCal and ``event=…`` log lines are for
programs and stay as they are.
Everything printed goes through :func:`~calendar_svc.console.echo`, which
escapes the control and format characters that notice or web-typed text may
carry, so no output can move the cursor, recolour or retitle the user's terminal.
The installed command starts in :mod:`calendar_svc.launch`, which runs a plain
``extract`` command line without loading click and hands every other to
:data:`main` here.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable

from typing import TYPE_CHECKING

import click

from .console import count_of, echo, json_text
from . import clickzh
from .errors import CalendarSvcError
from .model import SHANGHAI, STATUS_NAMES, STATUSES, zh_dates, zh_when
from .table import format_table
from .typed import TypedDateError, parse_day, parse_moment, parse_when

if TYPE_CHECKING:
    from .reminders.scheduler import Standby

DEFAULT_DATA = "deadlines.toml"

clickzh.install()  # before the decorators below: they build --help texts from Click's messages


class _Group(clickzh.Group):
    """One error style: library errors exit 1 and usage errors exit 2, each as ``错误：…`` lines."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CalendarSvcError as exc:
            echo(f"错误：{getattr(exc, 'zh', None) or exc}", err=True)  # a FilterError says it in Chinese too
            sys.exit(1)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            echo(f"错误：{_usage_problem(exc)}", err=True)
            if exc.ctx is not None:
                echo(f"  （{exc.ctx.command_path} -h 查看用法）", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            echo(f"错误：{exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            echo("错误：已中断", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _usage_problem(exc: click.UsageError) -> str:
    """Click's message as ``--option: problem`` (``--now 的值无效：…`` before); no closing full stop."""
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint = exc.param_hint if exc.param_hint is not None else exc.param.get_error_hint(exc.ctx) if exc.param else ""
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else hint
        hint = hint.replace("'", "").replace('"', "").strip("[]")
        return _no_stop(f"{hint}: {_lower_first(exc.message)}" if hint else _lower_first(exc.message))
    return _no_stop(_lower_first(exc.format_message()))


def _no_stop(text: str) -> str:
    """Click ends some messages with a full stop (``缺少参数 'INPUTS...'.``); one line needs none."""
    text = text.replace(" （", "（")  # Click joins its "did you mean" with a space
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _lower_first(text: str) -> str:
    """``File 'x' does not exist`` → ``file 'x' does not exist``; ``URL`` and ``'x'`` stay as they are."""
    return text[:1].lower() + text[1:] if text[:2].istitle() else text


@click.group(name="calendar-svc", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="calendar-svc")
def main() -> None:
    """从政策通知中提取截止日期：提取、审核、发布、提醒。"""


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
def validate(data: str) -> None:
    """按格式检查 DATA（deadlines.toml），出错时指明行号。

    \b
    同时列出仍需人处理的记录：待审核的、来源里已消失的、年份由程序推断的。
    """
    from . import store
    deadlines = store.load(data)
    statuses = Counter(d.status for d in deadlines)
    summary = "，".join(f"{STATUS_NAMES[s]} {statuses[s]}" for s in STATUSES if statuses[s] or s != "candidate")  # candidates when any
    echo(f"{data}：格式正确，{count_of(len(deadlines))}（{summary}）")
    for d in deadlines:
        if d.vanished:
            echo(f"  {d.source.file}:{d.source.line}: 已从来源中消失：{d.summary}", err=True)
        elif d.status == "extracted" and d.year_guess:
            echo(f"  {d.source.file}:{d.source.line}: 请核对年份：{d.summary}：{zh_dates(d.year_guess)}", err=True)


class _Typed(click.ParamType):
    """A typed date option (calendar_svc.typed): read exactly or refused while the options are parsed,
    before the command does anything."""

    def __init__(self, name: str, parse: Callable[[str], dt.date]) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return self._parse(value)
        except TypedDateError as exc:
            self.fail(str(exc), param, ctx)


#: ``--now``/``--at``: an aware moment (Asia/Shanghai unless an offset is typed). ``--date``: a day.
MOMENT = _Typed("moment", parse_moment)
DAY = _Typed("day", parse_day)
#: ``--start``/``--end`` of a correction: a day, or a moment when a time is typed.
WHEN = _Typed("date", parse_when)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUTS...")
@click.option("--urls", "lists", is_flag=True, help="INPUTS 是网址列表文件，每行一个网址（# 开头为注释）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE", help="合并进这个 deadlines.toml（没有则新建）。")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON 数组。")
@click.option("--date", "reference", type=DAY, metavar="YYYY-MM-DD", help="通知本身没有日期时用作参照的日期（用于推断省略的年份）。")
@click.option("--now", type=MOMENT, metavar="ISO", hidden=True, help="合并时间戳（用于可重复的运行和测试）。")
def extract(inputs: tuple[str, ...], lists: bool, output: str | None, as_json: bool, reference: dt.date | None, now: dt.datetime | None) -> None:
    """从通知 INPUTS 中提取截止日期：文件、- 表示标准输入，或网址。

    \b
    文件可以是纯文本、Markdown、HTML（文件名不限）、PDF、Word（.docx；
    .doc、.wps、.et、.rtf 经 LibreOffice 转换）或 OFD，按内容识别。网址连同
    它链接的同站附件一起读取。读不了的输入报一行错误后跳过，其余照常处理，
    退出状态为 1。

    \b
    不带 -o 或 --json 时打印表格。带 -o 时合并进该文件：新增新的截止日期，
    更新变了的日期，保留你对状态、标题、标签和备注的修改；消失的只标记，
    从不删除。
    """
    from .extract_command import run_extract

    run_extract(inputs, lists=lists, output=output, as_json=as_json, reference=reference, now=now)


@main.command("list")
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
@click.option("--upcoming", is_flag=True, help="只列尚未过期的截止日期。")
@click.option("--all", "show_all", is_flag=True, help="包括已隐藏的截止日期。")
@click.option("--json", "as_json", is_flag=True, help="打印 JSON，而不是表格。")
@click.option("--now", type=MOMENT, metavar="ISO", help="从哪个时刻算起（默认：现在）。")
def list_(data: str, upcoming: bool, show_all: bool, as_json: bool, now: dt.datetime | None) -> None:
    """以表格列出 DATA 中的截止日期，最近的在前，附剩余天数。

    \b
    仅供参考的日期（施行等）另列一表。
    """
    from . import recurrence, store

    moment = now or dt.datetime.now(SHANGHAI)
    deadlines = [d for d in store.load(data) if show_all or d.visible]
    if upcoming:
        deadlines = [d for d in deadlines if recurrence.last_due(d) >= moment]
    if not as_json:  # the table shows a recurring deadline (每月15日前) by its next occurrence; JSON keeps the rule
        deadlines = [recurrence.next_occurrence(d, moment) for d in deadlines]
    deadlines.sort(key=lambda d: d.due)
    if as_json:
        echo(json_text([d.to_dict() for d in deadlines]))
    else:
        actionable = [d for d in deadlines if d.actionable]
        informational = [d for d in deadlines if not d.actionable]
        echo(format_table(actionable, now=moment))
        if informational:  # 施行 and other dates nobody files by: shown apart
            echo("\n其他日期（施行等，无需报送）")
            echo(format_table(informational, now=moment))


# -- review ------------------------------------------------------------------


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
def review(data: str) -> None:
    """列出 DATA 中需要人处理的记录（新记录、候选、日期变更、已消失），最近的在前，附编号。

    \b
    用 `calendar-svc set 编号 --status confirmed`（或 hidden、--title、--tag、
    --note、--end）处理，或在 /review 页面上处理。
    """
    from . import store
    from .review import counts, review_queue
    from .table import aligned

    items = review_queue(store.load(data))
    if not items:
        echo(f"{data}：没有待审核的记录")
        return
    rows = [("编号", "截止", "原因", "说明", "标题", "状态")]
    for item in items:
        d = item.record
        rows.append((d.id, _when_text(d), item.reason, item.detail, d.summary, STATUS_NAMES.get(d.status, d.status)))
    echo(aligned(rows))
    summary = "，".join(f"{reason} {n}" for reason, n in counts(items).items())
    echo(f"\n共 {len(items)} 条待审核（{summary}）")


def _when_text(d) -> str:
    when = zh_when(d.key_moment)
    return f"{zh_when(d.start, weekday=False)} 至 {when}" if d.start is not None and d.end is not None else when


@main.command("set")
@click.argument("record_id", metavar="ID")
@click.option("--data", default=DEFAULT_DATA, show_default=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE", help="截止日期文件。")
@click.option("--status", type=click.Choice(["confirmed", "hidden"]), help="confirmed（确认）或 hidden（隐藏）。")
@click.option("--title", help="日历中使用的标题，代替提取的标题（'' 恢复原标题）。")
@click.option("--tag", "tags", multiple=True, help="标签（可重复；替换记录原有的标签）。")
@click.option("--no-tags", is_flag=True, help="去掉全部标签。")
@click.option("--note", help="记录的备注（替换原有备注）。")
@click.option("--start", type=WHEN, metavar="DATE", help="改正后的开始日期（作为人工修改保留：重新提取不会覆盖）。")
@click.option("--end", type=WHEN, metavar="DATE", help="改正后的截止日期，如 2024-09-30 或 2024年9月30日 16:00。")
@click.option("--internal-workdays", "internal", metavar="N|rules",
              help="内部截止：正式截止前 N 个工作日（0：不设；'rules'：按 [[internal]] 规则）。")
@click.option("--repeat-until", type=DAY, metavar="DATE",
              help="重复截止到哪天为止（改规则的 UNTIL；不重复的截止日期则改为每月同日重复）。")
@click.option("--no-repeat", is_flag=True, help="改为不重复（只保留第一次截止）。")
@click.option("--by", "who", help="记入修改历史的你的名字［默认：登录名］。")
@click.option("--now", type=MOMENT, metavar="ISO", hidden=True, help="记录的时刻（用于测试）。")
def set_(record_id: str, data: str, status, title, tags, no_tags: bool, note, start, end, internal, repeat_until, no_repeat: bool,
         who, now) -> None:
    """审核 DATA 中编号为 ID 的记录：确认或隐藏，改正日期、重复、标题、标签或备注。

    \b
    每次修改连同修改人和时间记入记录的历史。
    """
    import getpass

    from .review import FOLLOW_RULES, Change, apply

    change = Change(
        status=status,
        title=title,
        tags=() if no_tags else (tuple(tags) if tags else None),
        note=note,
        start=start,
        end=end,
        internal_workdays=_internal_option(internal, FOLLOW_RULES),
        repeat_until=repeat_until,
        no_repeat=no_repeat,
    )
    stamp = now or dt.datetime.now(SHANGHAI)
    record = apply(data, record_id, change, who=who or getpass.getuser(), now=stamp)
    echo(f"{record.id}: {zh_dates(record.history[-1]) if record.history else '没有变化'}")


def _internal_option(value: str | None, follow_rules: int) -> int | None:
    if value is None:
        return None
    if value.strip().lower() == "rules":
        return follow_rules
    from .internal import MAX_INTERNAL_WORKDAYS

    try:
        days = int(value)
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_INTERNAL_WORKDAYS:
        raise click.BadParameter(
            f"{value!r}：请给 0–{MAX_INTERNAL_WORKDAYS} 个工作日（0：不设）或 'rules'", param_hint="--internal-workdays"
        )
    return days


@main.group()
def reviewer() -> None:
    """/review 页面的审核人账号（存于共享数据库）。"""


@reviewer.command("add")
@click.argument("name")
@click.option("--email", default="", help="每天的待审核通知发往的邮箱（如 kyc@example.edu.cn）。")
@click.password_option(prompt="密码", confirmation_prompt="再输入一次", help="不给时会询问。")
def reviewer_add(name: str, email: str, password: str) -> None:
    """创建审核人 NAME（会询问密码）。"""
    _accounts().add(name, password, email or None)
    echo(f"审核人 {name.strip()} 已创建" + (f"，待审核通知发往 {email.strip()}" if email else ""))


@reviewer.command("email")
@click.argument("name")
@click.argument("address")
def reviewer_email(name: str, address: str) -> None:
    """把审核人 NAME 每天的待审核通知发往 ADDRESS（"" 表示不再发送）。"""
    _accounts().set_email(name, address)
    echo(f"审核人 {name} 的待审核通知发往 {address.strip()}" if address.strip() else f"审核人 {name} 不再收到待审核通知")


@reviewer.command("password")
@click.argument("name")
@click.password_option(prompt="新密码", confirmation_prompt="再输入一次", help="不给时会询问。")
def reviewer_password(name: str, password: str) -> None:
    """为审核人 NAME 设置新密码（同时解除锁定）。"""
    _accounts().set_password(name, password)
    echo(f"审核人 {name} 的密码已更新")


def _accounts():
    from .db import make_engine
    from .review.accounts import Accounts

    return Accounts(make_engine(_reminders_settings().database_url), now=lambda: dt.datetime.now(SHANGHAI))


def _feed_config(alarms: str | None):
    """Feed defaults with the alarm offsets given on the command line, if any."""
    from . import feed

    if alarms is None:
        return feed.default_config()
    try:
        return feed.default_config(alarms=feed.parse_offsets(alarms))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--alarms") from None


_ISSUER_HELP = "只要这个发布单位的截止日期（可重复）。"
_TAG_HELP = "只要带这个标签的截止日期（可重复）。"
_KIND_HELP = "只要这种类型：window、deadline、start、effective、milestone（可重复）。"
_WHO_HELP = "只要面向这类对象的截止日期（可重复）。"
_ALARMS_HELP = "订阅源中每个截止日期前的提醒，如 7d,1d,2h（none：不提醒）。［默认：7d,1d,2h］"


@main.command()
@click.option("--data", default=DEFAULT_DATA, show_default=True, type=click.Path(dir_okay=False), metavar="FILE", help="要发布的截止日期文件。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听的地址（0.0.0.0：所有网卡）。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="监听的端口。")
@click.option("--alarms", envvar="CALENDAR_SVC_FEED_ALARMS", help=_ALARMS_HELP)
@click.option("--base-url", envvar="CALENDAR_SVC_BASE_URL", help="订阅和邮件链接用的公开地址（在反向代理之后时）。")
def serve(data: str, host: str, port: int, alarms: str | None, base_url: str | None) -> None:
    """提供日历订阅源（/calendar.ics）、/deadlines.json 和网页（/）。"""
    _check_port(host, port)  # first: a port in use must not fail after the page and the scheduler started
    from . import config
    from .web import create_app
    from .web import serve as run

    public = _public_url(base_url, host)
    count = _announce_data(data)
    app = create_app(data, config=_feed_config(alarms), base_url=public, internal_rules=config.load().internal_rules)
    echo(f"calendar-svc：{data} 中 {count_of(count)}，网址 http://{host}:{port}/ （订阅源：/calendar.ics）", err=True)
    background = _start_reminders(app, data, public, host, port)  # the reminder scheduler; `worker` runs it alone
    watching = _start_watching(app, data, public or f"http://{host}:{port}")  # sources.toml, checked on schedule
    try:
        run(app, host, port)
    finally:
        background.stop()  # a check in progress stops after its current message: Ctrl-C is prompt
        watching.stop()


def _start_watching(app, data: str, base_url: str):
    """For ``serve``: the watched sources are checked on schedule beside the reminders.

    The watcher opens at the first tick that can: a broken sources file or
    an unreachable database is logged and tried again each minute, while the
    feed, the page and the reminders run. Failing sources are listed on the
    review page.
    """
    from pathlib import Path

    from .sources import load_sources, open_watcher
    from .sources.schedule import Background, Job
    from .sources.service import failing_sources
    from .web.review import SOURCES_EXTENSION

    settings = _reminders_settings(deadlines=Path(data), base_url=base_url.rstrip("/"))
    try:
        count = len(load_sources(settings.sources_file))
    except CalendarSvcError as exc:
        echo(f"警告：{exc}（文件改好后才检查监视的来源）", err=True)
    else:
        if count:
            echo(f"calendar-svc：监视 {settings.sources_file} 中的 {count} 个来源", err=True)
    job = Job(lambda: open_watcher(settings), settings.sources_file, _digest_sender(settings))
    app.extensions[SOURCES_EXTENSION] = lambda: failing_sources(job.watcher.ledger.engine, settings.sources_file) if job.watcher else []
    return Background(job).start()


def _check_port(host: str, port: int) -> None:
    """Refuse at once a port another program holds (the server binds it the same way a moment later)."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CalendarSvcError(f"端口 {port} 已被占用，请用 --port 换一个") from None
            raise CalendarSvcError(f"无法监听 {host}:{port}：{exc.strerror or exc}") from None


def _announce_data(data: str) -> int:
    """Read the served file once (the page and the scheduler share that read) and say what was found.

    A broken file stops ``serve`` with its line. A missing or empty one does
    not: the page explains it and the feed answers 503 until the file is
    there, so the operator is told here where it was looked for and how to
    make one.
    """
    from pathlib import Path

    from . import datafile, store

    snapshot = datafile.shared(data).snapshot()
    if snapshot.usable:
        return len(snapshot.deadlines)
    if snapshot.key is not None:
        store.load(data)  # broken: raises with file:line; else it holds no records
    where = Path(data).resolve()
    echo(f"警告：{where}{'：文件不存在' if snapshot.key is None else '：文件中没有截止日期'}（--data {data}）", err=True)
    echo(f"  从通知生成：calendar-svc extract 通知.txt -o {data}", err=True)
    echo("  照常启动：网页会说明情况，文件有截止日期之前 /calendar.ics 回答 503", err=True)
    return 0


def _public_url(base_url: str | None, host: str) -> str | None:
    """--base-url, else the configured base_url; refuses a wildcard --host without either.

    Links in the page and in emails must name an address readers can reach.
    Listening on every interface says nothing about which one that is, and
    the Host header is whatever a client sends, so neither may be guessed.
    Without a wildcard, the page links to the address it was reached on.
    """
    from . import config

    configured = base_url or config.load().base_url
    if configured and configured != config.DEFAULT_BASE_URL:
        return configured.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        raise CalendarSvcError(
            f"--host {host or repr(host)} 监听所有地址，链接需要公开地址："
            "加上 --base-url（如 --base-url http://cal.example.org:8000）或设置 CALENDAR_SVC_BASE_URL"
        )
    return None


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="deadlines.ics", show_default=True, type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="写入的 iCalendar 文件（- 为标准输出）。")
@click.option("--issuer", multiple=True, help=_ISSUER_HELP)
@click.option("--tag", multiple=True, help=_TAG_HELP)
@click.option("--kind", multiple=True, help=_KIND_HELP)
@click.option("--who", multiple=True, help=_WHO_HELP)
@click.option("--alarms", envvar="CALENDAR_SVC_FEED_ALARMS", help=_ALARMS_HELP)
@click.option("--past-all", is_flag=True, help="保留全部已过期的截止日期（即订阅源的 ?past=all）；默认只留近期的。")
@click.option(
    "--all-variants",
    "variants_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="把每种单项筛选的订阅源和 JSON 写到 DIR，附 ETag 和 nginx 配置片段，用于静态托管。",
)
@click.option("--now", type=MOMENT, metavar="ISO", help="判断是否过期的时刻（默认：现在）。")
def export(data: str, output: str, issuer, tag, kind, who, alarms: str | None, past_all: bool, variants_dir: str | None, now: dt.datetime | None) -> None:
    """把 DATA 中可见的截止日期写成 iCalendar 文件（- 为标准输出），可放在任何地方托管。

    \b
    带 --all-variants DIR 时改为写出服务器会提供的全部内容：订阅源（近期和
    past=all）与 JSON，不筛选的和按每个发布单位、标签、类型筛选的，
    服务器的 ETag 写在 DIR/etags.json。
    """
    from . import store
    from pathlib import Path

    from . import feed
    from .filters import parse_filters, select

    deadlines = store.load(data)
    filters = parse_filters({"issuer": issuer, "tag": tag, "kind": kind, "who": who})  # as the feed URL does
    stamp = dt.datetime.fromtimestamp(int(Path(data).stat().st_mtime), tz=dt.timezone.utc)
    moment = now or dt.datetime.now(SHANGHAI)
    builder = feed.FeedBuilder(_feed_config(alarms))
    if variants_dir is not None:
        from .export import export_variants

        if filters.active or past_all:
            raise click.UsageError("--all-variants 写出全部筛选和两种时间范围，请去掉筛选选项")

        written = export_variants(deadlines, Path(variants_dir), builder=builder, stamp=stamp, now=moment)
        echo(f"{variants_dir}：{written} 个文件（订阅源和 JSON 各版本、etags.json、nginx/）", err=True)
        return
    body = builder.build(deadlines, stamp=stamp, now=moment, filters=filters, past_all=past_all)
    if output == "-":
        sys.stdout.buffer.write(body)
    else:
        store.write_atomic(Path(output), body.decode("utf-8"))
    shown = feed.in_feed(deadlines, now=moment, keep_past=builder.config.keep_past, filters=filters, past_all=past_all)
    left_out = len(select(deadlines, filters)) - len(shown)
    note = f"（另有 {left_out} 条较早的未写入；--past-all 可保留）" if left_out else ""
    echo(f"{output}：{count_of(len(shown))}{note}", err=True)


# -- reminders ---------------------------------------------------------------


def _reminders_settings(**overrides):
    """calendar-svc.toml and CALENDAR_SVC_* with ``overrides`` (the ones given) applied."""
    from dataclasses import replace

    from . import config

    return replace(config.load(), **{k: v for k, v in overrides.items() if v})


def _reminders(announce: bool = False, **overrides):
    """The reminders service from calendar-svc.toml and CALENDAR_SVC_* (the embedded defaults otherwise)."""
    from .reminders.service import Reminders

    settings = _reminders_settings(**overrides)
    service = Reminders(settings)
    if announce:
        from sqlalchemy.engine import make_url

        echo(f"calendar-svc：设置来自 {settings.source}", err=True)
        echo(f"calendar-svc：数据库 {make_url(settings.database_url).render_as_string(hide_password=True)}", err=True)
        echo(f"calendar-svc：邮件发往 {service.transport.description}", err=True)
        if service.secret_warning:
            echo(f"警告：{service.secret_warning}", err=True)
    return service


def _start_reminders(app, data: str, base_url: str | None, host: str, port: int) -> Standby:
    """For ``serve``: reminders follow the served file; links use the configured base_url, else this server.

    An unreachable reminders database does not stop the feed and the page:
    the reminders start once it can be opened (see :class:`Standby`).
    """
    import logging
    from pathlib import Path

    from .reminders.scheduler import Standby
    from .web.subscribe import attach, report_unavailable

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not base_url:  # serve refused a wildcard --host without a base URL
        base_url = f"http://{host}:{port}"
    settings_check = _reminders_settings(deadlines=Path(data), base_url=base_url.rstrip("/"))  # a bad setting still stops serve
    return Standby(
        make=lambda: _reminders(announce=True, deadlines=Path(data), base_url=base_url.rstrip("/")),
        ready=lambda service: attach(app, service),
        report=lambda error: report_unavailable(app, error),
        retry=float(settings_check.check_interval),
    ).start()


def _filter_options(command):
    """The page's filter as repeatable options (the same names as its query string)."""
    command = click.option(
        "--deadlines",
        type=click.Choice(["official", "internal", "both"]),
        help="正式截止、内部截止（[[internal]] 规则），或两者。［默认：both］",
    )(command)
    command = click.option("--who", multiple=True, help=_WHO_HELP)(command)
    command = click.option("--kind", multiple=True, help=_KIND_HELP)(command)
    command = click.option("--tag", multiple=True, help=_TAG_HELP)(command)
    return click.option("--issuer", multiple=True, help=_ISSUER_HELP)(command)


@main.command()
@click.argument("target", metavar="EMAIL|webhook:NAME")
@_filter_options
@click.option("--offsets", help="每个截止日期前多久提醒，如 7d,1d,2h。［默认：按设置］")
@click.option("--window-open/--no-window-open", default=None, help="申报期开始时也提醒。")
@click.option("--digest", type=click.Choice(["weekly", "none"]), default="none", show_default=True,
              help="weekly：每周一上午一封邮件，列出本周和下周到期的，代替每个截止日期、每个提前量各一封。")
def subscribe(target: str, issuer, tag, kind, who, deadlines, offsets: str | None, window_open: bool | None, digest: str) -> None:
    """添加一个已确认的订阅，或更新已有的（管理员用；不发确认邮件）。

    \b
    一个地址可以有多个订阅：每种筛选（及是否周报）一个。用同样的筛选再订阅
    只改所给的项（--offsets、--window-open）；换一种筛选则新增一个订阅。
    TARGET 是邮箱地址，或群机器人 webhook:名称（calendar-svc.toml 中的
    [[webhook]]：企业微信、钉钉、飞书）。
    """
    from .reminders import subscribers
    from .reminders.service import filters_from_options

    filters = filters_from_options(issuer, tag, kind, who, deadlines or "")  # all input checked before the database is touched
    chosen = subscribers.check_offsets(offsets) if offsets is not None else None
    kind_of_mail = subscribers.check_digest(digest)
    if not target.strip().lower().startswith("webhook:"):
        subscribers.normalize_email(target)
    service = _reminders()
    row = service.subscribe(target, filters, chosen, window_open, digest=kind_of_mail)
    try:
        matching: int | str = sum(1 for d in service.deadlines.load() if d.visible and filters.matches(d))
    except CalendarSvcError as exc:
        matching = "未知"
        echo(f"警告：{exc}", err=True)
    if row.digest:
        timing = "每周一上午发周报"
    else:
        timing = f"截止前 {row.offsets} 提醒" + ("，申报期开始时也提醒" if row.window_open else "")
    echo(f"{row.email}：已订阅（#{row.id}）{filters.label() or '全部'} — {timing}；目前符合：{matching} 条")


@main.command(name="subscribers")
def list_subscribers() -> None:
    """列出订阅：编号、地址、状态、筛选、提前量或周报。"""
    from urllib.parse import unquote_plus

    rows = _reminders().subscribers()
    for row in rows:
        since = zh_when(row.since, weekday=False) if row.since else "-"
        flt = unquote_plus(row.filter) or "全部"
        timing = "周报" if row.digest else (row.offsets or "-") + (" +开始" if row.window_open else "")
        echo(f"#{row.id}\t{row.email}\t{row.status}\t{flt}\t{timing}\t{since} 起")
    addresses = len({row.email for row in rows})
    echo(f"{addresses} 个地址，共 {len(rows)} 个订阅", err=True)


@main.command()
@click.argument("target", required=False, metavar="[EMAIL|webhook:NAME]")
@click.option("--id", "subscription", type=click.IntRange(1), help="只退这一个订阅（`calendar-svc subscribers` 中的 #编号）。")
def unsubscribe(target: str | None, subscription: int | None) -> None:
    """退订一个地址的全部订阅，或用 --id 退订其中一个。"""
    if (target is None) == (subscription is None):
        raise click.UsageError("请给出地址（退订它的全部订阅）或 --id N（退订一个），二者选一")
    service = _reminders()
    if subscription is not None:
        row = service.unsubscribe_one(subscription)
        if row is None:
            echo(f"#{subscription}：没有这个有效的订阅", err=True)
        else:
            echo(f"{row.email}：已退订（#{row.id}）")
        return
    count = service.unsubscribe(target)
    address = target.strip().lower() if not target.strip().lower().startswith("webhook:") else target.strip()
    if count:
        echo(f"{address}：已退订（{count} 个订阅）")
    else:
        echo(f"{address}：本来就没有订阅", err=True)


@main.command()
def worker() -> None:
    """单独运行提醒调度（每分钟检查到期的提醒，启动时立即补发错过的）。"""
    import logging

    from .reminders.scheduler import READY, run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    service = _reminders(announce=True)
    echo(f"calendar-svc：worker {service.worker_id} 每 {service.settings.check_interval} 秒检查一次", err=True)
    run_forever(service, ready=lambda: echo(READY, err=True))


@main.command()
@click.option("--at", "at", type=MOMENT, required=True, help="时刻，如 2024-09-20T08:00 或 2024年9月20日 8:00（除非写明时区，按北京时间）。")
@click.option("--dry-run", is_flag=True, help="只列出到期的，不发送，不记录。")
@click.option("--force", is_flag=True, help="--at 已过去也照样发送（这些提醒就此用掉）。")
def remind(at: dt.datetime, dry_run: bool, force: bool) -> None:
    """发送某一时刻到期的提醒（每条仍只发一次），或用 --dry-run 只列出来。

    \b
    没有 --dry-run 或 --force 时拒绝过去的时刻：补发当时到期的提醒会给人发
    旧截止日期的邮件，并把这些提醒记为已发送。
    """
    moment = at
    if not dry_run and not force and moment < dt.datetime.now(SHANGHAI) - dt.timedelta(minutes=1):
        raise CalendarSvcError(
            f"--at {zh_when(moment)} 已经过去：现在发送会把当时到期的提醒发出去，并用掉这些提醒；"
            "用 --dry-run 列出，或用 --force 照样发送"
        )
    service = _reminders(announce=not dry_run)
    report = service.check(moment, dry_run=dry_run)
    for o in report.outcomes:
        when = zh_when(o.remind_at, weekday=False)
        late = "（迟发）" if o.late else ""
        error = f" — {o.error}" if o.error else ""
        echo(f"{o.status}\t{when}\t{o.offset}\t{o.email}\t{o.summary}{late}{error}")
    verb = "到期" if dry_run else "已处理"
    elsewhere = f"，另有 {report.taken_elsewhere} 条由其他 worker 处理" if report.taken_elsewhere else ""
    echo(f"{zh_when(moment)}：{verb} {len(report.outcomes)} 条提醒{elsewhere}", err=True)


#: Subscription and delivery states in the summary lines of ``status``; the tab-separated rows keep the
#: codes (confirmed, sent…), as the database and scripts know them.
_STATE_NAMES = {
    "confirmed": "已确认", "pending": "待确认", "unsubscribed": "已退订", "bounced": "退信",
    "sent": "已发送", "merged": "已合并", "retry": "待重试", "sending": "发送中", "failed": "失败",
}


@main.command()
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="每项最多显示几条。")
def status(limit: int) -> None:
    """显示接下来要发的提醒和最近的发送失败。"""
    service = _reminders(announce=True)
    state = service.status(limit)
    order = ["confirmed", "pending", "unsubscribed", "bounced"]
    people = "，".join(f"{_STATE_NAMES.get(s, s)} {n}" for s, n in sorted(state.subscribers.items(), key=lambda item: order.index(item[0])))
    sends = "，".join(f"{_STATE_NAMES.get(s, s)} {n}" for s, n in sorted(state.counts.items()))
    if state.alert:
        echo(f"告警：{state.alert}")
    if state.deadlines_error:
        echo(f"告警：截止日期文件：{state.deadlines_error}")
    echo(f"订阅：{people or '无'}")
    echo(f"投递：{sends or '无'}")
    echo("接下来的提醒：" if state.upcoming else "接下来的提醒：无")
    for r in state.upcoming:
        echo(f"  {zh_when(r.remind_at, weekday=False)}\t{r.offset}\t{r.recipient.email}\t{r.deadline.summary}")
    if state.next_digest:
        when, count = state.next_digest
        echo(f"下一期周报：{zh_when(when, weekday=False)}，发给 {count} 个订阅")
    echo("最近的失败：" if state.failures else "最近的失败：无")
    for f in state.failures:
        retry = f"，下次重试 {zh_when(f.next_attempt_at, weekday=False)}" if f.next_attempt_at else ""
        echo(f"  {zh_when(f.updated, weekday=False)}\t{f.status}\t{f.email}\t{f.summary}\t{f.last_error}（已试 {f.attempts} 次{retry}）")


# -- watched sources -----------------------------------------------------------


@main.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """列出监视的来源（sources.toml）：上次检查、发现的新通知、错误。

    \b
    用 `calendar-svc sources add 名称 网址` 添加；用 `calendar-svc watch --once`
    立即检查；`serve` 按计划检查。
    """
    if ctx.invoked_subcommand is not None:
        return
    from .sources import source_rows
    from .sources.config import zh_duration
    from .table import aligned

    settings = _reminders_settings()
    rows = source_rows(settings)
    if not rows:
        echo(f"{settings.sources_file}：没有监视的来源（calendar-svc sources add 名称 网址 --every 6h）")
        return
    table = [("名称", "间隔", "上次检查", "新通知（上次/累计）", "状态", "下次检查", "网址")]
    problems = []
    for row in rows:
        state = row.state
        if state is None or state.last_check is None:
            last, found, status, upcoming = "未检查", "-", "等待首次检查", "尽快"
        else:
            last = zh_when(state.last_check, weekday=False)
            found = f"{state.found_last}/{row.notices}"
            upcoming = zh_when(state.next_check, weekday=False) if state.next_check else "尽快"
            status = "正常" if not state.failures else f"连续失败 {state.failures} 次"
            if state.failures:
                problems.append(f"  {row.source.name}：{state.last_error}")
        trusted = "（可信，直接发布）" if row.source.trusted else ""
        table.append((row.source.name + trusted, zh_duration(row.source.every), last, found, status, upcoming, row.source.url))
    echo(aligned(table))
    if problems:
        echo("\n出错的来源（下次检查按失败次数推迟）：")
        for line in problems:
            echo(line)
    echo(f"\n共 {len(rows)} 个来源" + (f"，{len(problems)} 个出错" if problems else ""))


@sources.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--tag", "tags", multiple=True, help="给它的记录加的标签（可重复）。")
@click.option("--every", default="6h", show_default=True, help="检查间隔：30m、6h、1d（至少 10m）。")
@click.option("--kind", type=click.Choice(["auto", "list", "feed"]), default="auto", show_default=True, help="列表页或 RSS/Atom 订阅（auto：按内容判断）。")
@click.option("--selector", default="", help="通知链接的 CSS 选择器，用于页面结构看不出的列表。")
@click.option("--pages", type=click.IntRange(1, 50), default=3, show_default=True, help="列表页有未见过的通知时最多往后翻几页。")
@click.option("--trusted", is_flag=True, help="记录不经审核直接发布（默认：进入审核队列等待）。")
@click.option("--file", "file", type=click.Path(dir_okay=False), metavar="FILE", help="来源文件［默认：[sources] file，sources.toml］。")
def sources_add(name: str, url: str, tags, every: str, kind: str, selector: str, pages: int, trusted: bool, file: str | None) -> None:
    """以 NAME 为名监视列表页或订阅 URL（追加到 sources.toml）。"""
    from pathlib import Path

    from .sources import Source, add_source, parse_every
    from .sources.config import check_url, selector_problem, zh_duration

    if not check_url(url):
        raise click.BadParameter(f"{url!r} 不是 http:// 或 https:// 网址", param_hint="URL")
    try:
        interval = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    if selector and selector_problem(selector):
        raise click.BadParameter(f"{selector!r} 不是有效的 CSS：{selector_problem(selector)}", param_hint="--selector")
    target = Path(file) if file else _reminders_settings().sources_file
    source = Source(name=name.strip(), url=url.strip(), tags=tuple(t.strip() for t in tags if t.strip()), every=interval,
                    kind=kind, selector=selector, pages=pages, trusted=trusted)
    add_source(target, source)
    echo(f"{target}：已添加来源「{source.name}」，每 {zh_duration(interval)}检查一次" + ("（可信，直接发布）" if trusted else "（新记录先进入审核队列）"))


@main.command()
@click.option("--once", is_flag=True, help="立即检查全部来源后退出（否则按各自的间隔一直检查）。")
@click.option("--data", type=click.Path(dir_okay=False), metavar="FILE", help="合并进的截止日期文件［默认：设置中的 deadlines］。")
@click.option("--now", type=MOMENT, metavar="ISO", hidden=True, help="记录的时刻（用于测试）。")
def watch(once: bool, data: str | None, now: dt.datetime | None) -> None:
    """检查监视的来源，把新通知的截止日期放进审核队列。

    \b
    新通知连同附件读取并提取；除非来源可信，记录以“待审核”进入
    deadlines.toml（有人确认前不发布）。有更新的通知重新提取，日期变了的
    回到审核队列。
    """
    import logging
    from dataclasses import replace
    from pathlib import Path

    from .sources import open_watcher

    settings = _reminders_settings()
    if data:
        settings = replace(settings, deadlines=Path(data))
    if not settings.contact:
        echo("警告：calendar-svc.toml 中没有 [sources] contact：网站管理员无从得知这些请求该找谁", err=True)
    clock = (lambda: now) if now is not None else (lambda: dt.datetime.now(SHANGHAI))
    watcher = open_watcher(settings, now=clock)
    if not watcher.sources:
        raise CalendarSvcError(f"{settings.sources_file}：没有要监视的来源（calendar-svc sources add 名称 网址）")
    if not once:
        from .sources.schedule import READY, Job, run_forever

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        run_forever(Job(lambda: watcher, settings.sources_file, _digest_sender(settings)),
                    ready=lambda: echo(READY, err=True))
        return
    logging.getLogger("calendar_svc.sources").setLevel(logging.ERROR)  # each source's outcome is printed below
    failed = 0
    for report in watcher.run(due_only=False):
        if not report.checked:
            echo(f"{report.source}：另一个进程正在检查，跳过")
            continue
        if report.error:
            failed += 1
            echo(f"{report.source}：检查失败：{report.error}")
            continue
        changed = f"，{report.changed_notices} 条通知有更新" if report.changed_notices else ""
        echo(f"{report.source}：新通知 {report.new_notices} 条{changed}；{settings.deadlines}：新增 {report.added} 条，"
             f"变更 {report.changed} 条，消失 {report.vanished} 条")
        for problem in report.notice_errors:
            echo(f"  警告：{problem}", err=True)
    if failed:
        sys.exit(1)


def _digest_sender(settings):
    """The reviewers' digest for the scheduler: due once a day, counts what still waits for review."""
    from .channels.email import from_settings
    from .sources.digest import send_digest

    transport = from_settings(settings)

    def pending() -> set[str]:
        from . import store
        from .review import review_queue

        return {item.record.id for item in review_queue(store.load(settings.deadlines))}

    def send(watcher) -> object:
        return send_digest(watcher.ledger.engine, transport=transport, mail_from=settings.mail_from, review_url=settings.base_url + "/review",
                           notify=settings.notify, hour=settings.digest_hour, now=dt.datetime.now(SHANGHAI), pending=pending)

    return send
