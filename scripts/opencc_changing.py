#!/usr/bin/env python3
"""Write calendar_svc/data/script.toml: the characters OpenCC's t2s conversion may change.

Run by hand after upgrading OpenCC (tests/test_script.py fails until then; the extractor meanwhile
converts every line, as it did before this list):

    python scripts/opencc_changing.py

It exports every dictionary of OpenCC's ``t2s.json`` (its normalization and its conversion chain) to
text with the ``opencc_dict`` tool OpenCC ships, and lists, for each entry whose default value differs
from its key, the key's characters that the value replaces (all of them when the lengths differ). A
text holding none of them is converted to itself: every dictionary match in it is an entry that leaves
its key as it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "calendar_svc" / "data" / "script.toml"


def dictionaries(config: dict) -> list[str]:
    """The .ocd2 files a config names, in its normalization and conversion chain (groups opened)."""

    def files(node: dict) -> list[str]:
        if node.get("type") == "group":
            return [name for inner in node["dicts"] for name in files(inner)]
        return [node["file"]]

    steps = [*config.get("normalization", []), *config["conversion_chain"]]
    return [name for step in steps for name in files(step["dict"])]


def changing(share: Path, tool: Path) -> set[str]:
    """Every character that some entry of t2s's dictionaries replaces."""
    config = json.loads((share / "t2s.json").read_text("utf-8"))
    found: set[str] = set()
    with tempfile.TemporaryDirectory() as folder:
        for name in dictionaries(config):
            text = Path(folder) / f"{name}.txt"
            subprocess.run([str(tool), "-i", str(share / name), "-o", str(text), "-f", "ocd2", "-t", "text"], check=True)
            for line in text.read_text("utf-8").splitlines():
                key, values = line.split("\t", 1)
                value = values.split(" ")[0]
                if key == value:
                    continue
                found.update(k for k, v in zip(key, value) if k != v) if len(key) == len(value) else found.update(key)
    return found


def installed() -> tuple[str, Path, Path]:
    """OpenCC's version, its dictionaries' folder and its opencc_dict tool."""
    import opencc

    base = Path(opencc.__file__).parent / "clib"
    return opencc.__version__, base / "share" / "opencc", base / "bin" / "opencc_dict"


def main() -> int:
    version, share, tool = installed()
    found = changing(share, tool)
    chars = "".join(sorted(c for c in found if c <= "\uffff"))
    rows = "\n".join(chars[i : i + 60] for i in range(0, len(chars), 60))
    OUT.write_text(
        "# Written by scripts/opencc_changing.py: the characters of the BMP that OpenCC's t2s conversion may change\n"
        "# (script.py converts only the lines holding one, or any character beyond the BMP). Used only with the OpenCC\n"
        "# version it was made from.\n\n"
        f'[t2s]\nopencc = "{version}"\nchanging = """\n{rows}\n"""\n',
        encoding="utf-8",
    )
    print(f"{OUT}: {len(chars)} characters of the BMP ({len(found) - len(chars)} beyond it), OpenCC {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
