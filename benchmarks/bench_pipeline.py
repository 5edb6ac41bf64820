"""Benchmark: the whole analysis on 1k, 5k and all AllSides articles, against a straightforward one.

Run:  .venv/bin/python benchmarks/bench_pipeline.py [--sizes 1000,5000,all] [--naive 5000]

Prints, in one run:
1. the sentence splitter choice: framing's regex splitter against pysbd on the case study
   (boundaries that differ, listed) and their speed on AllSides text;
2. for each size, in a fresh process with an empty cache: seconds per step (load and clean,
   per-article steps: audit, sentences, VADER, actor mentions, quotes, frame hits; TF-IDF and
   log-odds; frame rates), articles per second, peak memory (the process and its worker
   processes, sampled every 0.2 s during the cold run), and a warm rerun (everything read from
   the cache);
3. a straightforward pipeline (pandas read_json, df.apply(clean), pysbd splitting, VADER's own
   analyzer through Series.apply, TfidfVectorizer, Counter log-odds, quotes and frames through
   apply) on the first N articles only (default 5,000), because it is too slow for more; its
   time is compared with ours on the same articles, and its time per article extrapolated
   linearly to the other sizes (its rate falls as the corpus grows, so this does not overstate
   it);
4. growth: time per article from 1k to the full corpus (1.0 = linear).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "corpus" / "allsides.toml"
DATA = ROOT.parent / "shared" / "data" / "allsides" / "articles.jsonl.gz"
CASE = ROOT / "corpus" / "xi-putin-moscow-2023"


class _Peak:
    """Samples the memory of this process and its workers (joblib's workers are not waited for,
    so ru_maxrss of the children misses them) every 0.2 s."""

    def __init__(self):
        import threading

        import psutil

        self.me = psutil.Process()
        self.main = self.worker = self.total = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.wait(0.2):
            try:
                main = self.me.memory_info().rss
                kids = [c.memory_info().rss for c in self.me.children(recursive=True)]
            except Exception:  # a worker ended between listing and reading
                continue
            self.main = max(self.main, main)
            self.worker = max(self.worker, max(kids, default=0))
            self.total = max(self.total, main + sum(kids))

    def done(self) -> dict:
        self.stop.set()
        self.thread.join()
        mib = 2**20
        return {
            "rss_main": self.main / mib,
            "rss_worker": self.worker / mib,
            "rss_total": self.total / mib,
        }


def one_size(n: int | None, n_jobs: int) -> dict:
    """Cold then warm run on the first n articles (None: all), in this process."""
    import framing
    from framing import analyze_corpus as analyze

    peak = _Peak()

    t0 = time.perf_counter()
    articles = framing.load_corpus(SPEC, limit=n)
    timings = {"load+clean": time.perf_counter() - t0}
    t0 = time.perf_counter()
    tables = analyze(articles, n_jobs=n_jobs, timings=timings, top_outlets=8)
    cold = timings["load+clean"] + time.perf_counter() - t0
    sampled = peak.done()  # the cold run's peak; the warm run below is measured for time only
    out = {
        "n": len(articles),
        "mb": float(articles.text.str.len().sum() / 1e6),
        "timings": timings,
        "cold": cold,
        **sampled,
        "rows": {k: len(v) for k, v in tables.items()},
    }
    del tables, articles
    t0 = time.perf_counter()
    articles2 = framing.load_corpus(SPEC, limit=n)
    analyze(articles2, n_jobs=n_jobs)
    out["warm"] = time.perf_counter() - t0
    # every run is also appended to a log (BENCH_LOG, default in the temp folder)
    log = os.environ.get("BENCH_LOG", os.path.join(tempfile.gettempdir(), "bench_pipeline.jsonl"))
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps(out) + "\n")
    return out


def naive(n: int) -> dict:
    """A straightforward pipeline on the first n articles."""
    import pandas as pd
    import pysbd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    import framing
    from framing.text.cleaning import clean_text, load_rules

    t = {}
    t0 = time.perf_counter()
    df = pd.read_json(DATA, lines=True, nrows=n, dtype=False, convert_dates=False)
    rules = load_rules()
    df["clean"] = df.apply(
        lambda r: clean_text(r["text"], rules, doc_id=r["id"], title=r["title"]).text, axis=1
    )
    t["load+clean"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    seg = pysbd.Segmenter(language="en", clean=False)
    rows = []
    for doc_id, outlet, text in df[["id", "source", "clean"]].itertuples(index=False):
        for para in text.split("\n\n"):
            for s in seg.segment(para):
                if s.strip():
                    rows.append((doc_id, outlet, s.strip()))
    sents = pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])
    t["sentences (pysbd)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sia = SentimentIntensityAnalyzer()
    scores = sents.text.apply(sia.polarity_scores).apply(pd.Series)
    t["VADER (apply)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = sents.groupby("outlet").text.apply(" ".join)
    vec = TfidfVectorizer(ngram_range=(1, 2), stop_words="english")
    vec.fit_transform(docs.values)
    t["TF-IDF"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    counts = {
        o: Counter(w for s in g.text for w in s.lower().split()) for o, g in sents.groupby("outlet")
    }
    total = sum(counts.values(), Counter())
    n_all = sum(total.values())
    import math

    for c in counts.values():
        n_in = sum(c.values())
        n_out = n_all - n_in
        for w, y in total.items():
            yi, yo, a = c.get(w, 0), y - c.get(w, 0), y
            d = math.log((yi + a) / (n_in + n_all - yi - a)) - math.log(
                (yo + a) / (n_out + n_all - yo - a)
            )
            _ = d / math.sqrt(1 / (yi + a) + 1 / (yo + a))
    t["log-odds (Counter)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    arts = df.rename(columns={"id": "doc_id", "source": "outlet"}).assign(text=df["clean"])
    arts[["doc_id", "outlet", "text"]].apply(lambda r: framing.find_quotes(r.to_frame().T), axis=1)
    t["quotes (apply)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sents2 = framing.sentences(arts[["doc_id", "outlet", "text"]])
    framing.frame_hits(sents2)
    t["frames"] = time.perf_counter() - t0
    return {
        "n": n,
        "timings": t,
        "total": sum(t.values()),
        "sentences": len(sents),
        "scored": len(scores),
    }


def splitter_comparison(n_speed: int) -> None:
    import pysbd

    import framing
    from framing.text import segment
    from framing.text.cleaning import is_heading

    print("== 1. sentence splitter: framing's regex rules vs pysbd ==")
    arts = framing.load_corpus(CASE)
    ours = framing.sentences(arts)
    ours = ours[ours.kind == "body"]
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    theirs = []
    for doc_id, text in arts[["doc_id", "text"]].itertuples(index=False):
        for p0, p1 in segment.paragraph_spans(text):
            para = text[p0:p1]
            if is_heading(para):
                continue
            for span in seg.segment(para):
                s = span.sent.strip()
                if s:
                    lead = len(span.sent) - len(span.sent.lstrip())
                    theirs.append((doc_id, p0 + span.start + lead, p0 + span.start + lead + len(s)))
    ends_ours = {(d, e) for d, e in zip(ours.doc_id, ours.end, strict=True)}
    ends_theirs = {(d, e) for d, _, e in theirs}
    only_ours = sorted(ends_ours - ends_theirs)
    only_theirs = sorted(ends_theirs - ends_ours)
    print(
        f"case study body sentences: regex {len(ours)}, pysbd {len(theirs)}; boundaries in both "
        f"{len(ends_ours & ends_theirs)}, only regex {len(only_ours)}, only pysbd {len(only_theirs)}"
    )
    text_of = dict(zip(arts.doc_id, arts.text, strict=True))
    for label, items in (("only regex ends", only_ours), ("only pysbd ends", only_theirs)):
        for d, e in items[:8]:
            t = text_of[d]
            print(f"  {label}: {d} …{t[max(0, e - 50) : e]!r} | {t[e : e + 30]!r}")
    # speed on AllSides text
    texts = []
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) >= n_speed:
                break
    mb = sum(len(t) for t in texts) / 1e6
    t0 = time.perf_counter()
    for t in texts:
        for p0, p1 in segment.paragraph_spans(t):
            segment.split_sentences(t[p0:p1])
    regex_s = time.perf_counter() - t0
    few = texts[: max(1, n_speed // 10)]
    mb_few = sum(len(t) for t in few) / 1e6
    t0 = time.perf_counter()
    seg2 = pysbd.Segmenter(language="en", clean=False)
    for t in few:
        for para in t.split("\n\n"):
            seg2.segment(para)
    pysbd_s = time.perf_counter() - t0
    print(
        f"speed on {n_speed} AllSides articles ({mb:.1f} MB): regex {mb / regex_s:.1f} MB/s; "
        f"pysbd {mb_few / pysbd_s:.2f} MB/s (on {len(few)} articles); ratio "
        f"{(mb / regex_s) / (mb_few / pysbd_s):.0f}x"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,all")
    ap.add_argument("--naive", type=int, default=5000, help="articles for the straightforward run")
    ap.add_argument("--n-jobs", type=int, default=-1)
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--naive-only", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--skip-splitter", action="store_true")
    args = ap.parse_args()
    if args.one is not None:
        n = None if args.one == "all" else int(args.one)
        print(json.dumps(one_size(n, args.n_jobs)))
        return 0
    if args.naive_only is not None:
        print(json.dumps(naive(args.naive_only)))
        return 0
    if not DATA.exists():
        print(f"the AllSides corpus is not at {DATA}", file=sys.stderr)
        return 1
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M:%S')}")
    if not args.skip_splitter:
        splitter_comparison(1000)

    def child(*extra: str) -> dict:
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "FRAMING_CACHE": cache}
            out = subprocess.run(
                [sys.executable, __file__, *extra], env=env, capture_output=True, text=True
            )
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(out.returncode)
        return json.loads(out.stdout.strip().splitlines()[-1])

    print("\n== 2. our pipeline, cold (empty cache) and warm, each size in a fresh process ==")
    results = []
    for size in args.sizes.split(","):
        r = child("--one", size, "--n-jobs", str(args.n_jobs))
        results.append(r)
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["timings"].items())
        print(
            f"{r['n']:>6,} articles ({r['mb']:.0f} MB): cold {r['cold']:.1f} s = "
            f"{r['n'] / r['cold']:.0f} articles/s; warm rerun {r['warm']:.1f} s "
            f"({r['cold'] / r['warm']:.0f}x); cold run's peak RSS: main {r['rss_main'] / 1024:.2f} GiB, "
            f"largest worker {r['rss_worker'] / 1024:.2f} GiB, main + workers "
            f"{r['rss_total'] / 1024:.2f} GiB\n        seconds: {steps}",
            flush=True,
        )
    print(f"\n== 3. straightforward pipeline on the first {args.naive} articles ==")
    nv = child("--naive-only", str(args.naive))
    print("        seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in nv["timings"].items()))
    per_naive = nv["total"] / nv["n"]
    first = results[0]
    per_ours = first["cold"] / first["n"]
    # side by side at the size both ran (ours on the first n articles, as the straightforward)
    same = min(results, key=lambda r: abs(r["n"] - nv["n"]))
    print(
        f"straightforward: {nv['total']:.1f} s for {nv['n']:,} articles = {1 / per_naive:.1f} "
        f"articles/s; ours on {same['n']:,}: {same['cold']:.1f} s = "
        f"{same['n'] / same['cold']:.0f} articles/s; ratio at that size "
        f"{nv['total'] / nv['n'] * same['n'] / same['cold']:.1f}x"
    )
    for r in results:
        if r is same:
            continue
        # elsewhere: its time per article (every step is per article or per outlet, and its rate
        # falls as the corpus grows) times the number of articles
        print(
            f"straightforward time for {r['n']:,} articles, extrapolated linearly: "
            f"{per_naive * r['n'] / 60:.1f} min; ours measured: {r['cold'] / 60:.1f} min"
            f" -> {per_naive * r['n'] / r['cold']:.1f}x"
        )
    print("\n== 4. growth ==")
    for r in results[1:]:
        growth = (r["cold"] / r["n"]) / per_ours
        print(
            f"time per article at {r['n']:,} / at {first['n']:,}: {growth:.2f} (1.00 = linear; "
            f"{r['n'] / first['n']:.1f}x the articles took {r['cold'] / first['cold']:.1f}x the time)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
