"""Text → notices: boundaries, title, issuer, 文号 and 落款 date.

A compilation (政策汇编) holds many documents; a single notice file is one.
A Markdown heading starts a new notice when it reads like a document title
(``…关于…的通知``, ``工信部发布…``) or matches an entry of the table of
contents, unless it is an attachment the previous notice lists (附件).
The table of contents itself is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .dates import fold_width, parse_number
from .model import NoticeRef
from .patterns import lazy
from .script import simplified_reading
from .vocabulary import VOCABULARY

#: Lines of a table of contents end with the page number: ``…的意见1``.
_PAGE_NUMBER = lazy(r"(?<!\d)\d+$")
_TOC_WORD = lazy(r"目\s*录")
_ENUMERATED = lazy(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|问|答|附件|附表)")
_DOC_NO = lazy(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[（(【]\s*(?:19|20)\d{2}\s*[〕\]）)】]\s*(?:第\s*)?\d+\s*号"
    r"|[\u4e00-\u9fff]{2,24}公告\s*(?:(?:19|20)\d{2}\s*年\s*)?第\s*[\d一二三四五六七八九十百〇零○]+\s*号"
)
_FULL_DATE = r"(?:(?:19|20)\d{2}|[〇○零0O一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日"
_NUM_DATE = r"(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
#: A 落款 of Taiwan: 中華民國113年2月20日, 中華民國一百一十三年二月二十日 (the year plus 1911).
_ROC_PREFIX = r"(?:中華民國|中华民国|民國|民国)"
_ROC_DATE = rf"{_ROC_PREFIX}\s*(?:\d{{2,3}}|[一二三四五六七八九十百〇零○]{{1,6}})\s*年\s*[\d一二三四五六七八九十]{{1,3}}\s*月\s*[\d一二三四五六七八九十]{{1,3}}\s*日"
_ROC_SIGNED = lazy(_ROC_PREFIX)
#: The date that ends a 落款 line; the issuer before it is read in code, not by the pattern, so that
#: blanks before the issuer, inside it and before the date are each read once (no backtracking).
_SIGNATURE_DATE = lazy(rf"(?:{_FULL_DATE}|{_NUM_DATE}|{_ROC_DATE})$")
#: No 落款 holds these; nor is a table row one (``年报 | 工业年报 | 2025年1月10日``: cells joined by |).
_NOT_IN_ISSUER = lazy(r"[\d，。,;；:：!?！？()（）《》|]")
_ISSUER_LIMIT = 80
_STAMP = lazy(r"^[#\s]*(?:时间|日期)\s*[:：]|(?:来源|发布时间|发表时间|发布日期|添加时间|更新时间|录入时间|浏览次数|阅读次数|点击数|访问量)\s*[:：]")
_PUBLISHED = lazy(rf"(?:发布|发表|印发|成文|公开|添加|录入)(?:时间|日期)\s*[:：]\s*(?P<date>{_FULL_DATE}|{_NUM_DATE})")
#: The head of a Taiwanese 函 dates it: ``發文日期:中華民國113年2月26日`` (its own date, as a 落款 would).
_ISSUED = lazy(rf"^\s*(?:发文|發文)日期\s*[:：]\s*(?P<date>{_ROC_DATE}|{_FULL_DATE}|{_NUM_DATE})")
#: After a bare ``时间:``/``日期:``, a day written in words with a closing word, or followed by more of its sentence
#: (``时间:2024年3月20日前``, ``日期:2024年3月20日,地点:…``): a labelled day of the body, not a page's stamp, which is
#: numeric (``时间:2024-03-15 10:20``) or a date alone. (A range so labelled is left to the candidate net, which
#: shows it; a record far below that restates it stays the record.)
_LABELLED_DAY = lazy(rf"(?:{_FULL_DATE}|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)\s*(?:前|之前|以前|止|截止|[,，;；](?!\s*(?:来源|作者|浏览|点击|阅读)))")
#: A page's stamp in its first lines, labelled only 日期/时间 (``日期:2017-11-17 15:44:24``): numeric, alone on its
#: line, above the salutation and the first sentence. Below them, ``时间:2024-03-15`` is a deadline, not a stamp.
_HEAD_STAMP = lazy(rf"^\s*(?:日期|时间)\s*[:：]\s*(?P<date>{_NUM_DATE})\s*$")
#: A calendar year the title names near its start (``2016淮北…报名须知``, ``2016年小学招生``): not a 年度 label, a
#: graduating class or a date, whose years the classifier reads on its own.
_TITLE_YEAR = lazy(r"^[^\d]{0,12}?((?:19|20)\d{2})年?(?![年度届])(?=[\u4e00-\u9fff])")
#: How many lines from the top such a stamp may stand (a headline, the stamp, the body).
_HEAD_STAMP_LINES = 4
_DATE_PARTS = lazy(r"(?<![\d〇○零O一二三四五六七八九十百])([\d〇○零O一二三四五六七八九十百]+)\s*[年\-./]\s*([\d一二三四五六七八九十]+)\s*[月\-./]\s*([\d一二三四五六七八九十]+)")
_FORMAL_TITLE = lazy(r"^(?>.*?关于).{2,}的(?:通知|公告|意见|通告|批复|决定|函|复函|公示|通报)")
_BREADCRUMB = lazy(r"[>›»]|当前位置|您的位置|首页")
_ISSUER_IN_TITLE = lazy(r"^(?P<issuer>.{2,40}?)(?:关于|发布|印发|组织开展|公开征集|联合印发|明确|征集)")
_NOT_WORD = lazy(r"[\W_]+")
_SPACES = lazy(r"\s+")
_INNER_PUNCTUATION = lazy(r"[，,。；;：:](?!$)")
_CLAUSE_PUNCTUATION = lazy(r"[，。,;；:：]")
_ISSUER_NOT = lazy(r"[—《》“”\"'，,:：]|就")
#: A numbered list item opening a line: 六、, (二), 3. (not 4.2019年…: a date's digits follow).
_ITEM_MARK = lazy(r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d)")
_LIST_ITEM = lazy(r"^\s*(?:[-*]\s*)?\d+[.、]")
#: Body text, which ends a table of contents: a sentence, or a salutation (``各有关单位：``). Led by one character
#: class (a sentence mark, or a colon that ends the line), so ``re`` skips ahead to those marks.
_BODY_TEXT = lazy(r"[。；;:：](?:(?<=[。；;])|\s*$)")
_BARE_DATE_LINE = lazy(
    r"^\s*(?:(?:19|20)\d{2}\s*[年.\-/]\s*)?\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*[日号]?\s*(?:前|之前|\(.{1,4}\)|（.{1,4}）)?\s*$"
)
_ROW_NOT_TASK = lazy(r"^(?:附件|附表|抄送|\(此件|（此件|联系)|[。；;，,：:]")
#: What may follow a 落款 (an attachment, a copy list, a note on publication, contacts): no step of a schedule.
_AFTER_SIGNATURE = lazy(r"(?:附件|附表|抄送|\(此件|（此件|联系|注[:：])")
#: A schedule's step told below its date is a line or two of sentences, not a paragraph.
_STEP_LIMIT = 80
#: How names of issuing bodies end: a line ending so is the 落款's issuer, not a task.
_ISSUER_END = lazy(r"(?:局|厅|处|部|委|院|校|会|办|室|中心|公司|所|站|科|队|组|协会|学会|政府|委员会)$")
#: A title is a line, not a paragraph: longer keys are not compared with title patterns.
TITLE_LIMIT = 160
#: A heading's key (compacted) this short opens no notice: too little to match a table of contents' entry.
_MIN_KEY = 8


@dataclass
class Notice:
    """One document of a file: its metadata and its lines (with their line numbers in the file)."""

    file: str
    first_line: int
    lines: list[str]
    title: str = ""
    issuer: str = ""
    doc_no: str = ""
    date: dt.date | None = None
    #: Where :attr:`date` was read: ``"signature"`` (the 落款) or ``"stamp"`` (a page's 发布时间, which
    #: may be later than the notice itself: a page posted after its own deadline).
    date_source: str = ""
    attachments: list[str] = field(default_factory=list)
    #: Lines (first, last; 1-based, in the file) of a table of contents skipped before this notice.
    skipped_toc: tuple[int, int] | None = None

    @cached_property
    def text(self) -> str:
        return "\n".join(self.lines)

    @cached_property
    def reading(self) -> str:
        """:attr:`text` with traditional characters read as simplified (same offsets), for matching."""
        return simplified_reading(self.text)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, offset = [], 0
        for line in self.lines:
            starts.append(offset)
            offset += len(line) + 1
        return starts

    def list_item(self, line: int) -> str:
        """The number of the list item opening file line ``line`` (``六、``, ``(二)``, ``3.``), or "".

        Not a date's digits (``4.2019年9月19日`` has none) nor a letter (``a.``: a sub-item).
        """
        index = line - self.first_line
        mark = _ITEM_MARK.match(self.lines[index].lstrip()) if 0 <= index < len(self.lines) else None
        return mark.group(0) if mark else ""

    def line_of(self, offset: int) -> int:
        """1-based line number in the file of character ``offset`` of :attr:`text`."""
        lo, hi = 0, len(self._line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.first_line + lo

    @property
    def ref(self) -> NoticeRef:
        return NoticeRef(title=self.title, issuer=self.issuer, doc_no=self.doc_no, date=self.date)


def split_notices(text: str, file: str) -> list[Notice]:
    """Split a file's text into notices and read each one's title, issuer, 文号 and date."""
    lines = text.split("\n")
    toc_line, body_start, toc = _table_of_contents(lines)
    starts = _title_lines(lines, body_start, toc)
    if not starts:
        notices = [Notice(file=file, first_line=body_start + 1, lines=lines[body_start:])]
        notices[0].title = _first_title(lines[body_start:]) or _stem(file)
    else:
        notices = []
        for index, start in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else len(lines)
            notice = Notice(file=file, first_line=start + 1, lines=lines[start:stop])
            notice.title = _heading_text(lines[start])
            notices.append(notice)
    if toc_line is not None:
        notices[0].skipped_toc = (toc_line + 1, body_start)
        if any(line.strip() for line in lines[:toc_line]):
            # A cover or a preface above the 目录 (a compilation's issue line, a forwarding
            # letter) is read as a notice of its own rather than dropped with the contents.
            preface = Notice(file=file, first_line=1, lines=lines[:toc_line])
            preface.title = _first_title(preface.lines) or _stem(file)
            notices.insert(0, preface)
    for notice in notices:
        _read_metadata(notice)
    return notices


def is_signature_line(line: str, above: str = "", below: str = "") -> bool:
    """A 落款 (``工业和信息化部 2024年7月31日``) or a page's publication stamp (``发布时间：…``, ``阅读次数：…``).

    A date alone on its line between task lines (``提交推荐材料`` / ``2024年3月15日``) is a
    row of a flattened schedule, not a 落款: ``above`` and ``below`` are the lines around it. So is one
    over a sentence telling what to do then (``2024年2月16日`` / ``系统录入,电子版整理。错误替换,盖章。``):
    a 落款 is followed by the end, an attachment or a copy list, never by the next step.
    """
    signature = _signature(line)
    if signature is not None and not signature[0] and (
        _is_task_row(above) or _is_task_row(below) or _tells_a_step(below)
    ):
        return False
    if signature is not None:
        return True
    stamp = _STAMP.search(line)
    if stamp is None:
        return False
    value = len(line) - len(line[stamp.end() :].lstrip())  # the value after the label's blanks
    return not (stamp.group(0).lstrip("# \t").startswith(("时间", "日期")) and _LABELLED_DAY.match(line, value))


def is_page_stamp(line: str) -> bool:
    """A page's stamp (``更新时间:2018-08-19``, ``发布时间：…``, ``阅读次数：…``): when the page put it there, not the notice."""
    return bool(_STAMP.search(line))


