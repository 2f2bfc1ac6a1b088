"""Traditional characters read as simplified ones, offsets kept.

Copies of notices circulate in traditional characters (公示時間為…, 於…前報…).
The cue words are simplified, so dates are found and classified in a
simplified reading of the text; quotes are still cut from the original.
OpenCC does the conversion; a reading whose length differs from the text
(a phrase-level rewrite) is not used, so offsets always line up. OpenCC reads every
character (~25 ns each, 2.2 ms for the corpus document), yet most notices are simplified
already: only the lines holding a character its dictionaries replace are handed to it
(data/script.toml lists them; no dictionary entry spans a line break, so a line converts
alone as it does inside the text).

Copying sites also gloss characters with their pinyin (``截止時(shí)間為2022年(nian)8月5日``),
which splits cue words and dates. The reading blanks those glosses out (the same number of
spaces, so offsets still line up); cue words and dates are matched with blanks removed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from .packaged import read_toml
from .patterns import lazy

_T2S = read_toml("script.toml")["t2s"]
#: A character OpenCC's t2s may replace (data/script.toml, written by scripts/opencc_changing.py: Chinese characters
#: only, none that a class would read as syntax), or a lone surrogate, which it refuses as before. Every character
#: beyond the BMP counts: one range of them keeps the class a bitmap (listed one by one, they made it a list
#: tested in turn, 100 ms for the corpus document).
_T2S_CHANGES = lazy("[" + _T2S["changing"].replace("\n", "") + "\ud800-\udfff\U00010000-\U0010ffff]", name="what t2s changes")
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
#: A pinyin gloss: lowercase letters and tone marks in brackets (:func:`_blank_glosses` checks that a
#: Chinese character comes before it). One pattern for each opening bracket, led by it: ``re`` skips ahead to a
#: literal in a tight loop, but tests a class of both brackets at every character of the text (~10 ns each).
_PINYIN_GLOSSES = {
    "(": lazy(rf"\([{_PINYIN_LETTERS}]{{1,6}}[)）]"),
    "（": lazy(rf"（[{_PINYIN_LETTERS}]{{1,6}}[)）]"),
}


def simplified_reading(text: str) -> str:
    """``text`` with traditional characters as simplified, character for character."""
    converter = _converter()
    reading = _converted(text, converter.convert) if converter is not None else text
    if len(reading) != len(text):
        reading = text
    return _blank_glosses(reading) if "(" in reading or "（" in reading else reading


def _blank_glosses(reading: str) -> str:
    """``時(shí)間`` → ``時     間``: each pinyin gloss after a Chinese character becomes as many spaces."""

    def blank(gloss) -> str:
        before = reading[gloss.start() - 1] if gloss.start() else ""
        return " " * len(gloss.group(0)) if "\u3400" <= before <= "\u9fff" else gloss.group(0)

    blanked = reading
    for bracket, gloss in _PINYIN_GLOSSES.items():  # glosses never overlap: each bracket's are blanked on its own
        if bracket in blanked:
            blanked = gloss.sub(blank, blanked)
    return blanked


def _converted(text: str, convert: Callable[[str], str]) -> str:
    """What ``convert`` (OpenCC's t2s) makes of ``text``, asking it only about the lines it may change.

    Lines in a row go to it together; with another OpenCC than the one the list was made from, all of ``text`` does.
    """
    if not _listed():
        return convert(text)
    runs: list[tuple[int, int]] = []  # (begin, end) of each run of lines to convert
    end = 0
    while (found := _T2S_CHANGES.search(text, end)) is not None:
        newline = text.rfind("\n", end, found.start())
        begin = newline + 1 if newline >= 0 else end
        end = text.find("\n", found.start())
        end = len(text) if end < 0 else end
        if runs and begin == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], end)  # the next line: one call for both
        else:
            runs.append((begin, end))
    pieces, done = [], 0
    for begin, end in runs:
        pieces += [text[done:begin], convert(text[begin:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


@cache
def _listed() -> bool:
    """Was data/script.toml's list made from the OpenCC installed?"""
    import opencc

    return _T2S["opencc"] == getattr(opencc, "__version__", None)


@cache
def _converter():
    try:
        import opencc
    except ImportError:  # the extractor still reads simplified text without it
        return None
    return opencc.OpenCC("t2s")
