"""Who must act and what to do: the calendar title people see. Notices of our own writing."""

from __future__ import annotations

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices
from calendar_svc.vocabulary import VOCABULARY

SIGNED = "\n市科学技术局\n2024年5月6日\n"


def records(text: str):
    deadlines = []
    for notice in split_notices(text, "n.txt"):
        deadlines += [d for d in classify_notice(notice)[0] if d.actionable]
    return deadlines


def only(text: str):
    (record,) = records(text)
    return record


@pytest.mark.parametrize(
    ("sentence", "who", "what"),
    [
        ("公示时间为2024年5月6日至5月12日。任何单位和个人如有异议，请在公示期内向市科技局提出书面异议。",
         "任何单位和个人", "在公示期内向市科技局提出书面异议"),
        ("异议期：2024年5月6日—5月10日。社会公众对上述项目有不同意见的，可在异议期内以书面形式向我局反映。",
         "社会公众", "在异议期内以书面形式向我局反映"),
        ("公示期为2024年5月7日至5月13日。有关单位对名单有异议的，请于公示期内实名提交书面意见。",
         "有关单位", "于公示期内实名提交书面意见"),
    ],
)
def test_a_period_takes_its_task_and_people_from_the_next_sentence(sentence: str, who: str, what: str) -> None:
    record = only("关于2024年度科技奖拟提名项目的公示\n" + sentence + SIGNED)
    assert (record.who, record.what) == (who, what)


@pytest.mark.parametrize(
    ("sentence", "what"),
    [
        ("纸质材料须于2024年5月31日前寄出。", "寄出纸质材料"),
        ("申报书原件应于2024年5月31日前寄达。", "寄达申报书原件"),
        ("盖章的承诺书务必于2024年5月31日前上交。", "上交盖章的承诺书"),
    ],
)
def test_a_bare_verb_after_the_date_takes_its_object_from_before(sentence: str, what: str) -> None:
    assert only("关于申报的通知\n各单位：\n" + sentence + SIGNED).what == what


@pytest.mark.parametrize(
    "sentence",
    ["申报时间为即日起至2024年5月31日。", "受理时间：即日起至2024年5月31日。", "申报期限为自本通知印发之日起至2024年5月31日。"],
)
def test_a_period_label_is_not_the_task(sentence: str) -> None:
    record = only("关于开展项目申报的通知\n各单位：\n" + sentence + SIGNED)
    assert record.what in ("申报", "受理", "开展项目申报")


@pytest.mark.parametrize(
    ("title", "body", "who"),
    [
        ("关于《城市道路管理办法》公开征求意见的公告", "意见反馈截止时间为2024年5月31日。", "社会公众"),
        ("关于2024年度企业年报工作的公告", "年报报送截止日为2024年6月30日。", "市场主体"),
        ("关于开展2024年专利资助申报的通知", "申报截止时间为2024年5月31日。", "申报单位"),
        ("关于2024年度专项资金的通知", "截止时间为2024年5月31日。", "有关单位和个人"),
    ],
)
def test_who_is_never_empty(title: str, body: str, who: str) -> None:
    """No subject, no salutation: who a notice of that kind addresses (data in vocabulary.toml)."""
    assert only(title + "\n" + body + SIGNED).who == who


def test_a_salutation_is_the_fallback_only_when_the_line_names_no_one() -> None:
    text = "关于申报的通知\n各学院：\n截止时间为2024年5月31日，申报人须通过系统提交申报书。\n" + SIGNED
    assert only(text).who == "申报人"
    text = "关于申报的通知\n各学院：\n截止时间为2024年5月31日。\n" + SIGNED
    assert only(text).who == "各学院"


def test_a_verb_opening_a_clause_is_not_a_subject() -> None:
    text = "关于申报的通知\n截止时间为2024年5月31日，及时告知纳税人。\n" + SIGNED
    assert only(text).who != "及时告知纳税人"


