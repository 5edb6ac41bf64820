"""What learning page furniture costs the load step, on the AllSides corpus.

Run from the project folder:

    .venv/bin/python benchmarks/bench_boilerplate.py               # full corpus, 2 rounds
    .venv/bin/python benchmarks/bench_boilerplate.py --rows 5000   # the first 5,000 rows

In one run, the corpus is loaded (``framing.load_corpus(corpus/allsides.toml, cache=False)``)
with the learned rule off (``boilerplate=False``) and on (the default), alternately, each load in
its own forked process (so each starts from the same state and its timing is its own); the
wall-clock seconds are printed side by side, with the seconds spent learning
(:func:`framing.text.boilerplate.learn_boilerplate`, in the loading process) measured inside
the "on" loads. Cleaning runs in worker processes, so applying the learned units is measured
apart, in one process: every article is cleaned by :func:`framing.text.cleaning.clean_text`
with and without the furniture its row holds (the ``boilerplate`` column), and the difference
is the cost of applying.

Last, it checks that the learned units travel with the article table: the audit of a slice of
the table, pickled and unpickled as a worker receives it, equals the full audit's rows for
those articles, and a second load from the load cache gives the same ``boilerplate`` column.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

import framing
from framing.io import load as loader
from framing.text.boilerplate import decode_found
from framing.text.cleaning import clean_text, load_rules

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "allsides.toml"


def _load(boilerplate: bool, rows: int | None, queue) -> None:
    spent = {"learn": 0.0}
    inner = loader.learn_furniture

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent["learn"] += time.perf_counter() - t

    loader.learn_furniture = timed
    t0 = time.perf_counter()
    articles = framing.load_corpus(SPEC, cache=False, boilerplate=boilerplate, limit=rows)
    queue.put((time.perf_counter() - t0, spent["learn"], len(articles)))


def timed_load(boilerplate: bool, rows: int | None) -> tuple[float, float, int]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    p = ctx.Process(target=_load, args=(boilerplate, rows, queue))
    p.start()
    out = queue.get()
    p.join()
    return out


def apply_cost(articles) -> tuple[float, float, int]:
    """Seconds to clean every article in this process without and with its learned units."""
    rules = load_rules(articles["rules"].iloc[0] or None)
    cols = ["doc_id", "text_raw", "title", "boilerplate"]
    items = list(articles[cols].itertuples(index=False, name=None))
    t = time.perf_counter()
    for doc_id, raw, title, _ in items:
        clean_text(raw, rules, doc_id=doc_id, title=title)
    without = time.perf_counter() - t
    t = time.perf_counter()
    for doc_id, raw, title, found in items:
        clean_text(raw, rules, doc_id=doc_id, title=title, boilerplate=decode_found(found))
    with_ = time.perf_counter() - t
    return without, with_, sum(1 for *_, f in items if f)


def travels(articles) -> str:
    """The learned units survive slicing, pickling (as a worker gets a chunk) and the cache."""
    some = articles[articles["boilerplate"] != ""]
    chunk = some.iloc[:: max(1, len(some) // 300)][
        ["doc_id", "title", "text_raw", "rules", "boilerplate", "text"]
    ]
    received = pickle.loads(pickle.dumps(chunk))
    part = framing.cleaning_audit(received)
    whole = framing.cleaning_audit(articles[articles["doc_id"].isin(chunk["doc_id"])])
    same_audit = part.equals(whole)
    learned = int((part["rule"] == "repeated_boilerplate").sum())
    return f"audit of {len(chunk)} pickled articles == full audit: {same_audit} ({learned} rows)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=None, help="only the first N rows")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    print(f"AllSides {'all rows' if args.rows is None else f'first {args.rows:,} rows'}, "
          f"{os.cpu_count()} cores, {args.rounds} rounds, load cache off")  # fmt: skip
    times: dict[str, list[float]] = {"off": [], "on": []}
    learn: list[float] = []
    for r in range(args.rounds):
        for mode in ("off", "on"):
            wall, spent, n = timed_load(mode == "on", args.rows)
            times[mode].append(wall)
            if mode == "on":
                learn.append(spent)
            print(f"  round {r + 1}: load with the rule {mode:>3}: {wall:6.1f} s  "
                  f"({n:,} articles{f'; learning {spent:.1f} s' if mode == 'on' else ''})",
                  flush=True)  # fmt: skip
    off, on, lrn = (statistics.median(v) for v in (times["off"], times["on"], learn))
    print(f"\nload step, median wall seconds:  rule off {off:.1f}   rule on {on:.1f}   "
          f"difference {on - off:+.1f} ({(on - off) / off:+.1%})")  # fmt: skip
    print(f"  learning (in the loading process): {lrn:.1f} s = {lrn / on:.1%} of the load")

    articles = framing.load_corpus(SPEC, cache=False, limit=args.rows)
    without, with_, n = apply_cost(articles)
    print(f"  applying (cleaning every article in one process, without / with its units): "
          f"{without:.1f} s / {with_:.1f} s, +{with_ - without:.1f} s CPU for {n:,} articles "
          f"holding furniture (the load spreads it over its cleaning workers)")  # fmt: skip

    print("\n" + travels(articles))
    with tempfile.TemporaryDirectory() as cache:
        os.environ["FRAMING_CACHE"] = cache
        first = framing.load_corpus(SPEC, limit=args.rows)
        again = framing.load_corpus(SPEC, limit=args.rows)
        print(
            "load cache: boilerplate column read back equal: "
            f"{first['boilerplate'].equals(again['boilerplate'])}; "
            f"audits equal: {framing.cleaning_audit(first.head(500)).equals(framing.cleaning_audit(again.head(500)))}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
