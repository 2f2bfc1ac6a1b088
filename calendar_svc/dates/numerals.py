"""Numbers as Chinese documents write them: full-width digits and Chinese numerals.

Full-width characters are folded one-for-one, so offsets in the folded text
are offsets in the original and quotes can be cut from either.
"""

from __future__ import annotations

import re

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９：．／－～，（）　",
    "0123456789:./-~,() ",
)

#: Digits as they appear in years such as 二〇二四 (with the common look-alikes of 〇).
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


_WIDE = re.compile("[０-９：．／－～，（）\u3000]")


def fold_width(text: str) -> str:
    """Fold full-width digits and punctuation to ASCII, keeping every offset."""
    # str.translate walks every character through a dict; most lines have nothing to fold.
    return text.translate(_FULLWIDTH) if _WIDE.search(text) else text


def parse_number(token: str) -> int:
    """``"16"``, ``"十六"``, ``"二十"``, ``"三十一"``, ``"廿五"``, ``"一百一十一"`` or digit-by-digit ``"二〇二四"`` → int."""
    token = token.strip()
    if token == "元":  # 元月 is January (正月 is lunar and is not read as a date)
        return 1
    if token.isdigit():
        return int(token)
    if "百" in token:  # 一百一十一, 一百十一, 一百零五: years of the ROC calendar
        hundreds, _, rest = token.partition("百")
        rest = rest.lstrip("零〇")
        return CN_DIGITS[hundreds] * 100 + (parse_number(rest) if rest else 0)
    if token[0] in "廿卅":  # 廿五 (25), 卅一 (31): as traditional texts write 20 and 30
        return (20 if token[0] == "廿" else 30) + (CN_DIGITS[token[1]] if len(token) > 1 else 0)
    if "十" in token:
        tens, _, ones = token.partition("十")
        value = (CN_DIGITS[tens] if tens else 1) * 10
        return value + (CN_DIGITS[ones] if ones else 0)
    value = 0
    for char in token:
        value = value * 10 + CN_DIGITS[char]
    return value
