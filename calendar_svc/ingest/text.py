"""Bytes of a text file → str: UTF-8, GB18030/GBK, UTF-16 with a BOM, or detected."""

from __future__ import annotations

from ..errors import InputError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KiB (UTF-16 with a BOM is text)."""
    head = data[:8192]
    if head.startswith(_UTF16_BOMS):
        return False  # every other byte of UTF-16 is < 32; decode_text checks it is valid UTF-16
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def decode_text(name: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The text and the encoding used; ``declared`` (an HTTP or ``<meta>`` charset) is tried first."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "以 UTF-16 字节顺序标记开头，但不是有效的 UTF-16") from None
        if "\x00" in text:
            raise InputError(name, "看起来是二进制文件，不是文本、Markdown 或 HTML 通知")
        return text, "utf-16"
    for encoding in _candidates(declared):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(name, "无法判断文字编码（已试过 UTF-8、GB18030 和自动识别）")
    return str(best), best.encoding


def _candidates(declared: str | None) -> list[str]:
    """GB2312 and GBK pages are read as GB18030, their superset: sites declare the smaller set and use the larger."""
    order = ["utf-8", "gb18030"]
    if declared:
        name = declared.strip().lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn") else name
        order = [name] + [e for e in order if e != name]
    return order
