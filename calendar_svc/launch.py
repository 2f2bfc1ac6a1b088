"""Where ``calendar-svc`` (and ``python -m calendar_svc``) starts: a plain ``extract`` without loading click.

Extracting one notice is a short process, and click with what it imports (inspect, uuid, gettext)
cost ~20 ms of CPU in each, a sixth of a whole ``calendar-svc extract``. So an ``extract``
command line made only of inputs and the options as ``extract -h`` lists them (``--json``,
``--urls``, ``-o FILE``, ``--date DAY``, and the hidden ``--now``), each given once as its own
argument, is read here and run by the same function the click command calls
(:func:`calendar_svc.extract_command.run_extract`), with the same answers to errors. Every other
command line, and any this reader is not sure of (``-h``, ``--date=…``, ``-oFILE``, ``--``, an
unknown option, a value that does not read, no inputs), goes to the click application
(:data:`calendar_svc.cli.main`) untouched, so help, usage errors and every other command behave
exactly as click makes them.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

#: Flags of ``extract`` → the keyword of :func:`~calendar_svc.extract_command.run_extract` they set.
_FLAGS = {"--json": "as_json", "--urls": "lists"}
#: Options of ``extract`` that take the next argument as their value.
_VALUED = {"-o": "output", "--output": "output", "--date": "reference", "--now": "now"}
#: Set by a shell asking click for completions: click answers it.
_COMPLETE = "_CALENDAR_SVC_COMPLETE"


def main(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """Run the command line ``args`` (default: ``sys.argv[1:]``) and exit with its status."""
    plain = plain_extract(sys.argv[1:] if args is None else list(args))
    if plain is None:
        from .cli import main as commands

        commands(args, prog_name=prog_name)
        return
    inputs, options = plain
    _run(inputs, options)


def plain_extract(argv: list[str]) -> tuple[list[str], dict[str, Any]] | None:
    """The inputs and options of an ``extract`` command line read as click would, or None to let click read it."""
    if not argv or argv[0] != "extract" or _COMPLETE in os.environ:
        return None
    inputs: list[str] = []
    flags: dict[str, bool] = {}
    values: dict[str, str] = {}
    rest = iter(argv[1:])
    for arg in rest:
        if arg in _FLAGS:
            flags[_FLAGS[arg]] = True
        elif arg in _VALUED:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
            values[_VALUED[arg]] = value  # given twice, the last one counts, as in click
        elif arg == "-" or not arg.startswith("-"):
            inputs.append(arg)
        else:
            return None
    if not inputs:
        return None
    options: dict[str, Any] = {"lists": False, "as_json": False, **flags}
    if "output" in values and not _plain_output(values["output"]):
        return None
    options["output"] = values.get("output")
    options["reference"] = options["now"] = None
    if "reference" in values or "now" in values:
        from .typed import TypedDateError, parse_day, parse_moment

        try:
            options["reference"] = parse_day(values["reference"]) if "reference" in values else None
            options["now"] = parse_moment(values["now"]) if "now" in values else None
        except TypedDateError:  # click says what is wrong with it, in its own words
            return None
    return inputs, options


def _plain_output(path: str) -> bool:
    """``-o`` names a file click takes without a word: a missing one, or a readable regular file."""
    if not os.path.lexists(path):
        return True
    return os.path.isfile(path) and os.access(path, os.R_OK)


def _run(inputs: list[str], options: dict[str, Any]) -> None:
    """Run ``extract`` and exit as the click application would (its ``_Group`` and ``main``)."""
    from .console import echo
    from .errors import CalendarSvcError
    from .extract_command import run_extract

    try:
        run_extract(tuple(inputs), **options)
    except CalendarSvcError as exc:
        echo(f"错误：{getattr(exc, 'zh', None) or exc}", err=True)  # as the click application's _Group.invoke
        sys.exit(1)
    except (EOFError, KeyboardInterrupt):
        echo(err=True)
        echo("错误：已中断", err=True)
        sys.exit(1)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        _quiet_closed_pipe()
        sys.exit(1)
    sys.exit(0)


def _quiet_closed_pipe() -> None:
    """The reader went away (``… | head``): exit without a traceback when Python flushes the streams at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (AttributeError, OSError, ValueError):
            pass
