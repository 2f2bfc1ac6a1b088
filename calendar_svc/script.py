"""Traditional characters read as simplified ones, offsets kept.

Copies of notices circulate in traditional characters (公示時間為…, 於…前報…).
The cue words are simplified, so dates are found and classified in a
simplified reading of the text; quotes are still cut from the original.
OpenCC does the conversion; a reading whose length differs from the text
(a phrase-level rewrite) is not used, so offsets always line up.
"""

from __future__ import annotations

from functools import cache


def simplified_reading(text: str) -> str:
    """``text`` with traditional characters as simplified, character for character."""
    converter = _converter()
    if converter is None:
        return text
    reading = converter.convert(text)
    return reading if len(reading) == len(text) else text


@cache
def _converter():
    try:
        import opencc
    except ImportError:  # the extractor still reads simplified text without it
        return None
    return opencc.OpenCC("t2s")
