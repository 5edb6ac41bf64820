"""Run every notebook headless with parameters, render HTML, write an index page.

``python -m framing.report --corpus PATH --out reports`` is what ``make report`` calls.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import time
from pathlib import Path

from .figures import save_figure

__all__ = ["save_figure", "run_report", "ReportError"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTEBOOKS = PROJECT_ROOT / "notebooks"
DEFAULT_CORPUS = PROJECT_ROOT / "corpus" / "xi-putin-moscow-2023"


class ReportError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


def _first_lines(nb_path: Path) -> tuple[str, str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"]).strip().splitlines()
            title = src[0].lstrip("# ").strip() if src else nb_path.stem
            rest = next((ln.strip() for ln in src[1:] if ln.strip()), "")
            return title, rest
    return nb_path.stem, ""


def _failure(source: Path, exc: Exception) -> ReportError:
    """Name the failing cell as it is in the source notebook (papermill adds a cell after the
    parameters cell, so its index is one more than the source's past that point)."""
    import nbformat

    idx = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    where = "a cell"
    if idx is not None:
        cells = nbformat.read(source, as_version=4).cells
        params = next(
            (i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), None
        )
        if params is not None and idx > params:
            idx -= 1
        if 0 <= idx < len(cells):
            first = next((ln for ln in cells[idx].source.splitlines() if ln.strip()), "")
            where = f"cell {idx + 1} (first line: {first.strip()[:80]!r})"
    return ReportError(f"notebook {source.stem} failed at {where}: {ename}: {evalue}")


def run_report(
    corpus: str | Path = DEFAULT_CORPUS,
    out: str | Path = PROJECT_ROOT / "reports",
    *,
    notebooks: str | Path = DEFAULT_NOTEBOOKS,
    parameters: dict | None = None,
    timeout: int = 1800,
    only: str | None = None,
) -> Path:
    """Execute every numbered notebook on ``corpus`` and render the HTML report.

    Each notebook runs through papermill with ``corpus``, ``out_dir`` (``OUT/NAME/``, where it
    writes its figures and tables) and ``progress=False`` injected into its ``parameters`` cell,
    plus any extra ``parameters``. The executed notebook is saved as ``OUT/NAME.ipynb`` and
    rendered to ``OUT/NAME.html``; ``OUT/index.html`` links them all.

    ``only`` keeps the notebooks whose name starts with it (e.g. ``"01"``).

    Raises:
        ReportError: a cell failed; the message names the notebook and the cell (counted from
            1, as in JupyterLab, with its first line). The partial
            notebook is kept as ``OUT/NAME.failed.ipynb`` and the index is not written.
    """
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    corpus = Path(corpus).resolve()
    books = sorted(Path(notebooks).glob("[0-9][0-9]-*.ipynb"))
    if only:
        books = [b for b in books if b.stem.startswith(only)]
    if not books:
        raise ReportError(f"no numbered notebooks in {notebooks}")
    exporter = HTMLExporter(template_name="lab")
    entries = []
    for nb in books:
        name = nb.stem
        params = {"corpus": str(corpus), "out_dir": str(out / name), "progress": False}
        params.update(parameters or {})
        partial = out / f"{name}.failed.ipynb"
        done = out / f"{name}.ipynb"
        t0 = time.perf_counter()
        print(f"[report] {name} …", file=sys.stderr, flush=True)
        try:
            papermill.execute_notebook(
                str(nb),
                str(partial),
                parameters=params,
                kernel_name="python3",
                cwd=str(nb.parent),
                progress_bar=False,
                execution_timeout=timeout,
            )
        except Exception as exc:  # papermill re-raises the cell's error with its location
            raise _failure(nb, exc) from exc
        partial.replace(done)
        body, _ = exporter.from_notebook_node(nbformat.read(done, as_version=4))
        (out / f"{name}.html").write_text(body, encoding="utf-8")
        secs = time.perf_counter() - t0
        print(f"[report] {name} done in {secs:.1f} s", file=sys.stderr, flush=True)
        entries.append((name, *_first_lines(nb)))
    _write_index(out, corpus, entries)
    return out / "index.html"


def _write_index(out: Path, corpus: Path, entries: list[tuple[str, str, str]]) -> None:
    items = "\n".join(
        f'<li><a href="{html.escape(n)}.html">{html.escape(t)}</a>'
        f"<br><small>{html.escape(d)}</small></li>"
        for n, t, d in entries
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>framing report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;line-height:1.5}}
li{{margin:.8em 0}}</style></head>
<body><h1>framing report</h1>
<p>Corpus: <code>{html.escape(corpus.name)}</code>. Each page is a notebook executed headless;
figures' tables are in the folder of the same name as CSV files.</p>
<ol>
{items}
</ol></body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m framing.report", description=__doc__)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--out", default=os.environ.get("FRAMING_REPORTS", "reports"))
    ap.add_argument("--notebooks", default=str(DEFAULT_NOTEBOOKS))
    ap.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="extra notebook parameter, value parsed as JSON when it can be",
    )
    ap.add_argument("--only", help="run only notebooks whose name starts with this, e.g. 01")
    args = ap.parse_args(argv)
    extra = {}
    for item in args.param:
        k, _, v = item.partition("=")
        try:
            extra[k] = json.loads(v)
        except json.JSONDecodeError:
            extra[k] = v
    try:
        index = run_report(
            args.corpus, args.out, notebooks=args.notebooks, parameters=extra, only=args.only
        )
    except ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
