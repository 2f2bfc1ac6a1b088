"""The repository carries what its tests, benchmarks and README examples read: a bare clone runs them.

A path out of the repository (``../shared``, ``/work/…``, ``parents[2]``) works on the development machine and
fails with FileNotFoundError in a clone, so none may appear where code or examples read files.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./shared|/work/|parents\[2\]")


def readers() -> list[Path]:
    """Files whose paths are followed: code, the shipped data, the README's examples, the gold READMEs."""
    return [
        *sorted((ROOT / "tests").rglob("*.py")),
        *sorted((ROOT / "bench").glob("*.py")),
        *sorted((ROOT / "tests" / "data").glob("*/README.md")),
        ROOT / "README.md",
        ROOT / "bench" / "README.md",
        ROOT / "deadlines.toml",
        ROOT / "scripts" / "test",
    ]


def test_nothing_reads_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in readers()
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_every_repository_path_the_readme_names_exists() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    named = set(re.findall(r"(?:tests|bench|scripts|calendar_svc)/[\w./-]+\.(?:md|py|json|toml|txt)", text))
    assert "tests/data/corpus/policy-compilation-2024-08.md" in named
    assert "tests/data/shared_notices/score.py" in named
    assert [path for path in sorted(named) if not (ROOT / path).is_file()] == []


def test_the_shared_notices_and_corpus_are_copied_whole() -> None:
    notices = ROOT / "tests" / "data" / "shared_notices"
    assert len(list(notices.glob("[0-9][0-9]_*.txt"))) == 16
    for name in ("gold.json", "score.py", "check_gold.py", "README.md"):
        assert (notices / name).is_file(), name
    corpus = (ROOT / "tests" / "data" / "corpus" / "policy-compilation-2024-08.md").read_text("utf-8")
    assert len(corpus) > 90_000
