"""Benchmark: a report on thousands of groups stays within the analysis's memory (issue #13.9).

Run:  .venv/bin/python benchmarks/bench_many.py [--articles 20000] [--outlets 5000] [--keep DIR]

Builds, from the first ``--articles`` rows of the shared AllSides corpus, a CSV corpus whose
articles are dealt round-robin to ``--outlets`` made-up outlets (``outlet 0000`` …: four
articles each by default), then, each from an empty cache and timed by wall clock with the peak
memory of its process tree:
1. ``framing analyze`` with no top-N (``--top-outlets 0``: every outlet);
2. the whole report with no top-N (``-p top_outlets=null``).
It prints both, the ratio of the peaks (target: report <= analyze, i.e. <= 1.0), the same for
the report's notebooks alone (after its own analysis step, which runs in a child process
beside the runner, a Python process of some 0.2-0.3 GB), and the "Capped:" notes the pages
show. The figures vary with what else the machine runs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from pathlib import Path

from bench_report import FRAMING, PY, ROOT, timed, work_folder

ALLSIDES = ROOT.parent / "shared" / "data" / "allsides" / "articles.jsonl.gz"


def build(folder: Path, n_articles: int, n_outlets: int) -> Path:
    """The corpus: ``folder/many.csv`` and its spec ``folder/many.toml``."""
    with (
        gzip.open(ALLSIDES, "rt", encoding="utf-8") as f,
        open(folder / "many.csv", "w", newline="", encoding="utf-8") as out,
    ):
        w = csv.writer(out)
        w.writerow(["doc_id", "outlet", "date", "title", "text"])
        for i, line in zip(range(n_articles), f, strict=False):
            r = json.loads(line)
            w.writerow([r["id"], f"outlet {i % n_outlets:04d}", r["date"], r["title"], r["text"]])
    spec = folder / "many.toml"
    spec.write_text(
        f'description = "{n_articles:,} AllSides articles dealt to {n_outlets:,} made-up outlets"\n'
        'path = "many.csv"\non_error = "drop"\ndate_formats = ["iso", "%m/%d/%y"]\n',
        encoding="utf-8",
    )
    return spec


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--outlets", type=int, default=5_000)
    ap.add_argument("--keep", metavar="DIR", help="work in this (new) folder and keep it")
    args = ap.parse_args()
    with work_folder(args.keep, "bench-many-") as tmp:
        spec = build(tmp, args.articles, args.outlets)
        print(
            f"{args.articles:,} AllSides articles in {args.outlets:,} outlets, no top-N", flush=True
        )
        analyze = [FRAMING, "analyze", str(spec), "--out", str(tmp / "tables"),
                   "--top-outlets", "0", "--no-progress"]  # fmt: skip
        a_secs, a_peak = timed("framing analyze (empty cache)", analyze, tmp / "cache-analyze",
                               peak=True)  # fmt: skip
        report = [PY, "-m", "framing.report", "--corpus", str(spec), "--out",
                  str(tmp / "report"), "-p", "top_outlets=null"]  # fmt: skip
        r_secs, r_peak, nb_peak = timed("report, all notebooks (empty cache)", report,
                                        tmp / "cache-report", peak=True,
                                        split_at="[report] analysis done")  # fmt: skip
        print(f"report / analyze: time {r_secs / a_secs:.2f}, peak memory {r_peak / max(a_peak, 1):.3f}"
              f"; the notebooks alone (after the analysis) {nb_peak / max(a_peak, 1):.3f}"
              "   (target: memory <= 1.0)")  # fmt: skip
        notes = set()
        for page in sorted((tmp / "report").glob("[0-9][0-9]-*.html")):
            if page.name.endswith(".code.html"):
                continue
            for note in re.findall(r"<strong>Capped:</strong>([^<]*)", page.read_text("utf-8")):
                notes.add(f"{page.stem}: Capped:{' '.join(note.split())}")
        print("\n".join(sorted(notes)) or "no Capped: note in any page")


if __name__ == "__main__":
    main()