def title_year(title: str) -> int | None:
    """The calendar year a title names near its start (``2016淮北…须知`` → 2016), else None."""
    match = _TITLE_YEAR.match(title)
    return int(match.group(1)) if match else None


def _is_task_row(line: str) -> bool:
    """A schedule row's task (``各学院报送汇总表``): short, no sentence punctuation, something to do.

    Not a sentence ending the body, an issuer, a listed attachment or a copy list.
    """
    text = line.strip()
    return (
        0 < len(text) <= 30
        and not _ROW_NOT_TASK.search(text)
        and not _ISSUER_END.search(text)
        and VOCABULARY.has_action(text)
    )


def _tells_a_step(line: str) -> bool:
    """A sentence (or a few) saying what is done: the step a date alone above it dates, in a flattened schedule.

    Not an attachment, a copy list or a contact line, nor an issuer's name: what follows a 落款.
    """
    text = line.strip()
    return (
        0 < len(text) <= _STEP_LIMIT
        and not _AFTER_SIGNATURE.match(text)
        and not _ISSUER_END.search(text)
        and VOCABULARY.has_action(text)
    )


def compact(text: str) -> str:
    """Letters and digits only: for comparing headings with PDF spaces and punctuation."""
    return _NOT_WORD.sub("", fold_width(text))


