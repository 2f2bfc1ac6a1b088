"""The ``calendar-svc`` command: a thin shell over the pipeline.

Each command parses its options, calls the library, and formats the result.
Errors from the library (:class:`CalendarSvcError`) become one clear line on
stderr and exit status 1, never a traceback; usage errors (a bad option or
value) come out in the same ``error: …`` style, with exit status 2.
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
from .errors import CalendarSvcError
from .model import SHANGHAI, STATUSES
from .table import format_table
from .typed import TypedDateError, parse_day, parse_moment, parse_when

if TYPE_CHECKING:
    from .reminders.scheduler import Standby

DEFAULT_DATA = "deadlines.toml"


class _Group(click.Group):
    """One error style: library errors exit 1 and usage errors exit 2, each as ``error: …`` lines."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CalendarSvcError as exc:
            echo(f"error: {exc}", err=True)
            sys.exit(1)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            echo(f"error: {_usage_problem(exc)}", err=True)
            if exc.ctx is not None:
                echo(f"  ({exc.ctx.command_path} -h lists the options)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            echo("error: interrupted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _usage_problem(exc: click.UsageError) -> str:
    """Click's message as ``--option: problem`` (``Invalid value for '--now': …`` before)."""
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint = exc.param_hint if exc.param_hint is not None else exc.param.get_error_hint(exc.ctx) if exc.param else ""
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else hint
        hint = hint.replace("'", "").replace('"', "").strip("[]")
        return f"{hint}: {_lower_first(exc.message)}" if hint else _lower_first(exc.message)
    return _lower_first(exc.format_message())


def _lower_first(text: str) -> str:
    """``File 'x' does not exist`` → ``file 'x' does not exist``; ``URL`` and ``'x'`` stay as they are."""
    return text[:1].lower() + text[1:] if text[:2].istitle() else text


@click.group(name="calendar-svc", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="calendar-svc")
def main() -> None:
    """Deadlines from Chinese policy notices: extract, review, publish, remind."""


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
def validate(data: str) -> None:
    """Check DATA (deadlines.toml) against the schema; errors name the line.

    Also says what still needs a person: records awaiting review, records
    whose source no longer has them, and years the extractor had to infer.
    """
    from . import store
    deadlines = store.load(data)
    statuses = Counter(d.status for d in deadlines)
    summary = ", ".join(f"{statuses[s]} {s}" for s in STATUSES if statuses[s] or s != "candidate")  # candidates when any
    echo(f"{data}: ok, {count_of(len(deadlines))} ({summary})")
    for d in deadlines:
        if d.vanished:
            echo(f"  vanished: {d.summary} ({d.source.file}:{d.source.line}) is no longer in its source", err=True)
        elif d.status == "extracted" and d.year_guess:
            echo(f"  check the year: {d.summary}: {d.year_guess}", err=True)


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
@click.option("--urls", "lists", is_flag=True, help="INPUTS are files listing web addresses, one a line (# starts a comment).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Merge into this deadlines.toml (created if missing).")
@click.option("--json", "as_json", is_flag=True, help="Print the records as a JSON array on stdout.")
@click.option("--date", "reference", type=DAY, metavar="YYYY-MM-DD", help="Reference date for notices that carry no date of their own (for omitted years).")
@click.option("--now", type=MOMENT, metavar="ISO", hidden=True, help="Merge timestamp (for reproducible runs and tests).")
def extract(inputs: tuple[str, ...], lists: bool, output: str | None, as_json: bool, reference: dt.date | None, now: dt.datetime | None) -> None:
    """Extract deadlines from notice INPUTS: files, - for stdin, or web addresses.

    Files may be text, Markdown, HTML (saved under any name), PDF, Word
    (.docx; .doc, .wps, .et, .rtf through LibreOffice) or OFD, told apart by
    their content. A web address is read with the attachments it links to
    on the same site. An input that cannot be read is reported on one line
    and skipped; the others still go through, and the exit status is 1.

    Without -o or --json, prints a table. With -o, merges into the file:
    new deadlines are added, changed dates updated, your edits to status,
    title, tags and notes kept, and vanished ones flagged, never deleted.
    """
    from .extract_command import run_extract

    run_extract(inputs, lists=lists, output=output, as_json=as_json, reference=reference, now=now)


@main.command("list")
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
@click.option("--upcoming", is_flag=True, help="Only deadlines that have not passed yet.")
@click.option("--all", "show_all", is_flag=True, help="Include hidden deadlines.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--now", type=MOMENT, metavar="ISO", help="The moment to count from (default: now).")
def list_(data: str, upcoming: bool, show_all: bool, as_json: bool, now: dt.datetime | None) -> None:
    """Show DATA's deadlines as a table, soonest first, with days left.

    Informational dates (施行) follow in a table of their own.
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
    """Show what in DATA needs a person (new, candidates, changed dates, vanished), soonest first, with ids.

    Act on an item with `calendar-svc set ID --status confirmed` (or hidden,
    --title, --tag, --note, --end), or on the /review page.
    """
    from . import store
    from .model import STATUS_NAMES
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
    from .model import zh_when

    when = zh_when(d.key_moment)
    return f"{zh_when(d.start, weekday=False)} 至 {when}" if d.start is not None and d.end is not None else when


@main.command("set")
@click.argument("record_id", metavar="ID")
@click.option("--data", default=DEFAULT_DATA, show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--status", type=click.Choice(["confirmed", "hidden"]), help="confirmed (确认) or hidden (隐藏).")
@click.option("--title", help="Calendar title to use instead of the extracted one ('' restores it).")
@click.option("--tag", "tags", multiple=True, help="Tags (repeatable; replaces the record's tags).")
@click.option("--no-tags", is_flag=True, help="Remove all tags.")
@click.option("--note", help="A note for the record (replaces the old one).")
@click.option("--start", type=WHEN, metavar="DATE", help="Corrected start (kept as a human edit: re-extraction never overwrites it).")
@click.option("--end", type=WHEN, metavar="DATE", help="Corrected deadline, e.g. 2024-09-30 or 2024年9月30日 16:00.")
@click.option("--internal-workdays", "internal", metavar="N|rules",
              help="Internal deadline N working days before the official one (0: none; 'rules': follow [[internal]]).")
@click.option("--by", "who", help="Your name for the record's history [default: your login name].")
@click.option("--now", type=MOMENT, metavar="ISO", hidden=True, help="The moment recorded (for tests).")
def set_(record_id: str, data: str, status, title, tags, no_tags: bool, note, start, end, internal, who, now) -> None:
    """Review record ID in DATA: confirm or hide it, correct its dates, title, tags or note.

    Every change is written into the record's history with who and when.
    """
    import getpass

    from .model import zh_dates
    from .review import FOLLOW_RULES, Change, apply

    change = Change(
        status=status,
        title=title,
        tags=() if no_tags else (tuple(tags) if tags else None),
        note=note,
        start=start,
        end=end,
        internal_workdays=_internal_option(internal, FOLLOW_RULES),
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
            f"{value!r}: give 0–{MAX_INTERNAL_WORKDAYS} working days (0: none) or 'rules'", param_hint="--internal-workdays"
        )
    return days


@main.group()
def reviewer() -> None:
    """Reviewer accounts for the /review page (kept in the shared database)."""


@reviewer.command("add")
@click.argument("name")
@click.option("--email", default="", help="Where the daily 待审核 digest goes (kyc@example.edu.cn).")
@click.password_option(prompt="密码", confirmation_prompt="再输入一次", help="Asked for when not given.")
def reviewer_add(name: str, email: str, password: str) -> None:
    """Create reviewer NAME (asks for a password)."""
    _accounts().add(name, password, email or None)
    echo(f"审核人 {name.strip()} 已创建" + (f"，待审核通知发往 {email.strip()}" if email else ""))


@reviewer.command("email")
@click.argument("name")
@click.argument("address")
def reviewer_email(name: str, address: str) -> None:
    """Send reviewer NAME's daily 待审核 digest to ADDRESS ("" removes it)."""
    _accounts().set_email(name, address)
    echo(f"审核人 {name} 的待审核通知发往 {address.strip()}" if address.strip() else f"审核人 {name} 不再收到待审核通知")


@reviewer.command("password")
@click.argument("name")
@click.password_option(prompt="新密码", confirmation_prompt="再输入一次", help="Asked for when not given.")
def reviewer_password(name: str, password: str) -> None:
    """Set a new password for reviewer NAME (also lifts a lock-out)."""
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


_ALARMS_HELP = "Alarms before each deadline in the feed, e.g. 7d,1d,2h (none: no alarms). [default: 7d,1d,2h]"


@main.command()
@click.option("--data", default=DEFAULT_DATA, show_default=True, type=click.Path(dir_okay=False), help="Deadlines file to publish.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: all interfaces).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--alarms", envvar="CALENDAR_SVC_FEED_ALARMS", help=_ALARMS_HELP)
@click.option("--base-url", envvar="CALENDAR_SVC_BASE_URL", help="Public address for subscribe and email links (behind a proxy).")
def serve(data: str, host: str, port: int, alarms: str | None, base_url: str | None) -> None:
    """Serve the calendar feed (/calendar.ics), /deadlines.json and the web page (/)."""
    _check_port(host, port)  # first: a port in use must not fail after the page and the scheduler started
    from . import config
    from .web import create_app
    from .web import serve as run

    public = _public_url(base_url, host)
    count = _announce_data(data)
    app = create_app(data, config=_feed_config(alarms), base_url=public, internal_rules=config.load().internal_rules)
    echo(f"calendar-svc: {count_of(count)} from {data} at http://{host}:{port}/ (feed: /calendar.ics)", err=True)
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
        echo(f"warning: {exc} (watched sources are checked once the file is fixed)", err=True)
    else:
        if count:
            echo(f"calendar-svc: watching {count} sources from {settings.sources_file}", err=True)
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
                raise CalendarSvcError(f"port {port} is in use; choose another with --port") from None
            raise CalendarSvcError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


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
    echo(f"warning: no deadlines {'file' if snapshot.key is None else 'in the file'} at {where} (--data {data})", err=True)
    echo(f"  create it from a notice: calendar-svc extract NOTICE.txt -o {data}", err=True)
    echo("  serving anyway: the page says so, and /calendar.ics answers 503 until the file has deadlines", err=True)
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
            f"--host {host or repr(host)} listens on every address, so links need the public one: "
            "add --base-url (e.g. --base-url http://cal.example.org:8000) or set CALENDAR_SVC_BASE_URL"
        )
    return None


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="deadlines.ics", show_default=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--issuer", multiple=True, help="Only deadlines from this issuer (repeatable).")
@click.option("--tag", multiple=True, help="Only deadlines with this tag (repeatable).")
@click.option("--kind", multiple=True, help="Only this kind: window, deadline, start, effective, milestone (repeatable).")
@click.option("--who", multiple=True, help="Only deadlines for this audience (repeatable).")
@click.option("--alarms", envvar="CALENDAR_SVC_FEED_ALARMS", help=_ALARMS_HELP)
@click.option("--past-all", is_flag=True, help="Keep every past deadline (the feed's ?past=all); default: the recent past.")
@click.option(
    "--all-variants",
    "variants_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write the feed and JSON for every single filter to DIR, with ETags and nginx snippets, for static hosting.",
)
@click.option("--now", type=MOMENT, metavar="ISO", help="The moment that decides what is past (default: now).")
def export(data: str, output: str, issuer, tag, kind, who, alarms: str | None, past_all: bool, variants_dir: str | None, now: dt.datetime | None) -> None:
    """Write DATA's visible deadlines as an iCalendar file (- for stdout), for hosting anywhere.

    With --all-variants DIR it writes what the server would serve instead: the
    feed (recent past and past=all) and the JSON, unfiltered and for each
    issuer, tag and kind, with the server's ETags in DIR/etags.json.
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
            raise click.UsageError("--all-variants writes every filter and both horizons; drop the filter options")

        written = export_variants(deadlines, Path(variants_dir), builder=builder, stamp=stamp, now=moment)
        echo(f"{variants_dir}: {written} files (feed and JSON variants, etags.json, nginx/)", err=True)
        return
    body = builder.build(deadlines, stamp=stamp, now=moment, filters=filters, past_all=past_all)
    if output == "-":
        sys.stdout.buffer.write(body)
    else:
        store.write_atomic(Path(output), body.decode("utf-8"))
    shown = feed.in_feed(deadlines, now=moment, keep_past=builder.config.keep_past, filters=filters, past_all=past_all)
    left_out = len(select(deadlines, filters)) - len(shown)
    note = f" ({left_out} older ones left out; --past-all keeps them)" if left_out else ""
    echo(f"{output}: {count_of(len(shown))}{note}", err=True)


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

        echo(f"calendar-svc: settings from {settings.source}", err=True)
        echo(f"calendar-svc: database {make_url(settings.database_url).render_as_string(hide_password=True)}", err=True)
        echo(f"calendar-svc: mail goes to {service.transport.description}", err=True)
        if service.secret_warning:
            echo(f"warning: {service.secret_warning}", err=True)
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
        help="Official deadlines, internal ones ([[internal]] rules), or both. [default: both]",
    )(command)
    command = click.option("--who", multiple=True, help="Only deadlines for this audience (repeatable).")(command)
    command = click.option("--kind", multiple=True, help="window, deadline, start, effective or milestone (repeatable).")(command)
    command = click.option("--tag", multiple=True, help="Only deadlines with this tag (repeatable).")(command)
    return click.option("--issuer", multiple=True, help="Only deadlines from this issuer (repeatable).")(command)


@main.command()
@click.argument("target", metavar="EMAIL|webhook:NAME")
@_filter_options
@click.option("--offsets", help="How long before each deadline, e.g. 7d,1d,2h. [default: from the settings]")
@click.option("--window-open/--no-window-open", default=None, help="Also remind when a window opens.")
@click.option("--digest", type=click.Choice(["weekly", "none"]), default="none", show_default=True,
              help="weekly: one mail each Monday morning listing what is due this week and next, instead of one per deadline and offset.")
def subscribe(target: str, issuer, tag, kind, who, deadlines, offsets: str | None, window_open: bool | None, digest: str) -> None:
    """Add a confirmed subscription, or update one (operator; no confirmation email).

    An address may hold several subscriptions: one per filter (and digest or
    not). Subscribing again with the same filter changes only what is given
    (--offsets, --window-open); another filter adds a subscription. TARGET is
    an email address, or webhook:NAME for a group robot ([[webhook]] in
    calendar-svc.toml: 企业微信, 钉钉, 飞书).
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
        matching = "unknown"
        echo(f"warning: {exc}", err=True)
    if row.digest:
        timing = "a weekly digest on Monday mornings"
    else:
        timing = f"{row.offsets} before" + (", and when a window opens" if row.window_open else "")
    echo(f"{row.email}: subscribed (#{row.id}) to {filters.label() or '全部'} — {timing}; matching now: {matching}")


