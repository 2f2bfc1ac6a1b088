"""Text → notices: boundaries, title, issuer, 文号 and 落款 date.

A compilation (政策汇编) holds many documents; a single notice file is one.
A Markdown heading starts a new notice when it reads like a document title
(``…关于…的通知``, ``工信部发布…``) or matches an entry of the table of
contents, unless it is an attachment the previous notice lists (附件).
The table of contents itself is skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from .dates import fold_width, parse_number
from .model import NoticeRef
from .script import simplified_reading
from .vocabulary import VOCABULARY

_HEADING = re.compile(r"^\s*#{1,6}\s*(?P<text>.*?)\s*#*\s*$")
_TOC = re.compile(r"^\s*#*\s*目\s*录\s*$")
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|问|答|附件|附表)")
_DOC_NO = re.compile(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[（(【]\s*(?:19|20)\d{2}\s*[〕\]）)】]\s*第?\s*\d+\s*号"
    r"|[\u4e00-\u9fff]{2,24}公告\s*(?:(?:19|20)\d{2}\s*年\s*)?第\s*[\d一二三四五六七八九十百〇零○]+\s*号"
)
_FULL_DATE = r"(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日"
_NUM_DATE = r"(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_SIGNATURE = re.compile(
    rf"^\s*#*\s*(?P<issuer>[^\d，。,;；:：!?！？()（）《》]{{0,80}}?)\s*(?P<date>{_FULL_DATE}|{_NUM_DATE})\s*$"
)
_STAMP = re.compile(r"^[#\s]*(?:时间|日期)\s*[:：]|(?:来源|发布时间|发表时间|发布日期|添加时间|更新时间|录入时间|浏览次数|阅读次数|点击数|访问量)\s*[:：]")
_PUBLISHED = re.compile(rf"(?:发布|发表|印发|成文|公开|添加|录入)(?:时间|日期)\s*[:：]\s*(?P<date>{_FULL_DATE}|{_NUM_DATE})")
_DATE_PARTS = re.compile(r"([\d〇○零一二三四五六七八九十]+)\s*[年\-./]\s*([\d一二三四五六七八九十]+)\s*[月\-./]\s*([\d一二三四五六七八九十]+)")
_FORMAL_TITLE = re.compile(r"关于.{2,}的(?:通知|公告|意见|通告|批复|决定|函|复函|公示|通报)")
_BREADCRUMB = re.compile(r"[>›»]|当前位置|您的位置|首页")
_ISSUER_IN_TITLE = re.compile(r"^(?P<issuer>.{2,40}?)(?:关于|发布|印发|组织开展|公开征集|联合印发|明确|征集)")


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
    attachments: list[str] = field(default_factory=list)

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
    body_start, toc = _table_of_contents(lines)
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
    for notice in notices:
        _read_metadata(notice)
    return notices


def is_signature_line(line: str) -> bool:
    """A 落款 (``工业和信息化部 2024年7月31日``) or a page's publication stamp (``发布时间：…``, ``阅读次数：…``)."""
    return bool(_SIGNATURE.match(line) or _STAMP.search(line))


def compact(text: str) -> str:
    """Letters and digits only: for comparing headings with PDF spaces and punctuation."""
    return re.sub(r"[^\w]|_", "", fold_width(text))


def parse_full_date(text: str) -> dt.date | None:
    """``2024年8月6日``, ``二〇二四年八月六日`` or ``2024-08-06`` → date (None when impossible)."""
    match = _DATE_PARTS.search(fold_width(text))
    if match is None:
        return None
    try:
        return dt.date(*(parse_number(part) for part in match.groups()))
    except (ValueError, KeyError):
        return None


def _table_of_contents(lines: list[str]) -> tuple[int, list[str]]:
    """Where the body begins, and the TOC entries (compacted) when the file has a table of contents."""
    for index, line in enumerate(lines[:200]):
        if _TOC.match(line):
            entries, pending = [], ""
            for stop in range(index + 1, len(lines)):
                row = lines[stop]
                if _HEADING.match(row) and row.strip().startswith("#"):
                    break
                pending += row.strip()
                if re.search(r"\d+\s*$", row) or not row.strip():
                    entry = compact(re.sub(r"\d+\s*$", "", pending))
                    if len(entry) >= 6:
                        entries.append(entry)
                    pending = ""
            else:
                stop = len(lines)
            if pending and len(compact(pending)) >= 6:
                entries.append(compact(pending))
            return stop, entries
    return 0, []


