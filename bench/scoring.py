"""The shared notice scorer, loaded once for every bench script that scores against gold.

``tests/data/shared_notices/score.py`` is a script of the gold folder, not a module of the
package, so it is loaded from its path; the benches import :func:`scorer` from here instead of
each carrying its own loader.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

#: The annotated notice sets (each folder with a gold.json) and corpus_gold.json.
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def scorer() -> ModuleType:
    """score.py as a module: ``score``, ``actionable``, ``key``, ``same_spot``…"""
    spec = importlib.util.spec_from_file_location("score", DATA / "shared_notices" / "score.py")
    assert spec is not None and spec.loader is not None, "tests/data/shared_notices/score.py is missing"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
