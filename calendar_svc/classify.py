"""Mention + sentence → deadline or not.

A date is a deadline only when the words around it (:mod:`.context`) say a reader must act by
or within it. Signing dates, eligibility rules, statistics, conditions,
holidays, the issuer's own steps and dates already past are left out; dates
on which something takes effect are kept as the informational kind
``effective``. All cue words live in ``data/vocabulary.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from .candidates import (
    BEFORE_STAMP,
    REVERSED,
    YEAR_FROM_LATER,
    YEAR_FROM_ENGLISH,
    YEAR_FROM_TODAY,
    YEAR_FROM_WEEKDAYS,
    YEAR_SLIP,
    doubt_of,
    joined_doubt,
    titled_task,
    other_tasks,
    unusual_dates,
    unclaimed,
)
from .context import SENTENCE_END, Context, compact_keep, context_of, is_time_label, quote_of, strip_list_mark
from .dates import Mention, YearContext, find_mentions, parse_number, resolve_range, year_of_weekdays
from .dates.grammar import roc_title_year
from .dates.loose import calendar_rows
from .dates.resolve import ImpossibleDate
from .model import Deadline, Source, When, as_datetime, deadline_id, zh_when, zh_when
from .notices import Notice, compact, is_page_stamp, is_signature_line, title_year
from .patterns import lazy
from .periods import read_periods, settle
from .role_words import ROLE_WORDS
from .selfnames import publishes_document, self_names, speaks_of_itself
from .roles import addressee, labelled_duty, what_of, who_of
from .tables import DateCell, table_cells
from .terms import new_form, own_term, policy_term, validity, work_term
from .vocabulary import VOCABULARY as V

#: A span named, then its days glossed in brackets: ``上一年度(``, ``第四季度(``, ``本月份(``.
_GLOSSED_SPAN = lazy(r"(?:年度|年|季度|季|月份)\($")
_HEADING_STOPS = lazy(r"[。;；,，:：]")
_DOC_NO_YEAR = lazy(r"[〔\[（(【]\s*((?:19|20)\d{2})")
#: Words that change a date: the new date follows them.
_CHANGED_TO = lazy(r"(?:延长|延期|推迟|顺延|延迟|延缓|调整|变更|更改|改)(?:至|到|为)|延至")
#: A listed document title (news lists put a date before each): 关于…, …的通知.
_TITLE_LIKE = lazy(r"^关于|(?:通知|公告|公示|通告|意见|办法|指南|名单)(?:\)|》)?$|《")
_NUMERIC_DATE = lazy(r"(?:19|20)\d{2}[-./]\d")
_CUE_WORDS = (*V.deadline_after, *V.start_after, *V.incidental_after_prefixes, *V.effective_after, "(", "|")
_CLAUSE_SPLIT = lazy(r"[,:;。]")
_AFTER_CUE = lazy(r"(?:以后|之后|后)(?:方可|可|即可|开始|再)?")
#: After a date, a clause telling what already happened: 发布了, 已印发, 召开了…; a body that issued a document
#: (2022年11月25日,成都市商务局发布关于印发《…》的通知: news narrating it, no 了 needed before 关于 or 《).
_PAST_ACT = lazy(
    r"^[\u4e00-\u9fff]{0,12}?(?:[发印公召举启]\w?了|已(?:经)?(?:发布|印发|公布|召开|举办|启动|完成))"
    r"|^[\u4e00-\u9fff]{2,16}?(?:局|厅|委|部|办|中心|政府)(?:正式)?(?:发布|印发|出台|公布|下发)(?=关于|《)"
)
#: A verb told as done (征集了, 收到了), not 为了/除了/了解.
_PERFECTIVE = lazy(r"(?<![为除])[\u4e00-\u9fff]了(?!解)")
_ASKS = lazy("|".join(map(re.escape, V.asks)))
#: After 前/以前 and a comma, a state that holds by then (已认定的, 已经登记的): a condition, not a task.
_STATE_AFTER = lazy(r"^(?:之前|以前|前)?,?(?:已|已经|曾|尚未|未)[\u4e00-\u9fff]{0,10}的")
#: A year written in a notice: a label (2018年度), a date (2018年3月5日, 2018.3.5), a plan's span of
#: years (2025-2027年: its first), a graduating class (2018届: its spring is 2018, its autumn 2017)
#: or a school year (2017-2018学年).
#: Searched for only where a year starts (every branch starts with 19 or 20): 4.2 → 0.4 ms over the corpus.
#: A weekday said of the date just read: ``12月15日为星期日``, ``…是周六``.
_WEEKDAY_STATED = lazy(r"\s*(?:为|是|適逢|适逢|正值)\s*(?:星期|周|礼拜)([一二三四五六日天])")
_YEAR_LABEL = lazy(
    r"(?:(?P<y>(?:19|20)\d{2})\s*(?:年|(?=[-./](?:1[0-2]|0?[1-9])[-./]\d))"
    r"|(?P<span>(?:19|20)\d{2})\s*[-—–~至到]\s*(?:19|20)\d{2}\s*年"
    r"|(?P<cohort>(?:19|20)\d{2})\s*届"
    r"|(?P<autumn>(?:19|20)\d{2})\s*[-—–~至]\s*(?P<spring>(?:19|20)\d{2})\s*学年)",
    starts=r"[12](?=[09]\d\d)",
)
#: A year in an English line of a bilingual notice (``by Dec 31, 2024``, ``27 May 2024``, ``in 2024``): a
#: conference page that writes its Chinese dates as 5/27 names its year only there.
_LATIN_YEAR = lazy(
    r"(?:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?\s\d{1,2}(?:st|nd|rd|th)?,?\s"
    r"|\b\d{1,2}\s(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?,?\s|\b(?:in|year)\s)"
    r"((?:19|20)\d{2})\b"
)
#: After a year, a 年度 label naming the year under review (2013年度检查, 2018年度…书面审查): its
#: filings are made in the year after it.
_REVIEWED_YEAR = lazy(
    r"年?度(?:" + "|".join(map(re.escape, V.reviewed_year_next))
    + r"|[\u4e00-\u9fff]{0,12}?(?:" + "|".join(map(re.escape, V.reviewed_year)) + "))"
)
#: From this month on, a graduating class's or a school year's dates fall in its autumn.
_AUTUMN_FROM = 9
#: After a date, a clause ending in 的 selects cases: 在…之前提出请求的, / …仍无法办理…的纳税人, /
#: 对无暇在…前提交申报的一线医疗机构科研人员, / …前之中小企業 (之 as Taiwan's and Macau's notices write 的)
_CONDITION = lazy(
    r"^(?:(?:之前|以前|前)?[^,。;]{0,40}的|(?:之前|以前|前|以后|之后|后)之)"
    r"(?:[^,。;的]{0,16}?(?:人员|人|者|企业|单位|机构|项目|申请))?(?:,|$)"
)
#: The issuer speaking of itself: 我局, 本厅…
#: After 前, a verb of handing something in (…前报体总竞委会, …前将电子版发至…) is the action.
_HANDS_IN = lazy(r"[报交送发寄传递]")
#: After 前, a clause that turns to the readers (…前,各教学单位初评) or binds them (…前,需实现持证排污) makes it
#: their deadline.
_TO_READERS = lazy(r"(?:之|以)?前,(?:请)?各|(?:之|以)?前,?(?:必须|务必|应当|需要|须|需|应)(?![已为是])")
_ORGANISER = lazy("|".join(map(re.escape, V.organiser_subjects)))
_ORGANISER_STEP = lazy(rf"(?:{_ORGANISER.pattern})(?:将|已|拟|定)?于")

#: A cue alone before a colon: 4月28日前:完成…
_LABEL_CUE = lazy(r"(?:之前|以前|前|止|截止)")
#: A name in 《》: a form, a document.
_TITLED = lazy(r"《[^《》]{0,60}》")
#: A reference to a document (详见…工作流程说明, 参见附件): what it names is no act.
_SEE = lazy(r"(?:详见|参见|具体见|见附件)[^,。;]*")
#: An office at work on the filings: 评审工作办公室(学生工作处)审核确定…, 校学位委员会复核…
_OFFICE_AT_WORK = lazy(
    "(?:" + "|".join(map(re.escape, V.organiser_offices)) + r")(?:\([^()]{1,12}\))?(?:将|负责)?(?:"
    + "|".join(map(re.escape, V.organiser_verbs)) + ")"
)
#: An obligation right before the date (须在, 均应于, 请于): the readers' task.
_MUST_BEFORE = lazy(r"(?:须|应当|应|必须|务必|需要|需|请)(?:在|于)$")
#: A value changed from one figure to another (由1.595%调整为1.72%, 由每月200元提高到300元).
_RATE_CHANGED = lazy(r"由[^,。;]{0,16}?\d[^,。;]{0,8}?(?:调整|提高|降低|上调|下调)(?:为|至|到)")
#: A sentence whose subject is one office, named without 各 (科研处组织…, 学院教务办于…, 学校召开…): the
#: organiser's own work. Readers are addressed as 各…, 请…, or by a role (申请人, 学院).
_OFFICE_SUBJECT = lazy(
    r"^(?:[\u4e00-\u9fff]{0,10}(?:" + "|".join(map(re.escape, V.organiser_units)) + r")|学校)(?:将|负责|统一)?(?:于|在|组织|召开|汇总)"
)
#: After a date, someone reviewing the readers or their filings (学院对申请人进行考核、审查): the organiser's step,
#: unless the clause hands something in afterwards (…进行审核后报送).
_REVIEWS_FILINGS = lazy(
    r"^[^,。;各请]{0,16}?对[^,。;]{1,16}?进行(?:" + "|".join(map(re.escape, V.organiser_verbs)) + r")(?![^,。;]*?[报交送])"
)
#: A review handed on upwards (…的复核、汇总并上报, 审核后报送): the reviewer is a lower body, one of the readers.
_PASSED_ON = V.passed_on
#: Right after a date opening its line, the readers addressed as 各… and their act (``1月15日各学院(单位)向社科处
#: 报送…``, ``2月17日-2月21日:各学院制定…``): a schedule item, whatever the verb.
_EACH_READER_ACTS = lazy(
    r"^[:,]?各[^,。;:]{0,10}?(?:" + "|".join(map(re.escape, ROLE_WORDS.actor_suffixes)) + r")(?:\([^()]{1,8}\))?(?=[\u4e00-\u9fff]{2})"
)
_NOT_ACTS = tuple(w for w in (*V.incidental_after_prefixes, *V.incidental_after_words) if len(w) > 1)
_UNTIL_MONTH_DAY = lazy(r"(?:截至|截止到?|至|到)当月")
_MOVED_TO = lazy(r"(?:延长|延期|推迟|调整|改)(?:至|为|到)")
_COUNT_AT = lazy(r"(?:尚|仍|已|共|累计|全国|全市|全省)")
_AS_OF = lazy(r"(?:目前|同期)?(?:截至|截止到?)")
_ASKS_READERS = lazy(r"请|各")
_DEADLINE_LABEL = lazy(r"的?(?:截止|受理)?(?:时间|日期|期限)")
_PERIOD_LABEL = lazy(r"(?:时间|期间|日期|时段|申请期|报名期|受理期|申报期)[:为]?(?:由|自|从)?$")  # 申請期:由…至…止
_PERIOD_HEADING = lazy(r"(?:时间|期间|日期|时段):?$")
_MOMENT_LABEL = lazy(r"(?:开始|起始|截止|结束|受理|申报|报名|开放)(?:时间|日期)(?:为|是)?:?$")
_DEADLINE_NOUN = lazy(r"(?:时间|日期|期限)(?:为|是)?:?$")
_PUBLISHED_LABEL = lazy(r"(?:发布|发表|印发|成文)(?:时间|日期)")
#: A page's row of labelled values, no sentence (征集部门:…开始时间:2024-09-04 结束时间:2024-09-27).
_LABEL_ROW = lazy(r"(?:[^:,。;]{1,30}:){2,}[^:,。;]*")
#: Right after a date, a holiday's name and its days off (元旦假期, 春节假期); or one right before it (春节连假().
_HOLIDAY_AFTER = lazy(r"^[\u4e00-\u9fff]{0,5}?(?:" + "|".join(map(re.escape, V.holidays)) + ")")
_HOLIDAY_BEFORE = lazy(r"(?:" + "|".join(map(re.escape, V.holidays)) + r")(?:为|是)?\(?$")
#: A change told after a superseded date: 现将申报时间延长至…, 依规定展延至…, 调整为….
_CHANGE_WORD = lazy(r"(?:延长|延期|推迟|顺延|展延|延迟|延缓|调整|变更|更改|改)(?:至|到|为)|延至")
#: A top-level item's mark at a line's start or right after a clause (…的规定执行,六、办理…): also inside a line.
_INLINE_ITEM = lazy(r"(?<![^\s,，。;；:：])[一二三四五六七八九十]{1,3}、")
#: Those who did not act, as a condition (对未自行拆除的, 逾期不整改的): no act of theirs is told there.
_NOT_DONE = lazy(r"(?:未|不|没有)[^,。;的]{0,12}的")
#: How far after a date its enforcement is looked for (the rest of a schedule item's sentence).
REACH_ENFORCED = 120
_ENFORCES = lazy("|".join(map(re.escape, V.enforcement_acts)))
def _words(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"


#: After a date, panels as the clause's subject (大会学术委员会、各专业委员会与青年工作委员会…, 专家组…) and their review.
_PANEL_REVIEWS = lazy(
    r"^(?!各)(?:[^,。;:各请]{0,12}?" + _words(V.panels) + r"(?:、|与|和|及|,)?(?:各)?)+(?:将|负责|统一)?"
    r"(?:完成|进行|开展|组织)?[^,。;]{0,10}?" + _words(V.panel_verbs)
)
#: After a date, the organiser publishing a list or a result (通过…公示录取名单, 公布评审结果).
_PUBLISHES_LIST = lazy(r"^(?:(?:通过|在)[^,。;]{0,30}?)?" + _words(V.published_verbs) + r"[^,。;]{0,8}?" + _words(V.published_things))
_PUBLISHED_VERB = lazy(_words(V.published_verbs))
#: After a date in its sentence, a stage said to be done by someone (…阶段,由市统计局负责): see _done_by_issuer.
_BY_ISSUER = lazy(r"^[^。;]{0,24}?由")
#: Before a date, a list or a result as the subject (评审结果将于, 获奖名单于): published on it when a verb of publishing follows.
_LIST_BEFORE = lazy(_words(V.published_things) + r"(?:将|拟)?(?:于|在)$")
#: After a date taken as of (截至…), a state reported: …年报进度情况予以通报.
_STATE_REPORTED = lazy(r"^[^。;]{0,30}?" + _words(V.as_of_states) + r"(?:予以|进行|现)?" + _words(V.as_of_reports))
#: Right before a date, the issuer publishing on it: (现将)截至.
_AS_OF_END = lazy(r"(?:截至|截止到|截止至)$")
#: After a range, a 的 clause it opens (期间实施完成的…, 的环境信息): the range qualifies a noun.
_RANGE_QUALIFIES = lazy(r"^(?:(?:期间|之间)(?P<told>[^,。;的]{0,12}?))?的(?!" + _words(V.range_times) + ")")
#: After a range, what was done within it: 期间投保了…, 期间已完成….
_RANGE_DONE = lazy(r"^(?:期间|之间|内)[^,。;]{0,16}?(?:(?<![为除])[\u4e00-\u9fff]了(?!解)|已)")
#: After a range, a verb of what happened within it (期间投保): told as what the readers' papers show when an act
#: names them right before the range (提供从…期间投保).
_RANGE_HAPPENED = lazy(r"^(?:期间|之间)[\u4e00-\u9fff]")
#: An obligation, a permission or a period's label right before the range (请于, 须在, 可在, 申报时间为): the readers' window.
_OBLIGED_OR_LABELLED = lazy(r"(?:须|应当|应|必须|务必|需要|需|请|可)(?:在|于)?$|(?:时间|日期|期限)(?:为|是)?:?$")
#: Right before a date, when something about the applicant happened (注册成立日期在, 设备购置时间为, 授权日:).
_ATTRIBUTE_TIME = lazy(_words(V.attribute_events) + r"的?" + _words(V.attribute_labels) + r"(?:在|为|是|:)?$")
#: Before a range, a work as the subject (申报项目时间原则上在, 项目须在); after it, only that it is held or done (举办或完成).
_WORK_BEFORE = lazy(_words(V.work_subjects) + r"[^,。;]{0,10}?(?:在|于)$")
_WORK_DONE = lazy(r"^(?:期间|内)?" + _words(V.done_verbs) + r"(?:(?:或|和|、|并)" + _words(V.done_verbs) + r")?的?$")
#: The issuer taking in the readers' filings (市工信局将于…受理企业申报, 接收…材料): their window, not its own step.
_RECEIVES = lazy(r"受理|接收|接受")
#: The issuer naming itself, then the date: 市工信局将在每月底…, 市科技局于….
_SELF_STEP = lazy(r"[^,。;]{2,20}?(?:将|已|拟|定)?(?:于|在)")
_SYSTEM = "(?:" + "|".join(map(re.escape, V.system_subjects)) + ")"
#: The system as the subject right before the date (…管理系统于, 平台将在): what it does after the date is its step.
_SYSTEM_BEFORE = lazy(_SYSTEM + r"(?:将|会)?(?:于|在|自|从)$")
#: After a date (…起, / …,), a clause opening with a system as its subject: 2025年4月1日起,专利代理管理系统将….
_SYSTEM_AFTER = lazy(r"^(?:起|开始)?,?[^,。;]{0,12}?" + _SYSTEM + r"(?:将|会|于)?")
#: The system opening or closing: the readers' bounds, not its own step.
_SYSTEM_BOUNDS = lazy("|".join(map(re.escape, (*V.closes_after, *V.opened_before, "停止"))))
_SYSTEM_STEP = lazy("|".join(map(re.escape, V.system_steps)))
_EXTENDED_TO = lazy(r"(?:延长|延期|延迟|推迟|顺延|延缓|截止)(?:至|到)$")

@dataclass(frozen=True)
class Problem:
    """Something the user should see (an impossible date, a year that could not be told)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def classify_notice(
    notice: Notice, reference: dt.date | None = None, today: dt.date | None = None
) -> tuple[list[Deadline], list[Problem]]:
    """Every deadline, window, start and effective date of ``notice``, restatements merged.

    ``today`` (the day of extraction) bounds a year guessed from weekdays and dates what a
    notice without any year says; such records are candidates, never published.
    """
    text, reading = notice.text, notice.reading
    deadlines: list[Deadline] = []
    candidates: list[Deadline] = []
    titles: list[Deadline] = []  # candidates from the title, shown only for a day the body gives no one
    problems: list[Problem] = []
    cells = table_cells(text, reading)
    mentions = cells.with_dotted(find_mentions(reading))  # 5.25-5.31 in a schedule's date cell: tables.py
    rows: set[int] = set()  # where a calendar's rows begin (1/1~6/30 外國之事業…申請退還…)
    if any(map(_names_its_year, _heads(notice))):  # 國稅-106年度定期性工作項目 / 1/1~1/5 小規模營業人申報…: a calendar's rows
        read = {m.begin for m in mentions}
        added = [m for m in calendar_rows(reading) if m.begin not in read]
        rows = {m.begin for m in added}
        mentions = sorted([*mentions, *added], key=lambda m: m.begin)
    unnamed: set[str] = set()
    duties: dict[str, str] = {}  # record id -> the duty its label names (营业税申报期限:…), apart from the same day's others
    inline = _InlineItems(notice)  # 六、… / 七、…(二)… run together on one line: which item a date stands in
    items: dict[str, tuple[int, int]] = {}  # record id -> (line, inline item's offset)
    led: set[str] = set()  # records of a calendar's rows: each row its own task, whatever its span
    seen: dict[str, int] = {}
    anchor = notice.date or reference
    label = "发文日期" if notice.date else "参考日期（--date）"
    years = _YearLabels(notice, _break_year(notice, mentions, today))
    guesses = _YearGuesses(notice, mentions, today)
    title, title_lines = compact(notice.title), {}
    if notice.skipped_toc is not None:
        first, last = notice.skipped_toc
        problems.append(Problem(notice.file, first, f"跳过目录（第 {first}–{last} 行）"))
    contexts = _oriented(notice, mentions, [context_of(reading, mention) for mention in mentions])
    notice_addressee = addressee(notice) if mentions else ""
    selves = self_names(notice) if mentions else ()  # 市工信局, 威海市工业和信息化局: the issuer naming itself
    previous_listed: tuple[tuple[int, int], dt.date | None] = ((-1, -1), None)  # the last date of a month list
    for mention, context in zip(mentions, contexts):
        line = notice.line_of(mention.begin)
        if line not in title_lines:
            title_lines[line] = bool(title) and compact(notice.lines[line - notice.first_line]) == title
        titled = title_lines[line]  # the title: year labels, not deadlines, but for a task named with its day
        if titled and not mention.close.has_day:
            continue
        cell = cells.at(mention.begin) if not titled else None
        if cell is not None and cell.kind == "schedule":
            context = _schedule_line(context, cell.what)
        if cell is None and cells.elsewhere(mention.begin):
            continue  # a deadline table's 出版日期 or 公众假期 column: what the row is about (tables.py)
        kind = None if titled else _table_kind(mention, cell, notice, selves) if cell else _kind(mention, context, notice, selves)
        if kind is None and mention.begin in rows and _row_task(context):
            kind = "window"  # 1/1~6/30 外國之事業…,於上一年度…,申請退還…: the row's span is its task's
        doubt = ""  # why a turned-down date is still kept, as a candidate for review (see candidates.py)
        if kind is None:
            incidental = _is_incidental(mention, context, selves)
            if (incidental or _scope_clause(context)) and not _told_as_done(context):
                # 2019年1月1日后成立的: its year does not date the deadlines; 年满6周岁(2015年8月31日前出生) does, plus 6;
                # 2024年3月1日,我局印发了…: the issuer's recent past does (not as a deadline)
                years.exclude(mention, _age_reached(notice.reading, mention))
            doubt = doubt_of(mention, context, notice, incidental=incidental)  # the net: candidates.py
            if titled:
                doubt = titled_task(doubt)
            if not doubt:
                continue
            kind = "window" if mention.is_range else "deadline"
        report = problems if not doubt else []  # a candidate's troubles are no warning
        written = text[mention.begin : mention.end].strip()
        year_context = YearContext(anchor, label, *years.before(mention))
        try:
            start, end, how = resolve_range(mention.start, mention.close, year_context)
        except ImpossibleDate as exc:
            report.append(Problem(notice.file, line, f"不存在的日期 {written!r}：{exc}"))
            continue
        except LookupError as exc:
            report.append(Problem(notice.file, line, f"{written!r}：{exc}"))
            guessed = guesses.context(mention)
            if guessed is None:
                continue
            year_context, guessed_doubt = guessed
            if not doubt and _EVERY_YEAR.search(reading, max(0, mention.begin - 3), mention.begin) and (
                guessed_doubt.startswith(YEAR_FROM_LATER.partition("{")[0])
            ):
                guessed_doubt = ""  # 每年3月15日前 … 2024年3月5日前: a yearly rule; the year written picks its occurrence
            if not doubt and guesses.weekdays_vouch(today):
                guessed_doubt = ""  # 1月17日(周五) … 9月5日(周五): this year's (or next) calendar, stated many times
            try:
                start, end, how = resolve_range(mention.start, mention.close, year_context)
            except (ImpossibleDate, LookupError):
                continue
            doubt = joined_doubt(doubt, guessed_doubt)  # a turned-down date keeps why it was shown
        listed = (mention.begin, mention.end)
        if listed == previous_listed[0] and mention.close.year is None and _day(end) < previous_listed[1]:
            # 3月、7月、12月…分别截至当月15日: the months run forward; one listed after a month
            # that rolled into next year is next year's too.
            start, end = _shifted(start, 1), _shifted(end, 1)
            how = f"推为{_day(end).year}年：列在{zh_when(previous_listed[1], weekday=False)}之后"
        previous_listed = (listed, _day(end))
        if not _weekdays_agree(mention, start, end):
            report.append(Problem(notice.file, line, f"{written!r}：所写的星期与日期不符"))
        corrected = _year_typo(mention, context, notice.date, end)
        if corrected is not None:
            shift = corrected - _day(end).year
            start, end = _shifted(start, shift), _shifted(end, shift)
            report.append(Problem(notice.file, line, f"{written!r}：变更后的日期所写年份早于发文日期"
                                    f"（{zh_when(notice.date, weekday=False)}），按 {corrected} 年读"))
            how = f"年份改为{corrected}年：原文所写{mention.close.year}年早于发文日期"
        slipped = _year_before_doc_no(mention, context, notice) if not doubt and corrected is None else None
        if slipped is not None:
            start, end = _shifted(start, 1), _shifted(end, 1)
            report.append(Problem(notice.file, line, f"{written!r}：截止日期所写{mention.close.year}年早于文号的"
                                    f"{slipped}年（{notice.doc_no}），通知未写日期，按 {slipped} 年读"))
            how = f"年份改为{slipped}年：原文所写{mention.close.year}年早于文号年份"
        if start is not None and mention.start.year is not None and mention.close.year is not None and _day(start) > _day(end):
            doubt = doubt or REVERSED  # 2026年4月10日-2025年4月30日: one of the years is a slip
        if _is_past(start, end, notice.date) and (doubt or not _posted_late(mention, notice, end)):
            doubt = "" if doubt else _past_doubt(mention, notice, end)
            if not doubt:
                continue
            if doubt.startswith("年份疑有笔误"):
                start, end = _shifted(start, 1), _shifted(end, 1)
        if mention.from_now and anchor is not None:
            start, kind = anchor, "window"
        if kind == "start":
            start, end = end, None
        all_day, start, end = _align(start, end)
        who, named = (cell.who, True) if cell and cell.who else who_of(context, notice_addressee, notice.reading)
        closing = _day(end or start)
        what = cell.what if cell and cell.kind != "schedule" else what_of(
            context, notice, mention.text, closing.month if closing else None
        )
        quote = cell.quote if cell else quote_of(text, mention)
        # The id reads the whole sentence with this date masked (not the trimmed quote), and the
        # date's place among the sentence's records: a month list or a table row holds several.
        sentence = compact((cell.row if cell else context.sentence).replace(compact_keep(mention.text), "〈日期〉", 1))
        counted = sentence if not doubt else f"候选{sentence}"  # candidates never shift the records' ordinals (ids)
        ordinal = seen[counted] = seen.get(counted, -1) + 1
        masked = f"{counted}#{ordinal}"
        (titles if titled else candidates if doubt else deadlines).append(
            Deadline(
                id=deadline_id(notice.ref, kind, masked),
                kind=kind,
                start=start,
                end=end,
                all_day=all_day,
                who=who,
                what=what,
                quote=quote,
                notice=notice.ref,
                source=Source(notice.file, line),
                year_guess=how,
                status="candidate" if doubt else "extracted",
                doubt=doubt,
            )
        )
        if not named and not doubt:
            unnamed.add(deadlines[-1].id)
        if not doubt and not titled:
            items[deadlines[-1].id] = (line, inline.before(mention.begin, line))
        if not doubt and not titled and mention.begin in rows:
            led.add(deadlines[-1].id)
        if not doubt and not titled and (duty := labelled_duty(context)):
            duties[deadlines[-1].id] = duty
    periods = read_periods(notice, mentions, anchor, notice.date is not None, today)  # 30日内, 每月15日前: periods.py
    deadlines += periods.deadlines
    candidates += periods.candidates
    candidates += unusual_dates(notice, mentions, anchor, guesses.context)  # 5.24, 6.1-6.7, 5/31: candidates.py
    problems += [Problem(notice.file, line, message) for line, message in periods.problems]
    joined = _join_start_and_end(deadlines)
    merged = _merge_restatements(joined, unnamed, duties, notice, items, led)
    kept = settle(merged, notice)  # 顺延, 每月…: periods.py
    return kept + unclaimed(candidates, kept, titles) + other_tasks(joined, merged, notice), problems