def _heading_text(line: str) -> str:
    match = _HEADING.match(line)
    text = match.group("text") if match and line.lstrip().startswith("#") else line
    return re.sub(r"\*+", "", text).strip()


def _title_lines(lines: list[str], body_start: int, toc: list[str]) -> list[int]:
    """Indexes of the lines that open a notice (Markdown headings only)."""
    starts: list[int] = []
    for index in range(body_start, len(lines)):
        line = lines[index]
        if not line.lstrip().startswith("#"):
            continue
        heading = _heading_text(line)
        key = compact(heading)
        if len(key) < 8 or _ENUMERATED.match(heading):
            continue
        if not (_in_toc(key, toc) or _looks_like_title(heading)):
            continue
        if starts and _is_listed_attachment(key, lines[starts[-1] : index]):
            continue
        starts.append(index)
    return starts


def _in_toc(key: str, toc: list[str]) -> bool:
    return any(entry.startswith(key[:14]) or key.startswith(entry[:14]) for entry in toc if len(entry) >= 8)


def _looks_like_title(heading: str) -> bool:
    key = compact(heading)
    return bool(VOCABULARY.title_pattern.search(key))


def _is_listed_attachment(key: str, previous: list[str]) -> bool:
    """A heading the previous notice lists under 附件 is its attachment, not a new notice."""
    listing = compact("".join(line for line in previous if "附件" in line or re.match(r"^\s*[-*]?\s*\d+[.、]", line)))
    return len(key) >= 8 and key in listing


def _first_title(lines: list[str]) -> str:
    """The title of a single-notice file: a ``关于…的通知`` line first, else any title-like line.

    Breadcrumbs of saved web pages (``首页 > 通知公告``) are passed over.
    """
    candidates = []
    for line in lines[:10]:
        text = _heading_text(line)
        if not text or len(text) > 80 or text.startswith(("附件", "附表")) or _BREADCRUMB.search(text):
            continue
        if re.search(r"[，,。；;：:](?!$)", text):
            continue
        if _looks_like_title(text):
            candidates.append(text)
    strong = [t for t in candidates if _FORMAL_TITLE.search(compact(t))]
    return (strong or candidates or [""])[0]


def _stem(file: str) -> str:
    name = file.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _read_metadata(notice: Notice) -> None:
    """Fill in 文号, 落款 date and issuer from the notice's own lines."""
    for line in notice.lines[1:]:
        stripped = _heading_text(line).strip("()（） ")
        match = _DOC_NO.fullmatch(stripped) if stripped else None
        if match:
            notice.doc_no = re.sub(r"\s+", "", match.group(0))
            break
    for index, line in enumerate(notice.lines):
        published = _PUBLISHED.search(line)
        if published:
            notice.date = parse_full_date(published.group("date"))
        signature = _SIGNATURE.match(line) if index > 0 else None
        if signature is None:
            continue
        date = parse_full_date(signature.group("date"))
        if date is None:
            continue
        notice.date = date
        issuer = signature.group("issuer").strip()
        if not issuer and index > 0:
            previous = _heading_text(notice.lines[index - 1]).strip()
            if 0 < len(previous) <= 40 and not re.search(r"[，。,;；:：]", previous):
                issuer = previous
        if issuer:
            notice.issuer = VOCABULARY.canonical_issuer(re.sub(r"\s+", "、", issuer))
        break
    if not notice.issuer:
        match = _ISSUER_IN_TITLE.match(notice.title)
        if match and not re.search(r"[—《》“”\"'，,:：]|就", match.group("issuer")):
            notice.issuer = VOCABULARY.canonical_issuer(re.sub(r"\s+", "、", match.group("issuer").strip()))
