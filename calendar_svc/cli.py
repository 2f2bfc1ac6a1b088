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