def _table_kind(mention: Mention, cell: DateCell, notice: Notice, selves: tuple[str, ...] = ()) -> str | None:
    """A date in a deadline table's deadline or start column (tables.py): the column says what it is.

    Not when the row is the organiser's own step (a 审核 row, the issuer as the one who acts, also by one of its own
    names ``selves``) or
    a plan's horizon (``2025年底``, ``力争``) rather than a task.
    """
    if not mention.close.has_day or _organisers(cell.rest) or _ORGANISER.search(cell.rest):
        return None
    if cell.who and notice.issuer and (cell.who in notice.issuer or notice.issuer in cell.who):
        return None
    if cell.who and cell.who in selves:
        return None  # 责任单位: 市科技局, the issuer by its short name: its own row
    if _one_office(cell.who):
        return None  # 负责部门: 校…领导小组办公室: the organiser's own row
    if mention.close.end_of == "year" or cell.plan:
        return None
    if cell.kind == "schedule":  # 时间 | 工作内容: the readers' task, not the organiser's
        if not V.has_action(cell.what) or _organisers(cell.what):
            return None
        return "window" if mention.is_range else "start" if notice.reading.startswith(("起", "开始"), mention.end) else "deadline"
    return "window" if mention.is_range else cell.kind


def _one_office(who: str) -> bool:
    """A doer named as one office (研究生院办公室, 教务处, 评审委员会), not 各…: the organiser, as in :data:`_OFFICE_SUBJECT`."""
    return bool(who) and not who.startswith("各") and who.endswith(V.organiser_units)