def test_every_record_of_the_corpus_has_a_who_and_a_what_with_a_verb() -> None:
    from pathlib import Path

    corpus = Path(__file__).resolve().parent / "data" / "corpus" / "policy-compilation-2024-08.md"
    found = records(corpus.read_text("utf-8"))
    assert found and all(d.who for d in found)
    assert all(VOCABULARY.has_action(d.what) for d in found), [d.what for d in found if not VOCABULARY.has_action(d.what)]


@pytest.mark.parametrize(
    ("sentence", "whats"),
    [
        ("1月、4月、7月申报纳税期限分别截至当月15日。", {"1月申报纳税", "4月申报纳税", "7月申报纳税"}),
        ("3月、9月的统计报表报送截至当月10日。", {"3月统计报表报送", "9月统计报表报送"}),
    ],
)
def test_a_month_list_names_its_task_inside_and_each_record_its_month(sentence: str, whats: set[str]) -> None:
    found = records("关于明确2024年度申报纳税期限的通知\n各区税务局：\n" + sentence + SIGNED)
    assert {d.what for d in found} == whats


@pytest.mark.parametrize(
    ("body", "who"),
    [
        # who the addressee passes the task on to
        ("请各区税务局及时告知纳税人。纳税人须于2024年5月15日前申报纳税。", "纳税人"),
        ("请各县区局及时提醒申报企业。申报企业于2024年5月15日前提交材料。", "申报企业"),
        ("现将有关事项通知如下，请督促项目负责人按期完成。2024年5月15日前提交结题报告。", "项目负责人"),
        # a clause opening word, a modal or a verb is no part of the name
        ("望各二级学院高度重视，于2024年5月15日前报送推荐材料。", "各二级学院"),
        ("学位申请者需根据答辩委员会意见修改论文，于2024年5月15日前提交。", "学位申请者"),
        ("各省（区、市）文化和旅游厅（局）需认真组织，于2024年5月15日前报送材料。", "各省(区、市)文化和旅游厅(局)"),
        ("各县（区）工信主管部门组织企业申报，于2024年5月15日前报送推荐材料。", "各县(区)工信主管部门"),
        # blanks from a PDF's spaced-out letters
        ("各 专 业    分 会：\n请于2024年5月15日前报送提名材料。", "各专业分会"),
    ],
)
def test_who_is_a_name_not_a_clause(body: str, who: str) -> None:
    assert only("关于开展推荐工作的通知\n" + body + SIGNED).who == who


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("如因个人", ""),  # a condition
        ("不接收个人直接报送和非依托单位", ""),  # a refusal
        ("往年的工业企业成本费用调查是基层企业", ""),  # a clause: its subject is no party
        ("纸质版材料报送申请人", ""),
        ("将本单位", ""),  # an object
        ("有意向申报的单位", "有意向申报的单位"),  # 向 inside 意向
        ("已安排残疾人就业的用人单位", "已安排残疾人就业的用人单位"),
        ("最终推荐申报项目负责人", "最终推荐申报项目负责人"),  # 负责人 is one word
        ("申报人所在单位", "申报人所在单位"),
        ("有意向申报的基层组织", "有意向申报的基层组织"),
        ("下同)工业和信息化主管部门", "工业和信息化主管部门"),  # what a cut-off aside leaves
        ("单独以县级农业农村部门", "县级农业农村部门"),
        ("以便作进一步联系", ""),  # 系 ends a department, not 联系
        ("建立质量管理体系", ""),
        ("欢迎社会各界人士", "社会各界人士"),
    ],
)
def test_a_phrase_names_a_party_or_no_one(phrase: str, name: str) -> None:
    from calendar_svc.roles import _name

    assert _name(phrase) == name


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # offices forward the taxpayers' calendar: the taxpayers file
        ("关于明确2024年度申报纳税期限的通知\n国家税务总局各省、自治区、直辖市税务局，局内各部门：\n"
         "2024年1月申报纳税期限截至1月15日。", "纳税人"),
        ("关于2024年纳税申报期限的通知\n各区税务分局：\n现将2024年1月纳税申报期限确定为1月1日至1月15日。", "纳税人"),
        # nobody named, no salutation: the task says who
        ("某项目采购公告\n投标文件递交截止时间为2024年5月31日17时。", "投标人"),
        ("关于某路段设计方案的公示\n公示期为2024年5月6日至5月12日。如有不同意见，请以书面形式向市交通局反映。", "有异议的单位和个人"),
        # …but an objection that is over names no one: the salutation acts
        ("关于评选优秀学生的通知\n各二级学院：\n经公示无异议后，于2024年5月31日前将名单报学生处。", "各二级学院"),
        # a salutation of readers, not of offices, is kept
        ("关于申报纳税辅导的通知\n各位纳税服务志愿者：\n请于2024年5月31日前报名。", "纳税服务志愿者"),
    ],
)
def test_a_task_names_its_party_when_the_notice_does_not(text: str, who: str) -> None:
    assert only(text + SIGNED).who == who


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # a time of day after the date is no task; nor is a comma before the verb
        ("各部门请于2024年5月20日9-12时，将项目申请书一式3份，报送至科研处。", "将项目申请书一式3份报送至科研处"),
        ("请各学院于2024年5月20日上午，将推荐材料报送至教务处。", "将推荐材料报送至教务处"),
        # 将X于…前VERB: the object stands before the date
        ("请将申报书于2024年5月20日前交科研处。", "将申报书交科研处"),
        ("各学院务必将汇总表在2024年5月20日前报学生处。", "将汇总表报学生处"),
        # the subject and its modal are who, not what
        ("各学院请于2024年5月20日前统一将推荐材料报送教务处。", "将推荐材料报送教务处"),
        ("2024年5月20日前，申报人员根据专家意见修改申请书。", "根据专家意见修改申请书"),
        # addresses and asides are no part of a title
        ("请于2024年5月20日前将申报书电子版发送至kyc2024@example.edu.cn。", "将申报书电子版发送至邮箱"),
        ("企业须于2024年5月20日前登录申报系统（网址：https://sb.example.gov.cn/apply）提交申报材料。",
         "登录申报系统提交申报材料"),
        ("请于2024年5月20日前填写申报表（见附件2）报送科技处。", "填写申报表报送科技处"),
    ],
)
def test_what_is_a_verb_phrase(body: str, what: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).what == what


