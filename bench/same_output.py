"""Check that a speed change left extraction's output unchanged, byte for byte, on every notice set.

Run by hand from the repository root:

    python bench/same_output.py              # this tree against main
    python bench/same_output.py --base HEAD~1

It exports ``--base`` (a git revision) to a temporary folder, then runs
``calendar-svc extract FILES --json --date 2026-12-02`` once per set of tests/data (every set's notices, and
the corpus document) with that code and with this tree's, and compares the two outputs byte for byte.
It prints only each set's name, its record count and whether the outputs are the same: the sealed sets'
texts and records are never shown, so the check can run on them without anyone reading them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
DATE = "2026-12-02"


def notice_sets() -> dict[str, list[Path]]:
    """Set name → its notice files (.txt and .md, without the README)."""
    found = {}
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md")
        if files:
            found[folder.name] = files
    return found


def extract(tree: Path, files: list[Path]) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    argv = [sys.executable, "-m", "calendar_svc", "extract", *map(str, files), "--json", "--date", DATE]
    done = subprocess.run(argv, env=env, capture_output=True, check=False, cwd=tree)
    return done.stdout + b"\n--- exit %d\n" % done.returncode


def export(revision: str, into: Path) -> None:
    archive = subprocess.run(["git", "archive", revision, "calendar_svc"], cwd=ROOT, capture_output=True, check=True)
    with tempfile.TemporaryFile() as buffer:
        buffer.write(archive.stdout)
        buffer.seek(0)
        with tarfile.open(fileobj=buffer) as tar:
            tar.extractall(into, filter="data")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="main", help="git revision to compare with (default: main)")
    args = parser.parse_args()
    differing = 0
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        export(args.base, base)
        for name, files in notice_sets().items():
            before, after = extract(base, files), extract(ROOT, files)
            same = before == after
            differing += not same
            records = after.count(b'"id":')
            digest = hashlib.sha256(after).hexdigest()[:12]
            print(f"{name:16} {len(files):3} files {records:4} records  {'same' if same else 'DIFFERENT'}  {digest}")
    print("all outputs identical" if not differing else f"{differing} set(s) differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
