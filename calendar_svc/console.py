"""What the command line prints, and how, without loading click.

Every line goes through :func:`echo`, which escapes the control and format characters
that notice or web-typed text may carry, so no output can move the cursor, recolour or
retitle the user's terminal. It writes as ``click.echo`` writes a line of text (the line,
then a flush), so ``calendar-svc extract`` can print without importing click (see
:mod:`calendar_svc.launch`).
"""

from __future__ import annotations

import codecs
import json
import sys

from .table import printable


def echo(message: str = "", *, err: bool = False) -> None:
    """Print a line; control characters in it (ESC, OSC, C1, bidi overrides) are shown escaped, never obeyed."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console (pythonw): nothing to print to, as click.echo does
        return
    if _ascii_only(stream):  # click.echo re-wraps such a stream to write UTF-8: let it
        import click

        click.echo(printable(message), err=err)
        return
    stream.write(printable(message) + "\n")
    stream.flush()


def _ascii_only(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name == "ascii"
    except LookupError:
        return False


def json_text(value: object) -> str:
    """JSON for the terminal: non-printable characters as \\u escapes, so the output stays valid JSON."""
    return printable(json.dumps(value, ensure_ascii=False, indent=2), escape=lambda c: f"\\u{ord(c):04x}")


def count_of(number: int) -> str:
    """``3 条截止日期``."""
    return f"{number} 条截止日期"
