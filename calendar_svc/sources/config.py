"""sources.toml: the notice lists and feeds to watch, read and checked once, appended to by ``sources add``.

The file is for people, so ``sources add`` appends a ``[[source]]`` block as
text instead of rewriting the file: comments and order stay as written.
Every problem names the file and the line of the source it is in.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..offsets import OffsetError, parse_offset

SOURCES_FILE = "sources.toml"
KINDS = ("auto", "list", "feed")
#: Checking a site more often than this is not polite, whatever the file says.
MIN_EVERY = dt.timedelta(minutes=10)
_KEYS = {"name", "url", "tags", "every", "kind", "selector", "pages", "trusted", "recheck"}

HEADER = """\
# sources.toml: notice lists and feeds calendar-svc watches (calendar-svc watch, serve).
# Each [[source]]: name, url (a list page or an RSS/Atom feed), tags, every (6h, 1d),
# optionally selector (CSS, for a list the page structure does not show), pages (list
# pages followed on a first check), trusted = true (publish without review), recheck
# (how long seen notices are re-checked for changes, default 30d).

"""


@dataclass(frozen=True)
class Source:
    """One watched place: a 通知公告 list page or a feed."""

    name: str
    url: str
    tags: tuple[str, ...] = ()
    every: dt.timedelta = dt.timedelta(hours=6)
    kind: str = "auto"
    selector: str = ""
    pages: int = 3
    trusted: bool = False
    recheck: dt.timedelta = dt.timedelta(days=30)

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).hostname or ""


def load_sources(path: str | os.PathLike[str]) -> list[Source]:
    """The sources in ``path`` (a missing file is none); names are unique."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise InputError(str(path), "不是 UTF-8 文本") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(str(path), f"不是有效的 TOML：{exc}", int(match.group(1)) if match else None) from None
    unknown = set(data) - {"source"}
    if unknown:
        raise InputError(str(path), f"不认识的键 {sorted(unknown)[0]!r}：来源写成 [[source]] 表")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InputError(str(path), "`source` 必须是表数组（[[source]]）", 1)
    lines = _table_lines(text)
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else None
        source = parse_source(table, str(path), line)
        if source.name in seen:
            raise InputError(str(path), f"来源名称 {source.name!r} 用了两次（第一次在第 {seen[source.name]} 行）", line)
        seen[source.name] = line or 0
        sources.append(source)
    return sources


def parse_source(table: dict, file: str, line: int | None = None) -> Source:
    """One ``[[source]]`` table, checked; errors name ``file`` and ``line``."""

    def fail(problem: str) -> InputError:
        return InputError(file, problem, line)

    unknown = set(table) - _KEYS
    if unknown:
        raise fail(f"[[source]] 中有不认识的键 {sorted(unknown)[0]!r}（可用：{', '.join(sorted(_KEYS))}）")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip() or any(not c.isprintable() for c in name):
        raise fail("每个 [[source]] 都要有 name（一行文字）")
    url = table.get("url")
    if not isinstance(url, str) or not check_url(url):
        raise fail(f"来源 {name!r}：url 必须是 http:// 或 https:// 网址，不能是 {url!r}")
    tags = table.get("tags", [])
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise fail(f"来源 {name!r}：tags 必须是词语列表")
    kind = table.get("kind", "auto")
    if kind not in KINDS:
        raise fail(f"来源 {name!r}：kind 必须是 {'、'.join(KINDS)} 之一，不能是 {kind!r}")
    selector = table.get("selector", "")
    if not isinstance(selector, str):
        raise fail(f"来源 {name!r}：selector 必须是 CSS 选择器字符串")
    if selector:
        problem = selector_problem(selector)
        if problem:
            raise fail(f"来源 {name!r}：selector {selector!r} 不是有效的 CSS：{problem}")
    pages = table.get("pages", 3)
    if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= 50:
        raise fail(f"来源 {name!r}：pages 必须是 1 至 50 的整数，不能是 {pages!r}")
    trusted = table.get("trusted", False)
    if not isinstance(trusted, bool):
        raise fail(f"来源 {name!r}：trusted 必须是 true 或 false")
    return Source(
        name=name.strip(),
        url=url.strip(),
        tags=tuple(t.strip() for t in tags),
        every=_duration(table.get("every", "6h"), "every", name, fail, minimum=MIN_EVERY),
        kind=kind,
        selector=selector,
        pages=pages,
        trusted=trusted,
        recheck=_duration(table.get("recheck", "30d"), "recheck", name, fail, minimum=dt.timedelta(0)),
    )


