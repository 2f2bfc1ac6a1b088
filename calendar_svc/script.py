"""Traditional characters read as simplified ones, offsets kept.

Copies of notices circulate in traditional characters (公示時間為…, 於…前報…).
The cue words are simplified, so dates are found and classified in a
simplified reading of the text; quotes are still cut from the original.
OpenCC does the conversion; a reading whose length differs from the text
(a phrase-level rewrite) is not used, so offsets always line up.

Copying sites also gloss characters with their pinyin (``截止時(shí)間為2022年(nian)8月5日``),
which splits cue words and dates. The reading blanks those glosses out (the same number of
spaces, so offsets still line up); cue words and dates are matched with blanks removed.
"""

from __future__ import annotations

from functools import cache

from .patterns import lazy

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
    reading = converter.convert(text) if converter is not None else text
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


@cache
def _converter():
    try:
        import opencc
    except ImportError:  # the extractor still reads simplified text without it
        return None
    return opencc.OpenCC("t2s")