def parse_full_date(text: str) -> dt.date | None:
    """``2024年8月6日``, ``二〇二四年八月六日``, ``2024-08-06`` or ``中華民國113年8月6日`` → date (None when impossible)."""
    match = _DATE_PARTS.search(fold_width(text))
    if match is None:
        return None
    try:
        year, month, day = (parse_number(part) for part in match.groups())
        if year < 1000:
            if not _ROC_SIGNED.search(text, 0, match.start()):
                return None
            year += 1911
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        return None


def _signature(line: str) -> tuple[str, str] | None:
    """(issuer, date) of a line that ends in a full date after at most a short name: a 落款."""
    body = line.strip().lstrip("#").strip()
    if not body or not (body[-1] == "日" or body[-1].isdigit()):
        return None
    date = _SIGNATURE_DATE.search(body)
    if date is None:
        return None
    issuer = body[: date.start()].rstrip()
    if len(issuer) > _ISSUER_LIMIT or _NOT_IN_ISSUER.search(issuer):
        return None
    return issuer, date.group(0)


def _table_of_contents(lines: list[str]) -> tuple[int | None, int, list[str]]:
    """The 目录 line (None without one), where the body begins, and the entries (compacted).

    The table of contents ends at the first Markdown heading, or else at the first
    line of body text: a sentence, a salutation, or the first entry's title again.
    A file without Markdown headings is not swallowed by its table of contents, and
    a 目录 line that lists nothing skips nothing.
    """
    for index, line in enumerate(lines[:200]):
        if not _TOC_WORD.fullmatch(line.strip().lstrip("#").strip()):
            continue
        entries: list[str] = []
        pending = ""
        for stop in range(index + 1, len(lines)):
            row = lines[stop].strip()
            if row.startswith("#"):
                break
            if row and not _PAGE_NUMBER.search(row) and (
                _BODY_TEXT.search(row) or (entries and not pending and _TocIndex(entries[:1]).has(compact(row)))
            ):
                break
            pending += row
            if _PAGE_NUMBER.search(row) or not row:
                entry = compact(pending.rstrip("0123456789"))
                if len(entry) >= 6:
                    entries.append(entry)
                pending = ""
        else:
            stop = len(lines)
        if pending and len(compact(pending)) >= 6:
            entries.append(compact(pending))
        if not entries:
            continue  # a 目录 line with no entries after it (a page's last line, a menu word) is no table of contents
        return index, stop, entries
    return None, 0, []


