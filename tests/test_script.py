"""The simplified reading converts only the lines OpenCC may change (issue 11): the same reading as converting all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from calendar_svc import script

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import opencc_changing  # noqa: E402

_CONVERT = script._converter().convert
#: Traditional characters and phrases (some of whose characters OpenCC keeps alone but changes in the phrase:
#: 乾燥 → 干燥), simplified ones, line breaks, a character beyond the BMP.
_PIECES = ["公示時間為", "於", "前報", "乾燥", "乾", "燥", "么", "麼", "覆", "並", "門", "截止时间", "申报", "\n", "\n\n",
           "2024年9月30日", " ", "𠀀", "瞭望", "著名", "著", "憑藉", "深沈", "a", "（", "）"]


def test_the_shipped_list_is_what_the_installed_opencc_changes() -> None:
    version, share, tool = opencc_changing.installed()
    assert tool.exists(), f"OpenCC's wheel ships opencc_dict; not found at {tool}"
    assert script._T2S["opencc"] == version, "run scripts/opencc_changing.py after upgrading OpenCC"
    listed = script._T2S["changing"].replace("\n", "")
    assert set(listed) == {c for c in opencc_changing.changing(share, tool) if c <= "\uffff"}
    assert min(listed) >= "\u3000"  # Chinese characters: none is syntax inside a class


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20))
@example(["乾燥", "\n", "申报", "\n", "著名"])
@example(["申报", "\n", "麼", "\n", "覆", "\n\n", "截止时间"])
def test_converting_the_lines_that_may_change_reads_as_converting_all(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert script._converted(text, _CONVERT) == _CONVERT(text)


def test_a_line_without_what_opencc_changes_is_not_handed_to_it() -> None:
    asked: list[str] = []

    def convert(text: str) -> str:
        asked.append(text)
        return _CONVERT(text)

    assert script._converted("申报时间\n公示時間為\n於9月30日前\n\n截止", convert) == "申报时间\n公示时间为\n于9月30日前\n\n截止"
    assert asked == ["公示時間為\n於9月30日前"]


def test_another_opencc_converts_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(script._T2S, "opencc", "0.0")
    script._listed.cache_clear()
    asked: list[str] = []

    def convert(text: str) -> str:
        asked.append(text)
        return _CONVERT(text)

    try:
        assert script._converted("申报\n公示時間為", convert) == "申报\n公示时间为"
    finally:
        script._listed.cache_clear()
    assert asked == ["申报\n公示時間為"]