def _schedule_line(c: Context, task: str) -> Context:
    """A schedule's row read as a line led by its date (``3月20日,各培养单位上报…``), whichever way it was
    flattened: who and what come from its task, not from the lines around the cell."""
    return replace(c, sentence=task, before="", clause_before="", after=f",{task}", clause_after=task, following="",
                   below="", task_above="", row_label="", cell_label="", in_date_cell=False)


def _year_typo(mention: Mention, c: Context, notice_date: dt.date | None, end: When) -> int | None:
    """The year meant by a changed date whose written year puts it before the notice itself.

    ``延长至2023年3月31日`` in a notice of 2024-03-01 cannot be a new deadline: the year is a
    slip. It is read as the first year that puts the day after the notice; the caller reports it.
    """
    if notice_date is None or mention.close.year is None or _day(end) >= notice_date:
        return None
    if not _CHANGED_TO.search(c.clause_before[-8:]):
        return None
    for year in (notice_date.year, notice_date.year + 1):
        try:
            if dt.date(year, _day(end).month, _day(end).day) >= notice_date:
                return year
        except ValueError:
            continue
    return None


def _year_before_doc_no(mention: Mention, c: Context, notice: Notice) -> int | None:
    """The 文号's year, for a deadline written in the year before it in a notice without a date.

    A notice numbered ``〔2019〕21号`` was issued in 2019: ``申报截止时间:2018年3月20日`` in it is a slip
    for 2019 (a date it names as closing cannot lie before the notice). Only a closing date (a deadline
    label, 截止, 前, a changed date), and only one year back; the caller reports it.
    """
    number = _DOC_NO_YEAR.search(notice.doc_no) if notice.date is None and notice.doc_no else None
    if number is None or mention.close.year != int(number.group(1)) - 1 or mention.is_range:
        return None
    closes = _has_deadline_noun(c.clause_before) or _ends_with_cue(c, strong=True) or c.after.startswith(V.deadline_after)
    return int(number.group(1)) if closes else None


#: A slipped year is read as the notice's own only when that puts the day this soon after the notice.
SLIP_REACH = 183