def add_source(path: str | os.PathLike[str], source: Source) -> None:
    """Append ``source`` to ``path`` (created with a header comment), refusing a name already there."""
    path = Path(path)
    existing = load_sources(path)  # a broken file is reported before anything is written
    if any(s.name == source.name for s in existing):
        raise InputError(str(path), f"已有名为 {source.name!r} 的来源（要修改请直接编辑文件）")
    block = ["[[source]]", f"name = {_quote(source.name)}", f"url = {_quote(source.url)}"]
    block.append("tags = [" + ", ".join(_quote(t) for t in source.tags) + "]")
    block.append(f"every = {_quote(format_duration(source.every))}")
    if source.kind != "auto":
        block.append(f"kind = {_quote(source.kind)}")
    if source.selector:
        block.append(f"selector = {_quote(source.selector)}")
    if source.pages != 3:
        block.append(f"pages = {source.pages}")
    if source.trusted:
        block.append("trusted = true")
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    text = text.rstrip("\n") + "\n\n" if text.strip() else ""
    from ..store import write_atomic

    write_atomic(path, text + "\n".join(block) + "\n")
    load_sources(path)  # what was written reads back


def check_url(url: str) -> bool:
    parts = urllib.parse.urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url.strip())


def selector_problem(selector: str) -> str:
    """Why ``selector`` is not a CSS selector lxml can use, or ``""``."""
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        return str(exc)
    return ""


def format_duration(delta: dt.timedelta, units: tuple[str, str, str] = ("d", "h", "m")) -> str:
    """``6h``, ``1d``, ``1d12h``: as people write them in the file (other ``units``: in other words)."""
    minutes = int(delta.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in zip((days, hours, mins), units) if n) or f"0{units[2]}"


def zh_duration(delta: dt.timedelta) -> str:
    """``6小时``, ``1天``, ``1天12小时``: for people reading the CLI."""
    return format_duration(delta, ("天", "小时", "分钟"))


def parse_every(text: str) -> dt.timedelta:
    """``--every`` as typed: a duration of at least :data:`MIN_EVERY`."""
    try:
        delta = parse_offset(text.strip()).delta
    except OffsetError:
        raise ValueError(f"{text!r} 不是时长，应写成 30m、6h 或 1d 这样") from None
    if delta < MIN_EVERY:
        raise ValueError(f"{text!r} 太频繁：同一网站最多每 {format_duration(MIN_EVERY)} 检查一次")
    return delta


def _duration(value: object, key: str, name: str, fail, *, minimum: dt.timedelta) -> dt.timedelta:
    if key == "recheck" and value in ("0", "0d", 0):
        return dt.timedelta(0)
    try:
        delta = parse_offset(str(value).strip()).delta
    except OffsetError:
        raise fail(f"来源 {name!r}：{key} 必须是 30m、6h 或 1d 这样的时长，不能是 {value!r}") from None
    if delta < minimum:
        raise fail(f"来源 {name!r}：{key} {value!r} 太频繁：最多每 {format_duration(minimum)} 一次")
    return delta


def _quote(text: str) -> str:
    import tomli_w

    return tomli_w.dumps({"v": text}).split("=", 1)[1].strip()


def _table_lines(text: str) -> list[int]:
    """The line of each ``[[source]]`` header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*source\s*\]\]", line)]
