"""The ``framing`` command: the report, every table, and the cache, from the shell.

    framing report PATH [--out DIR] [--by COL] [--outlets A,B] [--top-outlets N] [--only NN] [--rerun]
    framing analyze PATH --out DIR [--dask [ADDRESS]] [--by COL] [--outlets A,B] ...
        both take  --columns text=article_text,outlet=source  --date-format %m/%d/%y
                   --boilerplate off | --boilerplate min_articles=10,min_share=0.01
    framing cache clear [NAMESPACE]
    framing cache info

PATH is anything :func:`framing.load_corpus` reads: a corpus folder with ``manifest.csv``, a
folder of ``.txt`` files, a CSV / JSON Lines / Parquet file, or a ``.toml`` corpus spec such as
``corpus/allsides.toml``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from .errors import check_option

__all__ = ["main"]

# the loader's messages name Python arguments; on the command line the fix is an option
_SHELL_HINTS = [
    (
        re.compile(r"columns=\{'(\w+)': \.\.\.\}(?: \(or 'path' for text files\))?"),
        r"--columns \1=COLUMN (or --columns path=COLUMN for a column of text-file paths)",
    ),
    (
        re.compile(r"(matches none of the formats \[[^\]]*\])"),
        r"\1; accept another with --date-format, e.g. --date-format %m/%d/%y",
    ),
    (re.compile(r"\bcolumns has unknown roles"), "--columns names unknown roles"),
]


def for_the_shell(message: str) -> str:
    """A loader message with its Python-syntax fix rewritten as the command-line option."""
    for pattern, repl in _SHELL_HINTS:
        message = pattern.sub(repl, message)
    return message


def parse_roles(values: list[str]) -> dict[str, str] | None:
    """``--columns text=body,outlet=source`` (repeatable) as a role → column mapping."""
    out = {}
    for value in values:
        for part in value.split(","):
            role, sep, column = part.partition("=")
            if not sep or not role.strip() or not column.strip():
                raise argparse.ArgumentTypeError(
                    f"--columns {part!r}: write ROLE=COLUMN, e.g. --columns text=article_text"
                )
            out[role.strip()] = column.strip()
    return out or None


def add_reading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--columns",
        action="append",
        default=[],
        metavar="ROLE=COLUMN,…",
        help="for a table: which column plays which role, e.g. text=article_text,outlet=source "
        "(roles: text, path, outlet, date, title, id, url, byline)",
    )
    p.add_argument(
        "--date-format",
        action="append",
        default=[],
        metavar="FORMAT",
        help="an accepted date format besides ISO, e.g. %%m/%%d/%%y (repeatable, tried in order)",
    )
    p.add_argument(
        "--boilerplate",
        default=None,
        metavar="off|NAME=NUMBER,…",
        help="page furniture learned from the corpus (lines an outlet repeats in many articles): "
        "off, or thresholds such as min_articles=10,min_share=0.01,min_lift=10,min_days=60 "
        "(default: the spec's setting, else on with these defaults but min_articles=5 and "
        "min_share=0.005)",
    )


def parse_boilerplate(value: str | None):
    """``--boilerplate off`` (or on), or ``--boilerplate min_articles=10,min_days=30``: the
    ``boilerplate=`` option of :func:`framing.load_corpus` (None: not given)."""
    if value is None:
        return None
    word = value.strip().lower()
    if word in ("off", "no", "false", "0"):
        return False
    if word in ("on", "yes", "true", "1", "default"):
        return True
    out: dict[str, int | float] = {}
    for part in value.split(","):
        name, sep, number = part.partition("=")
        try:
            if not sep:
                raise ValueError
            out[name.strip()] = int(number) if number.strip().isdigit() else float(number)
        except ValueError:
            check_option(
                "--boilerplate",
                value,
                "off, on, or NAME=NUMBER,… such as min_articles=10,min_share=0.01 (names: "
                "min_articles, min_share, min_lift, min_days)",
                ok=False,
            )
    return out


def parse_date_formats(values: list[str]) -> list[str] | None:
    return ["iso", *(v for v in values if v != "iso")] if values else None


def _add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", default="outlet", help="column to compare (e.g. bias_text)")
    p.add_argument("--outlets", default=None, help='values of --by to keep, "A,B"')
    p.add_argument(
        "--top-outlets",
        type=int,
        default=8,
        help="with no --outlets, keep the largest N groups (0: all)",
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="framing", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run every notebook on a corpus and render the HTML report")
    rep.add_argument("path", help="corpus folder, data file or .toml spec")
    rep.add_argument("--out", default=None, help="report folder (default: REPORTS/<corpus-name>)")
    rep.add_argument(
        "--reports", default="reports", help="parent of the per-corpus folders (default: reports)"
    )
    rep.add_argument("--only", default=None, help="only notebooks whose name starts with this")
    rep.add_argument("--rerun", action="store_true", help=RERUN_HELP)
    _add_selection(rep)
    add_reading_options(rep)

    an = sub.add_parser("analyze", help="write every table as Parquet and CSV")
    an.add_argument("path", help="corpus folder, data file or .toml spec")
    an.add_argument("--out", required=True, help="folder for the tables")
    add_reading_options(an)
    an.add_argument(
        "--dask",
        nargs="?",
        const="local",
        default=None,
        metavar="ADDRESS",
        help="run per-article steps on Dask: a local cluster, or the scheduler at ADDRESS "
        "(e.g. tcp://10.0.0.5:8786)",
    )
    _add_selection(an)
    an.add_argument("--steps", default=None, help="comma-separated subset of the steps")
    an.add_argument(
        "--actors",
        default=None,
        metavar="CSV",
        help="actor table for mentions and speakers (default: the shipped one for the case "
        "study, else one built from the corpus, written as actor_table.csv: edit it and pass "
        "it here)",
    )
    an.add_argument(
        "--top-terms", type=int, default=50, help="TF-IDF and log-odds terms kept per group"
    )
    an.add_argument("--n-jobs", type=int, default=-1, help="processes (default: one per core)")
    an.add_argument("--chunk-size", type=int, default=500, help="articles per task")
    an.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    an.add_argument(
        "--on-error",
        choices=["raise", "drop"],
        default=None,
        help="bad input rows: stop at the first, or drop them and list them in load_report "
        "(default: the spec's setting, else raise)",
    )
    an.add_argument("--limit", type=int, default=None, help="read only the first N rows")
    an.add_argument("--format", choices=["parquet", "csv", "both"], default="both")
    an.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bars (shown by default: the per-article steps, one tick per chunk of "
        "articles; the group comparisons, one tick per step; the writing, one tick per table)",
    )

    ca = sub.add_parser("cache", help="the disk cache of expensive results")
    ca.add_argument("action", choices=["clear", "info"])
    ca.add_argument("namespace", nargs="?", default=None, help="clear only this namespace")
    return ap


RERUN_HELP = (
    "run every notebook again, even one whose earlier run on exactly these inputs (notebook, "
    "parameters, corpus, installed code) is kept in the cache and would be reused"
)


def _report(args) -> int:
    from .report import ReportError, _shown_to_user, run_report

    params = {"by": args.by, "top_outlets": args.top_outlets or None}
    if args.outlets:
        params["outlets"] = [o.strip() for o in args.outlets.split(",") if o.strip()]
    try:
        index = run_report(
            args.path,
            args.out,
            reports=args.reports,
            parameters=params,
            only=args.only,
            rerun=args.rerun,
            columns=parse_roles(args.columns),
            date_formats=parse_date_formats(args.date_format),
            boilerplate=parse_boilerplate(args.boilerplate),
        )
    except (ReportError, ValueError, argparse.ArgumentTypeError) as e:
        print(f"error: {for_the_shell(str(e))}", file=sys.stderr)
        return 1
    print(f"wrote {_shown_to_user(index)}")
    return 0


def _analyze(args) -> int:
    import framing

    from .errors import CorpusError
    from .pipeline import OutputError, analyze_corpus, check_output, write_tables

    formats = ("parquet", "csv") if args.format == "both" else (args.format,)
    inputs = _inputs(args.path)
    try:  # before any work: a bad --out must not cost the whole analysis
        check_output(args.out, formats=formats, inputs=inputs)
    except OutputError as e:
        print(f"error: --out {args.out}: {e}", file=sys.stderr)
        return 2
    t_all = time.perf_counter()
    t0 = time.perf_counter()
    print(f"[framing] loading {args.path} …", file=sys.stderr, flush=True)
    try:
        articles = framing.load_corpus(
            args.path,
            on_error=args.on_error,
            limit=args.limit,
            cache=not args.no_cache,
            columns=parse_roles(args.columns),
            date_formats=parse_date_formats(args.date_format),
            boilerplate=parse_boilerplate(args.boilerplate),
        )
    except (CorpusError, ValueError, argparse.ArgumentTypeError) as e:
        print(f"error: {for_the_shell(str(e))}", file=sys.stderr)
        return 1
    load_s = time.perf_counter() - t0
    print(f"[framing] loaded {len(articles):,} articles in {load_s:.1f} s", file=sys.stderr)
    steps = [s.strip() for s in args.steps.split(",")] if args.steps else None
    timings: dict[str, float] = {"load": load_s}
    try:
        tables = analyze_corpus(
            articles,
            steps=steps,
            by=args.by,
            outlets=args.outlets,
            top_outlets=args.top_outlets or None,
            top_terms=args.top_terms,
            backend="dask" if args.dask else "joblib",
            scheduler=None if args.dask in (None, "local") else args.dask,
            n_jobs=args.n_jobs,
            chunk_size=args.chunk_size,
            cache=not args.no_cache,
            progress=not args.no_progress,
            timings=timings,
            actors=args.actors,
        )
    except (ValueError, CorpusError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        write_tables(
            tables, args.out, formats=formats, inputs=inputs, progress=not args.no_progress
        )
    except OutputError as e:
        print(f"error: --out {args.out}: {e}", file=sys.stderr)
        return 2
    timings["write"] = time.perf_counter() - t0
    total = time.perf_counter() - t_all
    print(_summary(tables, timings, total, Path(args.out)))
    return 0


def _inputs(path: str) -> list[Path]:
    """The input files the tables must never overwrite: PATH, and a spec's data file."""
    p = Path(path)
    found = [p]
    if p.suffix == ".toml" and p.is_file():
        import tomllib

        try:
            data = tomllib.loads(p.read_text(encoding="utf-8")).get("path")
        except (OSError, ValueError):
            data = None  # load_corpus reports a bad spec with its row and problem
        if isinstance(data, str):
            found.append(p.parent / data)
    return found