def test_a_long_list_of_papers_is_shortened_before_its_verb() -> None:
    body = ("请各县（市、区）经信部门于2024年5月20日前将加盖公章的正式推荐文件、推荐汇总表、企业申请书（一式三份）、"
            "佐证材料（一式一份）报市经信局中小企业发展科。")
    what = only("关于推荐专精特新企业的通知\n" + body + SIGNED).what
    assert what == "将加盖公章的正式推荐文件等报市经信局中小企业发展科"


@pytest.mark.parametrize(
    ("text", "what"),
    [
        # the period's task is stated in a later paragraph
        ("关于2024年度科技奖拟提名项目的公示\n现予以公示，公示期为2024年5月6日至5月12日。\n"
         "在公示期内，任何单位和个人可以向市科技局提出书面异议。", "向市科技局提出书面异议"),
        # …or not at all: what a reader does in such a period
        ("关于2024年度科技奖拟提名项目的公示\n现予以公示，公示期为2024年5月6日至5月12日。", "提出异议"),
        ("关于《某某管理办法（征求意见稿）》公开征求意见的公告\n征求意见时间为2024年5月6日至6月5日。",
         "对《某某管理办法(征求意见稿)》提出意见"),
        ("关于某路段改造方案的公告\n现公开征求意见，征求意见时间为2024年5月6日至6月5日。", "提出意见"),
        # …and a condition is not the task, the clause after it is: it hands in the objection
        ("关于2024年度拟表彰对象的公示\n公示期为2024年5月6日至5月12日。如对公示对象有异议，请以书面形式向市人社局反映。",
         "以书面形式向市人社局反映异议"),
    ],
)
def test_a_period_of_publicity_or_consultation_asks_for_objections_or_comments(text: str, what: str) -> None:
    assert only(text + SIGNED).what == what


