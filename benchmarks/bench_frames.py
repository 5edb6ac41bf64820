"""Frames and shared passages on the AllSides corpus: ours against a straightforward version.

Run:  .venv/bin/python benchmarks/bench_frames.py [--sizes 1000,5000] [--naive-max 1000]

Prints, side by side in one run, for each size: seconds for ``framing.frame_hits`` and for a
plain per-sentence regex (one case-insensitive alternation per frame, ``finditer`` on every
sentence) with the ratio and whether the hits are identical; seconds for
``framing.shared_passages`` and for an all-pairs comparison of Python sets of 8-word tuples
(only up to ``--naive-max`` articles: it grows with the square of the number of articles), with
the ratio and whether both find the same shared 8-grams; and the peak memory of each of our
steps (tracemalloc, in a second run, so tracing does not distort the times). Timings are noisy on a shared 2-core machine: read the ratios.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import time
import tracemalloc
from pathlib import Path

import pandas as pd

import framing

ALLSIDES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides" / "articles.jsonl.gz"
)
APOS = "'’‘ʼ"


def read(n: int | None) -> pd.DataFrame:
    rows = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, n):
            d = json.loads(line)
            if d.get("text"):
                rows.append((d["id"], d["source"], d["text"]))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"]).drop_duplicates("doc_id")


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def peak_mb(fn, *args, **kwargs) -> float:
    """Peak memory allocated by Python during a second, traced run (tracing slows it)."""
    tracemalloc.start()
    fn(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def naive_hits(body: pd.DataFrame, frames: pd.DataFrame) -> list[tuple]:
    def rx(term):
        words = []
        for w in term.split():
            core = "".join(
                f"[{APOS}]" if c in APOS else "[-‐‑]" if c == "-" else re.escape(c)
                for c in w.rstrip("*")
            )
            words.append(core + (r"\w*" if w.endswith("*") else ""))
        return r"\s+".join(words)

    out = []
    for frame, terms in frames.groupby("frame", sort=False)["term"]:
        alts = "|".join(rx(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
        pat = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        for d, s, text in body[["doc_id", "start", "text"]].itertuples(index=False):
            out += [(d, s + m.start(), s + m.end(), frame) for m in pat.finditer(text)]
    return out


WORD = re.compile(r"\w+(?:['’‘ʼ]\w+)*")


def words(text: str) -> list[str]:
    return [
        w.lower().replace("’", "'").replace("‘", "'").replace("ʼ", "'") for w in WORD.findall(text)
    ]


def naive_shared(articles: pd.DataFrame, n: int = 8) -> set:
    grams = {}
    for d, text in zip(articles["doc_id"], articles["text"], strict=True):
        w = words(text)
        grams[d] = {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
    outlet = dict(zip(articles["doc_id"], articles["outlet"], strict=True))
    found = set()
    for a, b in itertools.combinations(grams, 2):
        if outlet[a] != outlet[b]:
            for g in grams[a] & grams[b]:
                found.add((frozenset((a, b)), g))
    return found


def grams_of(shared: pd.DataFrame, n: int = 8) -> set:
    out = set()
    for r in shared.itertuples():
        w = words(r.text)
        for i in range(len(w) - n + 1):
            out.add((frozenset((r.doc_id_a, r.doc_id_b)), tuple(w[i : i + n])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--naive-max", type=int, default=1000)
    args = ap.parse_args()
    frames = framing.load_frames()
    print(f"{'articles':>8} {'MB':>6} | {'frames ours':>11} {'naive':>7} {'ratio':>6} {'same':>5} "
          f"{'peak MB':>7} | {'shared ours':>11} {'naive':>7} {'ratio':>6} {'same':>5} {'peak MB':>7} "
          f"{'passages':>8}")  # fmt: skip
    for size in [int(s) for s in args.sizes.split(",")]:
        arts = read(None if size <= 0 else size)
        sents = framing.sentences(arts)
        body = sents[sents["kind"] == "body"]
        mb = body["text"].str.len().sum() / 1e6
        hits, t_f = timed(framing.frame_hits, body, frames)
        ref, t_fn = timed(naive_hits, body, frames)
        m_f = peak_mb(framing.frame_hits, body, frames)
        same_f = sorted(zip(hits.doc_id, hits.start, hits.end, hits.frame, strict=True)) == sorted(
            ref
        )
        shared, t_s = timed(framing.shared_passages, arts, max_docs=None)
        m_s = peak_mb(framing.shared_passages, arts, max_docs=None)
        if len(arts) <= args.naive_max:
            ref_s, t_sn = timed(naive_shared, arts)
            same_s = grams_of(shared) == ref_s
            sn, rs, ss = f"{t_sn:7.2f}", f"{t_sn / t_s:6.1f}", f"{same_s!s:>5}"
        else:
            sn, rs, ss = f"{'-':>7}", f"{'-':>6}", f"{'-':>5}"
        print(f"{len(arts):>8,} {mb:6.1f} | {t_f:11.2f} {t_fn:7.2f} {t_fn / t_f:6.1f} {same_f!s:>5} "
              f"{m_f:7.0f} | {t_s:11.2f} {sn} {rs} {ss} {m_s:7.0f} {len(shared):>8,}")  # fmt: skip


if __name__ == "__main__":
    main()
