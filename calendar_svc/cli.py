"""The ``calendar-svc`` command: a thin shell over the pipeline.

Each command parses its options, calls the library, and formats the result.
Errors from the library (:class:`CalendarSvcError`) become one clear line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import sys

import click

from . import store
from .errors import CalendarSvcError

DEFAULT_DATA = "deadlines.toml"


class _Group(click.Group):
    """Turns library errors into a clean message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CalendarSvcError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="calendar-svc")
def main() -> None:
    """Deadlines from Chinese policy notices: extract, review, publish, remind."""


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(dir_okay=False))
def validate(data: str) -> None:
    """Check DATA (deadlines.toml) against the schema; errors name the line."""
    deadlines = store.load(data)
    click.echo(f"{data}: ok, {len(deadlines)} deadlines")


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
@click.option("--base-url", envvar="CALENDAR_SVC_PUBLIC_URL", help="Public address for subscribe links (behind a proxy).")
def serve(data: str, host: str, port: int, alarms: str | None, base_url: str | None) -> None:
    """Serve the calendar feed (/calendar.ics), /deadlines.json and the web page (/)."""
    from .web import create_app
    from .web import serve as run

    count = len(store.load(data))  # a broken file fails here, with its line, not on the first request
    app = create_app(data, config=_feed_config(alarms), base_url=base_url)
    click.echo(f"calendar-svc: {count} deadlines from {data} at http://{host}:{port}/ (feed: /calendar.ics)", err=True)
    run(app, host, port)


@main.command()
@click.argument("data", default=DEFAULT_DATA, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="deadlines.ics", show_default=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--issuer", multiple=True, help="Only deadlines from this issuer (repeatable).")
@click.option("--tag", multiple=True, help="Only deadlines with this tag (repeatable).")
@click.option("--kind", multiple=True, type=click.Choice(["window", "deadline", "start", "effective", "milestone"]))
@click.option("--who", multiple=True, help="Only deadlines for this audience (repeatable).")
@click.option("--alarms", envvar="CALENDAR_SVC_FEED_ALARMS", help=_ALARMS_HELP)
def export(data: str, output: str, issuer, tag, kind, who, alarms: str | None) -> None:
    """Write DATA's visible deadlines as an iCalendar file (- for stdout), for hosting anywhere."""
    import datetime as dt
    from pathlib import Path

    from . import feed

    deadlines = store.load(data)
    filters = feed.Filters(issuer=tuple(issuer), tag=tuple(tag), kind=tuple(kind), who=tuple(who))
    stamp = dt.datetime.fromtimestamp(int(Path(data).stat().st_mtime), tz=dt.timezone.utc)
    body = feed.to_ical(deadlines, stamp=stamp, config=_feed_config(alarms), filters=filters)
    if output == "-":
        sys.stdout.buffer.write(body)
    else:
        store.write_atomic(Path(output), body.decode("utf-8"))
    click.echo(f"{output}: {len(feed.select(deadlines, filters))} deadlines", err=True)
