"""Word .docx → paragraphs and table rows, in document order, with the header's 文号 first."""

from __future__ import annotations

import io
import zipfile

from ..errors import InputError

#: An archive that would unpack to more than this is refused (a zip bomb renamed .docx).
MAX_UNPACKED = 512 * 1024 * 1024


def check_archive(name: str, data: bytes, what: str) -> zipfile.ZipFile:
    """Open a ZIP container, refusing a damaged one or one that unpacks to far more than it holds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(name, f"{what}已损坏（不是可读的 ZIP 容器：{exc}）") from None
    if unpacked > MAX_UNPACKED:
        raise InputError(name, f"{what}解压后将达 {unpacked // 2**20} MiB，疑似压缩炸弹，拒绝读取")
    return archive


def read_docx(name: str, data: bytes) -> str:
    """The text of a .docx: body paragraphs and tables in order, with the page header (where the 文号 often
    stands) after the first line."""
    import docx
    from docx.table import Table

    check_archive(name, data, "Word 文档")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises bare KeyError/ValueError/lxml errors on broken parts
        raise InputError(name, f"Word 文档已损坏：{type(exc).__name__}: {exc}") from None
    headers: list[str] = []
    for section in document.sections:
        for header in (section.first_page_header, section.header):
            if header.is_linked_to_previous and section is not document.sections[0]:
                continue
            for paragraph in header.paragraphs:
                _add(headers, paragraph.text)
    body: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in _rows(block):
                _add(body, row)
        elif block.text.strip() not in headers:
            _add(body, block.text)
    # The header's lines (a 文号, 内部资料) follow the document's first line, so that line stays its heading.
    lines = body[:1] + list(dict.fromkeys(headers)) + body[1:]
    return "\n".join(lines) + "\n"


def _rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _add(lines: list[str], text: str) -> None:
    for piece in text.split("\n"):
        piece = piece.strip()
        if piece:
            lines.append(piece)
