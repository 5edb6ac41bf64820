"""Benchmark: the whole report against `framing analyze` on the same corpus and selection.

Run:  .venv/bin/python benchmarks/bench_report.py [--top-outlets 6] [--no-case-study]
      (or `make bench-report`)

In one run, each step a fresh process tree, timed by wall clock:
1. `framing analyze corpus/allsides.toml --top-outlets N` from an empty cache (every table, the
   per-article ones for every article);
2. the whole report on the same corpus and selection (`python -m framing.report --corpus
   corpus/allsides.toml -p top_outlets=N`) from another empty cache;
3. the same report again, its cache now warm, three ways: nothing changed (every notebook's
   earlier run reused, pages rendered again); one sentence of notebook 01 edited (01, and 04,
   which reads its tables, run again; the rest reused); ``--rerun`` (every notebook run again,
   reading the cached analysis);
4. the case-study report (`make report`'s command) from an empty cache.
Then the ratios: report cold / analyze (target <= 2.0) and report warm / analyze (target
<= 0.5), and the case study's seconds (target < 60). Peak memory of each step's process tree
is sampled every 0.5 s. The figures vary with what else the machine runs: read them from a
quiet machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "corpus" / "allsides.toml"
CASE = ROOT / "corpus" / "xi-putin-moscow-2023"
PY = sys.executable
FRAMING = str(Path(sys.executable).with_name("framing"))


def _peak_rss(pid: int, stop: threading.Event, out: list[int], times: list[float]) -> None:
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not stop.wait(0.5):
        try:
            procs = [root, *root.children(recursive=True)]
            out.append(sum(p.memory_info().rss for p in procs if p.is_running()))
            times.append(time.perf_counter())
        except psutil.Error:
            continue


def work_folder(keep: str | None, prefix: str):
    """A context giving the folder a benchmark works in: ``keep`` (created; must be new) and
    kept afterwards, or a temporary folder removed afterwards."""
    if keep:
        Path(keep).mkdir(parents=True)
        return contextlib.nullcontext(Path(keep))
    return _temporary(prefix)


@contextlib.contextmanager
def _temporary(prefix: str):
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)


def timed(label: str, cmd: list[str], cache: Path, *, peak: bool = False, split_at: str = ""):
    """Run ``cmd`` with FRAMING_CACHE=cache; print and return its wall time (with ``peak``,
    the pair: seconds and the process tree's peak memory in bytes; with ``split_at`` too, a
    third value: the peak after the first output line holding ``split_at``, also printed)."""
    env = {**os.environ, "FRAMING_CACHE": str(cache), "PYTHONUNBUFFERED": "1"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    stop, samples, times = threading.Event(), [], []
    watcher = threading.Thread(target=_peak_rss, args=(proc.pid, stop, samples, times), daemon=True)
    watcher.start()
    lines, marks = [], []
    for line in proc.stdout:  # read as it comes, to time the marker line
        lines.append(line)
        if split_at and split_at in line and not marks:
            marks.append(time.perf_counter())
    proc.wait()
    log = "".join(lines)
    secs = time.perf_counter() - t0
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        print(log)
        sys.exit(f"{label}: exit {proc.returncode}")
    most = max(samples, default=0)
    print(f"{label:<42} {secs:8.1f} s   peak {most / 2**30:5.2f} GiB (process tree)", flush=True)
    if not split_at:
        return (secs, most) if peak else secs
    after = max((m for m, t in zip(samples, times, strict=True) if marks and t >= marks[0]),
                default=0)  # fmt: skip
    print(f"{'  after ' + repr(split_at):<42} {'':8}     peak {after / 2**30:5.2f} GiB", flush=True)
    return secs, most, after


def _edited_notebooks(tmp: Path) -> Path:
    """A copy of the notebooks with one sentence added to 01-terms' first paragraph (what a
    user's edit of a notebook's prose is), beside a link to the project's ``corpus/`` (notebook
    05 reads ``../corpus``)."""
    import json

    proj = tmp / "edited"
    (proj / "notebooks").mkdir(parents=True)
    (proj / "corpus").symlink_to(ROOT / "corpus")
    for nb in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"):
        data = json.loads(nb.read_text(encoding="utf-8"))
        if nb.name.startswith("01-"):
            first = next(c for c in data["cells"] if c["cell_type"] == "markdown")
            first["source"] = [*first["source"], "\n\nAn edited sentence."]
        (proj / "notebooks" / nb.name).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return proj / "notebooks"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--top-outlets", type=int, default=6)
    ap.add_argument("--no-case-study", action="store_true")
    ap.add_argument(
        "--keep",
        metavar="DIR",
        help="work in this (new) folder and keep it: the reports' executed notebooks carry "
        "each cell's timing",
    )
    args = ap.parse_args()
    n = str(args.top_outlets)
    with work_folder(args.keep, "bench-report-") as tmp:
        print(
            f"AllSides ({SPEC.relative_to(ROOT)}), the {n} largest outlets; each step from the cache named\n"
        )
        analyze = timed(
            "framing analyze (empty cache)",
            [
                FRAMING,
                "analyze",
                str(SPEC),
                "--out",
                str(tmp / "tables"),
                "--top-outlets",
                n,
                "--no-progress",
            ],
            tmp / "cache-analyze",
        )
        report = [
            PY,
            "-m",
            "framing.report",
            "--corpus",
            str(SPEC),
            "--out",
            str(tmp / "report"),
            "-p",
            f"top_outlets={n}",
        ]
        cold = timed("report, all notebooks (empty cache)", report, tmp / "cache-report")
        warm = timed("report again, nothing changed", report, tmp / "cache-report")
        edited = _edited_notebooks(tmp)
        warm_edit = timed(
            "report again, one sentence of 01 edited", [*report, "--notebooks", str(edited)],
            tmp / "cache-report",
        )  # fmt: skip
        warm_all = timed("report again, --rerun (every notebook)", [*report, "--rerun"],
                         tmp / "cache-report")  # fmt: skip
        print()
        print(f"report cold / analyze = {cold / analyze:.2f}   (target <= 2.0)")
        print(f"report warm / analyze = {warm / analyze:.2f} nothing changed, "
              f"{warm_edit / analyze:.2f} one notebook's prose edited (01 and 04, which reads "
              f"its tables, run again), {warm_all / analyze:.2f} every notebook run again "
              "(--rerun)   (target <= 0.5)")  # fmt: skip
        if not args.no_case_study:
            case = timed(
                "\ncase-study report (empty cache)",
                [PY, "-m", "framing.report", "--corpus", str(CASE), "--out", str(tmp / "case")],
                tmp / "cache-case",
            )
            print(f"case-study report: {case:.1f} s   (target < 60)")


if __name__ == "__main__":
    main()
