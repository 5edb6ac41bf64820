"""Notebook hygiene: committed notebooks carry no outputs, execution counts or run metadata.

``python -m framing.notebooks strip FILE…`` cleans notebooks in place (``make strip``);
``python -m framing.notebooks check FILE…`` lists the ones that are not clean (exit 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

__all__: list[str] = []

_CELL_META_DROP = ("execution", "collapsed", "scrolled", "ExecuteTime", "papermill")
_NB_META_DROP = ("papermill", "widgets")


def problems(path: str | Path) -> list[str]:
    """What keeps a notebook from being clean, one phrase per problem (empty when clean)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("outputs"):
            found.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i} has an execution count")
        if any(k in cell.get("metadata", {}) for k in _CELL_META_DROP):
            found.append(f"cell {i} has run metadata")
    if any(k in nb.get("metadata", {}) for k in _NB_META_DROP):
        found.append("notebook has run metadata")
    return found


def strip(path: str | Path) -> bool:
    """Remove outputs, execution counts and run metadata in place; True if the file changed."""
    p = Path(path)
    before = p.read_text(encoding="utf-8")
    nb = json.loads(before)
    for cell in nb.get("cells", []):
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for k in _CELL_META_DROP:
            cell.get("metadata", {}).pop(k, None)
    for k in _NB_META_DROP:
        nb.get("metadata", {}).pop(k, None)
    after = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if after != before:
        p.write_text(after, encoding="utf-8")
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in {"strip", "check"}:
        print("usage: python -m framing.notebooks strip|check FILE…", file=sys.stderr)
        return 2
    cmd, files = argv[0], argv[1:]
    bad = 0
    for f in files:
        if cmd == "strip":
            if strip(f):
                print(f"stripped {f}")
        else:
            for msg in problems(f):
                print(f"{f}: {msg}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