def _past_doubt(mention: Mention, notice: Notice, end: When) -> str:
    """Why a deadline dated before its notice is still worth a look, or "" (then it is history).

    A written year one before the notice's whose day, read in the notice's year, follows the
    notice, soon after it and on the weekday written, is a slip (申报截止时间:2018年3月20日 in a
    notice of 2019-03-04). A date before a web
    page's 发布时间 (not its 落款) may be that of a notice posted late.
    """
    day = _day(end)
    if notice.date_source == "signature" and mention.close.year is not None and day.year == notice.date.year - 1:
        try:
            meant = day.replace(year=notice.date.year)
        except ValueError:  # 2月29日
            meant = None
        weekday = mention.close.weekday
        if meant is not None and 0 <= (meant - notice.date).days <= SLIP_REACH and weekday in (None, meant.weekday()):
            return YEAR_SLIP.format(written=day.year, year=notice.date.year)
    if notice.date_source == "stamp" and not mention.is_range and (notice.date - day).days <= 366:
        return BEFORE_STAMP
    return ""


def _posted_late(mention: Mention, notice: Notice, end: When) -> bool:
    """A deadline a web page states with its year and weekday (``2019年12月20日(星期五)前``) before the day the
    page was posted (``发布时间:2020-03-24``, no 落款): the notice itself is older than the page, a copy
    posted late, and its deadline is as written (the weekday vouches for the year), not a slip."""
    written = mention.close
    return (
        notice.date_source == "stamp" and written.year is not None and written.weekday is not None
        and written.weekday == _day(end).weekday() and (notice.date - _day(end)).days <= POSTED_LATE_REACH
    )


#: How long before a page's posting a deadline it states with year and weekday is still read as the notice's own.
POSTED_LATE_REACH = 366


def _shifted(value: When | None, years: int) -> When | None:
    """``value`` moved by whole years (both ends of a range move together)."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 2月29日 in a year without it
        return value.replace(year=value.year + years, day=28)


def _oriented(notice: Notice, mentions: list[Mention], contexts: list[Context]) -> list[Context]:
    """Contexts of a flattened schedule, read the way it runs.

    A table flattened to lines puts each date on its own line, its task on the line
    after it or the line before it (``3月15日`` / ``学生提交申请表`` / ``3月18日`` / …).
    For a run of such dates (each within three lines of the next) the ends tell which:
    a header above the first date (工作内容, a number) and a task below it means tasks
    below; a task above the first date and none below the last means tasks above.
    Whoever does the task (reader or organiser) is decided per date afterwards.
    """
    runs: list[list[int]] = []
    previous_line = None
    for index, (mention, context) in enumerate(zip(mentions, contexts)):
        if not context.alone or mention.is_range and context.after:
            previous_line = None
            continue
        line = notice.line_of(mention.begin)
        if previous_line is not None and 2 <= line - previous_line <= 3:
            runs[-1].append(index)
        else:
            runs.append([index])
        previous_line = line
    result = list(contexts)
    for run in runs:
        if len(run) < 2:
            continue
        first, last = contexts[run[0]], contexts[run[-1]]
        tasks_below = not _task_line(first.above) and _task_line(first.below)
        tasks_above = _task_line(first.above) and not _task_line(last.below)
        for index in run:
            c = result[index] = replace(contexts[index], in_schedule=True)
            if tasks_below:
                result[index] = replace(c, before="", clause_before="", heading="")
            elif tasks_above:
                result[index] = replace(c, below="", task_above=c.above)
    return result


def _task_line(line: str) -> bool:
    """A line naming something to do, by the readers or by the organiser."""
    return V.has_action(line) or _organisers(line)


def _weekdays_agree(mention: Mention, start: When | None, end: When) -> bool:
    """A weekday written beside a date (``(星期五)``) must be that date's weekday."""
    pairs = ((mention.start, start), (mention.close, end))
    return all(m is None or m.weekday is None or _day(v).weekday() == m.weekday for m, v in pairs)


def _kind(mention: Mention, c: Context, notice: Notice, selves: tuple[str, ...] = ()) -> str | None:
    """``window``/``deadline``/``start``/``effective``, or None for an incidental date (``selves``: the issuer's own
    names, :func:`.selfnames.self_names`)."""
    close = mention.close
    if not close.has_day or (mention.start is not None and not mention.start.has_day):
        return None
    if _CLOSING_AS_OF.match(c.after):
        c = replace(c, after="截止" + c.after[2:])  # 推荐时间至12月20日截至。: 截至 closing its clause is 截止 mistyped
    above = c.above if compact(c.above) != compact(notice.title) else ""
    if _DEADLINE_FIELD.search(c.before[-12:]) and is_page_stamp(c.line):
        return "deadline"  # 点击次数:4540 更新时间:2023-05-24 截止日期:2023-05-31: the page's own field for its item's deadline
    if is_signature_line(c.line, *((above, c.next_line) if c.in_schedule else ("", ""))) and not (
        c.below and c.after.startswith(V.deadline_after)
    ):
        return None  # but 时间:2021年12月15日前 over a task line is no stamp
    if c.after.startswith(V.effective_after) or any(c.after.startswith("起" + w) for w in ("施行", "实施")) or new_form(c):
        return "effective"  # new_form: 新版…许可证于9月1日启用, a paper comes into use
    if c.after.startswith("起") and _RATE_CHANGED.search(c.after):
        return "effective"  # 利率自3月27日起…由1.595%调整为1.72%: a rule changes that day, nobody files
    if _is_incidental(mention, c, selves):
        return None
    if close.end_of is not None and (
        any(c.clause_before.endswith(w) or c.clause_before.startswith(w) for w in V.goal_before)
        or not V.has_action(c.sentence)
    ):
        return None
    # 3月15日前 / 各学院提交…: a task line, not any line; in a flattened schedule read tasks-below, its task.
    below = c.below if not c.after or c.in_schedule or _is_task(c.below) else ""
    if not any(V.has_action(text) for text in (c.sentence, c.before[-40:], c.row_label, c.heading, below)) and not (
        _is_labelled_moment(c) and V.has_action(compact(notice.title))
    ) and not (c.after.startswith(V.deadline_after) and (_HANDS_IN.search(c.after) or _TO_READERS.match(c.after))) and not (
        _each_reader_acts(c) or _dates_the_sentence_before(c) or _dates_the_request_above(c) or bool(_POSTMARKED.match(c.after))
    ):
        return None
    if mention.is_range:
        if c.below and not c.after and _organisers(c.below):
            return None  # 2、11月5日—11月9日 / 学生处审核…: the organiser's own period
        if mention.separator == "、" or _has_period(c) or any(V.has_action(t) for t in (c.clause_after, c.clause_before, c.below)):
            return "window"
        clauses = _CLAUSE_SPLIT.split(c.after[1:]) if c.after.startswith((",", ":")) else []
        task = clauses[0] if clauses else ""
        if not c.before and V.has_action(task) and not _organisers(task) or _each_reader_acts(c):
            return "window"  # 3.2025年5月27日-2025年6月30日,学生按要求提交开题报告: a schedule item
        if not c.before and clauses and not _organisers(task) and any(_acts_first(clause) for clause in clauses[1:4]):
            return "window"  # 6.2025年10月1日-10月14日,改进完善设计,修改,提交三稿: the act in a later clause
        return None
    if (c.after.startswith(V.start_after) and not c.after.startswith(("起至", "起到"))) or _opens_after(c):
        return "start"
    if any(w in c.clause_before for w in V.start_before):
        return "start"
    if mention.from_now or _UNTIL_MONTH_DAY.search(compact(mention.text)):
        return "deadline"
    if c.after.startswith(V.deadline_after) or _ends_with_cue(c) or _is_schedule_row(c) or _is_date_cell(c) or _closes_opening(c):
        return "deadline"
    if _is_schedule_item(c, mention) or _each_reader_acts(c) or _readers_act_labels(c):
        return "deadline"
    return None


def _readers_act_labels(c: Context) -> bool:
    """``(一)各代表队报到:4月9日全天。``: the readers, addressed as 各…, and their act label the date alone after it."""
    label = _READERS_LABEL.match(strip_list_mark(c.before))
    return (
        label is not None and V.has_action(label.group(1)) and not _organisers(label.group(1))
        and _DAY_ONLY_AFTER.match(c.after) is not None
    )


def _row_task(c: Context) -> bool:
    """A calendar row's sentence (led by its span, :func:`dates.loose.calendar_rows`) names a task of the readers': an
    act, neither the organiser's nor one told as a condition or a count, wherever in the row it stands."""
    return (
        not c.before.strip() and V.has_action(c.sentence) and not _organisers(c.sentence)
        and not _ORGANISER.search(c.sentence) and not c.after.startswith(V.incidental_after_prefixes)
    )


def _dates_the_sentence_before(c: Context) -> bool:
    """``…要求各学院至少进行一次校内论证。时间节点:11月6日前。``: a labelled date alone in its sentence closes the
    readers' act told in the sentence before it, on the same line."""
    return (
        is_time_label(c.before) and c.after.startswith(V.deadline_after) and len(c.after) <= 4
        and V.has_action(c.previous[-60:]) and not _organisers(c.previous[-60:])
    )


def _dates_the_request_above(c: Context) -> bool:
    """``…现向社会公开征求意见,欢迎有关单位和个人提出修改意见。`` / ``公告时间:6月10日至6月23日。``: a line that only
    labels a period of consultation dates the readers' act asked for in the last sentence of the line above it."""
    label = c.before.rstrip(":为")
    if not (is_time_label(c.before) and any(w in label for w in V.consultations)) or len(c.after.strip("。;")) > 4:
        return False
    asked = SENTENCE_END.split(c.above.rstrip("。;!"))[-1][-60:]
    return V.has_action(asked) and not _organisers(asked)


def _each_reader_acts(c: Context) -> bool:
    """The date opens its line and the readers, addressed as 各…, act right after it (not 各单位放假, 值班)."""
    subject = _EACH_READER_ACTS.match(c.after) if c.opens else None
    return subject is not None and not c.after.startswith(_NOT_ACTS, subject.end())


def _closes_opening(c: Context) -> bool:
    """``系统于3月1日开放，3月31日关闭``: a close after an opening told in the same sentence ends the period."""
    return c.after.startswith(V.closes_after) and any(w in c.before for w in V.opened_before)


def _opens_after(c: Context) -> bool:
    """``3月10日以后登录系统填报``: from then on readers act; the date opens their period.

    Not a condition (``…以后成立的企业``, ``之后出生的``): the action follows at once, no 的 clause.
    """
    cue = _AFTER_CUE.match(c.after)
    if cue is None:
        return False
    rest = c.clause_after[len(cue.group(0)) :] if c.clause_after.startswith(cue.group(0)) else c.after[len(cue.group(0)) :]
    return V.has_action(rest[:6]) and "的" not in rest[:12] and not _organisers(rest)


