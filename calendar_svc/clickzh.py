"""Chinese for the messages Click prints itself: usage errors, prompts and --help headings.

Click marks those texts for gettext (``_("Missing argument")``), so they are
translated the way Click means them to be: each Click module's ``_`` and
``ngettext`` look the English text up in ``data/click_zh.toml``. A catalog on
disk for :mod:`gettext` would be chosen by the user's locale variables, and the
CLI speaks Chinese whatever ``LANG`` says (a server's is often ``C``).
"""

from __future__ import annotations

import sys

from .packaged import read_toml

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def install() -> None:
    """Make Click's own messages Chinese (idempotent)."""
    catalog: dict[str, str] = read_toml("click_zh.toml")

    def gettext(message: str) -> str:
        return catalog.get(message, message)

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