def _heading_text(line: str) -> str:
    """A Markdown heading's text (``## 一、申报时间 ##`` → ``一、申报时间``); other lines as they are."""
    text = line.strip()
    if text.startswith("#"):
        text = text.lstrip("#").rstrip().rstrip("#")
    else:
        text = line
    return text.replace("*", "").strip()


def _title_lines(lines: list[str], body_start: int, toc: list[str]) -> list[int]:
    """Indexes of the lines that open a notice.

    A Markdown heading that reads like a document title or matches the table of
    contents; in a file with a table of contents, a plain line matching one of its
    entries (a compilation saved as text, without heading marks).
    """
    starts: list[int] = []
    entries = _TocIndex(toc)
    listing = _Listing()
    for index in range(body_start, len(lines)):
        line = lines[index]
        if not line or line.isspace():
            continue  # lists nothing, opens nothing: a third of a compilation's lines
        listing.add(line)
        marked = line.lstrip().startswith("#")
        if not marked and not (toc and len(line) <= 2 * TITLE_LIMIT and not _BODY_TEXT.search(line)):
            continue
        heading = _heading_text(line)
        if len(heading) < _MIN_KEY or _ENUMERATED.match(heading):
            continue  # compact() only drops characters: a heading this short has no key long enough
        key = compact(heading)
        if len(key) < _MIN_KEY or len(key) > TITLE_LIMIT:
            continue
        if not (entries.has(key) or (marked and _looks_like_title(heading))):
            continue
        if starts and key in listing.text():
            continue  # an attachment the previous notice lists (附件)
        starts.append(index)
        listing = _Listing()
    return starts


class _TocIndex:
    """The table of contents' entries, for telling in constant time whether a heading is one."""

    _PREFIX = 14

    def __init__(self, entries: list[str]) -> None:
        kept = [e for e in entries if len(e) >= 8]
        self._prefixes = {e[:length] for e in kept for length in range(1, min(len(e), self._PREFIX) + 1)}
        self._heads = {e[: self._PREFIX] for e in kept}

    def has(self, key: str) -> bool:
        """An entry starts with the key's first 14 characters, or the key with an entry's."""
        if len(key) < 8:
            return False
        if key[: self._PREFIX] in self._prefixes:
            return True
        return any(key[:length] in self._heads for length in range(8, min(len(key), self._PREFIX) + 1))