@pytest.mark.parametrize(
    ("title", "body", "what"),
    [
        ("关于组织申报2024年度工程技术研究中心的通知", "请于2024年5月20日前网上申报。", "网上申报2024年度工程技术研究中心"),
        ("关于做好2023年度社会组织年检工作的通知", "请于2024年5月20日前完成年检。", "完成年检"),
        # …a filing other than the verb's: the filing the title is about is what is filed
        ("关于发布2024年度市场开拓项目申请指南的通知", "请于2024年5月20日前网上填报。", "网上填报2024年度市场开拓项目申请指南"),
        ("关于推荐2024年度技能大赛参赛选手的通知", "请于2024年5月20日前报名。", "报名2024年度技能大赛参赛选手"),
        # the title names another act: the verb stays bare
        ("关于2024年度示范项目评审结果的通知", "请于2024年5月20日前报名。", "报名"),
    ],
)
def test_a_bare_filing_verb_takes_its_object_from_a_title_naming_that_act(title: str, body: str, what: str) -> None:
    assert only(title + "\n各单位：\n" + body + SIGNED).what == what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # papers as the sentence's topic, before its modal and the date
        ("申报材料（一式六份及电子文档光盘）请于2024年5月20日下班前报送至我厅。", "将申报材料报送至我厅"),
        ("推荐汇总表须于2024年5月20日前报科技处。", "将推荐汇总表报科技处"),
        ("盖章后的纸质版务必于2024年5月20日前送至教务处。", "将盖章后的纸质版送至教务处"),
        # 将X…于: an aside with its own commas inside the papers' name is no clause
        ("请符合条件的企业，将申报材料电子版及盖章纸质版（附件2一式五份，附件3一式一份）于2024年5月20日前报送至我局。",
         "将申报材料电子版及盖章纸质版报送至我局"),
        # a topic that names who acts is no object
        ("各学院请于2024年5月20日前报送教务处。", "报送教务处"),
    ],
)
def test_a_handing_verb_after_the_date_takes_the_papers_named_before_it(body: str, what: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).what == what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # the list item above says what is handed in and where
        ("1.各学院组织论证，填写申报书（附件1）交至教务处实践科。\n2.申报截止时间：2024年5月20日。", "填写申报书交至教务处实践科"),
        ("2、请各市局汇总审核后，正式行文报送省局科技处。\n\n3、申报截止日期为2024年5月20日，过期不予受理。", "正式行文报送省局科技处"),
        # …or the sentence before, on the same line
        ("由各单位初评、审核、汇总后统一报送到教务处（纸质和电子材料）。申报截止时间为2024年5月20日，逾期不予受理。",
         "初评、审核、汇总后统一报送到教务处"),
        ("各申报单位须在线提交至所属区县科技部门。材料递交截止时间：2024年5月20日。", "在线提交至所属区县科技部门"),
    ],
)
def test_a_filing_label_takes_the_handing_in_told_before_it(body: str, what: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).what == what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # a heading above is no task; a label naming its papers keeps them; contact lines hand in nothing
        ("二、报送要求\n申报截止时间：2024年5月20日。", "申报"),
        ("推荐汇总表报送截止时间：2024年5月20日。", "推荐汇总表报送"),
        ("通信地址：北京市建国门内大街11号交通运输部。申报截止时间：2024年5月20日。", "申报"),
    ],
)
def test_a_filing_label_without_a_handing_in_before_it_stays_as_it_was(body: str, what: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).what == what


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a notice without a title line opens with its salutation
        ("各二级学院（系）：\n现将有关事项通知如下：\n申报截止时间为2024年5月20日。", "各二级学院(系)"),
        # the salutation opens its line before the body, perhaps after the 文号
        ("关于推荐优秀科普作品的通知\n各县（市）区科技主管部门，各有关单位： 根据省厅要求，现将有关事项通知如下。受理截止时间为2024年7月5日。",
         "各县(市)区科技主管部门"),
        ("研院发[2012]127号 各院（系）： 为总结教学成果，现开展评审工作。受理截止时间为2024年7月5日。", "各院(系)"),
        # every office a salutation names, not the last one only
        ("关于申报示范基地的通知\n各市（州）工信局，长白山管委会经发局，梅河口市、公主岭市工信局：\n受理截止时间为2024年7月5日。",
         "各市(州)工信局、长白山管委会经发局、梅河口市、公主岭市工信局"),
        ("关于延长申报时间的通知\n各地级以上市农业农村局，省有关单位：\n受理截止时间为2024年7月5日。", "各地级以上市农业农村局、省有关单位"),
    ],
)
def test_a_salutation_is_read_wherever_it_opens_the_notice(text: str, who: str) -> None:
    assert only(text + SIGNED).who == who