@main.command(name="subscribers")
def list_subscribers() -> None:
    """List the subscriptions: id, address, state, filter, offsets or digest."""
    from urllib.parse import unquote_plus

    rows = _reminders().subscribers()
    for row in rows:
        since = row.since.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if row.since else "-"
        flt = unquote_plus(row.filter) or "all"
        timing = "weekly digest" if row.digest else (row.offsets or "-") + (" +open" if row.window_open else "")
        echo(f"#{row.id}\t{row.email}\t{row.status}\t{flt}\t{timing}\tsince {since}")
    addresses = len({row.email for row in rows})
    echo(f"{len(rows)} subscriptions of {addresses} addresses", err=True)


@main.command()
@click.argument("target", required=False, metavar="[EMAIL|webhook:NAME]")
@click.option("--id", "subscription", type=click.IntRange(1), help="End only this subscription (its #id in `calendar-svc subscribers`).")
def unsubscribe(target: str | None, subscription: int | None) -> None:
    """End every subscription of an address, or one subscription with --id."""
    if (target is None) == (subscription is None):
        raise click.UsageError("give an address (all its subscriptions) or --id N (one subscription), not both")
    service = _reminders()
    if subscription is not None:
        row = service.unsubscribe_one(subscription)
        if row is None:
            echo(f"#{subscription}: no such active subscription", err=True)
        else:
            echo(f"{row.email}: unsubscribed (#{row.id})")
        return
    count = service.unsubscribe(target)
    address = target.strip().lower() if not target.strip().lower().startswith("webhook:") else target.strip()
    if count:
        echo(f"{address}: unsubscribed ({count} subscription{'s' if count > 1 else ''})")
    else:
        echo(f"{address}: was not subscribed", err=True)