def _is_incidental(mention: Mention, c: Context, selves: tuple[str, ...] = ()) -> bool:
    """A date that is there for another reason: a rule, a statistic, a condition, the organiser's own step.

    ``selves`` are the names the issuer uses for itself (市工信局…): a clause it opens is its own step."""
    after, before = c.after, c.clause_before
    if _opens_after(c):
        return False
    if own_term(c):
        return True  # 本办法…有效期至2028年12月31日, 本意见自印发之日起执行,2021年12月31日截止: the rules' own term
    if validity(c) or policy_term(c):
        return True  # 有效期截止日期为…的许可证, 证书有效期自动顺延至…, 5月底前到期的资质: how long a paper holds
    told = _CLAUSE_SPLIT.split(after.lstrip(",:"), 1)[0]
    if not before and _REVIEWS_FILINGS.match(told):
        return True  # 9月9日,学院对申请人进行考核、审查、筛选: the organiser at work on the filings
    if _ORGANISER.match(told) or _PAST_ACT.match(told):
        return True  # 11月20日,我厅发布了…: the issuer's own act, told as past (never rolled into next year)
    if _issuer_acts(c, selves):
        return True  # 11月25日,成都市商务局发布…, (3月15日-3月24日),市工业和信息化局根据…复审: the issuer's own step
    if publishes_document(told):
        return True  # 2022年11月25日,成都市商务局发布关于印发…的通知: a document's publication, told as news
    if _panel_reviews(told):
        return True  # 8月1日至8月25日:大会学术委员会、各专业委员会…完成论文摘要评审: the panels' review period
    if not mention.is_range and _publishes_list(told) and not _ASKS_READERS.search(before):
        return True  # 将于12月22日通过…公示录取名单: the organiser publishes its result
    if _list_published(c):
        return True  # 评审结果将于5月20日前在网站公示: the same, the result named first
    if _AS_OF_END.search(before) and _STATE_REPORTED.match(after.lstrip("的,")):
        return True  # 现将截至6月2日,各辖市、区年报进度情况予以通报: a state reported as of a date
    if _ATTRIBUTE_TIME.search(before):
        return True  # 注册成立日期在2024年3月31日之前的企业均可申报: what qualifies
    if mention.is_range and work_term(c):
        return True  # 项目执行期间为2021年1月1日至2021年12月31日: the work's own term
    if mention.is_range and _range_qualifies(c):
        return True  # 披露2022年1月1日至12月31日的环境信息, 于…期间投保了…: the range bounds what is reported or done
    if _PERFECTIVE.search(after) and not _ASKS.search(c.sentence):
        return True  # 于9月26日对外公开,至11月30日截止,征集了…: the sentence tells what was done
    if _STATE_AFTER.match(after):
        return True  # 2023年12月31日前,已认定的企业…: a state reached by then, not a task
    if after.startswith(V.incidental_after_prefixes) and not after.startswith("后补") and not _closes_opening(c):
        return True
    if any(after.startswith(p) for p in ("以前出生", "之前出生")):
        return True
    # 凡…登记的企业须在…期间报送: a date brought in as an obligation (须在, 均应于) is the task, whatever
    # condition (凡, 对于) opened the sentence.
    obliged = _MUST_BEFORE.search(before) and not before.endswith(V.incidental_before_words)  # not 范围应在
    if not obliged and any(w in before for w in V.incidental_before_words) and not _ends_with_cue(c, strong=True):
        return True
    if any(c.clause_after.startswith(w) or c.clause_after.startswith(("前" + w, "之前" + w)) for w in V.incidental_after_words):
        return True
    if before.endswith("由") and _MOVED_TO.match(after):
        return True  # the old date of an extension: only the new one counts
    if _superseded(before) and (_CHANGE_WORD.search(c.after) or _CHANGE_WORD.search(c.following)):
        return True  # 原定截止日期为9月底: the date before the change; only the new one counts
    if _GLOSSED_SPAN.search(c.before) and c.after.startswith(")"):
        return True  # 於上一年度(1月1日至12月31日)…: the days a named span covers, glossed, not a time to act
    if _HOLIDAY_AFTER.match(c.clause_after) or _HOLIDAY_BEFORE.search(before):
        return True  # (1月1日-3日元旦假期), 春节连假(2月14日至22日): days off
    if before.endswith("截至") and _COUNT_AT.match(after):
        return True  # 截至今年7月31日尚有部分企业未报送: a count at a date, not a deadline
    if _AS_OF.fullmatch(before) and c.after.startswith(","):
        return True  # 截至2024年6月底, 可再生能源装机… : a statistic
    if _CONDITION.match(c.clause_after) and not _ends_with_cue(c, strong=True):
        return True  # 在…之前提出请求的, / …仍无法办理…的纳税人, : a condition selecting cases
    if before.endswith(("到", "截止", "截至")) and after.startswith(("仍", "还", "尚")):  # 截止…还在饲养: a state
        return True
    if _system_step(c):
        return True  # 管理系统于4月1日自动将…予以公示: the system's own step
    if _enforces(c):
        return True  # 11月26日至12月25日,…对未自行拆除的…予以强制拆除: the authority's own step
    receives = _RECEIVES.search(_CLAUSE_SPLIT.split(after, 1)[0]) is not None  # 市工信局将于…受理企业申报: the readers'
    if _ORGANISER_STEP.fullmatch(before) or _SELF_STEP.fullmatch(before) and speaks_of_itself(before, selves) and not receives:
        return True  # 我部于…至…公开征求意见, 市科技局将于…组织评审: the issuer's own step
    if (_ORGANISER.match(c.before) or speaks_of_itself(c.before, selves) and not receives) and not _ASKS_READERS.search(before):
        return True  # 我局将对申报项目进行审核,于…前…推荐: the sentence is about the issuer's own work
    if _OFFICE_SUBJECT.match(c.before) and not _ASKS_READERS.search(c.before):
        return True  # 科研处组织专家…,最迟3月12日完成上报 / 学院教务办于6月8日完成…: one office's own work
    row_action = c.clause_after.split("|")[1] if "|" in c.clause_after else c.clause_after
    if _LABEL_CUE.fullmatch(row_action):  # 4月28日前:完成形式审查、校内遴选: the task follows the colon
        row_action = _CLAUSE_SPLIT.split(c.after[len(row_action) + 1 :], 1)[0]
    if "|" in c.clause_after:  # every cell after the date's: 2020.9.10 | 2021年基金 | 学校召开动员大会
        cells = c.clause_after.split("|")[1:]
        row_action = "|".join(cell[:20] for cell in cells if not _ASKS_READERS.match(cell))  # 各学院召开…: readers
    row_action = _without_titles(row_action)
    if c.in_date_cell and any(w in c.row_label for w in V.organiser_actions):
        return True
    if _has_deadline_noun(before) or _ends_with_cue(c, strong=True):
        # 专业机构对申报材料形式审查的截止时间调整为5月15日: the organiser's own deadline.
        label = _DEADLINE_LABEL.split(before)[0]
        if any(w in label for w in V.organiser_reviews):
            return True
    reviews = [row_action.find(w) for w in V.organiser_actions if w in row_action[:20]]
    return (
        bool(reviews) and not _each_reader_acts(c) and not (before and _PASSED_ON.search(row_action, min(reviews)))
        and not _hands_in_first(row_action, min(reviews))
    )


def _hands_in_first(task: str, review: int) -> bool:
    """The date's act is handing in, named right after its cue and before the review word (``前报送…认定(复核)推荐文``,
    ``之前提交专家评审材料``): the review word names what is handed in, the readers act."""
    head = task[:review]
    cue = next((w for w in V.deadline_after if head.startswith(w)), "")
    return any(head.startswith(verb, len(cue)) for verb in V.hand_in_verbs)


def _told_as_done(c: Context) -> bool:
    """The date of an act told as done (``2024年3月1日,我局印发了…``, ``11月25日,市商务局发布了…``): history, whose year is
    the notice's own time, unlike a condition's (``2019年1月1日后成立的``)."""
    told = _CLAUSE_SPLIT.split(c.after.lstrip(",:"), 1)[0]
    return bool(_PAST_ACT.match(told) or _ORGANISER.match(told))


def _scope_clause(c: Context) -> bool:
    """``竣工时间在2016年6月30日之前``, ``成立时间在…以后``: a time the rules turned down that bounds what qualifies."""
    return c.clause_before.endswith(V.scope_labels) and c.after.startswith(V.scope_bounds)


def _enforces(c: Context) -> bool:
    """After the date, the authority's enforcement (予以强制拆除) comes before any act of the readers' (自行拆除);
    those who did not act (对未自行拆除的) are a condition, not an act."""
    after = _NOT_DONE.sub("", c.after[:REACH_ENFORCED])
    enforced = _ENFORCES.search(after)
    return enforced is not None and not V.has_action(after[: enforced.start()])


def _list_published(c: Context) -> bool:
    """A list or result is the subject before the date and is published on it (评审结果将于…前在网站公示, …通过公众号发布);
    not one the readers hand in (推荐名单于…前报送并公示)."""
    if not _LIST_BEFORE.search(c.clause_before):
        return False
    done = _CLAUSE_SPLIT.split(c.after, 1)[0]
    return _PUBLISHED_VERB.search(done) is not None and not _HANDS_IN.search(_PUBLISHED_VERB.sub("", done))  # 发布 is no 发


def _publishes_list(told: str) -> bool:
    """The clause after the date publishes a list or a result (通过…公示录取名单, 在学校网站公布录取结果)."""
    return any(word in told for word in V.published_things) and _PUBLISHES_LIST.match(told) is not None


def _panel_reviews(told: str) -> bool:
    """Panels are the subject of the clause after the date and review (…学术委员会、各专业委员会…完成论文摘要评审), not
    handing their result on; a form's name (按《专家评审意见表》修改) and a clause led by a cue (前…) are no subject."""
    if told.startswith(V.deadline_after) or not any(word in told for word in V.panels):
        return False
    told = _without_titles(told)
    return _PANEL_REVIEWS.match(told) is not None and not _PASSED_ON.search(told)


def _range_qualifies(c: Context) -> bool:
    """A range that qualifies a noun (``2024年1月1日至6月30日期间实施完成的…项目``, ``披露…至12月31日的环境信息``), tells
    what was done within it (``于…期间投保了…``) with no obligation or period label right before it, or in which a work
    is held or done (``申报项目时间原则上在…举办或完成``)."""
    if _WORK_BEFORE.search(c.clause_before) and _WORK_DONE.match(c.clause_after):
        return True  # 申报项目时间原则上在2020年6月1日—2021年12月31日举办或完成: when the work was done
    if _OBLIGED_OR_LABELLED.search(c.clause_before):
        return False
    qualifies = _RANGE_QUALIFIES.match(c.clause_after)
    if qualifies is not None and not _ASKS.search(qualifies.group("told") or ""):
        return True
    if V.has_action(c.clause_after):
        return False
    if _RANGE_DONE.match(c.clause_after):
        return True
    object_of = c.clause_before.removesuffix("从").removesuffix("自")  # 提供从…期间投保: the range is in what is provided
    return _RANGE_HAPPENED.match(c.clause_after) is not None and V.has_action(object_of[-4:]) and object_of != c.clause_before


