"""Speed-ups that skip work give what the plain way gives (issue 11): each checked against it on generated text."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from calendar_svc.classify import _YEAR_LABEL
from calendar_svc.context import PARAGRAPH_RUN, SENTENCE_END, _TextIndex, compact_keep
from calendar_svc.dates import grammar
from calendar_svc.dates.loose import _FORMS, _NEEDS
from calendar_svc.ingest.document import _CONTROLS, _LINE_BREAKS, clean_text
from calendar_svc.notices import _BODY_TEXT, _NOT_WORD
from calendar_svc.script import _PINYIN_LETTERS, _blank_glosses
from calendar_svc.vocabulary import VOCABULARY

#: Characters around the edges of the patterns: controls, separators, bytes that lead UTF-8 sequences of them.
_TEXT_CHARS = list("a中\n\t\r\x0b\x0c\x1c\x1e\x1f\x7f\x85\x9f\xa0\u2028\u2029·\x00\x08\x0e \u3000\x80\xc2\u2027\u202a")
#: Pieces of dates and what surrounds them in notices.
_DATE_PIECES = ["2024", "2018-2019", "学年", "届", "２０２４", "1920", "年", "9", "月", "30", "日", "号", "一", "二〇二四", "十", "元旦", "今年", "明年", "底", "-", ".",
                "/", "至", " ", "\n", "\u3000", "前", "19", "0", "O", "本次", "当月", "次日", "12", "5", "~", "、",
                "．", "24", "(", ")", "|", "%", "第3周", "(周", "之前", "元", "当年", "十二", "旦", "１", "周", "星期", "四", "（", "）", "本月", "2/"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TEXT_CHARS) | st.characters(), max_size=30))
def test_clean_text_skips_only_clean_texts(text: str) -> None:
    cleaned = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))
    assert clean_text(text) == cleaned
    if not any("\ud800" <= c <= "\udfff" for c in text):  # what a file decoded as UTF-8 can hold
        assert clean_text(text, text.encode("utf-8")) == cleaned
        assert clean_text(text, b"\xef\xbb\xbf" + text.encode("utf-8")) == cleaned


def _found(match) -> tuple | None:
    return match and (match.span(), match.groupdict())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=16), st.integers(min_value=0, max_value=20))
@example(["12", ".", "5", "前"], 0)  # a two-digit month: the match begins at its first digit
@example(["2024", "年", "12", "月", "5", "前"], 0)  # a year before a day without 日
@example(["30", "/", "12", "/", "2024"], 0)
@example(["十二", "月", "5", "日", "2024", "-", "12", "-", "5"], 0)
@example(["当年", "底", "元旦", "二〇二四", "年", "元", "月"], 0)
def test_patterns_searched_from_where_they_start_find_what_the_plain_pattern_finds(pieces: list[str], pos: int) -> None:
    text = "".join(pieces)
    for pattern in (grammar._ATOM, _YEAR_LABEL, *_FORMS.values()):  # the loose forms: 5.24, 5/31, 6月15前, 周四(20日)…
        assert _found(pattern.search(text, pos)) == _found(pattern.compiled.search(text, pos))
        assert [_found(m) for m in pattern.finditer(text, pos)] == [_found(m) for m in pattern.compiled.finditer(text, pos)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=16))
@example(["12", ".", "5", "前"])
@example(["12", "．", "5", "前"])
@example(["5", "/", "31", "前"])
@example(["周", "四", "(", "24", "日", ")"])
def test_a_text_without_what_a_loose_form_needs_holds_no_match_of_it(pieces: list[str]) -> None:
    text = "".join(pieces)
    for form, pattern in _FORMS.items():
        for match in pattern.compiled.finditer(text):
            assert any(needed in match.group(0) for needed in _NEEDS[form]), (form, match.group(0))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u202f\u3000\u200b（）：，a中")) | st.characters()))
def test_compact_keep_removes_what_a_whitespace_pattern_removes(text: str) -> None:
    folded = text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")
    assert compact_keep(text) == re.sub(r"\s+", "", folded)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("。；;:：  \n\t\u3000中a1_，,、()（）#*")) | st.characters(), max_size=20))
def test_patterns_led_by_one_class_find_what_their_plain_forms_find(text: str) -> None:
    """Alternations rewritten to lead with one character class, which ``re`` skips ahead to."""
    plain = re.search(r"[。；;]|[:：]\s*$", text)
    assert _found(_BODY_TEXT.search(text)) == _found(plain)
    assert _NOT_WORD.sub("", text) == re.sub(r"[^\w]|_", "", text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"()（）時間中a", "shí", "ā", "jiān", "(x)", "（y）"]), max_size=16))
@example(["時", "(", "shí", ")", "（", "jiān", "）", "間"])
@example(["時", "（", "shí", ")", "(", "jiān", "）"])
def test_glosses_blanked_one_bracket_at_a_time_are_those_of_one_pattern(pieces: list[str]) -> None:
    """Each opening bracket's glosses are blanked by a pattern led by that bracket; both together by one class."""
    text = "".join(pieces)

    def blank(gloss: re.Match[str]) -> str:
        before = text[gloss.start() - 1] if gloss.start() else ""
        return " " * len(gloss.group(0)) if "\u3400" <= before <= "\u9fff" else gloss.group(0)

    plain = re.compile(rf"[(（][{_PINYIN_LETTERS}]{{1,6}}[)）]")
    assert _blank_glosses(text) == plain.sub(blank, text)


def _plain_ends(text: str) -> list[int]:
    """Every sentence end of ``text``, listed as the index listed them once."""
    marks = [m.start() for m in SENTENCE_END.finditer(text)]
    return sorted(marks + [m.end() - 1 for m in PARAGRAPH_RUN.finditer(text)])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*"。；;!?\n中a1", "  ", " ", "\t", "\u3000", "一、", "(二)", "（十二）", "3、", "12．"]), max_size=24),
    st.lists(st.integers(min_value=0, max_value=80), min_size=3, max_size=3),
)
@example(["中", "  ", "一、", "中"], [3, 0, 5])
@example(["中", "   ", "(二)", "。"], [2, 1, 6])
@example(["中", "  ", "（十二）", "中"], [0, 0, 3])  # the run ends just before the limit; its mark reads past it
@example(["中", "   ", "一、"], [3, 2, 4])  # a run begun before the place looked from
def test_sentence_ends_looked_for_around_a_date_are_those_of_the_whole_text(pieces: list[str], numbers: list[int]) -> None:
    text = "".join(pieces)
    offset, floor, limit = (min(n, len(text)) for n in numbers)
    floor, limit = min(floor, offset), max(limit, offset)
    ends = _plain_ends(text)
    before = [e for e in ends if e < offset]
    assert _TextIndex(text).sentence_begin(offset, floor) == max(before[-1] + 1 if before else 0, floor)
    after = [e for e in ends if offset <= e < limit]
    assert _TextIndex(text).sentence_end(offset, limit) == (after[0] if after else None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*VOCABULARY.actions[:40], *"申报提交上中，。 a", "上 报", "报送"]), max_size=8))
def test_an_action_is_found_by_one_search_as_by_a_scan_for_each_word(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert VOCABULARY.has_action(text) == any(word in text for word in VOCABULARY.actions)