@main.command()
def worker() -> None:
    """Run the reminder scheduler alone (a due-check every minute, and at once for missed ones)."""
    import logging

    from .reminders.scheduler import READY, run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    service = _reminders(announce=True)
    echo(f"calendar-svc: worker {service.worker_id} checking every {service.settings.check_interval}s", err=True)
    run_forever(service, ready=lambda: echo(READY, err=True))


@main.command()
@click.option("--at", "at", type=MOMENT, required=True, help="The moment, e.g. 2024-09-20T08:00 or 2024年9月20日 8:00 (Asia/Shanghai unless an offset is given).")
@click.option("--dry-run", is_flag=True, help="Only list what is due; send nothing, record nothing.")
@click.option("--force", is_flag=True, help="Send even when --at is in the past (it uses up those reminders for good).")
def remind(at: dt.datetime, dry_run: bool, force: bool) -> None:
    """Send what is due at a moment (each reminder still only once), or list it with --dry-run.

    A moment in the past is refused without --dry-run or --force: sending what
    was due then mails people about old deadlines and marks those reminders sent.
    """
    moment = at
    if not dry_run and not force and moment < dt.datetime.now(SHANGHAI) - dt.timedelta(minutes=1):
        raise CalendarSvcError(
            f"--at {moment.isoformat(timespec='minutes')} is in the past: sending now would mail what was due then "
            "and use up those reminders; list it with --dry-run, or send anyway with --force"
        )
    service = _reminders(announce=not dry_run)
    report = service.check(moment, dry_run=dry_run)
    for o in report.outcomes:
        when = o.remind_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        late = " (late)" if o.late else ""
        error = f" — {o.error}" if o.error else ""
        echo(f"{o.status}\t{when}\t{o.offset}\t{o.email}\t{o.summary}{late}{error}")
    verb = "due" if dry_run else "handled"
    elsewhere = f", {report.taken_elsewhere} taken by another worker" if report.taken_elsewhere else ""
    echo(f"{len(report.outcomes)} reminders {verb} at {moment.isoformat(timespec='minutes')}{elsewhere}", err=True)