def _done_by_issuer(c: Context, selves: tuple[str, ...]) -> bool:
    """After 由 in the date's sentence, the issuer itself (我局, 市统计局…) carries the stage out (…为数据审核阶段,由市统计局
    负责). Not when the date closes the readers' act first (请各区于…前报送…,由市科技局汇总; 须于…提交,由…评审) or the
    issuer takes their filings in (由市科技局统一受理)."""
    by = _BY_ISSUER.search(c.after)
    if by is None:
        return False
    between = c.after[: by.end() - 1]
    if between.startswith(V.deadline_after) or _HANDS_IN.search(between) or _MUST_BEFORE.search(c.clause_before):
        return False
    if _ASKS_READERS.search(c.clause_before):
        return False
    rest = c.after[by.end() :]
    return speaks_of_itself(rest, selves) and not _RECEIVES.search(_CLAUSE_SPLIT.split(rest, 1)[0])


def _issuer_acts(c: Context, selves: tuple[str, ...]) -> bool:
    """The clause right after the date (past a closing bracket) opens with the issuer naming itself, and asks
    nothing of the readers nor takes in their filings (市科技局受理…): its own step. Not when the date closes
    something first (截止到…, …前)."""
    if _done_by_issuer(c, selves):
        return True  # 3月1日至3月31日为数据审核阶段,由市统计局负责: a stage the issuer carries out
    if not selves or _ends_with_cue(c, strong=True) or c.after.startswith(V.deadline_after):
        return False  # 时间截止到4月10日,市科技局对申报项目进行审核: the date closes the readers' filing first
    told = _CLAUSE_SPLIT.split(c.after.lstrip("),:）"), 1)[0]
    return speaks_of_itself(told, selves) and not _ASKS_READERS.search(told) and not _RECEIVES.search(told)


def _system_step(c: Context) -> bool:
    """A system or platform is the subject (…系统于4月1日…, 4月1日起,…系统将…) and what it does in that clause is its
    own step (自动…, 予以公示, 列入…), not opening or closing for the readers (系统于3月31日自动关闭)."""
    if not any(word in c.sentence for word in V.system_subjects):
        return False
    if _SYSTEM_BEFORE.search(c.clause_before):
        done = c.after
    elif (subject := _SYSTEM_AFTER.match(c.after)) is not None and not V.has_action(subject.group(0)):
        done = c.after[subject.end():]  # not 前登录系统提交: there the system is where the readers act
    else:
        return False
    done = _CLAUSE_SPLIT.split(done, 1)[0]
    return _SYSTEM_STEP.search(done) is not None and _SYSTEM_BOUNDS.search(done) is None


def _superseded(before: str) -> bool:
    """The clause before a date names it as it stood before a change (原定截止日期为…), and no change to
    a new date comes between (原定于3月1日截止的申报延长至…: the date after 延长至 is the new one).
    The caller also asks for the change after the date: 仍按原定时间… keeps the date."""
    last = max((before.rfind(w) for w in V.superseded_before), default=-1)
    return last >= 0 and not _CHANGE_WORD.search(before, last)


def _has_period(c: Context) -> bool:
    """The sentence names a period one acts within (公示期, 受理时间:, 期间)."""
    labelled = _PERIOD_LABEL.search(c.before) or _PERIOD_HEADING.search(c.heading)
    return labelled is not None or any(w in c.sentence for w in V.periods) or any(
        w in c.clause_before for w in ("时间", "于", "在", "期")
    )


def _is_labelled_moment(c: Context) -> bool:
    """``开始时间：``/``截止时间为`` right before the date: in a notice about filing, the label is enough."""
    return bool(_MOMENT_LABEL.search(c.clause_before))


def _has_deadline_noun(text: str) -> bool:
    """``受理时间为``, ``报送期限:``; a bare ``日期:`` or a ``发布日期`` labels no deadline."""
    match = _DEADLINE_NOUN.search(text)
    return match is not None and match.start() > 0 and not _PUBLISHED_LABEL.search(text)


def _ends_with_cue(c: Context, *, strong: bool = False) -> bool:
    """The clause before the date ends with a word that makes it a closing moment.

    ``strong`` leaves out 于/在, which also introduce conditions (在…之前提出请求的).
    """
    before = c.clause_before.rstrip(":")
    if not strong and before.endswith(V.deadline_weak_before):
        return True
    return before.endswith(V.deadline_before) or _has_deadline_noun(c.clause_before) or bool(
        _EXTENDED_TO.search(before)
    )


def _is_schedule_row(c: Context) -> bool:
    """A row of a schedule table: ``1月15日 | 各二级部门…交到科技处``."""
    return c.after.startswith("|") and V.has_action(c.after)


def _is_schedule_item(c: Context, mention: Mention) -> bool:
    """An item of a schedule list: ``6、提交书面送审稿及送审名单:11月29日`` or ``11月22日,研究生…提交``."""
    label_then_date = (
        c.clause_before.endswith(":")
        and V.has_action(c.clause_before)
        and not any(w in c.clause_before for w in V.organiser_actions)
        and not c.clause_after
    )
    written = compact_keep(mention.text)
    leads_line = c.line.startswith(written) or strip_list_mark(c.line).startswith(written)
    if c.after.startswith((",", ":")):
        task = c.after[1:].split(",")[0]
    elif (_NUMERIC_DATE.match(mention.text) or leads_line) and not c.after.startswith(_CUE_WORDS) and _is_task(c.after):
        task = c.after.split(",")[0]  # 2024.03.15 各学院提交推荐材料 / 9月2日 各学院报送…: a schedule line
    else:
        task = ""
    # 现将安排通知如下: / 2024.09.02 各学院报送…: a line led by its date; the colon line above is its heading.
    headed = c.before.endswith(":") and leads_line
    date_then_task = (not c.before or headed) and V.has_action(task) and not _organisers(task)
    date_over_task = not c.after and V.has_action(c.below) and not _organisers(c.below)  # 1、10月22日 / 参评班级…填写
    task_over_date = bool(c.task_above) and not _organisers(c.task_above)  # 提交推荐材料 / 3月15日 (a run of such)
    return label_then_date or date_then_task or date_over_task or task_over_date


def _acts_first(clause: str) -> bool:
    """A clause that opens with the act (提交三稿, 撰写并提交…), not a noun (检查开题报告: 报告 is the object)."""
    return V.has_action(clause[:5]) and not _organisers(clause)


def _is_task(text: str) -> bool:
    """A verb phrase that opens with the doer and the act (各学院提交…), not a listed title or a stamp."""
    head = text.split(",")[0]
    return V.has_action(head[:8]) and not _TITLE_LIKE.search(head)


def _organisers(task: str) -> bool:
    """A task the organiser itself does (学生处审核…, 教育局将组织评审…)."""
    task = _without_titles(task)
    return any(w in task[:24] for w in V.organiser_actions) or bool(_OFFICE_AT_WORK.search(task[:30]))


def _without_titles(text: str) -> str:
    """``对照《…形式审查表》``, ``详见申报考核复核工作流程说明``: the name of a form or document is no act (emptied)."""
    text = _TITLED.sub("《》", text) if "《" in text else text
    return _SEE.sub("", text) if "见" in text else text


def _is_date_cell(c: Context) -> bool:
    """A cell of a schedule table whose row names an action: ``1.学位论文提交 | 博士:1月17日(周五)``."""
    return c.in_date_cell and V.has_action(c.row_label)


def _is_past(start: When | None, end: When, notice_date: dt.date | None) -> bool:
    """A date that closed before the notice was issued is history, not a deadline."""
    if notice_date is None:
        return False
    last = end if end is not None else start
    day = last.date() if isinstance(last, dt.datetime) else last
    return day < notice_date


def _align(start: When | None, end: When | None) -> tuple[bool, When | None, When | None]:
    """One ``all_day`` for both ends: when either end has a time, both become datetimes."""
    timed = isinstance(start, dt.datetime) or isinstance(end, dt.datetime)
    if not timed:
        return True, start, end
    start = as_datetime(start) if start is not None else None
    end = as_datetime(end, end_of_day=True) if end is not None else None
    return False, start, end


#: Weekdays a year-less notice must state, all of them fitting, for them to settle its year (:meth:`_YearGuesses.weekdays_vouch`).
VOUCHING_WEEKDAYS = 3


def _fits(moment: Moment, year: int) -> bool:
    try:
        return dt.date(year, moment.month, moment.day).weekday() == moment.weekday
    except ValueError:
        return False


