"""The TOML shipped in calendar_svc/data/, read by toml_rs (calendar_svc.packaged), reads as tomllib reads it."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from calendar_svc.packaged import read_toml

SHIPPED = sorted(p.name for p in resources.files("calendar_svc").joinpath("data").iterdir() if p.name.endswith(".toml"))


def test_every_shipped_file_is_checked() -> None:
    assert {"vocabulary.toml", "ingest.toml", "holidays.toml", "feed.toml", "settings.toml"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_toml_rs_reads_each_shipped_file_as_tomllib_does(name: str) -> None:
    text = resources.files("calendar_svc").joinpath(f"data/{name}").read_text(encoding="utf-8")
    ours, reference = read_toml(name), tomllib.loads(text)
    assert ours == reference
    assert _types(ours) == _types(reference)  # 1 and 1.0, dates and strings stay apart


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__