def test_a_sentence_ending_in_a_colon_is_no_salutation() -> None:
    text = ("关于某办法公开征求意见的通知\n为规范管理，我部起草了《某某管理办法》，向社会公开征求意见。公众可通过以下途径提出意见：\n"
            "一、登录网站。\n意见反馈截止时间为2024年5月31日。")
    assert only(text + SIGNED).who == "公众"  # who the sentence names, not the sentence


@pytest.mark.parametrize(
    ("body", "who"),
    [
        # the date opens the sentence and its subject follows it
        ("毕业生须按时提交论文。2024年6月3日前院系将申请者学位材料提交到校学位委员会办公室。", "院系"),
        ("2.2024年6月24日前相关学院对照审查表，审核申报书并报送科研处。", "相关学院"),
        ("2.2024年6月22日-6月27日：符合申报条件的研究生，按照学院要求提交申请书。", "符合申报条件的研究生"),
        # …but a verb right after the date opens the task: the destination is nobody who acts
        ("2024年5月20日前报送至中国科协。", "各单位"),
        ("2024年5月20日前统一汇总送至学校科技处。", "各单位"),
        ("2024年5月20日前交教务处。", "各单位"),
    ],
)
def test_a_subject_right_after_the_date_acts(body: str, who: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).who == who


@pytest.mark.parametrize(
    ("text", "what"),
    [
        # the draft the notice consults on, named in its body
        ("关于公开征求意见的公告\n我局起草了《某市停车管理办法（征求意见稿）》，现公开征求意见。\n"
         "请于2024年5月31日前通过以下三种方式提出意见。", "对《某市停车管理办法(征求意见稿)》提出意见"),
        ("关于公开征求意见的公告\n我局草拟了《某市农业公园认定标准》（征求意见稿），现予公示。\n"
         "请于2024年5月31日前将意见反馈至市农业局。", "对《某市农业公园认定标准》(征求意见稿)将意见反馈至市农业局"),
        # …or in its title
        ("关于《某市出租汽车管理办法》公开征求意见的通知\n请于2024年5月31日前将意见反馈至市交通局。",
         "对《某市出租汽车管理办法》将意见反馈至市交通局"),
    ],
)
def test_a_comment_names_the_document_consulted_on(text: str, what: str) -> None:
    assert only(text + SIGNED).what == what


def test_a_document_cited_but_not_consulted_on_is_not_the_object_of_a_comment() -> None:
    text = "关于征集立法建议的通知\n根据《某市立法条例》规定，现征集立法项目建议。\n请于2024年5月31日前将建议反馈至市司法局。"
    assert "《" not in only(text + SIGNED).what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # an aside or a condition right after the date says how or when; the task follows it
        ("申报单位须于2024年5月20日前（如采取邮寄快递方式报送材料，须在截止时间前送达）提交评审材料。", "提交评审材料"),
        ("请于2024年5月20日前，如对公示内容有异议，以书面形式向市科技局提出。", "以书面形式向市科技局提出"),
        ("请于2024年5月20日前，若需补充材料，将补充材料报送科技处。", "将补充材料报送科技处"),
        # an aside that is all there is stays
        ("截止时间为2024年5月20日（逾期不予受理的申请一律退回）。", "开展项目申报"),
    ],
)
def test_an_aside_or_condition_after_the_date_is_not_the_task(body: str, what: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).what == what


