"""Print docs/api.md: the flat public API of framing, grouped by stage, one line per name.

Run from the project folder:

    python3 tools/api_index.py > docs/api.md

It reads the source with the standard library's ``ast`` (it neither imports framing nor needs
its environment): the names in ``src/framing/__init__.py``'s ``__all__``, the module each is
imported from (its ``_HOME``), and each one's docstring summary (its first paragraph).
Constants have no docstring; their summary is the comment block right above the assignment. A name it cannot
place or describe is printed under "Not placed" / "(no summary)", so a gap shows in the diff.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "framing"

# Stages in the order a corpus goes through them; each claims modules by path prefix.
STAGES = [
    ("Loading a corpus", ["io/", "errors.py"]),
    ("Text: cleaning, sentences, words, terms", ["text/"]),
    ("Groups and joins", ["groups.py"]),
    ("Measures", ["measures/"]),
    ("Statistics", ["stats.py"]),
    ("Evaluation: how far each measure can be trusted", ["evaluate.py"]),
    ("Validation: coding by hand, agreement, frame classifiers", ["validation/"]),
    ("Description: prose and tables written from the data", ["describe.py"]),
    ("Plots", ["plots/"]),
    ("Outputs: figures with their tables", ["outputs.py"]),
    ("Pipeline and cache", ["pipeline.py", "cache.py"]),
    ("Report: the findings page and the explorer", ["findings.py", "explorer.py", "report.py"]),
]


def _public_names(init: ast.Module) -> tuple[list[str], dict[str, str]]:
    """``__all__`` and, for each public name, the module file it comes from (``_HOME``: the
    package imports each name from its module when it is first used)."""
    names: list[str] = []
    origin: dict[str, str] = {}
    for node in init.body:
        if not isinstance(node, ast.Assign):
            continue
        target = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if "_HOME" in target:
            for module, members in ast.literal_eval(node.value).items():
                rel = module.lstrip(".").replace(".", "/")
                path = f"{rel}/__init__.py" if (PKG / rel).is_dir() else f"{rel}.py"
                for name in members:
                    origin[name] = path
        elif "__all__" in target:
            names = [ast.literal_eval(e) for e in node.value.elts]
    return names, origin


def _markdown(text: str) -> str:
    """reST inline markup as Markdown: ``x`` and :func:`x` become `x`; a | cannot end a cell."""
    text = re.sub(r":(?:func|class|meth|mod|data|attr):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`").replace("|", "\\|")


def _summary(doc: str | None) -> str:
    """The docstring's first paragraph on one line."""
    if not doc:
        return ""
    return _markdown(" ".join(doc.strip().split("\n\n")[0].split()))


def _comment_above(lines: list[str], lineno: int) -> str:
    """The ``#`` comment block ending right above line ``lineno`` (1-based), on one line."""
    out: list[str] = []
    i = lineno - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        out.insert(0, lines[i].lstrip()[1:].strip())
        i -= 1
    return " ".join(out)


def _required(args: ast.arguments) -> str:
    """The parameters without a default, then ``…`` if there are others."""
    positional = [*args.posonlyargs, *args.args]
    required = [a.arg for a in positional[: len(positional) - len(args.defaults)]]
    required = [a for a in required if a not in ("self", "cls")]
    required += [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is None]
    optional = len(args.defaults) + sum(d is not None for d in args.kw_defaults)
    if optional or args.vararg or args.kwarg:
        required.append("…")
    return ", ".join(required)


def _describe(name: str, path: str) -> tuple[str, str]:
    """(how the name is written in the index, its summary) from the module's source."""
    source = (PKG / path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return f"`{name}({_required(node.args)})`", _summary(ast.get_docstring(node))
        if isinstance(node, ast.ClassDef) and node.name == name:
            init = next(
                (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
                None,
            )
            shown = f"`{name}({_required(init.args)})`" if init else f"`{name}`"
            return shown + " (class)", _summary(ast.get_docstring(node))
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return f"`{name}`", _markdown(_comment_above(lines, node.lineno))
    return f"`{name}`", ""


def main() -> int:
    init_path = PKG / "__init__.py"
    names, origin = _public_names(ast.parse(init_path.read_text(encoding="utf-8")))
    functions = [n for n in names if n in origin]
    modules = [n for n in names if n not in origin]

    out = [
        "# API index",
        "",
        "Every name of the flat public API (`from framing import …`), grouped by the stage of the",
        "analysis it belongs to, with the first paragraph of its docstring. The docstrings are the",
        "reference (arguments, returned columns, notes and caveats): `help(framing.NAME)` in Python,",
        "or the linked source file. A signature here lists only the arguments without a default;",
        "`…` stands for the optional ones.",
        "",
        "This file is generated; do not edit it by hand. After changing the public API or a",
        "docstring, regenerate it from the project folder:",
        "",
        "```sh",
        "python3 tools/api_index.py > docs/api.md",
        "```",
        "",
        "The script reads the source with Python's `ast` module: it needs no environment and does",
        "not import framing.",
        "",
    ]
    placed: set[str] = set()
    for title, prefixes in STAGES:
        rows = []
        for name in sorted(functions, key=str.lower):
            path = origin[name]
            if name in placed or not any(path.startswith(p) for p in prefixes):
                continue
            placed.add(name)
            shown, summary = _describe(name, path)
            link = f"[`{path}`](../src/framing/{path})"
            rows.append(f"| {shown} | {summary or '(no summary)'} | {link} |")
        if rows:
            out += [f"## {title}", "", "| name | what it does | source |", "|---|---|---|"]
            out += rows + [""]
    rest = [n for n in functions if n not in placed]
    if rest:
        out += ["## Not placed", ""] + [f"- `{n}` ({origin[n]})" for n in rest] + [""]
    if modules:
        out += [
            "## Modules",
            "",
            "Also exported, for the engines and plumbing behind the functions above: "
            + ", ".join(f"`framing.{m}`" for m in sorted(modules))
            + ": the engines and plumbing stay in their modules, importable by name, each"
            " described by its own docstrings.",
            "",
        ]
    sys.stdout.write("\n".join(out).rstrip("\n") + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