@main.command()
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many to show of each.")
def status(limit: int) -> None:
    """Show the next reminders due and the last failures."""
    service = _reminders(announce=True)
    state = service.status(limit)
    order = ["confirmed", "pending", "unsubscribed", "bounced"]
    people = ", ".join(f"{n} {s}" for s, n in sorted(state.subscribers.items(), key=lambda item: order.index(item[0])))
    sends = ", ".join(f"{n} {s}" for s, n in sorted(state.counts.items()))
    if state.alert:
        echo(f"alert: {state.alert}")
    if state.deadlines_error:
        echo(f"alert: deadlines: {state.deadlines_error}")
    echo(f"subscribers: {people}")
    echo(f"deliveries: {sends}")
    echo("next reminders:" if state.upcoming else "next reminders: none")
    for r in state.upcoming:
        echo(f"  {r.remind_at.strftime('%Y-%m-%d %H:%M')}\t{r.offset}\t{r.recipient.email}\t{r.deadline.summary}")
    if state.next_digest:
        when, count = state.next_digest
        echo(f"next weekly digest: {when.strftime('%Y-%m-%d %H:%M')} to {count} subscription{'s' if count > 1 else ''}")
    echo("last failures:" if state.failures else "last failures: none")
    for f in state.failures:
        when = f.updated.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        retry = f", next try {f.next_attempt_at.astimezone(SHANGHAI).strftime('%Y-%m-%d %H:%M')}" if f.next_attempt_at else ""
        echo(f"  {when}\t{f.status}\t{f.email}\t{f.summary}\t{f.last_error} (attempts {f.attempts}{retry})")


