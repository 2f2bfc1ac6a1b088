"""Chinese for the messages Click prints itself: usage errors, prompts and --help headings.

Click marks those texts for gettext (``_("Missing argument")``), so they are
translated the way Click means them to be: each Click module's ``_`` and
``ngettext`` look the English text up in ``data/click_zh.toml``. A catalog on
disk for :mod:`gettext` would be chosen by the user's locale variables, and the
CLI speaks Chinese whatever ``LANG`` says (a server's is often ``C``).

The usage line's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` are no gettext messages
but constructor defaults, so :class:`Command` and :class:`Group` pass them in
from the same catalog.
"""

from __future__ import annotations

import sys
from functools import cache

import click

from .packaged import read_toml

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


@cache
def _catalog() -> dict[str, str]:
    return read_toml("click_zh.toml")


def gettext(message: str) -> str:
    """The Chinese for one of Click's English texts, or the text itself when the catalog has none."""
    return _catalog().get(message, message)


class HelpFormatter(click.HelpFormatter):
    """Click's help layout with a full-width colon after each heading (``选项：``), as Chinese text writes it."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class Context(click.Context):
    """A Click context whose --help pages are laid out by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


class Command(click.Command):
    """A Click command whose usage line reads ``[选项]`` instead of ``[OPTIONS]``."""

    context_class = Context

    def __init__(self, *args, options_metavar: str | None = gettext("[OPTIONS]"), **kwargs) -> None:
        super().__init__(*args, options_metavar=options_metavar, **kwargs)


class Group(click.Group):
    """A Click group whose usage line reads ``[选项] 命令 [参数]...``; its commands and subgroups do too."""

    context_class = Context
    command_class = Command
    group_class = type  # Click's spelling for "subgroups are of this group's class"

    def __init__(self, *args, options_metavar: str | None = gettext("[OPTIONS]"),
                 subcommand_metavar: str | None = gettext("COMMAND [ARGS]..."), **kwargs) -> None:
        super().__init__(*args, options_metavar=options_metavar, subcommand_metavar=subcommand_metavar, **kwargs)


def install() -> None:
    """Make Click's own messages Chinese (idempotent)."""

    def ngettext(singular: str, plural: str, count: int) -> str:
        return gettext(singular if count == 1 else plural)

    for name in _MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
