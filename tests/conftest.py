"""Fixtures shared by test files."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from ingest_corpus import render_all

# CI explores the same examples on every run, so a submission lands or fails on its own merits; a
# developer's run explores new ones each time (and keeps what fails in .hypothesis/ until it is fixed).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict:
    """The real-notice corpus as .docx, PDF and .doc (rendered once per session: two LibreOffice runs)."""
    return {"root": render_all(tmp_path_factory.mktemp("rendered"))}