class _Listing:
    """What the current notice lists so far: its 附件 lines and numbered items, compacted."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._parts: list[str] = []  # the lines compacted so far: only when a heading asks (most never do)
        self._joined: str | None = ""

    def add(self, line: str) -> None:
        if "附件" in line or _LIST_ITEM.match(line):
            self._lines.append(line)
            self._joined = None

    def text(self) -> str:
        if self._joined is None:
            self._parts.extend(compact(line) for line in self._lines[len(self._parts) :])
            self._joined = "".join(self._parts)
        return self._joined


def _looks_like_title(heading: str) -> bool:
    key = compact(heading)
    return len(key) <= TITLE_LIMIT and bool(VOCABULARY.title_pattern.search(key))


def _first_title(lines: list[str]) -> str:
    """The title of a single-notice file: a ``关于…的通知`` line first, else any title-like line, else a short
    line ending as a single notice's title may (``2016淮北…报名须知``, ``…招生简章``).

    Breadcrumbs of saved web pages (``首页 > 通知公告``) and page stamps are passed over.
    """
    candidates, weak = [], []
    for line in lines[:10]:
        text = _heading_text(line)
        if not text or len(text) > 80 or text.startswith(("附件", "附表")) or _BREADCRUMB.search(text):
            continue
        if _INNER_PUNCTUATION.search(text) or is_page_stamp(text):
            continue
        if _looks_like_title(text):
            candidates.append(text)
        elif len(compact(text)) <= TITLE_LIMIT and compact(text).endswith(VOCABULARY.single_title_ends):
            weak.append(text)
    strong = [t for t in candidates if _FORMAL_TITLE.search(compact(t))]
    return (strong or candidates or weak or [""])[0]


def _stem(file: str) -> str:
    name = file.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _read_metadata(notice: Notice) -> None:
    """Fill in 文号, 落款 date and issuer from the notice's own lines."""
    # the first line is the title, unless the notice has none of its own (a page cut above its 文号)
    for line in notice.lines[1:] if notice.lines and compact(notice.lines[0]) == compact(notice.title) else notice.lines:
        if "号" not in line:
            continue  # every 文号 ends in 号: most lines are passed over without reading them
        stripped = _heading_text(line).strip("()（） ")
        match = _DOC_NO.fullmatch(stripped) if stripped and len(stripped) <= TITLE_LIMIT else None
        if match:
            notice.doc_no = _SPACES.sub("", match.group(0))
            break
    nonblank = [i for i, line in enumerate(notice.lines) if line.strip()]
    # a bare date line with another within three lines is a schedule row; the title above a page's
    # date stamp is no task row
    bare = [k for k, i in enumerate(nonblank) if _BARE_DATE_LINE.match(notice.lines[i])]
    in_run = {nonblank[m] for j, k in zip(bare, bare[1:]) if 2 <= k - j <= 3 for m in (j, k)}
    around = {i: (notice.lines[a] if a else "", notice.lines[b] if b is not None else "")
              for i, a, b in zip(nonblank, [None, *nonblank[:-1]], [*nonblank[1:], None]) if i in in_run}
    for index in nonblank:  # a blank line holds no stamp and no 落款
        line = notice.lines[index]
        head = index < _HEAD_STAMP_LINES and not any(_BODY_TEXT.search(above) for above in notice.lines[:index])
        labelled = "时间" in line or "日期" in line  # what the stamps' labels end in: most lines have neither
        published = (_PUBLISHED.search(line) or (_HEAD_STAMP.match(line) if head else None)) if labelled else None
        if published:
            notice.date = parse_full_date(published.group("date"))
            notice.date_source = "stamp" if notice.date else ""
        issued = _ISSUED.match(line) if labelled and not notice.date else None
        if issued and (date := parse_full_date(issued.group("date"))):
            notice.date, notice.date_source = date, "signature"
        signature = _signature(line) if index > 0 else None
        if signature is None or not is_signature_line(line, *around.get(index, ("", ""))):
            continue
        issuer, written = signature
        date = parse_full_date(written)
        if date is None:
            continue
        notice.date, notice.date_source = date, "signature"
        if not issuer and index > 0:
            previous = _heading_text(notice.lines[index - 1]).strip()
            if 0 < len(previous) <= 40 and not _CLAUSE_PUNCTUATION.search(previous):
                issuer = previous
        if issuer:
            notice.issuer = VOCABULARY.canonical_issuer(_SPACES.sub("、", issuer))
        break
    titled = title_year(notice.title)
    if notice.date_source == "stamp" and notice.date and titled is not None and titled < notice.date.year:
        notice.date, notice.date_source = None, ""  # a repost's stamp: the title's earlier year is the notice's
    if not notice.issuer:
        match = _ISSUER_IN_TITLE.match(notice.title)
        if match and not _ISSUER_NOT.search(match.group("issuer")):
            notice.issuer = VOCABULARY.canonical_issuer(_SPACES.sub("、", match.group("issuer").strip()))
