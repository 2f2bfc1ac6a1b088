"""Who must act and what to do, read from the sentence around a deadline.

Short enough for a calendar title: ``截止：网上填报申报书（项目申报单位）``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .context import ASIDE, Context, compact_keep, strip_list_mark
from .notices import Notice
from .patterns import lazy
from .role_words import ROLE_WORDS as R
from .script import simplified_reading
from .vocabulary import VOCABULARY as V

_MAX_WHAT = 40


def _words(words: tuple[str, ...]) -> str:
    """An alternation of ``words``, longest first as they are stored."""
    return "|".join(map(re.escape, words))


_DATE_WORD = lazy(r"(?<!\d)\d+月\d+|\d{4}年\d+月")
#: Words between a date and the action that follows it (``前``, ``起``, ``期间``).
_LEAD_CUE = lazy(
    r"^(?:\(星期.\)|下班之?前|之前|以前|前|为止|止|截止|期间|内|起|开始|以后|之后|后|方可|即可|可"
    r"|(?:上午|下午|中午|晚上)|\d{1,2}(?::\d{2})?(?:[-—~至]\d{1,2}(?::\d{2})?)?(?:[时点](?:整|\d{1,2}分)?)?(?=[^\d]|$))+"
)
#: A "what" that only names a period (公示期为, 申报时间): no action in it.
_CUE_ONLY = lazy(r"(?:期|为|时间)$")
#: A "what" that is a label or a heading (时间节点, 具体要求如下, 经研究决定, 四、联系方式: roles.toml label_ends).
_STUB = lazy(rf"(?:{_words(R.label_ends)})$|^[一二三四五六七八九十]+、")
#: A what that is a filing verb alone, perhaps done online: 申报, 报送, 网上提交, 年报.
_BARE_TASK = lazy(r"(?:网上|在线|线上)?(?P<verb>申报|报送|提交|上报|报名|填报|推荐|年报|年检|递交|申请)")
#: Filings that name their own object (年报: the annual report), which no title's object completes.
_SELF_NAMED = ("年报", "年检")
_TITLE_VERBS = lazy(r"^(?:(?:关于|进一步|认真|组织|开展|做好|征集|申报|推荐|报送|提交|印发|转发|延长|调整|明确|公布|发布|下达)+)")
_TITLE_TAIL = lazy(r"(?:的)?(?:申报|推荐|报送|评选|认定|征集)?(?:工作|有关事项|相关事项|事宜|截止时间|时间|期限)*(?:的)?$")
_TITLE_WRAPPER = lazy(r"^(?:关于)|(?:的)?(?:紧急|补充|重要)?(?:通知|公告|公示|通告|意见)$")
#: Words after a date that annotate it rather than name the task.
_NOTE = lazy(r"^\(注|^注:|^逾期|^过期|不予受理|不再受理|不在受理|^共\d+[天日]|期限为|期为\d|个工作日")
_SALUTATION = lazy(r"各|有关|单位|部门|学院|局|委|厅|处|办")
_NOT_SALUTATION = lazy(r"通知|如下|现将|现就|要求")
#: A part of a salutation that names no one in particular (各有关单位), beside parts that do.
_GENERIC_SALUTATION = lazy(r"(?:各|有关|各有关|各相关)(?:单位|部门)")
#: A 文号 before a salutation on its line: ``研院发[2012]127号``.
_DOC_NO_LEAD = lazy(r"^[^\[\]()〔〕]{0,12}[\[(〔](?:19|20)\d{2}[\])〕]第?\d{1,4}号")
#: Words that make a phrase ending in an actor word a clause, not a name (争取更多企业, 本次征求公众).
_NOT_ACTOR = lazy(r"争取|征求|支持|组织开展|做好|开展|通知|要求|现就|现将|为|本次|提名书")
#: Every place an actor word ends, overlapping ones too (申报人 and 申报人员 in 申报人员).
_ACTOR_END = lazy(rf"(?=({_words(R.actor_suffixes)}))")
#: Whether a clause holds an actor word at all: led by the words, not a lookahead, so ``re`` skips to where
#: one can begin instead of trying the 60 words at every character (17 → 1.8 µs for a clause of 120).
_ACTOR_WORD = lazy(_words(R.actor_suffixes))
_ENDS_AS_OFFICE = lazy(rf"(?:{_words(R.office_ends)}|部门|办事处)$")
_ENDS_AS_NAME = lazy(rf"(?:{_words(R.actor_suffixes + R.office_ends)})(?:\([^()]*\))?$")
_NAME_LEAD = lazy(rf"^(?:(?!{_words(R.unbroken)})(?:{_words(R.leads)}))+")
_RELAY = lazy(_words(R.relay_verbs))
#: At each place a word that belongs to a name is tried before a word that ends one.
_NAME_BREAK = lazy(rf"{_words(R.unbroken)}|({_words(R.breaks)})")
_DENIED = lazy(r"不能|不得|不予|不可|无法|不再")
_NOT_NAME = lazy(rf"^(?:{_words(R.not_names)})")
#: What an aside cut off leaves of it: ``下同)工业和信息化主管部门``.
_CLOSED_ASIDE = lazy(r"^[^()]*\)")
_ACTOR_SPAN = 24
_MODAL = ("应当", "应", "必须", "须", "需", "要", "务必", "于", "在", "可", "将", "请", "自行", "统一", "按", "根据", "通过", "都", "均", "凭", "持", "携")
_ASKING = lazy(r"^(?:请|由|凡|对)")
_CELL_OR_CLAUSE = lazy(r"[,:|]")
#: The letters of a name; a class year may lead it (2023届毕业生, 2014、2013级各班).
_NAME_CHARS = lazy(r"(?:[\u4e00-\u9fff()、]|\d{2,4}(?=(?:、\d{2,4})*(?:届|级|年级)))+")
_AFTER_LEAD = lazy(r"^[,|]?(?:请)?")
_PHRASE_END = lazy(r"[,;。|]")
_PHRASE_LEAD = lazy(r"^(?:统一|务必|必须|须|应|要|请)+")
#: ``请将申报书于…前交科研处``: the object of a verb after the date stands before it.
_OBJECT_BEFORE = lazy(r"(?:将|把)(?P<object>[^,;:。]{2,30}?)(?:务必|必须|须|应|要|请|统一)*(?:于|在)$")
#: ``申报材料(一式六份)请于…前报送至我厅``: papers named as the sentence's topic, before its modal and the date.
_TOPIC_BEFORE = lazy(
    rf"(?:^|[,;:。])(?P<object>[^,;:。将把]{{0,20}}(?:{_words(R.papers)}))(?:务必|必须|须|应|要|请|统一|均)+(?:于|在)$"
)
#: What a subject is followed by before its task: 各学院请于…, 申报单位须按时将…
_DOER_TAIL = lazy(r"^(?:请|须|应|要|务必|必须|需|统一|按时|按要求|及时|可|于|在(?!线))+")
#: Asides no calendar title needs: web and mail addresses, telephone numbers, pointers to attachments.
_URL = lazy(r"\(?(?:网址|网站|地址|链接)?:?(?:https?://|www\.)[A-Za-z0-9./?%&=:#~_+-]*\)?")
_MAIL = lazy(r"(?:邮箱|信箱)?:?(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:邮箱|信箱)?")
_PHONE = lazy(r"\(?(?:电话|联系电话)?:?\d{3,4}-\d{7,8}\)?")
_ATTACHMENT = lazy(r"\((?:见|详见)?附件\d*[^()]{0,12}\)")
_GLOSS = lazy(r"\([a-z]{1,6}\)")  # pinyin glosses sown into a copied page: 企(qi)业(ye)
_TIME_INSIDE = lazy(r"(?:在|于)?(?:上午|下午|中午)?\d{1,2}:\d{2}(?:之)?前")
_ASIDE_ANY = lazy(r"\([^()]*\)")
#: An office that opens a phrase (市科技局相关业务科室…), not the readers addressed as 各…
_OFFICE_LEAD = lazy(r"^(?!各)[\u4e00-\u9fff]{1,10}?(?:局|厅|委|办|处|中心|办公室|领导小组)")
#: How far into the next clause its verb may stand for a verbless clause to take it (汇总提交, 一并报送).
_VERB_REACH = 4
#: A clause opening with a bracket or a mark is a fragment (``)任何单位…``), not a task to complete.
_HAN_START = lazy(r"[^\u4e00-\u9fff《]")
_LEADING_ASIDE = lazy(r"^\([^()]*\)")
#: Verbs that hand something in: where the list of papers before them ends.
_HANDING = lazy(rf"(?:{_words(R.handing_verbs)})")
#: A handing verb as a word: 报 and 交 alone, but not in 申报, 填报, 报告, 报表.
_HANDING_WORD = lazy(
    rf"(?:{_words(tuple(w for w in R.handing_verbs if len(w) > 1))})"
    r"|(?<![申填汇预年简周月日快通公情晚捷提])(?:报|交|送|寄)(?![告表名价书刊纸道通流])"
)
#: A step that prepares papers (填写附表, 编制申报书), perhaps led by how it is done (认真, 同时).
_PREPARING = lazy(_words(R.preparing_verbs))
#: Papers named in a handing-in: 秘书处 names an office, not a 书 handed in.
_PAPERS = lazy(rf"(?:{_words(R.papers)})(?<!秘书)")
#: What may stand before a date in a sentence that has no subject of its own: 并于, 同时于, 请在.
_SUBJECTLESS = lazy(r"^(?:并|且|同时|另|再|请|须|应|需)*(?:于|在)?$")
#: Papers alone, or as received by an office (学校接收材料): what readers hand in.
_RECEIVED = lazy(rf"(?:(?P<to>[\u4e00-\u9fff]{{0,12}}?)(?:接收|收取|受理))?(?P<papers>[\u4e00-\u9fff]{{0,6}}(?:{_words(R.papers)}))(?<!秘书)(?:受理|接收)?")
#: A phrase that is a party's name and nothing else (中国造纸学会): an actor word or an office of two letters
#: (局 and 厅 too) ends it, not 系 or 处 alone (…与科研处联系 is a task).
_ONLY_PARTY = lazy(rf"[\u4e00-\u9fff()]*(?:{_words(R.actor_suffixes + tuple(w for w in R.office_ends if len(w) > 1))}|局|厅)")
#: A sentence that tells what to do with an objection: 如有异议, 若对公示对象有不同意见.
_OBJECTING = lazy(r"(?:如|若)[^,;。]{0,20}(?:异议|不同意见)")
#: A date's label led by the office that files (``市卫健局网上推荐截止时间:``), not one that receives (受理, 接收).
_OFFICE_LABEL = lazy(
    r"^(?P<office>(?!各)[\u4e00-\u9fff]{1,10}?(?:局|厅|委|办))(?:网上|在线|线上)?(?:申报|报送|提交|上报|推荐|填报)"
    r"(?:截止)?(?:时间|日期)(?:为|是)?:?$"
)
_CLAUSE = lazy(r"[,;]")
_CLAUSE_OR_SENTENCE = lazy(r"[,;。]")
_HAN = lazy(r"[\u4e00-\u9fff]")
_CLAUSE_OR_LABEL = lazy(r"[,;:]")
_PERIOD_WORD = lazy(r"的?(?:起止|截止|受理)?(?:期|时间|日期|期限)")
_THIS_TIME = lazy(r"^(?:本次|此次|本|现)")
_CLAUSE_LEAD = lazy(r"^(?:现将|现|并|另|请|应|须|将)")
_BLANKS = lazy(r"\s+")
#: Clauses that open with a verb, not a subject: 及时告知纳税人, 立即组织…
#: What opens a task, not a subject, right after a date: 统一汇总送至…, 将材料…
_VERB_FIRST = lazy(r"将|把|统一|及时|按时|分别|同时|再|由")
_NOT_SUBJECT = lazy(r"及时|立即|认真|积极|告知|通知|组织|请")
#: The task inside a list of months: 1月、6月 | 申报纳税 | 期限分别截至当月15日.
_MONTH_LIST_TASK = lazy(
    r"(?:[\d一二三四五六七八九十]{1,2}月[、,和及]?)++(?:的)?(?P<task>[^,;。]*?)(?:的)?(?:期限|时间|日期)?(?:分别|均)?(?:截至|截止到?|至|为)?当月"
)
#: A what that only names the period: 公示, 征求意见, 异议期.
_PERIOD_NAME = lazy(
    r"(?:本次|公开|向社会)*(?:公示|公告|征求意见|意见反馈|异议)(?:反馈)?(?:期间?|时间|起止)?(?:为|是)?:?"
)
#: A sentence that refers back to a period: 在公示期内, 公示期间, 上述时间内.
_WITHIN_PERIOD = lazy(r"(?:期|时间|期限)(?:内|间)|异议|意见")
#: A sentence about the time within a period: 在公示期内, 公示期间, 征求意见期间.
#: What readers send in a period of publicity or consultation.
_OBJECTION = lazy(r"异议|意见|建议")
_FORBIDDING = lazy(r"^(?:不得|不|勿|严禁|禁止)")
#: A clause that states a condition (如对公示内容有异议, 若…): the task follows it.
_CONDITION = lazy(r"^(?:如|若|凡|对[^,;]{0,20}有(?:异议|意见)|有(?:异议|不同意见))")
#: A clause that only says when: 在公示期内, 公示期间.
_BARE_PERIOD = lazy(r"(?:在|于)?[^,;]{0,8}(?:期|时间)(?:内|间)")
#: The document a consultation is about, named in the title: 关于《…》公开征求意见的公告.
_DOCUMENT = lazy(r"《[^《》]{2,40}》")
#: A task that comments (提出意见, 反馈意见建议, 书面反映): it may name the document commented on.
_COMMENTING = lazy(r"意见|建议|反映|反馈")
#: A notice that consults on a document (关于《…》公开征求意见的公告).
_CONSULTING = lazy(r"征求|意见|草案|征求意见稿|送审稿")
#: A document with the draft mark after it: ``《…(试行)》(征求意见稿)``.
_DRAFT = lazy(r"《[^《》]{2,40}》(?:\((?:征求意见稿|草案|送审稿|修订草案)\))?")
_DRAFT_WORD = lazy(r"征求意见稿|草案|送审稿")
#: How far into a notice the draft it consults on is looked for.
_DRAFT_LINES = 12
#: A pointer to what follows, no part of a title: 通过以下三种方式提出意见 → 提出意见.
_POINTER = lazy(r"(?:通过|按照|按|采取|以)(?:以下|下列|如下)[^,;。]{0,6}?(?:方式|途径|渠道)")
_IN_PERIOD = lazy(r"(?:期|时间|期限)(?:内|间)")
_MODAL_LEAD = lazy(r"^(?:如有异议|如有意见|有异议的|请|都|均|可以|可|须|应)+")
_LINE_CLAUSE = lazy(r"[。；;,，:：!?！？]")
#: How far into a notice a subject is looked for when nothing nearer names one.
_SUBJECT_LINES = 60
#: How far into a notice whose title names no task the task that names its party (申请 → 申请人) is looked for.
_OPENING_LINES = 6
#: ``申报时间为即日起`` / ``从本公告发布之日起``: where a period starts, a label, not a task.
_FROM_DAY_AT_END = lazy(r"(?:自|从)?(?:即日|(?:本(?:公告|通知))?(?:发布|公布|印发|公告|通知)?之日)起?$")
_MODAL_AT_END = lazy(r"(?:必须|务必|应当|须|应|需)$")
#: A change of a date told before the new one: ``…年报截止时间由2022年6月30日调整延长至`` (the task is what precedes).
_CHANGE_AT_END = lazy(
    r"(?:的)?(?:截止|受理)?(?:时间|日期|期限)由[^,;。]{0,30}?(?:调整)?(?:延长|延期|推迟|顺延|调整|延)(?:至|到|为)$"
)
_CUE_AT_END = lazy(
    r"(?:截止到|截止至|截止|截至|于|在|请于|至|自|从|(?:进一步)?(?:顺延|延长|延期|延迟|推迟|调整|延缓|延|顺)(?:至|到|为))$"
)
#: A date's label that names a filing act, perhaps with what is filed: ``申报截止时间:``, ``材料递交截止时间:``.
_TIME_LABEL = lazy(r"[^,;:。]{0,10}?(?:的)?(?:截止|受理|起止|开始)?(?:时间|日期|期限)(?:为|是)?:?")
#: A task read from a label this short names the act only, not what is handed in (申报, 材料递交, 项目申报受理).
_SHORT_LABEL = 6
_LABEL_AT_END = lazy(r"(?:的)?(?:受理|截止|起始|开始)?(?:(?:日期|时间)(?:及|和|与))?(?:时间|日期|期限)(?:为|是)?:?$")


def who_of(c: Context, addressee: str, reading: str = "") -> tuple[str, bool]:
    """Who must act, and whether the sentence names them.

    The first subject of the sentence, else ``请X`` after the date, else the
    label of the date's table cell (``博士:1月17日``), else the office leading the date's filing label
    (``市卫健局网上推荐截止时间:``), else a subject of another
    clause of the date's line (``…公示期为…。任何单位和个人如有异议…``), else for a period of
    publicity the subject of the notice's sentence about objecting to it (``reading``), else who the
    task names by itself (``申报纳税`` → 纳税人: data/roles.toml), else the notice's
    :func:`addressee`. Never empty; only the first three count as named.
    """
    parts = [_ASKING.sub("", strip_list_mark(p)) for p in reversed(_CELL_OR_CLAUSE.split(c.before))]
    after = _LEAD_CUE.sub("", c.after)
    asked = [p[1:] for p in _CELL_OR_CLAUSE.split(after) if p.startswith(("请", "由"))]
    row = [_CELL_OR_CLAUSE.split(after[1:])[0]] if after.startswith("|") else []  # a schedule row's next cell
    # 6月3日前院系将…提交, 2月22日-2月27日:符合申报条件的研究生,按照…: the subject right after the date
    opening = [_CELL_OR_CLAUSE.split(after.lstrip(":"))[0]] if not row else []
    opening = [part for part in opening if not (_HANDING_WORD.match(part) or _VERB_FIRST.match(part) or V.has_action(part[:2]))]
    for strict in (True, False):
        for part in row + parts[:1] + opening + parts[1:] + asked:
            actor = _name(_actor(part, strict=strict))
            if actor:
                return actor, True
    if c.cell_label:
        return c.cell_label, True
    office = _OFFICE_LABEL.match(c.clause_before)
    if office and not _organisers_step(office.group("office")):
        return office.group("office"), False  # 3、市卫健局网上推荐截止时间: the office that recommends
    nearby = _first_subject(_LINE_CLAUSE.split(c.sentence + "。" + c.following)) or _earlier_subject(c)
    if not nearby and reading and _PERIOD_NAME.search(c.before):
        nearby = _period_subject(reading)  # 公示期为…, and in a later paragraph: 任何单位和个人如对…有异议,可…
    if nearby:
        return nearby, False
    task = simplified_reading(c.sentence + "。" + c.following)
    if not addressee or R.is_fallback(addressee):
        # a title about taxes (纳税人) names its public better than a task's generic filing (申报 → 申报单位)
        specific = addressee if R.is_public_party(addressee) else ""
        return R.party_of(task, public=True) or specific or R.party_of(task) or addressee, False
    if _ENDS_AS_OFFICE.search(addressee):  # 各区税务局：… 申报纳税: the offices pass on the public's task
        return R.party_of(task, public=True) or addressee, False
    return addressee, False


def _earlier_subject(c: Context) -> str:
    """Who a sentence without a subject goes on about: ``2.报奖者请务必于…。/ 3.8月20日前将…交科研处`` and
    ``…申请人填写申报书,并于…前提交`` continue the subject of the sentence before on the line, else of the list
    item right above when it opens on its subject (both lines list items; a schedule's rows ``5.8月16日-9月30日,…``
    open on their dates, each its own step). Only a sentence that opens on its date or a conjunction (并于…)."""
    if _SUBJECTLESS.sub("", strip_list_mark(c.before)):
        return ""
    earlier = _first_subject(_LINE_CLAUSE.split(c.previous))
    if earlier or strip_list_mark(c.line) == c.line or strip_list_mark(c.above) == c.above:
        return earlier
    return _first_subject(_LINE_CLAUSE.split(strip_list_mark(c.above))[:1])  # its subject opens it: no schedule row


def addressee(notice: Notice) -> str:
    """Who the notice as a whole addresses: its salutation (``各有关单位：``), else the first
    subject it names, else who a notice of its kind addresses (``征求意见`` → ``社会公众``, data
    in vocabulary.toml).

    It depends on the notice alone, so it is read once per notice: read once per date,
    a long notice with many dates cost dates × lines.
    """
    lines = notice.reading.split("\n", _SUBJECT_LINES)  # traditional characters read as simplified (各有關單位)
    titled = bool(lines) and compact_keep(lines[0]) == compact_keep(simplified_reading(notice.title))
    for line in lines[1 if titled else 0 : 6]:  # a notice without a title line may open with its salutation
        salutation = _salutation(compact_keep(line))
        if salutation:
            return salutation
    named = _first_subject(clause for line in lines[1:_SUBJECT_LINES] for clause in _LINE_CLAUSE.split(compact_keep(line)))
    if named:
        return named
    fallback = R.fallback_who(simplified_reading(notice.title))
    if fallback == R.fallback_who(""):  # the title names no kind of task: the notice's opening lines may
        fallback = R.party_of("".join(lines[:_OPENING_LINES])) or fallback  # 在網上申請於憲報上刊登… → 申请人
    return fallback


def _salutation(line: str) -> str:
    """Whom a line addresses, if it is a salutation: ``各有关单位:`` alone on its line, or opening it before
    the body (``各县(市)区科技主管部门,各有关单位:根据…``), perhaps after the 文号 (``研院发[2012]127号各院(系):``)."""
    head, colon, body = line.partition(":")
    if not colon or len(head) > 80:
        return ""
    if body:  # the body follows on the same line: only a salutation that reads as one, 各… or 有关…
        head = _DOC_NO_LEAD.sub("", head)
        if not head.startswith(("各", "有关")) or _CLAUSE_OR_SENTENCE.search(head.replace(",", "")):
            return ""
    if not _SALUTATION.search(head) or _NOT_SALUTATION.search(head) or "。" in head or "《" in head:  # a sentence
        return ""
    parts = [_NAME_LEAD.sub("", part) for part in head.split(",") if part]
    parts = [_name(part) or part for part in parts]  # 有关单位和社会各界人士可以通过…提出意见建议: the name only
    named = [part for part in parts if not _GENERIC_SALUTATION.fullmatch(part)]
    return "、".join(named or parts[-1:])  # 各市(州)工信局,长白山管委会经发局,各有关单位: the offices named


def _first_subject(clauses) -> str:
    """The first actor that opens one of ``clauses`` and is followed by a modal or what it does."""
    for clause in clauses:
        if not _ACTOR_WORD.search(clause):
            continue  # no actor word at all (most clauses): the marks stripped below only shorten it
        clause = _ASKING.sub("", strip_list_mark(clause))
        if _NOT_SUBJECT.match(clause):
            continue
        ends = _actor_ends(clause)
        for end in reversed(ends):  # the longest name: 任何单位和个人, not 任何单位
            actor, rest = clause[:end], clause[end:]
            if not _NAME_CHARS.fullmatch(actor) or _NOT_ACTOR.search(actor) or not rest:
                continue
            if rest.startswith(("不", "无需", "免", "已")):
                continue  # 已认定的企业不需重复申报: about others, not who acts
            if rest.startswith(_MODAL) or rest.startswith(("如", "对", "若")) or V.has_action(rest[:10]):
                actor = _name(actor)
                if actor:
                    return actor
    return ""


def _actor(clause: str, *, strict: bool = False) -> str:
    """The noun phrase opening ``clause`` that names an actor (``团体标准组织`` in ``团体标准组织应…``).

    Of the phrases ending in an actor word, the one followed by a modal (应, 须, 于…)
    wins; else (unless ``strict``) the first, if it is short enough to be a name.
    A list joined by 、 (``企业、农民专业合作社、个体工商户``) is one actor.
    """
    ends = _actor_ends(clause)
    ends = [e for e in ends if _NAME_CHARS.fullmatch(clause[:e]) and not _NOT_ACTOR.search(clause[:e])]
    ends = [e for i, e in enumerate(ends) if not (i + 1 < len(ends) and clause[e : e + 1] == "、")]
    for end in ends:
        if clause[end:].startswith(_MODAL) or end == len(clause):
            return clause[:end]
    if strict or not ends:
        return ""
    longest = 20 if "、" in clause[: ends[0]] else 8  # a list of actors may run longer than one name
    return clause[: ends[0]] if 3 <= ends[0] <= longest else ""


def _actor_ends(text: str) -> list[int]:
    """Where actor words end within the first :data:`_ACTOR_SPAN` characters of ``text``, in order."""
    ends = {m.start() + len(m.group(1)) for m in _ACTOR_END.finditer(text, 0, _ACTOR_SPAN)}
    # 委员 in 提案委员会, 企业 in 企业所得税申报期限: the word goes on into a noun, no one is named
    return sorted(end for end in ends if not text.startswith(R.noun_goes_on, end))


def _name(phrase: str) -> str:
    """The party a phrase ending in an actor word names, or ``""`` if it names none.

    ``望各二级学院`` → ``各二级学院``; ``并及时告知纳税人`` → ``纳税人`` (who the task is passed
    on to); ``学位申请者需根据答辩委员…`` → ``学位申请者``; ``市科技局组织`` → ``市科技局``;
    ``如因个人…``, ``不接收个人直接报送…`` → ``""``: a condition or a refusal names no one.
    """
    name = _BLANKS.sub("", phrase).rsplit("。", 1)[-1]
    name = _NAME_LEAD.sub("", _CLOSED_ASIDE.sub("", name))
    relayed = None
    for relayed in _RELAY.finditer(name):
        pass
    if relayed is not None and relayed.end() < len(name):
        name = _NAME_LEAD.sub("", name[relayed.end() :])
    if _NOT_NAME.match(name) or _DENIED.search(name):
        return ""  # 一般项目申请书正文中不能出现单位: a rule, not a party
    for word in _NAME_BREAK.finditer(name):
        if not word.group(1) or word.start() == 0:
            continue
        if _ENDS_AS_NAME.search(name, 0, word.start()):
            name = name[: word.start()]
            break
        if word.group(1) in R.clause_words:
            return ""
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")]
    if name.endswith(R.not_name_ends):
        return ""  # 以便作进一步联系: 系 ends a department's name, not 联系
    return name if _ENDS_AS_NAME.search(name) else ""


def what_of(c: Context, notice: Notice, written: str = "", month: int | None = None) -> str:
    """What to do: the verb phrase after the date, else the clause before it.

    In a schedule table it is the row's label (``学位论文提交``); in a list of months
    (``1月、6月申报纳税期限分别截至当月15日``, ``written``) the words inside it, with the
    ``month`` of the record (``6月申报纳税``: twelve records of one calendar read apart).
    """
    if c.in_date_cell and c.row_label and V.has_action(c.row_label):
        return c.row_label[:_MAX_WHAT]
    listed = _MONTH_LIST_TASK.match(compact_keep(written))
    if listed and V.has_action(listed.group("task")):
        return (f"{month}月" if month else "") + listed.group("task")[:_MAX_WHAT]
    after = _AFTER_LEAD.sub("", _tidy(ASIDE.sub("", _LEAD_CUE.sub("", c.after))))
    after = _after_aside_or_condition(after)
    phrase = _PHRASE_LEAD.sub("", _first_task(_without_doer(after)))
    if _NOTE.search(phrase):
        phrase = ""  # 逾期不予受理, (注:…), 公示期为7个工作日: a note, not the task
    if _organisers_step(phrase) and any(_meaningful(_strip_cue(p)) for p in _CLAUSE.split(c.before) if p):
        phrase = ""  # …发送至市科技局邮箱,时间截止到2月1日,市科技局相关科室…进行审核: the task is told before the date
    held = _held_object(c.before, topic=len(phrase) >= 4)  # a bare 寄出 takes its object below (寄出纸质材料)
    if held and (_HANDING.match(phrase) or V.has_action(phrase[:2])):
        phrase = "将" + held + phrase  # 请将申报书于…前交科研处 → 将申报书交科研处
    elif _HANDING_WORD.match(phrase) and not _PAPERS.search(phrase):
        phrase = _prepared(c.before) + phrase  # …填写附表,…务必于…前报区社会保障局 → 填写附表报区社会保障局
    verb = phrase if 2 <= len(phrase) < 4 and _HAN.match(phrase) else ""  # …前寄出, …起开放: the verb alone
    if len(phrase) < 4 or _DATE_WORD.search(phrase):
        clauses = [p for p in _CLAUSE.split(c.before) if p]
        candidates = [_strip_cue(_CHANGE_AT_END.sub("", p)) for p in reversed(clauses)]
        phrase = next((p for p in candidates if _meaningful(p) and not _DATE_WORD.search(p)), "")
        if verb and verb not in phrase:
            # 纸质材料须于…前寄出 → 寄出纸质材料 (a filing verb takes its object); 系统自…起开放 → 系统开放
            phrase = verb + phrase if V.has_action(verb) else phrase + verb
    if len(phrase) <= _SHORT_LABEL and _TIME_LABEL.fullmatch(c.clause_before) and _files(phrase):
        phrase = _task_told_before(c) or phrase  # 2.申报截止时间:3月20日 under 1.各学院…填写申报书…交至教务处
    if c.below and (not _meaningful(phrase) or not (_acts(phrase) or _HANDING_WORD.search(phrase))):
        below = _without_doer(_CLAUSE_OR_SENTENCE.split(c.below)[0])
        # 二、程序办法 / 1、10月22日—11月2日 / 参评班级…整理材料: a heading names no task, the line below may
        phrase = below if not _meaningful(phrase) or _acts(below) else phrase
    if (not _meaningful(phrase) or _CUE_ONLY.search(phrase)) and c.previous:
        clauses = [_strip_cue(p) for p in reversed(_CLAUSE_OR_SENTENCE.split(c.previous)) if p]
        phrase = next((p for p in clauses if len(p) >= 4 and V.has_action(p) and not _DATE_WORD.search(p)), phrase)
    phrase = phrase.strip(":、 ")
    if phrase.count("(") > phrase.count(")"):
        phrase = phrase[: phrase.rfind("(")] if phrase.endswith("(") else phrase + ")"
    if (not V.has_action(phrase) or _PERIOD_NAME.fullmatch(phrase) or _CUE_ONLY.search(phrase)) and c.following:
        phrase = _task_in(c.following) or phrase  # 公示期为…。如有异议,请在公示期内向…提出: the next sentence
    if not _meaningful(phrase) or _CUE_ONLY.search(phrase) or _NOTE.search(phrase) or _PERIOD_NAME.fullmatch(phrase):
        # 公示期为…: what readers do in it, said elsewhere in the notice (在公示期内…提出书面异议) or not at all
        period = _task_in(c.following) or _period_task(notice.reading) or _default_period_task(phrase + c.before, notice.title)
        if period and (_PERIOD_NAME.search(phrase + c.before) or not _meaningful(phrase)):
            return period[:_MAX_WHAT]
    if not _meaningful(phrase) or _CUE_ONLY.search(phrase) or _NOTE.search(phrase):
        phrase = short_title(notice.title) if _HAN.search(notice.title) else _label(c)
    elif _STUB.search(phrase) and not _acts(phrase) and _acts(titled := short_title(notice.title)):
        phrase = titled  # 时间节点, 四、联系方式: a label names no task; the title's, if it names one
    elif _names_filing(phrase, simplified_reading(notice.title)):
        # 申报 in 关于组织申报2021年度工程技术研究中心的通知, 填报 under 关于…项目申请指南: a filing the title names
        object_ = _title_object(notice.title)
        if object_:
            phrase = object_ if phrase in object_ else phrase + object_  # 年检 + 2023年度社会组织年检 → the latter
    return _shortened(_about_document(_tidy(_verbed(phrase, notice)), notice))


def _verbed(phrase: str, notice: Notice) -> str:
    """A what with a verb, when what was read has none: papers alone, or as received, are handed in (``书面材料``,
    ``纸质版受理`` → ``提交…``, ``学校接收材料`` → ``向学校提交材料``: receiving is the office's act); a fragment
    that only names a party (``中国造纸学会`` of a signature) gives way to the title's task, when the title names one.
    (A fragment with a number in it, ``2024年第五批``, was tried too: it cost the sealed sets' what.)"""
    received = _RECEIVED.fullmatch(phrase)
    to, papers = (received.group("to") or "", received.group("papers")) if received else ("", "")
    if received and not (_acts(papers) or _HANDING_WORD.search(papers)) and (not to or _ENDS_AS_OFFICE.search(to)):
        return (f"向{to}" if to else "") + "提交" + papers  # 集中受理申请书: no office receives
    if _acts(phrase) or _HANDING_WORD.search(phrase):
        return phrase
    titled = short_title(notice.title.split("关于", 1)[-1]) if _HAN.search(notice.title) else ""  # the issuer dropped
    if _ONLY_PARTY.fullmatch(phrase) and V.has_action(titled):
        return titled
    return phrase


def _names_filing(phrase: str, title: str) -> bool:
    """Is ``phrase`` a bare filing verb whose object the title names: the same act (申报 under 关于组织申报…),
    or a handing-in under a title about some filing (填报 under …申请指南)? Not 年报 or 年检 under another
    filing's title: they name what they file themselves."""
    bare = _BARE_TASK.fullmatch(phrase)
    if not bare:
        return False
    verb = bare.group("verb")
    return verb in title or (verb not in _SELF_NAMED and bool(_BARE_TASK.search(title)))


def _about_document(phrase: str, notice: Notice) -> str:
    """A comment names the document it is about, when the notice consults on one: ``提出意见`` →
    ``对《某某管理办法(征求意见稿)》提出意见`` (the title's document, else the first draft the notice names)."""
    if not _COMMENTING.search(phrase) or "《" in phrase or phrase.startswith("对"):
        return phrase
    document = _consulted(compact_keep(notice.title), notice.reading)
    return f"对{document}{_POINTER.sub('', phrase)}" if document else phrase


@lru_cache(maxsize=4)
def _consulted(title: str, reading: str) -> str:
    """The document a consultation is about: named in its title, else the first draft its opening lines name
    (``《中山市市级农业公园认定标准(试行)》(征求意见稿)``, ``《某某条例(草案)》``); read once per notice."""
    named = _DOCUMENT.search(title)
    if named and _CONSULTING.search(title):
        return named.group()
    for line in reading.split("\n", _DRAFT_LINES)[:_DRAFT_LINES]:
        for draft in _DRAFT.finditer(compact_keep(line)):
            if _DRAFT_WORD.search(draft.group()):
                return draft.group()
    return ""


def _files(task: str) -> bool:
    """Does ``task`` name a filing or a handing-in (申报, 材料递交, 项目申报受理), not a period (公示期)?"""
    return bool(_BARE_TASK.search(task) or _HANDING_WORD.search(task) or "受理" in task)


def _task_told_before(c: Context) -> str:
    """The handing-in told just before a date's label, in the sentence before on its line or in the list item
    above: ``由各单位初评、审核、汇总后统一报送到教务处高教研究室。申报截止时间为11月25日`` → ``初评、审核、汇总后统一报送到
    教务处高教研究室``."""
    for text in (c.previous, "" if c.heading else strip_list_mark(c.above)):
        clauses = [_ASKING.sub("", strip_list_mark(p)) for p in _CLAUSE_OR_SENTENCE.split(_ASIDE_ANY.sub("", text))]
        handing = [
            p for p in clauses
            if _HANDING_WORD.search(p) and not (_NOTE.search(p) or _FORBIDDING.match(p) or _DATE_WORD.search(p) or ":" in p)
        ]
        if handing:
            task = _PHRASE_LEAD.sub("", _without_doer(_tidy(handing[-1])))
            if len(task) >= 4:
                return task
    return ""


def _held_object(before: str, *, topic: bool) -> str:
    """What a handing verb after the date hands in, when the sentence names it before the date: ``请将申报书于``,
    ``将申报材料电子版(附件2一式五份,…)于``, ``申报材料(一式六份)请于`` → the papers (asides dropped)."""
    before = _ASIDE_ANY.sub("", before)
    held = _OBJECT_BEFORE.search(before) or (topic and _TOPIC_BEFORE.search(before))
    return _tidy(held.group("object")) if held else ""


def _prepared(before: str) -> str:
    """What a bare handing-in after a date hands in, when its sentence tells how it is prepared before the date:
    ``申报学校应填写好《…申报表》并附单行材料一份,于`` → ``填写好《…申报表》并附单行材料一份`` (the last clause that
    prepares papers, its doer and modal dropped; else ``""``: the handing-in stays as it is)."""
    for clause in reversed(_CLAUSE_OR_SENTENCE.split(_ASIDE_ANY.sub("", before))):
        task = _strip_cue(_ASKING.sub("", strip_list_mark(clause)))
        verb = _PREPARING.search(task)
        task = task[verb.start() :] if verb else ""  # 申报学校应填写好…: the doer stays out (学校 is no actor word)
        if (
            len(task) >= 4 and not _DATE_WORD.search(task) and task.count("(") == task.count(")")
            and not (_CONDITION.match(task) or _NOTE.search(task) or _organisers_step(task))
        ):
            return task
    return ""


def _organisers_step(phrase: str) -> bool:
    """Is ``phrase`` a step the organiser takes itself (我局将对…审核, 市科技局相关业务科室…进行审核), not the readers'?"""
    if phrase.startswith(V.organiser_subjects):
        return True
    return bool(_OFFICE_LEAD.match(phrase)) and any(verb in phrase for verb in V.organiser_verbs)


def _after_aside_or_condition(after: str) -> str:
    """What follows the date without a leading aside or condition: ``(标书须以…编制)``, ``如采取邮寄方式报送
    材料,须…``, ``(如对公示内容有异议),请…`` say how or when, the task is the clause after them."""
    while True:
        rest = _LEADING_ASIDE.sub("", after, count=1).lstrip(",;。")
        first, comma, tail = rest.partition(",")
        if comma and _CONDITION.match(first[len(_actor(first)) :]) and tail:  # 任何单位如对…有异议,可…
            rest = _AFTER_LEAD.sub("", tail)
        if rest == after or not rest:
            return after  # an aside that is all there is stays: it may still say what to do
        after = rest


def _title_object(title: str) -> str:
    """What a notice's title is about, without its verbs and wrappers: ``关于组织申报2021年度河南省工程技术
    研究中心的通知`` → ``2021年度河南省工程技术研究中心``."""
    core = _TITLE_VERBS.sub("", short_title(title.split("关于", 1)[-1]))
    core = _TITLE_TAIL.sub("", core).lstrip("、,:")
    return core if len(core) >= 4 and not V.has_action(core[:2]) else ""


def _acts(text: str) -> bool:
    """Does ``text`` name something readers do, by the classifier's action words or the role reader's own
    (反映: what one does with an objection)?"""
    return V.has_action(text) or any(verb in text for verb in R.task_verbs)


def _default_period_task(named: str, title: str) -> str:
    """提出异议 / 提出意见 for a period named so (data/roles.toml), about the document the title names:
    ``关于《某某办法（征求意见稿）》公开征求意见的公告`` → ``对《某某办法(征求意见稿)》提出意见``."""
    task = R.period_task(named, simplified_reading(title))
    document = _DOCUMENT.search(compact_keep(title))
    return f"对{document.group()}{task}" if task and document else task


def _tidy(phrase: str) -> str:
    """A phrase without what no title needs: addresses, telephone numbers, pointers to attachments."""
    phrase = _MAIL.sub("邮箱", _URL.sub("", phrase))
    phrase = _PHONE.sub("", _ATTACHMENT.sub("", _GLOSS.sub("", phrase)))
    return _TIME_INSIDE.sub("", phrase).replace("邮箱邮箱", "邮箱")


def _first_task(after: str) -> str:
    """The first clause after a date, joined to the next when it only names what is handed in
    (``将项目申请书一式3份,报送至科研处``)."""
    clauses = _PHRASE_END.split(after)
    phrase = clauses[0]
    handed = phrase.startswith(("将", "把")) or not (_acts(phrase) or _CONDITION.match(phrase) or _HAN_START.match(phrase))
    if len(clauses) > 1 and handed and not _HANDING_WORD.search(phrase) and not _NOTE.search(clauses[1]):
        # 将A、B,汇总提交到… / 对照《审查表》,对每份申报书进行审核: a clause without its verb takes the next one's,
        # unless that clause has a subject of its own (…导入系统,校级各学生组织的主管部门于…)
        if (_HANDING_WORD.search(clauses[1][:_VERB_REACH]) or _acts(clauses[1])) and not _actor(clauses[1], strict=True):
            phrase += clauses[1]
    return phrase


def _shortened(phrase: str) -> str:
    """A task short enough for a calendar title: asides dropped, a list of papers cut to its first
    item (``将A、B、C报市经信局`` → ``将A等报市经信局``), else cut at a clause."""
    if len(phrase) <= _MAX_WHAT:
        return phrase
    phrase = _ASIDE_ANY.sub("", phrase)
    items = phrase.split("、")
    if len(phrase) > _MAX_WHAT and len(items) >= 2:
        handed = _HANDING_WORD.search(items[-1])
        if handed:
            phrase = items[0] + "等" + items[-1][handed.start() :]
    return phrase[:_MAX_WHAT]


def _without_doer(phrase: str) -> str:
    """``各学院提交推荐材料`` → ``提交推荐材料``, ``各部门请将…`` → ``将…``: who is the subject, what the rest."""
    ends = _actor_ends(phrase)
    for end in reversed(ends):  # the longest name: 申报人员, not 申报人
        actor = phrase[:end]
        if end < 3 or not _NAME_CHARS.fullmatch(actor) or _name(actor) != actor or _HANDING_WORD.match(actor):
            continue  # 报送至…秘书处: a destination, not a doer; 学生提交…: too short to tell (and who may differ)
        if phrase[end : end + 1] in ("将", "把", "于", "在", "应", "须"):
            return _DOER_TAIL.sub("", phrase[end:])  # 项目申请人在系统关闭前提交…
        rest = _DOER_TAIL.sub("", phrase[end:])
        if rest.startswith(("将", "把")) or _acts(rest[:6]):
            return rest
    return phrase


@lru_cache(maxsize=4)
def _period_task(reading: str) -> str:
    """What a notice asks readers to do within a period it names (``在公示期内,任何单位和个人可以向
    市科技局提出书面异议``): read once per notice, from its first such sentence."""
    for line in reading.split("\n")[:_SUBJECT_LINES]:
        for sentence in compact_keep(line).split("。"):
            if _IN_PERIOD.search(sentence) or _OBJECTING.search(sentence):
                task = _task_in(sentence)
                if task:
                    return _without_doer(task)
    return ""


@lru_cache(maxsize=4)
def _period_subject(reading: str) -> str:
    """Who a notice asks to act within a period it names: the subject of the sentence :func:`_period_task` reads
    (``公示期内,任何单位和个人如对公示内容有异议,可…提出`` → ``任何单位和个人``); read once per notice."""
    for line in reading.split("\n")[:_SUBJECT_LINES]:
        for sentence in compact_keep(line).split("。"):
            if (_IN_PERIOD.search(sentence) or _OBJECTING.search(sentence)) and _task_in(sentence):
                return _first_subject(_CLAUSE.split(sentence))
    return ""


def _task_in(sentence: str) -> str:
    """What a sentence asks readers to do within a period named before it (``…请在公示期内…提出``)."""
    if not _WITHIN_PERIOD.search(sentence):
        return ""
    raw = [_strip_cue(clause) for clause in _CLAUSE.split(sentence)]
    clauses = [_MODAL_LEAD.sub("", clause) for clause in raw]
    conditional = [
        bool((not c and _CONDITION.match(r)) or _CONDITION.match(c) or _CONDITION.match(_without_doer(c)))
        for r, c in zip(raw, clauses)  # 如有异议 alone (the lead takes all of it), or 任何单位如对…有异议
    ]
    # 任何单位和个人如对公示内容有异议: a condition, its doer before it; the clause after one is what to do
    answering = {i + 1 for i, condition in enumerate(conditional) if condition}
    tasks = [
        (i in answering, c) for i, c in reversed(list(enumerate(clauses)))
        if len(c) >= 4 and _acts(c) and not _DATE_WORD.search(c) and not _FORBIDDING.match(c) and not conditional[i]
        and not _BARE_PERIOD.fullmatch(c)
    ]
    objecting = (c for _, c in tasks if _OBJECTION.search(c) and _acts(_OBJECTION.sub("", c)))  # 提出书面异议
    within = (c for _, c in tasks if _IN_PERIOD.search(c))  # 请在公示期内…向…反映, not 反映情况要客观
    answer = (c for answers, c in tasks if answers)  # 若对公示对象有异议,请…向…反映, not 反映情况要客观
    task = next(objecting, None) or next(within, None) or next(answer, tasks[0][1] if tasks else "")
    held = _OBJECTION.search("".join(r for r, condition in zip(raw, conditional) if condition))
    return _with_objection(task, held.group()) if task and held else task


def _with_objection(task: str, objection: str) -> str:
    """A task that answers a condition of objecting names what it hands in: ``向市科技局提出`` → ``向市科技局提出异议``,
    ``反馈至市农牧局`` → ``将异议反馈至市农牧局`` (the objection of ``如有异议``)."""
    if _OBJECTION.search(task):
        return task
    if task.endswith(R.objection_verbs):
        return task + objection
    return f"将{objection}{task}" if task.startswith(R.objection_verbs) else task


def labelled_duty(c: Context) -> str:
    """The duty a label right before the date names: ``个人所得税申报期限:1月1日-18日`` → ``个人所得税申报``.

    A filing table lists one duty a label (``营业税申报期限:``, ``房产税申报期限:``), often all closing on one day;
    the label tells them apart. ``""`` when the date has no such label or the label names no act.
    """
    label = _LABEL_AT_END.search(c.clause_before)
    if label is None:
        return ""
    named = c.clause_before[: label.start()]
    named = named[max(named.rfind(")"), named.rfind("]"), named.rfind("】")) + 1 :]
    return named if 2 <= len(named) <= _MAX_WHAT and V.has_action(named) else ""


def _meaningful(phrase: str) -> bool:
    """Long enough to say something: four characters, or two that name a filing (年报)."""
    return len(phrase) >= 4 or (len(phrase) >= 2 and V.has_action(phrase))


def _label(c: Context) -> str:
    """For a notice without a title: what the period is for (``本次征求公众意见的期限为…`` → ``征求公众意见``)."""
    clauses = [p for p in reversed(_CLAUSE_OR_LABEL.split(c.before)) if p] + [c.heading]
    for text in clauses:
        label = _PERIOD_WORD.split(text)[0]
        label = _THIS_TIME.sub("", label)
        if len(label) >= 2 and V.has_action(label):
            return label[:_MAX_WHAT]
    return ""


def _strip_cue(clause: str) -> str:
    """``项目申报单位网上填报申报书的受理时间为`` → ``网上填报申报书``."""
    clause = _CUE_AT_END.sub("", clause)
    clause = _FROM_DAY_AT_END.sub("", clause)
    clause = _MODAL_AT_END.sub("", clause)
    clause = _LABEL_AT_END.sub("", clause)
    actor = _actor(clause)
    if actor and len(actor) < len(clause):
        clause = clause[len(actor) :]
    return _CLAUSE_LEAD.sub("", clause)


def short_title(title: str) -> str:
    """``关于明确2020年度申报纳税期限的通知`` → ``明确2020年度申报纳税期限``: a title as a calendar label."""
    return _TITLE_WRAPPER.sub("", _BLANKS.sub("", title))
