"""OFD (GB/T 33190, the national fixed-layout format) → paragraphs.

An OFD is a ZIP of XML: ``OFD.xml`` names each document's root, the root
lists its pages, and each page's content holds ``TextObject``s with a
``Boundary`` and ``TextCode`` runs placed by ``X``/``Y``/``DeltaX``. Those
runs go through the same layout rebuilding as PDF text. Layers, templates
and annotations beyond the page content are not read.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET

from ..errors import InputError
from .layout import Run, page_lines, paragraphs
from .word import check_archive


def read_ofd(name: str, data: bytes) -> str:
    archive = check_archive(name, data, "OFD 文档")
    try:
        root = _xml(archive, "OFD.xml")
        pages = []
        for doc_root in _all(root, "DocRoot"):
            document_path = _path("", doc_root.text or "")
            document = _xml(archive, document_path)
            width = _box_width(_first(document, "PhysicalBox"))
            for page in _all(document, "Page"):
                content_path = _path(posixpath.dirname(document_path), page.get("BaseLoc", ""))
                content = _xml(archive, content_path)
                pages.append(page_lines(_runs(content), _box_width(_first(content, "PhysicalBox")) or width, len(pages)))
    except (KeyError, ET.ParseError, ValueError) as exc:
        raise InputError(name, f"OFD 文档已损坏（{type(exc).__name__}: {exc}）") from None
    if not pages:
        raise InputError(name, "OFD 文档没有页面")
    text = paragraphs(pages)
    if not text:
        count = "这 1 页" if len(pages) == 1 else f"{len(pages)} 页都"
        raise InputError(name, f"没有文字层：{count}没有文字对象（只有图片）；不支持 OCR")
    return "\n".join(text) + "\n"


def _runs(content: ET.Element) -> list[Run]:
    runs = []
    for obj in _all(content, "TextObject"):
        bx, by, _, _ = _numbers(obj.get("Boundary", "0 0 0 0"))
        size = float(obj.get("Size", "3.5"))
        for code in _all(obj, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x = bx + float(code.get("X", "0"))
            baseline = by + float(code.get("Y", "0"))
            deltas = _deltas(code.get("DeltaX", ""))
            width = sum(deltas[: len(text) - 1]) + size if deltas else len(text) * size
            # OFD's y grows downwards; Run's (like PDF's) upwards.
            runs.append(Run(left=x, bottom=-baseline, right=x + width, top=-(baseline - size), text=text.strip()))
    return runs


def _deltas(spec: str) -> list[float]:
    """``DeltaX``: numbers, where ``g N D`` stands for N times D."""
    tokens, out, index = spec.split(), [], 0
    while index < len(tokens):
        if tokens[index] == "g" and index + 2 < len(tokens):
            out.extend([float(tokens[index + 2])] * int(tokens[index + 1]))
            index += 3
        else:
            out.append(float(tokens[index]))
            index += 1
    return out


def _xml(archive, path: str) -> ET.Element:
    return ET.fromstring(archive.read(path))


def _path(base: str, location: str) -> str:
    location = location.strip()
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.normpath(posixpath.join(base, location))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(element: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


def _first(element: ET.Element, name: str) -> ET.Element | None:
    found = _all(element, name)
    return found[0] if found else None


def _numbers(text: str) -> list[float]:
    values = [float(v) for v in text.split()]
    return (values + [0.0] * 4)[:4]


def _box_width(box: ET.Element | None) -> float:
    return _numbers(box.text or "")[2] if box is not None and box.text else 0.0
