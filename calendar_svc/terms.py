"""Dates that bound a term of validity, which nobody acts by.

A policy states its own term (``本办法自2024年2月1日起施行,有效期至2028年12月31日``, ``第四条 本意见自印发之日起
执行,2021年12月31日截止``): the end of it is when the rules stop applying, not a day to file by. A licence or
certificate states its validity (``有效期截止日期为2020年2月3日到5月31日的许可证``, ``证书有效期自动顺延至…``,
``5月底前到期的资质``): the day the paper stops holding, not a task; and a new form comes into use on a day
(``新版…许可证于9月1日启用``): it takes effect then. The words are data (``data/terms.toml``); this module is the
logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .context import Context, strip_list_mark
from .packaged import read_toml
from .patterns import LazyPattern, lazy
from .vocabulary import VOCABULARY as V


@dataclass(frozen=True, eq=False, repr=False)
class _Terms:
    """``data/terms.toml``, read once; one instance, so no generated ``__eq__`` or ``__repr__`` (compiled at import)."""

    own_document: LazyPattern
    own_before: tuple[str, ...]
    own_after: tuple[str, ...]
    #: 政策执行期限延长至: a document's term, ended or extended, right before the date.
    policy_term: LazyPattern
    #: 有效期截止日期为, 有效期自动顺延至: a validity's label right before the date.
    validity_label: LazyPattern
    #: (前)到期, 届满: a validity ending right after the date.
    validity_words: tuple[str, ...]
    validity_ends: LazyPattern
    #: 许可证于 … 启用: a paper or form coming into use.
    form_before: LazyPattern
    form_after: tuple[str, ...]
    #: 项目执行期间为: a work's term right before a range.
    work_label: LazyPattern


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _terms() -> _Terms:
    data = read_toml("terms.toml")  # [own_term], [policy_term], [validity], [new_form], [work_term]
    own, valid, form = data["own_term"], data["validity"], data["new_form"]
    return _Terms(
        # 第四条 本意见…, 本实施细则…: the document naming itself opens the sentence (a few words may qualify it).
        own_document=lazy(
            r"^(?:第[一二三四五六七八九十百零〇\d]{1,6}条)?(?:" + _alternation(own["self_words"])
            + r")[\u4e00-\u9fff]{0,6}?(?:" + _alternation(own["documents"]) + ")",
            name="own document",
        ),
        own_before=tuple(own["before"]),
        own_after=tuple(own["after"]),
        policy_term=lazy(
            "(?:" + _alternation(own["documents"]) + rf")[^,。;]{{0,{int(data['policy_term']['reach'])}}}?(?:"
            + _alternation(data["policy_term"]["terms"]) + ")(?:" + _alternation(data["policy_term"]["changes"]) + ")?(?:"
            + _alternation(data["policy_term"]["ends"]) + ")$",
            name="policy term",
        ),
        validity_label=lazy(
            "(?:" + _alternation(valid["terms"]) + rf")(?P<between>[^,。;]{{0,{int(valid['reach'])}}}?)(?:"
            + _alternation(valid["ends"]) + ")$",
            name="validity label",
        ),
        validity_words=tuple(sorted(valid["label_words"], key=len, reverse=True)),
        validity_ends=lazy(
            "^(?:" + _alternation(valid["after_bounds"]) + ")?(?:" + _alternation(valid["after"]) + ")",
            name="validity ends",
        ),
        form_before=lazy("(?:" + _alternation(form["nouns"]) + ")(?:" + _alternation(form["joins"]) + ")$", name="new form"),
        form_after=tuple(form["verbs"]),
        work_label=lazy(
            "(?:(?:" + _alternation(data["work_term"]["works"]) + ")(?:" + _alternation(data["work_term"]["spans"]) + ")|"
            + _alternation(data["work_term"]["labels"]) + ")(?:" + _alternation(data["work_term"]["links"]) + ")?$",
            name="work term",
        ),
    )


def own_term(c: Context) -> bool:
    """The date bounds the notice's own term: the sentence opens with the document naming itself (本办法…), the
    date's clause says a term ends (有效期至…, …截止, 至…止) and names no act of the readers."""
    t = _terms()
    if not t.own_document.match(strip_list_mark(c.sentence)):
        return False
    before = c.clause_before
    ends = before.endswith(t.own_before) or c.clause_after.startswith(t.own_after)
    if not ends:
        return False
    rest = before + c.clause_after
    for word in (*t.own_before, *t.own_after):
        rest = rest.replace(word, "")
    return not V.has_action(rest)


def policy_term(c: Context) -> bool:
    """A policy's or document's term ends or is extended on the date (``税收优惠政策执行期限延长至2027年12月31日``), named
    in the clause rather than opening the sentence as :func:`own_term` asks; no act of the readers' before it."""
    match = _terms().policy_term.search(c.clause_before)
    return match is not None and not V.has_action(c.clause_before[: match.start()])


def validity(c: Context) -> bool:
    """The date bounds a paper's validity: a label of it right before the date (``有效期截止日期为``, ``证书有效期
    自动顺延至``) with no act of the readers' in between, or its ending right after (``5月底前到期的许可证``)."""
    t = _terms()
    label = t.validity_label.search(c.clause_before) if "有效" in c.clause_before else None
    if label is not None:
        between = label.group("between")
        for word in t.validity_words:
            between = between.replace(word, "")
        if not V.has_action(between):
            return True
    return t.validity_ends.match(c.after) is not None


def new_form(c: Context) -> bool:
    """A paper or form comes into use on the date (``新版…许可证于2020年9月1日启用``): it takes effect, nobody starts."""
    t = _terms()
    after = c.after[1:] if c.after.startswith("起") else c.after  # 自5月1日起使用
    return after.startswith(t.form_after) and t.form_before.search(c.clause_before) is not None


def work_term(c: Context) -> bool:
    """A range is a project's or programme's own term (``项目执行期间为2021年1月1日至2021年12月31日``, ``实施期为…``)
    or the period a report or a tax covers (``报告期为…``, ``税款所属期为…``): when the work runs, not a time to file in."""
    return _terms().work_label.search(c.clause_before) is not None
