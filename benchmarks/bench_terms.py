"""TF-IDF, log-odds and KWIC on the AllSides corpus: ours against a straightforward version.

Run from the project folder:

    .venv/bin/python benchmarks/bench_terms.py                 # full corpus, grouped by source
    .venv/bin/python benchmarks/bench_terms.py --rows 3000     # a seeded sample, quicker

Each implementation runs in its own forked process, one after the other in this one run, so
the timings are side by side and each peak memory is its own: peak resident memory of the
process minus its resident memory when the task started, i.e. what the task added on top of
the loaded corpus. Times are wall-clock seconds, then CPU seconds of the process (all its
threads: ours counts with two threads, so its CPU time exceeds its wall time; the
straightforward versions use one). The straightforward versions use the same tokenizer
(``framing.ngram_terms``), so the values must be identical; the script compares them and fails if
they are not.

Ours counts with ``framing.term_counts``: one compiled pass (numba) per chunk of texts reads
the words, gives them ids from a hash table and counts each text's terms and bigrams; two
threads count half the chunks each; one sparse matrix. Log-odds and TF-IDF are then computed
for all outlets at once from that matrix. Its first call in a process loads the compiled code
(cached on disk; the very first run on a machine compiles it) and builds the tokenizer's
character tables: the script times that set-up on two articles as a stage of its own and
counts it in the total.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

import framing
from framing import Analyzer, kwic, log_odds, term_counts, tfidf_terms
from framing import ngram_terms as analyze
from framing.text.tokens import token_spans

ALLSIDES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides" / "articles.jsonl.gz"
)
BY = "source"
# Counts must be equal; floating-point results may differ in the last bits because the sums
# run in a different order (sparse matrix products against Python loops).
TOL = 1e-9


# ---------------------------------------------------------------- straightforward versions


def plain_counts(df: pd.DataFrame, ngram_range) -> dict[str, Counter]:
    counters = {}
    for g, sub in df.groupby(BY, sort=True):
        c = Counter()
        sub["text"].apply(lambda t, c=c: c.update(analyze(t, ngram_range=ngram_range)))
        counters[g] = c
    return counters


def plain_log_odds(counters: dict[str, Counter], prior_scale: float = 1.0) -> pd.DataFrame:
    total = Counter()
    for c in counters.values():
        total.update(c)
    N = sum(total.values())
    n = {g: sum(c.values()) for g, c in counters.items()}
    rows = pd.DataFrame(
        [(g, w, y) for g, c in counters.items() for w, y in c.items()],
        columns=[BY, "term", "count_in"],
    )

    def one(r):
        y_w = total[r["term"]]
        a, a0 = prior_scale * y_w, prior_scale * N
        y_in, n_in = r["count_in"], n[r[BY]]
        y_out, n_out = y_w - y_in, N - n_in
        d = math.log((y_in + a) / (n_in + a0 - y_in - a)) - math.log(
            (y_out + a) / (n_out + a0 - y_out - a)
        )
        return y_out, d, d / math.sqrt(1 / (y_in + a) + 1 / (y_out + a))

    stats = pd.DataFrame(rows.apply(one, axis=1).tolist(), columns=["count_out", "log_odds", "z"])
    return pd.concat([rows, stats], axis=1)


def plain_tfidf(df: pd.DataFrame, ngram_range, top: int) -> pd.DataFrame:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = df.groupby(BY, sort=True)["text"].apply(lambda s: "\n\n".join(s))
    vec = TfidfVectorizer(analyzer=Analyzer(ngram_range))
    M = vec.fit_transform(docs.tolist())
    names = vec.get_feature_names_out()
    out = []
    for i, g in enumerate(docs.index):
        r = M[i]
        row = pd.DataFrame({"term": names[r.indices], "tfidf": r.data})
        row = row.sort_values(["tfidf", "term"], ascending=[False, True]).head(top)
        out.append(row.assign(**{BY: g}))
    return pd.concat(out, ignore_index=True)[[BY, "term", "tfidf"]]


def plain_kwic(df: pd.DataFrame, pattern: str, window: int) -> pd.DataFrame:
    want = pattern.split()

    def one(r):
        text = r["text"]
        spans = token_spans(text, stop_words=False)
        words = [(a, b) for _, a, b in spans if text[a].isalnum()]
        wpos = {a: i for i, (a, _) in enumerate(words)}
        hits = []
        for j in range(len(spans) - len(want) + 1):
            if all(spans[j + i][0] == t for i, t in enumerate(want)):
                s, e = spans[j][1], spans[j + len(want) - 1][2]
                i0, i1 = wpos[s], wpos[spans[j + len(want) - 1][1]]
                lo = words[max(i0 - window, 0)][0] if i0 > 0 else s
                hi = words[min(i1 + window, len(words) - 1)][1] if i1 + 1 < len(words) else e
                left, right = " ".join(text[lo:s].split()), " ".join(text[e:hi].split())
                hits.append((r["doc_id"], r[BY], left, text[s:e], right, s, e))
        return hits

    rows = [h for hits in df.apply(one, axis=1) for h in hits]
    return pd.DataFrame(rows, columns=["doc_id", BY, "left", "match", "right", "start", "end"])


# ---------------------------------------------------------------- running side by side


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _child(fn, args, out_path, conn):
    start_rss = _rss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    if isinstance(result, tuple):  # (table, {stage: seconds})
        result, stages = result
    else:
        stages = {}
    result.to_pickle(out_path)
    conn.send(((secs, cpu), (peak - start_rss) / 1024, stages))
    conn.close()


def run(fn, *args, tmp: Path, name: str):
    """Run fn(*args) in a forked process.

    Returns ((wall s, CPU s), MB added at peak, {stage: CPU s}, table).
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    out = tmp / f"{name}.pkl"
    p = ctx.Process(target=_child, args=(fn, args, out, child))
    p.start()
    secs, mb, stages = parent.recv()
    p.join()
    if p.exitcode != 0:
        raise RuntimeError(f"{name} failed (exit {p.exitcode})")
    return secs, mb, stages, pd.read_pickle(out)