def test_a_list_of_two_long_papers_is_shortened_before_its_verb() -> None:
    body = ("请于2024年5月20日前将《某某省职业技能鉴定国家题库分库评估表》、《某某省职业技能鉴定国家题库分库自评报告》"
            "报送省人社厅。")
    assert only("关于开展评估工作的通知\n各市人社局：\n" + body + SIGNED).what == "将《某某省职业技能鉴定国家题库分库评估表》等报送省人社厅"


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # a clause without its verb takes the next clause's
        ("请于2024年5月20日前将项目信息统计表、结题汇总表、结题材料，汇总提交到研究生院培养办公室。",
         "将项目信息统计表、结题汇总表、结题材料汇总提交到研究生院培养办公室"),
        ("2024年5月20日前，被锁定的企业，仍可通过系统在线申报年度报告。", "被锁定的企业仍可通过系统在线申报年度报告"),
        # a condition after the subject is no task either
        ("请于2024年5月20日前，任何单位如对结果有异议，可向市科技局提出。", "可向市科技局提出"),
    ],
)
def test_a_verbless_clause_after_the_date_takes_the_verb_after_it(body: str, what: str) -> None:
    assert only("关于开展项目申报的通知\n各单位：\n" + body + SIGNED).what == what


def test_a_salutation_that_goes_on_into_its_task_is_cut_to_its_name() -> None:
    text = ("关于某规划公开征求意见的公告\n有关单位和社会各界人士可以通过邮寄或者电子邮件方式提出意见建议：\n"
            "一、邮寄至市规划局。\n意见反馈截止时间为2024年5月31日。")
    assert only(text + SIGNED).who == "有关单位和社会各界人士"


@pytest.mark.parametrize("day", ["周一", "周三", "周日"])
def test_a_schedule_day_before_a_subject_is_no_part_of_its_name(day: str) -> None:
    text = f"关于毕业设计工作安排的通知\n各单位：\n2024年6月3日-6月9日：{day}各学院统计上报延期答辩学生名单。"
    assert only(text + SIGNED).who == "各学院"


@pytest.mark.parametrize(
    ("schedule", "what"),
    [
        # a heading above a date alone on its line names no task; the line below does
        ("二、程序办法\n1、2024年6月22日—7月2日\n参评班级整理材料，填写评优申报表。", "整理材料"),
        ("三、工作安排\n1、2024年6月22日—7月2日\n申请人修改完善申请书，提交学院。", "修改完善申请书"),
    ],
)
def test_a_heading_above_a_lone_date_gives_way_to_the_task_below(schedule: str, what: str) -> None:
    assert only("关于评优工作的通知\n各学院：\n" + schedule + SIGNED).what == what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # after the date, the organiser's own step; the readers' task is told before it
        ("请各主管部门出具推荐函，连同汇总表发送至市科技局邮箱，时间截止到2024年6月1日12:00，市科技局相关业务科室按照项目领域对申报项目进行审核。",
         "连同汇总表发送至市科技局邮箱"),
        ("各单位将申报材料报送至科技处，截止时间为2024年6月1日，我局将对申报项目进行审核。", "申报材料报送至科技处"),
        ("请各单位将申报材料报送至科技处，截止时间为2024年6月1日，省科技厅组织专家进行评审。", "申报材料报送至科技处"),
        # readers addressed as 各… are no organiser
        ("各县区科技局于2024年6月1日前完成初审并报送市局。", "完成初审并报送市局"),
    ],
)
def test_the_organisers_own_step_after_the_date_is_not_the_readers_task(body: str, what: str) -> None:
    record = records("关于开展项目申报的通知\n各单位：\n" + body + SIGNED)[0]
    assert record.what == what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("各单位：\n请各乡镇认真填写登记表，经负责人签字并加盖公章后，务必于2024年5月20日前报区社会保障局。",
         "填写登记表报区社会保障局"),
        ("各学校：\n申报学校应填写好《优秀班集体申报表》并附证明材料一份，于2024年5月20日前报工会办。",
         "填写好《优秀班集体申报表》并附证明材料一份报工会办"),
        ("各学院：\n请有意向的教研室编制《建设方案》，连同附件一并扫描成PDF格式，2024年5月20日前交教务处。",
         "编制《建设方案》交教务处"),
        ("各位老师：\n同时汇总本院推荐名单，负责人签字后于2024年5月20日前送至科研处。", "汇总本院推荐名单送至科研处"),
    ],
)
def test_a_bare_handing_in_takes_the_papers_prepared_before_the_date(body: str, what: str) -> None:
    assert only("关于推荐工作的通知\n" + body + SIGNED).what == what


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # the handing-in names its papers itself, or nothing before the date prepares any
        ("各单位：\n请认真填写申报表，于2024年5月20日前报送申报材料至科技局。", "报送申报材料至科技局"),
        ("各单位：\n经审核通过后，于2024年5月20日前报区科技局。", "报区科技局"),
        ("各单位：\n请认真填写推荐表，于2024年5月20日前报送至学会秘书处。", "填写推荐表报送至学会秘书处"),
    ],
)
def test_a_handing_in_with_its_own_papers_or_nothing_prepared_stays(body: str, what: str) -> None:
    assert only("关于推荐工作的通知\n" + body + SIGNED).what == what