def _summary(tables, timings, total, out: Path) -> str:
    lines = [f"wrote {len(tables)} tables to {out}/ in {total:.1f} s"]
    for name, frame in tables.items():
        lines.append(f"  {name:12s} {len(frame):>10,} rows")
    rep = tables.get("load_report")
    if rep is not None and len(rep):
        counts = rep.groupby(["reason", "action"]).size()
        lines.append("load report (rows per reason):")
        for (reason, action), n in counts.items():
            lines.append(f"  {reason:18s} {action:8s} {n:>8,}")
    lines.append("seconds per step: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    return "\n".join(lines)


def _cache(args) -> int:
    from .cache import cache_dir, cache_namespaces, clear_cache

    root = cache_dir()
    if args.action == "info":
        names = cache_namespaces(root)
        if not names:
            print(f"{root}: empty")
            return 0
        for name in names:
            d = root / name
            size = sum(f.stat().st_size for f in d.rglob("*") if f.is_file())
            print(f"{name:32s} {size / 1e6:10.1f} MB")
        return 0
    try:
        removed = clear_cache(args.namespace)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    what = ", ".join(removed) if removed else "nothing to clear"
    print(f"cleared {root / args.namespace if args.namespace else root}: {what}")
    if root.is_dir():
        left = sorted(p.name for p in root.iterdir() if p.name != "CACHEDIR.TAG")
        if left and args.namespace is None:
            noun = "entry" if len(left) == 1 else "entries"
            print(f"left {len(left)} {noun} framing did not write: {', '.join(left[:5])}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framing`` command."""
    args = _parser().parse_args(argv)
    if args.command == "report":
        return _report(args)
    if args.command == "analyze":
        return _analyze(args)
    return _cache(args)


if __name__ == "__main__":
    sys.exit(main())
