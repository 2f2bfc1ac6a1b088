"""Fixtures shared by test files."""

from __future__ import annotations

import pytest

from ingest_corpus import render_all


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict:
    """The real-notice corpus as .docx, PDF and .doc (rendered once per session: two LibreOffice runs)."""
    return {"root": render_all(tmp_path_factory.mktemp("rendered"))}
