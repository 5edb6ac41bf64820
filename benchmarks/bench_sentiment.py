"""Benchmark: VADER sentence scoring on the AllSides corpus, ours vs. a plain pandas apply.

Run:  .venv/bin/python benchmarks/bench_sentiment.py [--articles N] [--sample N] [--no-profile]

Prints, in one run and side by side:
  1. a cProfile of vaderSentiment's own analyzer (and of ours) on a sample of sentences;
  2. plain ``df.text.apply(analyzer.polarity_scores)`` vs ``framing.score_sentences`` (fast
     analyzer, distinct texts once, joblib over both cores, no cache) over the same sentences,
     and a check that every sentence gets identical scores;
  3. the fast analyzer alone in one process vs. plain, on a sample (where the speed comes from);
  4. a cold run (empty cache: score and write) vs. a cached rerun (read only), and a rerun
     after one article was edited (only its sentences are rescored);
  5. peak memory (resident set size of this process and of its worker processes).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import framing
from framing.cache import FrameCache
from framing.measures.sentiment import SCORE_COLUMNS, get_analyzer, score_sentences

ALLSIDES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides" / "articles.jsonl.gz"
)


def peak_mib() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def load_articles(path: Path, limit: int | None) -> pd.DataFrame:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                break
            d = json.loads(line)
            rows.append((d.get("id"), d.get("source"), d.get("text") or ""))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def profile(fn, texts, top=8) -> str:
    pr = cProfile.Profile()
    pr.enable()
    for t in texts:
        fn(t)
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(top)
    lines = buf.getvalue().splitlines()
    start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
    return "\n".join(lines[start : start + top + 1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="first N articles (default: all)")
    ap.add_argument("--sample", type=int, default=100_000, help="sentences for parts 1 and 3")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args()

    print(f"cores: {os.cpu_count()}  vaderSentiment analyzer: fast subclass vs package")
    arts, t_load = timed(load_articles, ALLSIDES, args.articles)
    sents, t_split = timed(framing.sentences, arts)
    n_chars = int(sents["text"].str.len().sum())
    print(
        f"articles: {len(arts):,} (read {t_load:.1f} s)  sentences: {len(sents):,} "
        f"({sents['text'].nunique():,} distinct, {n_chars / 1e6:.1f} M characters; "
        f"split {t_split:.1f} s)"
    )
    rng = np.random.default_rng(0)
    sample = sents["text"].to_numpy()[
        rng.choice(len(sents), min(args.sample, len(sents)), replace=False)
    ]
    plain = SentimentIntensityAnalyzer()
    fast = get_analyzer("fast")

    if not args.no_profile:
        prof_n = min(20_000, len(sample))
        print(f"\n== 1. cProfile, {prof_n:,} sampled sentences, top functions by own time ==")
        print("-- vaderSentiment SentimentIntensityAnalyzer.polarity_scores")
        print(profile(plain.polarity_scores, sample[:prof_n]))
        print("-- FastSentimentIntensityAnalyzer.polarity_scores")
        print(profile(fast.polarity_scores, sample[:prof_n]))

    print(f"\n== 2. every sentence ({len(sents):,}): plain apply vs framing.score_sentences ==")
    base, t_plain = timed(sents["text"].apply, plain.polarity_scores)
    base = pd.DataFrame(base.tolist(), index=sents.index)[SCORE_COLUMNS]
    ours, t_ours = timed(score_sentences, sents, cache=False)
    same = (ours[SCORE_COLUMNS].to_numpy() == base.to_numpy()).all(axis=1)
    print(
        f"plain df.text.apply(polarity_scores): {t_plain:8.1f} s  {len(sents) / t_plain:10,.0f} sent/s"
    )
    print(
        f"framing.score_sentences (no cache):   {t_ours:8.1f} s  {len(sents) / t_ours:10,.0f} sent/s"
    )
    print(
        f"ratio: {t_plain / t_ours:.2f}x   identical scores: {int(same.sum()):,} / {len(sents):,} sentences"
    )
    if not same.all():
        bad = np.flatnonzero(~same)[:5]
        for i in bad:
            print(
                "  MISMATCH",
                repr(sents["text"].iat[i][:120]),
                base.iloc[i].tolist(),
                ours[SCORE_COLUMNS].iloc[i].tolist(),
            )
    del base
    print(
        f"peak RSS so far: this process {peak_mib()[0]:,.0f} MiB, largest worker {peak_mib()[1]:,.0f} MiB"
    )

    print(f"\n== 3. where the speed comes from ({len(sample):,} sampled sentences, no cache) ==")
    s = pd.Series(sample)
    _, t_p = timed(s.apply, plain.polarity_scores)
    _, t_f = timed(s.apply, fast.polarity_scores)
    df_s = pd.DataFrame({"text": sample})
    _, t_par = timed(score_sentences, df_s, cache=False, parallel_min=1)
    print(f"plain analyzer, 1 process:           {t_p:6.1f} s  1.00x")
    print(f"fast analyzer, 1 process:            {t_f:6.1f} s  {t_p / t_f:.2f}x")
    print(f"fast analyzer, joblib all cores:     {t_par:6.1f} s  {t_p / t_par:.2f}x")

    print(f"\n== 4. cache: cold run (score + write) vs cached rerun, {len(sents):,} sentences ==")
    with tempfile.TemporaryDirectory() as tmp:
        store = FrameCache("vader-sentences", "bench", root=tmp)
        cold, t_cold = timed(score_sentences, sents, cache=store)
        warm, t_warm = timed(score_sentences, sents, cache=store)
        # one article edited: the whole-input entry misses, each sentence is looked up by key
        edited = sents.copy()
        first = edited.index[edited["doc_id"] == edited["doc_id"].iat[0]]
        edited.loc[first, "text"] = edited.loc[first, "text"] + " (edited)"
        _, t_edit = timed(score_sentences, edited, cache=store)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*.parquet"))
    equal = cold[SCORE_COLUMNS].equals(warm[SCORE_COLUMNS]) and cold[SCORE_COLUMNS].equals(
        ours[SCORE_COLUMNS]
    )
    print(f"cold run (empty cache):  {t_cold:7.2f} s")
    print(
        f"cached rerun:            {t_warm:7.2f} s   ratio {t_cold / t_warm:.1f}x   identical: {equal}"
    )
    print(
        f"one article edited ({len(first)} sentences changed): {t_edit:.2f} s "
        f"(per-sentence lookup by content hash; ratio to cold {t_cold / t_edit:.1f}x)"
    )
    print(f"cache on disk: {size / 2**20:.1f} MiB")

    me, kids = peak_mib()
    print(f"\npeak RSS: this process {me:,.0f} MiB; largest worker process {kids:,.0f} MiB")


if __name__ == "__main__":
    main()