class _YearGuesses:
    """A year for a date when the notice names none before it (nor a date, title or 文号 year).

    In order: the weekdays written beside its dates (the latest fitting year up to next year),
    the nearest year written after the date, the first year of the notice's English lines
    (``under age of 36 by Dec 31, 2024``), the day of extraction. Each guess makes a
    candidate whose reason says how the year was guessed.
    """

    def __init__(self, notice: Notice, mentions: list[Mention], today: dt.date | None) -> None:
        self._notice, self._mentions, self._today = notice, mentions, today
        self._weekdays: int | None | bool = False  # not computed yet
        self._searched: tuple[int, re.Match[str] | None] | None = None  # (from, the first year label at or after it)
        self._latin: re.Match[str] | None | bool = False  # not searched yet

    def _later(self, offset: int) -> re.Match[str] | None:
        """The first year label at or after ``offset``: searched again only past the one found last, so dates
        read in order cost one pass over the notice, not one pass each (no year anywhere was quadratic)."""
        if self._searched is not None:
            start, found = self._searched
            if start <= offset and (found is None or found.start() >= offset):
                return found
        found = _YEAR_LABEL.search(self._notice.reading, offset)
        self._searched = (offset, found)
        return found

    def _stated_weekdays(self) -> list[Moment]:
        """Weekdays stated of a date in words (``12月15日为星期日``), which the date grammar does not attach to it."""
        reading = self._notice.reading
        stated = []
        for x in self._mentions:
            said = _WEEKDAY_STATED.match(reading, x.end)
            if said is not None and x.close.weekday is None:
                stated.append(replace(x.close, weekday="一二三四五六日".index(said.group(1).replace("天", "日"))))
        return stated

    def weekdays_vouch(self, today: dt.date | None) -> bool:
        """The weekdays alone settle the year: :data:`VOUCHING_WEEKDAYS` or more stated, all fitting one year no
        more than one from ``today``'s. A timetable of the current year is written so; an old one that happens to
        share this year's calendar would not be told apart, which is why the year must lie so near."""
        if not self._weekdays or today is None or abs(self._weekdays - today.year) > 1:
            return False
        moments = [m for x in self._mentions for m in (x.start, x.close) if m is not None and m.weekday is not None]
        moments += self._stated_weekdays()
        fitting = [m for m in moments if m.year is None and m.month and m.day and _fits(m, self._weekdays)]
        return len(fitting) >= VOUCHING_WEEKDAYS and len(fitting) == len([m for m in moments if m.year is None])

    def context(self, mention: Mention) -> tuple[YearContext, str] | None:
        later = self._later(mention.end)
        latest = self._today.year + 1 if self._today else int(later.group(0)[:4]) + 1 if later else None
        if self._weekdays is False:
            moments = [m for x in self._mentions for m in (x.start, x.close) if m is not None]
            moments += self._stated_weekdays()
            self._weekdays = year_of_weekdays(moments, latest) if latest else None
        if self._weekdays:
            return YearContext(context_year=self._weekdays, context_label="文中所注星期"), YEAR_FROM_WEEKDAYS.format(year=self._weekdays)
        if later is not None:
            autumn, spring = _label_years(later)
            year = autumn if ((mention.start or mention.close).month or 1) >= _AUTUMN_FROM else spring
            return YearContext(context_year=year, context_label=f"其后写明的「{later.group(0).strip()}」"), YEAR_FROM_LATER.format(year=year)
        if self._latin is False:
            self._latin = _LATIN_YEAR.search(self._notice.text)
        if self._latin is not None:
            year = int(self._latin.group(1))
            return YearContext(context_year=year, context_label=f"英文写明的「{self._latin.group(0).strip()}」"), YEAR_FROM_ENGLISH.format(year=year)
        if self._today is not None:
            return YearContext(anchor=self._today, anchor_label="提取当天"), YEAR_FROM_TODAY
        return None


class _YearLabels:
    """The years written in a notice (dates and labels such as 2018年度, 2018届), in order.

    Mentions are read in order; the years inside a date found incidental (an eligibility
    rule, a history) are dropped as they are met, so they never date a later deadline:
    the title's 年度 label, an earlier date or the 文号's year does. A graduating class
    (2025届) or a school year (2024-2025学年) names two calendar years: its autumn dates
    fall in the first, its spring dates in the second.
    """

    def __init__(self, notice: Notice, breaks: tuple[int, str] | None = None) -> None:
        title = _YEAR_LABEL.search(notice.title)
        named = title_year(notice.title)  # a calendar year (2016淮北…, 2016年…), not a 年度 label
        found = [m for m in _YEAR_LABEL.finditer(notice.text) if not _stamped_later(m, notice.text, named)]
        self._starts = [m.start() for m in found]
        self._ends = [m.end() for m in found]
        self._labels = _labels_read(found, notice.text)
        self._named = _in_book_titles([m.start() for m in found], notice.text)  # 《2021年度…汇总表》
        self._kept: list[int] = []  # indexes of the labels read so far and not dropped
        self._read = 0
        if title is not None:
            self._title = (*_label_years(title), f"标题「{notice.title}」", _programme(title))
        else:  # 國稅-106年度…: the ROC calendar's year, 2017; 2016淮北…须知: a calendar year
            roc = next(((year, head) for head in _heads(notice) if (year := roc_title_year(head))), None)
            self._title = (roc[0], roc[0], f"标题「{roc[1]}」", True) if roc else (
                (named, named, f"标题「{notice.title}」", False) if named is not None else None
            )
        number = _DOC_NO_YEAR.search(notice.doc_no)
        self._doc_no = (int(number.group(1)),) * 2 + (f"文号{notice.doc_no}", False) if number else None
        self._breaks = (breaks[0], breaks[0], breaks[1], False) if breaks else None

    def _advance(self, offset: int) -> None:
        while self._read < len(self._ends) and self._ends[self._read] <= offset:
            self._kept.append(self._read)
            self._read += 1

    def exclude(self, mention: Mention, age: int | None = None) -> None:
        """Drop the years written inside ``mention`` (read already: they lie before the next one).

        A birth date bounding an age (``年满6周岁(2015年8月31日及以前出生)``, ``age``) names the year those
        children reach it, its last year plus the age: that year stays, as the year of what follows.
        """
        self._advance(mention.end)
        dropped = []
        while self._kept and self._starts[self._kept[-1]] >= mention.begin:
            dropped.append(self._kept.pop())
        if age is not None and dropped:
            last = dropped[0]
            born, _, written, _ = self._labels[last]
            self._labels[last] = (born + age, born + age, f"{written}出生、年满{age}周岁", False)
            self._kept.append(last)

    def before(self, mention: Mention) -> tuple[int | None, str, bool]:
        """The nearest year written before ``mention``, else the title's, else the 文号's, else the one its
        holiday breaks name (:func:`_break_year`).

        A year inside a document's name (``填报《2021年度…申报汇总表》``) is the year the document is about, not
        the one its days fall in: it is read only when no other year is written before and the notice's
        title and 文号 name none.

        The flag tells a 年度 label (``2025年度``): a calendar or programme year, which may name
        the year after the notice's for what it lists (a plain ``2018年…项目`` in a news item does not).
        """
        self._advance(mention.begin)
        plain = next((index for index in reversed(self._kept) if not self._named[index]), None)
        written = plain if plain is not None else None if self._title or self._doc_no else (self._kept or [None])[-1]
        found = self._labels[written] if written is not None else self._title or self._doc_no or self._breaks
        if found is None:
            return None, "", False
        autumn, spring, text, programme = found
        month = (mention.start or mention.close).month or 1
        year = autumn if month >= _AUTUMN_FROM else spring
        return year, (f"其前写明的「{text}」" if written is not None else text) + (
            f"（{month}月属{year}年）" if autumn != spring else ""
        ), programme


#: An age reached, right before a birth date (年满6周岁(, 满三周岁（): the children born by then reach it that year.
_AGE_BEFORE = lazy(r"(?:年满|已满|(?<![未不没])满)(\d{1,2}|[一二三四五六七八九十]{1,3})周岁[(（]?$")
#: A birth date's end, right after the date (及以前出生, 至…出生的, 前出生、年满6周岁): it is a birth date.
_BORN_AFTER = lazy(r"(?:及|或)?(?:以前|之前|前|以后|之后|后)?出生(?:的[^,。;]{0,8}?)?(?:[、,]?(?:且|并)?(?:年满|已满|(?<![未不没])满)"
                   r"(\d{1,2}|[一二三四五六七八九十]{1,3})周岁)?")
#: How far before a birth date its age is looked for (年满6周岁( is 6 characters).
AGE_REACH = 8


def _age_reached(reading: str, mention: Mention) -> int | None:
    """The age a birth date bounds (``年满6周岁(2015年8月31日及以前出生)``, ``2015年8月31日前出生、年满6周岁的儿童``), or None.

    An enrolment notice names the year only in its children's birth dates: born by 2015年8月31日, six years
    old in 2021, the notice's year. Only a written year, only 年满/满 (not 未满), only a date said to be a birth.
    """
    if mention.close.year is None:
        return None
    born = _BORN_AFTER.match(reading, mention.end)
    if born is None:
        return None
    before = _AGE_BEFORE.search(reading[max(0, mention.begin - AGE_REACH) : mention.begin])
    age = before.group(1) if before else born.group(1)
    return parse_number(age) if age else None


#: Right after a date, its postmark rule (…止(以邮戳为准), 前寄出,以当地邮戳为准): readers mail something by then.
_POSTMARKED = lazy(r"(?:之?前|以前|止|为止|截止)?[(（]?(?:寄出|寄达|邮寄)?[,，]?(?:均)?以(?:当地)?(?:寄出)?邮戳(?:日期|时间)?为准")
#: A label of the readers and their act before a date: 各代表队报到:, 各参赛单位提交报名表:.
#: A sentence opening by addressing its readers (各…), up to its date or modal: who acts in it.
_ADDRESSED = lazy(r"^请?各([^,，。;；:：]{1,16}?)(?=于|在|应|须|需|要|将|务必|请|最迟|[0-9]{1,2}月|20[0-9]{2}年)")
_READERS_LABEL = lazy(r"^各([^,。;:]{1,16}?)[:：]$")
#: Nothing after such a date but the part of its day and the sentence's end (全天, 上午, 8:00前).
_DAY_ONLY_AFTER = lazy(r"(?:全天|上午|下午|晚上|当天|当日)?[。;；]?$")
#: 截至 right after a date and closing its clause (…至12月20日截至。): a slip for 截止, not 截至目前 (as of).
_CLOSING_AS_OF = lazy(r"截至(?=[。,;，；]|$)")
#: A page's field naming its item's deadline (截止日期:, 截稿时间:), not a term's end (有效期截止日期:).
_DEADLINE_FIELD = lazy(r"(?<!有效期)(?<!有效)(?:截止|截稿)(?:日期|时间)[:：]?$")
#: Right before a date, a rule that holds every year (企业应于每年3月15日前披露…).
_EVERY_YEAR = lazy(r"每年度?(?:的)?$")
#: Right after a span, its holiday's name and a break (春节放假7天, 放假, 国庆节休假).
_BREAK_AFTER = lazy(r"[\u4e00-\u9fff]{0,4}?(?:" + "|".join(map(re.escape, V.holiday_breaks)) + ")")
#: Year-less holiday breaks a notice must list for them to tell its year: one break fits many years.
MIN_BREAKS = 2


def _break_year(notice: Notice, mentions: list[Mention], today: dt.date | None) -> tuple[int, str] | None:
    """The one year whose holidays are the breaks a year-less notice lists (``2月10日至17日放假8天``,
    ``4月4日至6日放假3天``, …), and how it was told; None with fewer than :data:`MIN_BREAKS` or no single fit.

    A tax calendar that names no year still states its breaks, and the State Council's arrangement
    (workdays.py) differs from year to year: that year is as good as written. Years up to the one after
    ``today`` only.
    """
    breaks = []
    for m in mentions:
        if m.is_range and m.start.year is None and m.close.year is None and m.start.month and m.start.day \
                and m.close.day and _BREAK_AFTER.match(notice.reading, m.end):
            month = m.close.month or (m.start.month if m.close.day >= m.start.day else m.start.month % 12 + 1)
            breaks.append(((m.start.month, m.start.day), (month, m.close.day), m.text))
    if len(breaks) < MIN_BREAKS:
        return None
    from .workdays import years_of_breaks  # chinese_calendar's table, read only for such a notice

    latest = today.year + 1 if today else dt.date.max.year
    fits = years_of_breaks([(opening, closing) for opening, closing, _ in breaks], latest)
    if len(fits) != 1:
        return None
    named = "、".join(compact(text) for _, _, text in breaks[:2]) + ("等" if len(breaks) > 2 else "")
    return fits[0], f"文中放假日期（{named}）只合{fits[0]}年的节假日安排"


