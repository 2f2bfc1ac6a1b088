"""The extractor's compiled-regex cache: the same patterns as ``re.compile``, only faster to build."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

import calendar_svc.classify  # noqa: F401  (imports every extraction module, which fills the registry)
import calendar_svc.patterns as patterns
from calendar_svc.patterns import CompiledCache, registry

SOURCES = sorted({(p.source, int(p.flags)) for p in registry()})


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sources ``re`` really compiles from now on (its own cache bypassed)."""
    seen: list[str] = []
    real = re._compiler.compile

    def counting(source, flags=0):
        seen.append(source)
        return real(source, flags)

    monkeypatch.setattr(re._compiler, "compile", counting)
    re.purge()
    return seen


def test_every_pattern_from_a_cache_equals_re_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written by one run and read by the next, each pattern is re.compile's (same source, flags and program),
    and the second run compiles nothing."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "__pycache__" / "patterns.regex"
    first = CompiledCache(path)
    built = [first.compile(source, flags) for source, flags in SOURCES]
    first.save()
    assert path.exists()

    seen = _compiles(monkeypatch)
    second = CompiledCache(path)
    again = [second.compile(source, flags) for source, flags in SOURCES]
    assert seen == []
    for (source, flags), pattern, cached in zip(SOURCES, built, again):
        assert cached == pattern == re.compile(source, flags), source
        assert (cached.groups, cached.groupindex) == (pattern.groups, pattern.groupindex)
    date_atom = next(p for p in registry() if p.name == "date atom")
    cached = second.compile(date_atom.source, date_atom.flags)
    assert cached.search("报送截止时间为2024年9月30日17:00").group() == date_atom.compiled.search("报送截止时间为2024年9月30日17:00").group()


def test_a_foreign_or_broken_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Python's file, a truncated file, or a program the engine refuses: compiled anew, still right."""
    source = r"(?P<day>\d{1,2})日前"
    cases = {
        "other python": marshal.dumps((("calendar-svc regex cache 1", "2.7", 0, 0), {(source, 0): (32, [1], 0, {}, ())})),
        "truncated": marshal.dumps((patterns._CACHE_KEY, {}))[:-3],
        "bad program": marshal.dumps((patterns._CACHE_KEY, {(source, 0): (32, [999, 1, 2], 0, {}, ())})),
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.regex"
        path.write_bytes(content)
        pattern = CompiledCache(path).compile(source)
        assert pattern == re.compile(source), name
        assert pattern.search("请于9月30日前提交").group("day") == "30"


def test_no_cache_written_when_bytecode_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PYTHONDONTWRITEBYTECODE (sys.dont_write_bytecode) means no cache file either; a read-only folder is no error."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    quiet = CompiledCache(tmp_path / "quiet.regex")
    quiet.compile(r"\d+月")
    quiet.save()
    assert not (tmp_path / "quiet.regex").exists()

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    blocked = CompiledCache(tmp_path / "file" / "sub" / "x.regex")
    (tmp_path / "file").write_text("not a folder")
    blocked.compile(r"\d+日")
    blocked.save()  # cannot create the folder: skipped without an error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_second_process_reads_what_the_first_wrote(tmp_path: Path) -> None:
    """The cache works across processes: the second run of the extractor compiles none of its patterns."""
    code = (
        "import sys\n"
        "import calendar_svc.patterns as p\n"
        "from pathlib import Path\n"
        "p._CACHE.path = Path(sys.argv[1])\n"
        "misses = []\n"
        "program = p._program\n"
        "p._program = lambda s, f: (misses.append(s), program(s, f))[1]\n"
        "from calendar_svc.extract import extract\n"
        "found = extract([sys.argv[2]], reference=__import__('datetime').date(2024, 8, 1))\n"
        "print(len(found.deadlines), len(misses))\n"
    )
    path = tmp_path / "patterns.regex"
    notice = tmp_path / "notice.txt"
    notice.write_text("关于申报的通知\n请各单位于2024年9月30日17:00前提交申报书。\n", encoding="utf-8")
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[1]), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code, str(path), str(notice)], capture_output=True, text=True, env=env, check=True).stdout.split()
            for _ in range(2)]
    assert runs[0][0] == runs[1][0] == "1"
    assert int(runs[0][1]) > 10 and runs[1][1] == "0"
