"""Extraction does work linear in its input, on worst cases as well as on notices.

Nothing here is timed. Two deterministic measures stand in for time:
- for each regular expression of the extraction code, the steps a backtracking
  engine takes (tests/regex_work.py), on texts built by pumping a piece many
  times (the shape of every super-linear regex input: ``' ' * n``, ``'1月、' * n``);
- for the whole pipeline, the characters its regexes are run over plus the lines
  of extraction code executed (``sys.settrace``), on a notice text pumped likewise.
Work is measured at n, 2n and 4n copies: linear work adds three times as much
from n to 4n as from n to 2n, quadratic work five times; the tests allow four.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from regex_work import Budget, StepCounter, longest_bound

import calendar_svc.classify  # noqa: F401  (imports every extraction module, which fills the registry)
from calendar_svc import context
from calendar_svc.classify import classify_notice
from calendar_svc.dates import grammar
from calendar_svc.notices import TITLE_LIMIT, split_notices
from calendar_svc.patterns import LazyPattern, registry

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "data" / "corpus" / "policy-compilation-2024-08.md"
PATTERNS = registry()
#: From n to 4n, linear work grows 3× as much as from n to 2n, quadratic 5×, cubic 9×.
LINEAR = 4
#: Pieces a hostile or unlucky text repeats: blanks, list separators, date parts, cue words, table cells.
PIECES = [" ", "\n", "\u3000", "#", "1", "一", "年", "1月、", "2024年", "1月1日", "1月1日 ", "的", "关于",
          "|", "。", "前", "至", "(", ",", "8:00", "2024.1.", "截至", "1、"]


#: Layouts the corpus document lacks, so that their patterns record how the code runs them too: a schedule
#: that lost its header (one closed cell a line) and a day in two sessions.
WARM_NOTICE = (
    "关于报送年度材料的通知\n各学院：\n3月20日 |\n各学院上报推荐材料 |\n3月25日 |\n各学院报送汇总表 |\n"
    "请于2024年11月11日上午8:30-12:00;下午12:40-15:30到教务处领取。\n"
)


def _warm_up() -> None:
    """Run the extractor so each pattern records how the code calls it (search, match…): a pattern no text
    reached is measured as a search, which one only ever matched at a position (``[ \t]*…``) need not survive."""
    texts = [CORPUS.read_text("utf-8")] if CORPUS.exists() else ["关于申报的通知\n请于2024年9月30日前提交。\n"]
    for text in [*texts, WARM_NOTICE]:
        for notice in split_notices(text, "warm.md"):
            classify_notice(notice)


_warm_up()


def _runs(pattern: LazyPattern) -> str:
    """``match`` for a pattern only ever run at a given position, else ``search``."""
    anchored = {"match", "fullmatch"}
    return "match" if pattern.used and pattern.used <= anchored else "search"


def _work(pattern: LazyPattern, text: str) -> int:
    counter = StepCounter(pattern.source, pattern.flags, limit=400_000)
    return counter.match(text) if _runs(pattern) == "match" else counter.search(text)


def _grows_linearly(work: Callable[[int], int], small: int) -> tuple[bool, str]:
    """Work at n, 2n and 4n: linear work adds 3 units from n to 4n for each 1 from n to 2n, quadratic 5.

    Comparing increments cancels the fixed cost of a run, so small inputs tell.
    """
    try:
        one, two, four = work(small), work(2 * small), work(4 * small)
    except Budget as exc:
        return False, f"more than {exc} steps"
    return four - one <= LINEAR * max(two - one, 0) + 50 + one // 10, f"{one} → {two} → {four} steps"


def _small(pattern: LazyPattern, piece: str, least: int = 6) -> int:
    """Enough copies of ``piece`` to pass the pattern's largest bounded repeat (``{0,40}``)."""
    return max(least, -(-(longest_bound(pattern.source, pattern.flags) + 8) // len(piece)))


def _pumped(prefix: str, piece: str, suffix: str) -> Callable[[int], str]:
    return lambda n: prefix + piece * n + suffix


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_every_pattern_is_linear_on_pumped_pieces(pattern: LazyPattern) -> None:
    """Each piece repeated (then a character that makes the match fail): steps at 4n ≤ 6 × steps at n."""
    for piece in PIECES:
        for suffix in ("", "x"):
            text = _pumped("", piece, suffix)
            small = _small(pattern, piece)
            ok, counts = _grows_linearly(lambda n: _work(pattern, text(n)), small)
            assert ok, f"{pattern.name}: {piece!r}{suffix!r} ×{small}, ×{2 * small}, ×{4 * small}: {counts}"


def _pieces_of(pattern: LazyPattern) -> st.SearchStrategy[str]:
    """Texts the pattern matches, and cuts of them: what pumping one of its loops looks like."""
    try:
        matching = st.from_regex(pattern.compiled, fullmatch=False, alphabet=st.characters(codec="utf-8"))
    except Exception:  # noqa: BLE001  (a pattern hypothesis cannot generate from)
        matching = st.text(min_size=1, max_size=8)
    return matching.filter(lambda s: 0 < len(s) <= 40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_no_pattern_backtracks_on_generated_pumps(data: st.DataObject) -> None:
    """Hypothesis picks a pattern and cuts a piece out of a text it matches, then pumps the piece."""
    pattern = data.draw(st.sampled_from(PATTERNS), label="pattern")
    sample = data.draw(_pieces_of(pattern), label="sample")
    i = data.draw(st.integers(0, len(sample) - 1), label="cut")
    j = data.draw(st.integers(i + 1, len(sample)), label="end")
    suffix = data.draw(st.sampled_from(["", "x", "\n", sample[j:], sample[j:-1]]), label="suffix")
    text = _pumped(sample[:i], sample[i:j], suffix)
    small = _small(pattern, sample[i:j])
    ok, counts = _grows_linearly(lambda n: _work(pattern, text(n)), small)
    assert ok, f"{pattern.name}: {sample[i:j]!r} pumped in {sample!r}: {counts}"


def test_the_step_counter_finds_what_re_finds() -> None:
    """The model is the engine: on corpus lines it finds the same first match as ``re`` for every pattern."""
    lines = [line for line in CORPUS.read_text("utf-8").split("\n") if line.strip()][:400:9]
    for pattern in PATTERNS:
        for line in lines:
            counter = StepCounter(pattern.source, pattern.flags)
            counter.search(line)
            found = pattern.compiled.search(line)
            assert counter.found == (found.span() if found else None), (pattern.name, line)


def test_the_step_counter_sees_backtracking() -> None:
    """The 落款 pattern this project once had (issue 10) counts as super-linear; its replacement does not."""
    old = r"^\s*#*\s*(?P<issuer>[^\d，。]{0,80}?)\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$"
    ok, _ = _grows_linearly(lambda n: StepCounter(old, limit=400_000).match(" " * n + "x"), 6)
    assert not ok


# -- the whole pipeline ---------------------------------------------------------------------


class WorkMeter:
    """Characters the extraction's regexes are run over, plus lines of extraction code executed."""

    _SCANS = ("search", "finditer", "findall", "sub", "split")

    def __init__(self, *, lines: bool = True) -> None:
        self.work = 0
        self._lines = lines

    def __enter__(self) -> WorkMeter:
        for pattern in PATTERNS:
            compiled = pattern.compiled
            for name in self._SCANS + ("match", "fullmatch"):
                setattr(pattern, name, self._counted(getattr(compiled, name), name))
        if self._lines:
            sys.settrace(self._trace)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.settrace(None)
        for pattern in PATTERNS:
            for name in self._SCANS + ("match", "fullmatch"):
                pattern.__dict__.pop(name, None)

    def _counted(self, method: Callable, name: str) -> Callable:
        """Charge a call for the characters it reads: up to the match, or the whole span it scans."""

        def counted(*args, **kwargs):
            result = method(*args, **kwargs)
            if name in ("sub", "split"):
                string = args[1] if name == "sub" else args[0]
                self.work += 1 + len(string)
                return result
            string, positions = args[0], [a for a in args[1:3] if isinstance(a, int)]
            start = positions[0] if positions else 0
            stop = positions[1] if len(positions) > 1 else len(string)
            if name in ("search", "match", "fullmatch"):
                self.work += 1 + ((result.end() if result else stop if name == "search" else start) - start)
            else:
                self.work += 1 + stop - start
            return result

        return counted

    def _trace(self, frame, event, arg):
        if "calendar_svc" not in frame.f_code.co_filename:
            return None

        def lines(frame, event, arg):
            if event == "line":
                self.work += 1
            return lines

        return lines


def _pipeline_work(text: str, *, lines: bool = True) -> int:
    with WorkMeter(lines=lines) as meter:
        for notice in split_notices(text, "pumped.txt"):
            classify_notice(notice)
    return meter.work


@pytest.fixture
def short_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    """A date reads at most :data:`context.REACH` characters around it; made short, small inputs show it."""
    monkeypatch.setattr(context, "REACH", 30)


NOTICE = (
    "关于开展2024年度项目申报工作的通知\n各有关单位：\n一、申报时间\n"
    "申报单位请于2024年9月30日17:00前通过系统提交申报书，逾期不予受理。\n"
    "系统开放时间为8月1日至9月30日。\n| 1 | 初审 | 10月15日前 |\n"
)


@pytest.mark.parametrize(
    "piece",
    [NOTICE, "请于9月30日前提交材料。", "9月30日前" * 3 + "\n", "1月、2月、", " " * 50 + "x\n", "| 9月30日 | 提交 |\n",
     "2024年1月1日" + " " * 20, "# 目录\n", "截止时间 |\n报表名称 |\n"],
    ids=["notice", "sentence", "no-punctuation", "month-list", "indented", "table", "spaced-dates", "toc", "label-lines"],
)
def test_extraction_work_is_linear_in_copies(piece: str, short_reach: None) -> None:
    """Many copies of a notice in one file cost proportionally (issue 11: 200 copies were 77× 20)."""
    ok, counts = _grows_linearly(lambda n: _pipeline_work("科技局\n" + piece * n + "科技局\n2024年7月1日\n"), 5)
    assert ok, counts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(
        st.sampled_from(["9月30日", "2024年", "前", "提交", "至", "10月8日", "，", "。", "\n", " ", "|", "#", "各单位",
                         "17:00", "、", "当月", "1月", "截止时间为", "目录", "起"]),
        min_size=1, max_size=12,
    )
)
@example(parts=["9月30日", "9月30日", "9月30日", "2024年", "\n", "截止时间为"])  # who fell back to a scan of the notice per date
def test_extraction_work_is_linear_on_generated_pumps(parts: list[str]) -> None:
    context.REACH, reach = 30, context.REACH
    try:
        _check_generated(parts)
    finally:
        context.REACH = reach


def _check_generated(parts: list[str]) -> None:
    piece = "".join(parts)
    # past every length threshold of the reader (a title is at most 160 characters) from the first size on
    ok, counts = _grows_linearly(lambda n: _pipeline_work(piece * n), max(6, -(-2 * (TITLE_LIMIT + 10) // len(piece))))
    assert ok, (piece, counts)


@pytest.mark.parametrize("space", [" ", "\u3000", "\t"])
def test_spaces_between_two_optional_runs_split_one_way(space: str) -> None:
    """``即日`` and a long run of spaces with no 至 after it: two adjacent ``[ ]*`` runs tried every split."""
    pattern = grammar._FROM_NOW
    ok, counts = _grows_linearly(lambda n: _work(pattern, "即日" + space * n + "x"), 10)
    assert ok, counts


def test_signature_and_month_list_worst_cases_are_read() -> None:
    """The inputs of issue 10 still give their answers: an indented 落款, a long run of months."""
    (notice,) = split_notices("关于报送材料的通知\n请于9月30日前报送。\n" + " " * 400 + "科技局 2024年7月1日\n", "n.txt")
    assert notice.issuer == "科技局" and notice.date is not None
    deadlines, _ = classify_notice(split_notices("1月、" * 4000 + "\n", "m.txt")[0])
    assert deadlines == []


@pytest.mark.parametrize("piece", ["请于9月30日前提交材料。\n", "| 9月30日 | 提交 |\n", "请于9月30日前提交 "],
                         ids=["sentence", "table", "no-punctuation"])
def test_a_notice_without_any_year_is_linear(piece: str, short_reach: None) -> None:
    """No year, date or 落款 anywhere: each date's year is guessed (weekdays, a later year, today) without
    searching the rest of the text again for every date (2 000 dates in one line took 1.6 s, 4 000 6.4 s).
    Only the regexes' reading is metered (no line tracing), so enough copies to show it stay quick."""
    ok, counts = _grows_linearly(lambda n: _pipeline_work(piece * n, lines=False), 60)
    assert ok, counts