def ours_log_odds(df, ngram_range):
    # the first call in a process loads numba's compiled code (cached on disk after the first
    # run on a machine) and builds the tokenizer's character tables: timed as a set-up stage of
    # its own on two articles (wall and CPU), and counted in the total
    t0, c0 = time.perf_counter(), time.process_time()
    log_odds(term_counts(df.head(2), by=BY, ngram_range=ngram_range))
    t1, c1 = time.perf_counter(), time.process_time()
    tc = term_counts(df, by=BY, ngram_range=ngram_range)
    t2 = time.perf_counter()
    lo = log_odds(tc)
    t3 = time.perf_counter()
    return lo, {"set-up": t1 - t0, "count": t2 - t1, "statistics": t3 - t2, "_setup_cpu": c1 - c0}


def plain_log_odds_all(df, ngram_range):
    t0 = time.perf_counter()
    counters = plain_counts(df, ngram_range)
    t1 = time.perf_counter()
    lo = plain_log_odds(counters)
    t2 = time.perf_counter()
    return lo, {"count": t1 - t0, "statistics": t2 - t1}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None, help="seeded sample of this many articles")
    ap.add_argument("--ngram", type=int, choices=[1, 2], default=2, help="1: unigrams; 2: 1-2")
    ap.add_argument("--pattern", default="china", help="KWIC pattern")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--only", choices=["log_odds", "tfidf", "kwic"], action="append")
    args = ap.parse_args(argv)
    if not ALLSIDES.exists():
        print(f"shared corpus absent: {ALLSIDES}", file=sys.stderr)
        return 2
    ng = (1, args.ngram)
    t0 = time.perf_counter()
    df = pd.read_json(ALLSIDES, lines=True)
    if args.rows:
        df = df.sample(args.rows, random_state=0).sort_index()
    df = df.rename(columns={"id": "doc_id"})[["doc_id", BY, "text"]]
    mb = df["text"].str.len().sum() / 1e6
    print(
        f"AllSides: {len(df):,} articles, {df[BY].nunique()} outlets ({BY}), {mb:.0f} M chars; "
        f"read in {time.perf_counter() - t0:.1f} s; framing {framing.__version__}; "
        f"ngram_range={ng}; process RSS {_rss_kb() / 1024:.0f} MB after loading"
    )
    tasks = args.only or ["log_odds", "tfidf", "kwic"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if "log_odds" in tasks:
            s1, m1, st1, a = run(ours_log_odds, df, ng, tmp=tmp, name="ours_lo")
            s0, m0, st0, b = run(plain_log_odds_all, df, ng, tmp=tmp, name="plain_lo")
            m = a.merge(b, on=[BY, "term"], how="outer", indicator=True, validate="1:1")
            same_rows = bool((m["_merge"] == "both").all())
            same_counts = bool(
                (m["count_in_x"] == m["count_in_y"]).all()
                and (m["count_out_x"] == m["count_out_y"]).all()
            )
            d_lo = float(np.max(np.abs(m["log_odds_x"] - m["log_odds_y"])))
            d_z = float(np.max(np.abs(m["z_x"] - m["z_y"])))
            print(f"\nlog-odds, every outlet against the rest ({len(a):,} outlet-term rows)")
            print(_line("ours", s1, m1, st1))
            print(_line("straightforward", s0, m0, st0))
            load = st1["set-up"]
            warm = (s1[0] - load, s1[1] - st1["_setup_cpu"])
            print(f"  ratio straightforward/ours: end to end {_ratio(s0, s1)}")
            print(
                f"  without the one-time set-up ({load:.2f} s): {_ratio(s0, warm)}; "
                f"counting {st0['count'] / st1['count']:.1f}x, "
                f"statistics {st0['statistics'] / st1['statistics']:.0f}x (wall)"
            )
            print(
                f"  identical: same rows {same_rows}, same counts {same_counts}, "
                f"max |diff| log_odds {d_lo:.1e}, z {d_z:.1e}"
            )
            ok &= same_rows and same_counts and d_lo < TOL and d_z < TOL
        if "tfidf" in tasks:
            s1, m1, _, a = run(_ours_tfidf, df, ng, args.top, tmp=tmp, name="ours_tf")
            s0, m0, _, b = run(plain_tfidf, df, ng, args.top, tmp=tmp, name="plain_tf")
            same_terms = (
                a[[BY, "term"]]
                .reset_index(drop=True)
                .equals(b[[BY, "term"]].reset_index(drop=True))
            )
            d = float(np.max(np.abs(a["tfidf"].to_numpy() - b["tfidf"].to_numpy())))
            print(f"\nTF-IDF, top {args.top} terms per outlet ({len(a):,} rows)")
            print(_line("ours", s1, m1))
            print(_line("straightforward", s0, m0))
            print(f"  ratio straightforward/ours: {_ratio(s0, s1)}")
            print(f"  identical: same terms in the same order {same_terms}, max |diff| {d:.1e}")
            ok &= same_terms and d < TOL
        if "kwic" in tasks:
            s1, m1, _, a = run(_ours_kwic, df, args.pattern, tmp=tmp, name="ours_kw")
            s0, m0, _, b = run(plain_kwic, df, args.pattern, 8, tmp=tmp, name="plain_kw")
            same = a.reset_index(drop=True).equals(b.reset_index(drop=True))
            print(f"\nKWIC for {args.pattern!r}, window 8 ({len(a):,} lines)")
            print(_line("ours", s1, m1))
            print(_line("straightforward", s0, m0))
            print(f"  ratio straightforward/ours: {_ratio(s0, s1)}")
            print(f"  identical: {same}")
            ok &= same
    print(
        f"\nall values identical (counts exactly, scores within {TOL:g})"
        if ok
        else "\nVALUES DIFFER",
        flush=True,
    )
    return 0 if ok else 1


def _ours_tfidf(df, ng, top):
    return tfidf_terms(df, by=BY, top=top, ngram_range=ng)[[BY, "term", "tfidf"]]


def _ours_kwic(df, pattern):
    return kwic(df, pattern, window=8, by=BY)


def _line(name: str, t: tuple[float, float], mb: float, stages: dict | None = None) -> str:
    extra = f"   stages (wall) {_fmt(stages)}" if stages else ""
    return f"  {name:<15} {t[0]:8.2f} s wall {t[1]:8.2f} s CPU   peak +{mb:6.0f} MB{extra}"


def _ratio(slow: tuple[float, float], fast: tuple[float, float]) -> str:
    return f"{slow[0] / fast[0]:.1f}x wall ({slow[1] / fast[1]:.1f}x CPU)"


def _fmt(stages: dict) -> str:
    return ", ".join(f"{k} {v:.2f} s" for k, v in stages.items() if not k.startswith("_"))


if __name__ == "__main__":
    sys.exit(main())