@pytest.mark.parametrize(
    ("body", "who"),
    [
        # a list item that opens on its date goes on with the subject of the item above
        ("1.报奖者请务必于2024年5月10日前完成系统录入。\n2.2024年5月20日前将推荐材料交科研处。", "报奖者"),
        ("一、申报人须于2024年5月10日前在线填写申报书。\n二、2024年5月20日前将纸质材料交科技处。", "申报人"),
        # …a sentence that opens on a conjunction, with the sentence before it on its line
        ("申请人完成申报书初稿，修改申报书。并于2024年5月20日前将申报书提交至科技处。", "申请人"),
        ("提名者应认真核对材料。同时于2024年5月20日前将提名书送至学会。", "提名者"),
    ],
)
def test_a_sentence_without_a_subject_goes_on_with_the_one_before(body: str, who: str) -> None:
    deadlines = records("关于推荐工作的通知\n各二级学院：\n" + body + SIGNED)
    assert deadlines[-1].who == who


def test_a_schedule_row_opening_on_its_date_does_not_take_the_row_above_its_doer() -> None:
    body = "1.2024年5月1日-5月10日，指导教师下发任务书。\n2.2024年5月11日-5月20日，修改设计，提交二稿。"
    deadlines = records("关于毕业设计安排的通知\n各位同学：\n" + body + SIGNED)
    assert deadlines[-1].who != "指导教师"


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # papers alone, or received by an office: readers hand them in
        ("各单位：\n1.网上填报时间：2024年5月6日至5月20日。\n2.书面材料受理时间：2024年5月6日至5月24日17:00。", "提交书面材料"),
        ("各单位：\n三、学校接收材料截止时间：2024年5月24日上午11:30。", "向学校提交材料"),
        ("各单位：\n纸质版受理截止时间：2024年5月24日。", "提交纸质版"),
    ],
)
def test_papers_without_a_verb_are_handed_in(body: str, what: str) -> None:
    assert records("关于开展推荐工作的通知\n" + body + SIGNED)[-1].what == what


@pytest.mark.parametrize("phrase", ["中国造纸学会", "市科学技术局", "各有关单位"])
def test_a_fragment_naming_only_a_party_gives_way_to_the_title_task(phrase: str) -> None:
    from calendar_svc.notices import Notice
    from calendar_svc.roles import _verbed

    notice = Notice(file="n.txt", first_line=1, lines=[], title="市科学技术局关于开展2024年度科技奖推荐工作的通知")
    assert _verbed(phrase, notice) == "开展2024年度科技奖推荐工作"
    assert _verbed("发邮件与科研处联系", notice) == "发邮件与科研处联系"  # 系 alone ends no party here


