"""The TOML files shipped in ``calendar_svc/data/``: vocabularies, defaults, holiday names.

Read with toml_rs (Rust, TOML 1.0 mode), which the store uses already: importing
``tomllib`` and reading the vocabulary with it cost ~4 ms of every ``calendar-svc
extract``, toml_rs ~1.5 ms. tests/test_packaged.py checks that both read every
shipped file the same.
"""

from __future__ import annotations

from importlib import resources

import toml_rs


def read_toml(name: str) -> dict:
    """``calendar_svc/data/<name>`` as a dict."""
    text = resources.files("calendar_svc").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return toml_rs.loads(text, toml_version="1.0.0")