# -- watched sources -----------------------------------------------------------


@main.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """Show the watched sources (sources.toml): last check, new notices found, errors.

    Add one with `calendar-svc sources add NAME URL`; check them now with
    `calendar-svc watch --once`; `serve` checks them on schedule.
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
            last = _moment_text(state.last_check)
            found = f"{state.found_last}/{row.notices}"
            upcoming = _moment_text(state.next_check) if state.next_check else "尽快"
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


def _moment_text(moment: dt.datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@sources.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--tag", "tags", multiple=True, help="A tag for its records (repeatable).")
@click.option("--every", default="6h", show_default=True, help="How often to check it: 30m, 6h, 1d (at least 10m).")
@click.option("--kind", type=click.Choice(["auto", "list", "feed"]), default="auto", show_default=True, help="A list page or an RSS/Atom feed (auto: told by its content).")
@click.option("--selector", default="", help="CSS selector of the notice links, for a list the page structure does not show.")
@click.option("--pages", type=click.IntRange(1, 50), default=3, show_default=True, help="List pages followed while they show unseen notices.")
@click.option("--trusted", is_flag=True, help="Publish its records without review (default: they wait in the review queue).")
@click.option("--file", "file", type=click.Path(dir_okay=False), help="The sources file [default: [sources] file, sources.toml].")
def sources_add(name: str, url: str, tags, every: str, kind: str, selector: str, pages: int, trusted: bool, file: str | None) -> None:
    """Watch the list page or feed URL under NAME (appended to sources.toml)."""
    from pathlib import Path

    from .sources import Source, add_source, parse_every
    from .sources.config import check_url, selector_problem, zh_duration

    if not check_url(url):
        raise click.BadParameter(f"{url!r} is not an http:// or https:// address", param_hint="URL")
    try:
        interval = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    if selector and selector_problem(selector):
        raise click.BadParameter(f"{selector!r} is not valid CSS: {selector_problem(selector)}", param_hint="--selector")
    target = Path(file) if file else _reminders_settings().sources_file
    source = Source(name=name.strip(), url=url.strip(), tags=tuple(t.strip() for t in tags if t.strip()), every=interval,
                    kind=kind, selector=selector, pages=pages, trusted=trusted)
    add_source(target, source)
    echo(f"{target}：已添加来源「{source.name}」，每 {zh_duration(interval)}检查一次" + ("（可信，直接发布）" if trusted else "（新记录先进入审核队列）"))


@main.command()
@click.option("--once", is_flag=True, help="Check every source now, then exit (else: keep checking each on its schedule).")
@click.option("--data", type=click.Path(dir_okay=False), help="The deadlines file to merge into [default: the configured deadlines].")
@click.option("--now", type=MOMENT, metavar="ISO", hidden=True, help="The moment recorded (for tests).")
def watch(once: bool, data: str | None, now: dt.datetime | None) -> None:
    """Check the watched sources and queue their new notices' deadlines for review.

    New notices are read with their attachments and extracted; their records
    enter deadlines.toml as 待审核 (not published before a person confirms
    them) unless the source is trusted. A notice that changed is extracted
    again, and moved dates go back to the review queue.
    """
    import logging
    from dataclasses import replace
    from pathlib import Path

    from .sources import open_watcher

    settings = _reminders_settings()
    if data:
        settings = replace(settings, deadlines=Path(data))
    if not settings.contact:
        echo("warning: no [sources] contact in calendar-svc.toml: site operators cannot tell whom to ask about these requests", err=True)
    clock = (lambda: now) if now is not None else (lambda: dt.datetime.now(SHANGHAI))
    watcher = open_watcher(settings, now=clock)
    if not watcher.sources:
        raise CalendarSvcError(f"{settings.sources_file}: no sources to watch (calendar-svc sources add NAME URL)")
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
            echo(f"  warning: {problem}", err=True)
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
