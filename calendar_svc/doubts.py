"""Why a candidate waits, in the reviewer's words, and how likely each reason's date is a task.

Apart from :mod:`.candidates` (which casts the net) so that the review queue can order
candidates by likelihood without loading the extractor.
"""

from __future__ import annotations

#: Why a candidate waits, as the reviewer reads it.
NEAR_ACTION = "规则未认定为截止日期，但同句有办理动作"
#: No action in the sentence, but in the row's label, the heading, the line below or the sentence before.
NEARBY_ACTION = "规则未认定为截止日期，但表头或上下文有办理动作"
#: Read as the organiser's own step (or a rule), yet the date closes an act: 于4月30日前完成…上报.
CLOSING_STEP = "规则认定为主办方自身步骤，但日期后写明截止（前）并有办理动作"
#: A closing word or a time label (前, 截止, 时间:) but no act named anywhere near: 时间:2021年12月15日前.
CUE_WITHOUT_ACTION = "日期附近无办理动词，但写明截止或时间"
#: A concrete date with nothing around it that says what it is: 黄海校区:2015年11月11日(星期三).
NO_ACTION = "日期附近无办理动词"
#: A period the rules read as a condition, a scope or the organiser's step, in a sentence that names an act.
PERIOD_IN_CONDITION = "规则认定为条件、范围或主办方步骤，但这段时间所在的句子有办理动作"
#: A single date the rules read as a condition, a statistic or the organiser's step, in a sentence that names an act.
DATE_IN_CONDITION = "规则认定为条件、统计或主办方步骤，但同句有办理动作"
#: A date in a form the date grammar does not read (5.24, 6.1-6.7): shown, never published.
UNUSUAL_FORM = "日期写作“{written}”，规则未读取，请核对"
#: A restatement of a kept record's moment that names another doer: perhaps a second task on that day.
OTHER_DOER = "同日已有一条记录，此处办理主体不同（{who}），可能是另一项任务"
#: Merged into a kept record of that day, but what it asks is another thing: 营业税申报期限:1月1日-18日 after 个人所得税….
OTHER_TASK = "同日已有一条记录，此处办理事项不同（{what}），可能是另一项任务"
#: Merged into a kept record of that day, but another item of a numbered list: perhaps another task.
OTHER_ITEM = "同日已有一条记录，此处是清单的另一项（{item}），可能是另一项任务"
#: A day in the notice's title whose title names an act: 关于2024年5月31日前报送…的通知.
TITLED = "日期在通知标题中，{why}"
#: A day a record of the notice has, stated first here, apart from that record (which may be a restatement).
STATED_FIRST = "同日已有一条记录（第{line}行），此处先写明该日"
#: A restatement merged into a record of its moment stated elsewhere: perhaps where the task is told in full.
RESTATED = "同日已有一条记录（第{line}行），此处再次写明该日"
#: The notice names no year before the date: the year was guessed (issue 9: 年份为推断).
YEAR_FROM_WEEKDAYS = "年份为推断：文中未写年份，按所注星期推算为{year}年"
YEAR_FROM_LATER = "年份为推断：取文中其后写明的{year}年"
YEAR_FROM_ENGLISH = "年份为推断：取文中英文部分写明的{year}年"
YEAR_FROM_TODAY = "年份为推断：文中没有年份，按提取当天推算"
#: A period or a recurring rule (30日内, 每月5日前) in a notice without a date: counted from the day of extraction.
UNDATED_RULE = "通知未写日期，期限或每月截止按提取当天（{day}）起算，请按通知日期改正"
#: A deadline whose written year puts it before the notice, although the same day of the notice's year follows it.
YEAR_SLIP = "年份疑有笔误：写作{written}年，早于通知日期，按{year}年读"
#: A range written with both years whose start lies after its end.
REVERSED = "起止日期颠倒，年份疑有笔误"
#: A deadline before the date a web page was posted (not its 落款): the page may be a late copy.
BEFORE_STAMP = "日期早于网页发布时间，通知本身可能更早"

#: Between two reasons of one candidate: 日期附近无办理动词；年份为推断：….
_AND = "；"
#: How likely a reason's candidate is a real task, 1 the likeliest: the queue shows the likeliest first,
#: and the net keeps the reasons up to ``candidates.NET_WIDTH``. Reasons not listed (guessed years…) rank 1.
RANKS = {
    NEAR_ACTION: 1,
    NEARBY_ACTION: 1,
    CLOSING_STEP: 2,
    UNUSUAL_FORM: 2,
    TITLED: 2,
    CUE_WITHOUT_ACTION: 3,
    PERIOD_IN_CONDITION: 4,
    NO_ACTION: 5,  # the catch-all: what nothing around the date explains comes last
    DATE_IN_CONDITION: 6,
    RESTATED: 7,
}


def rank_of(doubt: str) -> int:
    """How likely a candidate with reason ``doubt`` is a task, 1 the likeliest (see :data:`RANKS`)."""
    head = doubt.split(_AND)[0]
    return next((rank for reason, rank in RANKS.items() if head.startswith(reason.split("{")[0])), 1)


def joined_doubt(first: str, then: str) -> str:
    """Two reasons for one candidate (turned down, and its year guessed), the first ranking it."""
    return f"{first}{_AND}{then}" if first else then