@pytest.mark.parametrize(
    ("text", "what"),
    [
        # the task of a period told in the next sentence, after a condition of objecting: it hands in the objection
        ("现将名单向社会公示，公示期为7天（2024年5月6日—2024年5月12日止）。如对公示项目存有异议，请向市文化和旅游局文物科反馈。",
         "向市文化和旅游局文物科反馈异议"),
        ("公示期：2024年5月6日至5月12日。\n联系人：张三\n如有异议，请反馈至市农牧局建设管理科。", "将异议反馈至市农牧局建设管理科"),
        # a condition led by its doer is no task; the clause answering it is
        ("现予以公示，公示期为2024年5月6日至5月12日。\n公示期内，任何单位和个人如对公示内容有异议，可于公示期内以书面形式向市科技局"
         "提出，并在异议材料上签署真实姓名。", "于公示期内以书面形式向市科技局提出异议"),
        # …not the remark after it
        ("5月6日至2024年5月12日是推荐对象公示期。其中，张三入选候选对象名单。\n公示期内，若对公示对象有异议，请通过电话或书面形式"
         "向省领导小组办公室反映，反映情况要客观、真实。", "通过电话或书面形式向省领导小组办公室反映异议"),
    ],
)
def test_a_period_of_publicity_takes_the_task_that_answers_an_objection(text: str, what: str) -> None:
    assert only("关于2024年度项目的公示\n" + text + SIGNED).what == what


@pytest.mark.parametrize(
    ("later", "who"),
    [
        ("公示期内，任何单位和个人如对公示内容有异议，可于公示期内以书面形式向市科技局提出。", "任何单位和个人"),
        ("在公示期内，社会公众可以向市科技局提出书面异议。", "社会公众"),
    ],
)
def test_a_period_of_publicity_is_for_whom_the_notice_asks_to_object(later: str, who: str) -> None:
    text = "关于2024年度研发平台拟认定名单的公示\n经研究，现予以公示，公示期为2024年5月6日至5月12日。\n附件：名单\n" + later
    assert only(text + SIGNED).who == who


@pytest.mark.parametrize(
    ("opening", "who"),
    [
        ("建立账户后，便可通过系统在网上申请刊登公共启事。", "申请人"),
        ("本年度补贴自即日起接受申请，符合资格者可于网上递交。", "申请人"),
        ("本次大赛现已开放网上报名，名额有限。", "报名人员"),
    ],
)
def test_a_title_naming_no_task_leaves_the_party_to_the_opening_lines(opening: str, who: str) -> None:
    text = "最新消息\n" + opening + "\n截止日期：2024年5月24日（星期五）下午四时。"
    assert only(text + SIGNED).who == who


@pytest.mark.parametrize(
    ("label", "who"),
    [("3、市卫健局网上推荐截止时间：", "市卫健局"), ("区教育局报送截止日期为", "区教育局"), ("各区科技局网上推荐截止时间：", "各有关单位"),
     ("市科技局受理截止时间：", "各有关单位")],  # 各…: the addressees; 受理: the office receives
)
def test_an_office_leading_a_filing_label_files(label: str, who: str) -> None:
    assert only("关于开展2024年度项目申报工作的通知\n各有关单位：\n" + label + "2024年5月20日17时。" + SIGNED).who == who


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("七、供应商必须在2024年5月15日下午17点之前以传真方式报名。", "供应商"),
        ("投标人须于2024年5月15日前递交投标文件。", "投标人"),
        ("欢迎社会各界人士于2024年5月20日前提出建议。", "社会各界人士"),
        ("公告期间，任何单位和个人都可以于2024年5月20日前向市司法局提出意见，并请留下联系方式，以便作进一步联系。", "任何单位和个人"),
    ],
)
def test_more_parties_are_named(body: str, who: str) -> None:
    assert only("关于征集2024年度项目建议的公告\n" + body + SIGNED).who == who


@pytest.mark.parametrize(
    ("body", "what"),
    [
        # a change told before the new date: the task is what the changed date belongs to, not the issuer's act
        ("5月31日，市市场监管局联合5部门印发通知，将2024年度个体工商户年报截止时间由2024年6月30日调整延长至2024年12月31日。",
         "2024年度个体工商户年报"),
        ("经研究，现将项目申报材料报送的截止日期由2024年6月30日延期至2024年12月31日。", "项目申报材料报送"),
        ("我局决定，将科技奖提名材料报送期限由2024年6月30日推迟到2024年12月31日。", "科技奖提名材料报送"),
    ],
)
def test_a_changed_date_names_the_task_before_its_old_date(body: str, what: str) -> None:
    (new,) = [d for d in records("关于延长申报时间的通知\n各有关单位：\n" + body + SIGNED) if d.end.month == 12]
    assert new.what == what