#: A first line this short, without a sentence's punctuation, heads the notice (when no title was recognised).
_HEAD_LIMIT = 40


_BOOK_MARKS = lazy(r"[《》]")


def _in_book_titles(offsets: list[int], text: str) -> list[bool]:
    """For each of ``offsets`` (in order), is it inside 《…》 (a document's or a form's name)? One pass over the marks."""
    marks = [(m.start(), m.group(0)) for m in _BOOK_MARKS.finditer(text)] if "《" in text else []
    inside, found, next_mark = False, [], 0
    for offset in offsets:
        while next_mark < len(marks) and marks[next_mark][0] < offset:
            inside = marks[next_mark][1] == "《"
            next_mark += 1
        found.append(inside)
    return found


def _heads(notice: Notice) -> list[str]:
    """The title, and the first line when it reads as a heading (``國稅-106年度1/1~12/31定期性工作項目``)."""
    first = next((line.strip() for line in notice.lines if line.strip()), "")
    heading = first if len(compact(first)) <= _HEAD_LIMIT and not _HEADING_STOPS.search(first) else ""
    return [notice.title, heading] if heading and compact(heading) != compact(notice.title) else [notice.title]


def _names_its_year(title: str) -> bool:
    """A title with a year label (``2025年度``, ``民國106年``, ``106年度``): the calendar of that year."""
    return bool(_YEAR_LABEL.search(title)) or roc_title_year(title) is not None


def _stamped_later(match: re.Match[str], text: str, titled: int | None) -> bool:
    """A year in a page's stamp line (``更新时间:2018-08-19``) later than the one the title names (``2016淮北…``):
    the day a repost was put up, which dates none of the notice's year-less days."""
    if titled is None or int(match.group(0)[:4]) <= titled:
        return False
    begin = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return is_page_stamp(text[begin : end if end >= 0 else len(text)])


def _programme(match: re.Match[str]) -> bool:
    """``2025年度``: a label of a calendar or programme year."""
    return bool(match.group("y")) and match.string.startswith("度", match.end())


def _labels_read(found: list[re.Match[str]], text: str) -> list[tuple[int, int, str, bool]]:
    """(autumn year, spring year, as written, 年度 label) for each year label, in order.

    A date of the year under review told in the same sentence as its label (``2018年度审查的是…
    从2018年1月1日至2018年12月31日期间…``) is that year's scope: it dates what follows as the label does.
    """
    labels: list[tuple[int, int, str, bool]] = []
    review: tuple[int, int] | None = None  # (year under review, where its label ends)
    for match in found:
        autumn, spring = _label_years(match)
        written = match.group(0).strip()
        if _reviewed(match):
            review = (autumn - 1, match.end())
            written += " (the year under review)"
        elif review is not None and match.group("y") and int(match.group("y")) == review[0] and not SENTENCE_END.search(
            text, review[1], match.start()
        ):
            autumn = spring = review[0] + 1
            written += " (in the year under review)"
        labels.append((autumn, spring, written, _programme(match)))
    return labels


def _reviewed(match: re.Match[str]) -> bool:
    """``2013年度检查``: the year is the one inspected or reported on, not the one the filings fall in."""
    return bool(match.group("y")) and match.group(0).rstrip().endswith("年") and bool(
        _REVIEWED_YEAR.match(match.string, match.end())
    )


def _label_years(match: re.Match[str]) -> tuple[int, int]:
    """(autumn year, spring year) a written year stands for: the same year but for 届 and 学年.

    A year under review (``2013年度检查``) stands for the year after it, when its filings are made.
    """
    if match.group("cohort"):
        return int(match.group("cohort")) - 1, int(match.group("cohort"))
    if match.group("autumn"):
        return int(match.group("autumn")), int(match.group("spring"))
    if match.group("span"):  # 2025-2027年: a plan's years; what is asked now falls in its first
        return int(match.group("span")), int(match.group("span"))
    year = int(match.group("y")) + _reviewed(match)
    return year, year


def _join_start_and_end(deadlines: list[Deadline]) -> list[Deadline]:
    """``起始时间为8月1日, 截止时间为8月31日`` in one sentence is one window."""
    joined: list[Deadline] = []
    for record in deadlines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == "start"
            and record.kind == "deadline"
            and previous.source == record.source
            and _same_sentence(previous.quote, record.quote)
        ):
            all_day, start, end = _align(previous.start, record.end)
            joined[-1] = Deadline(
                **{**record.__dict__, "kind": "window", "start": start, "end": end, "all_day": all_day,
                   "what": record.what or previous.what,  # …起接受申请,截止日期为…: the task is told at the start
                   "id": deadline_id(record.notice, "window", previous.id + record.id)}
            )
            continue
        joined.append(record)
    return joined


def _same_sentence(first: str, second: str) -> bool:
    """Two quotes cut from one sentence: equal, or a long sentence cut around each date, overlapping."""
    return first == second or second[:12] in first or first[-12:] in second


def _merge_restatements(
    deadlines: list[Deadline], unnamed: set[str], duties: dict[str, str], notice: Notice,
    inline: dict[str, tuple[int, int]] | None = None, rows: set[str] = frozenset(),
) -> list[Deadline]:
    """The same deadline restated in one notice is one record: the first statement wins.

    A later deadline restates an earlier window or deadline closing the same
    day for the same people (or without naming anyone), unless it stands in another item of a
    numbered list (``五、各系于6月5日将…报教务办`` / ``六、各系于6月5日…分配好评阅教师``: two
    tasks); a window restates one with the same opening and closing; an informational date
    restates the same kind on the same day. Two dates each under a label naming its own duty
    (``营业税申报期限:1月1日-18日;房产税申报期限:1月1日-18日``) are two records, not one restated;
    the same label twice (``申报期限:`` / ``网上申报期限:``) is one duty. Items run together on one line (a copy
    that lost its line breaks: ``…六、办理补偿登记期限…30日内(截至12月4日)…,七、其他事项(二)对…有异议的,应在…``)
    are told apart by the marks inside it (``inline``: record id → (line, offset of the item's mark)). Two rows of a
    calendar (``rows``: ``5/1~5/31 營利事業所得稅結算申報`` / ``5/1~5/31 綜合所得稅…繳稅``) are two tasks of one span.
    """
    inline = inline or {}

    def other_inline_items(one: Deadline, other: Deadline) -> bool:
        a, b = inline.get(one.id), inline.get(other.id)
        return (
            a is not None and b is not None and a[0] == b[0] and a[1] != b[1] and min(a[1], b[1]) >= 0
            and one.what != other.what and V.has_action(one.what) and V.has_action(other.what)
        )  # two items, each naming its own act
    kept: list[Deadline] = []
    by_moment: dict[tuple[bool, When], list[Deadline]] = {}
    items: dict[int, str] = {}

    def item(record: Deadline) -> str:
        if record.source.line not in items:
            items[record.source.line] = notice.list_item(record.source.line)
        return items[record.source.line]

    for record in deadlines:
        same_people = record.id in unnamed
        key = _moment_key(record.key_moment)
        restated = next((
            k for k in by_moment.get(key, ())
            if not _other_duties(duties.get(record.id, ""), duties.get(k.id, "")) and (
                (record.kind == "deadline" and k.kind in ("window", "deadline")
                 and (same_people or record.who == k.who) and not _other_addressed(record.quote, k.quote)
                 and not (item(record) and item(k) and item(k) != item(record)) and not other_inline_items(record, k))
                or (record.kind == "window" and k.kind == "window" and k.start == record.start
                    and not (record.id in rows and k.id in rows and _other_duties(record.what, k.what))
                    and not (item(record) and item(k) and item(k) != item(record)))
                or (not record.actionable and k.kind == record.kind))
        ), None)
        if restated is None:
            kept.append(record)
            by_moment.setdefault(key, []).append(record)
        elif record.kind == restated.kind and _names_the_task(record, restated):
            # 开始时间:…结束时间:… in a page's header row, then the body's 征求意见起止时间 / 2024年9月4日至…: the
            # statement that says what to do stands for both, in the first one's place.
            kept[kept.index(restated)] = record
            by_moment[key][by_moment[key].index(restated)] = record
    return kept


class _InlineItems:
    """Where a notice's top-level items (``六、``, ``七、``) are marked, also inside a line, found once."""

    def __init__(self, notice: Notice) -> None:
        self._notice = notice
        self._marks: list[int] | None = None  # read on first use: most notices never ask

    def before(self, offset: int, line: int) -> int:
        """The offset of the last item mark before ``offset`` on file line ``line``, or -1."""
        if self._marks is None:
            self._marks = [m.start() for m in _INLINE_ITEM.finditer(self._notice.reading)]
        position = bisect_right(self._marks, offset) - 1
        mark = self._marks[position] if position >= 0 else -1
        return mark if mark >= 0 and self._notice.line_of(mark) == line else -1


def _addressed(quote: str) -> str:
    """The readers a sentence opens by addressing, up to its date or its modal (``各乡镇公办园招生方案7月10日前…`` →
    乡镇公办园招生方案, ``各幼儿园于7月10日前…`` → 幼儿园), or ""."""
    match = _ADDRESSED.match(strip_list_mark(compact_keep(quote)))
    return match.group(1) if match else ""


def _other_addressed(one: str, other: str) -> bool:
    """Two sentences each opening with readers of their own (各乡镇民办幼儿园… / 各幼儿园…): two tasks on one day even
    when the roles name neither doer. One name opening or ending the other is the same readers (各二级学院 / 各学院,
    各学院推荐材料 / 各学院)."""
    a, b = sorted((_addressed(one), _addressed(other)), key=len)
    return bool(a) and not (b.startswith(a) or b.endswith(a))


def _other_duties(one: str, other: str) -> bool:
    """Two labels naming two duties: neither is the other with words added (申报 / 网上申报 are one)."""
    return bool(one and other) and one not in other and other not in one


def _names_the_task(record: Deadline, first: Deadline) -> bool:
    """A restatement that names an act where the first statement is a page's row of labels and names none."""
    return record.actionable and V.has_action(record.what) and not V.has_action(first.what) and bool(
        _LABEL_ROW.fullmatch(compact_keep(first.quote))
    )


def _moment_key(value: When) -> tuple[bool, When]:
    """Records are compared by moment: 15时 and 23时 are two deadlines, and so are 3月9日 and 3月9日下午5:00."""
    return isinstance(value, dt.datetime), value


def _day(value: When | None) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value
