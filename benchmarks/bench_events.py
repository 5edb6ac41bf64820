"""Events and time on the full AllSides corpus: ours against straightforward versions.

Run from the project folder (``make bench-events``):

    .venv/bin/python -u benchmarks/bench_events.py

Three tasks of issue #17, each timed in one run beside a straightforward version:

(a) the article-level bootstrap of tone (``outlet_sentiment``, 2,000 replicates) and of the ten
    frame rates (``frame_scores``, 1,000 replicates) for every outlet with at least 50
    articles: articles drawn with replacement, then each drawn article's sentences;
(b) the within-topic contrasts of tone and of the ten frame rates for the same outlets
    (``event_contrasts`` and ``summarize_contrasts``, 2,000 replicates over topics);
(c) the document-level keyness test of the six largest outlets (``keyness(test="permutation")``,
    1,000 permutations of the articles over the 5,000 most frequent terms, with q-values).

The inputs (sentences, VADER scores, frame hits of all 37,544 articles) come from
``framing.analysis`` with the disk cache, before any timing; they are written to a temporary
folder, and each task runs in a fresh process (``spawn``) that reads only what it needs, so its
peak memory is its own: the script prints the process's peak resident memory (inputs
included) and what the task added to it. Times are wall-clock seconds, then CPU seconds of the
process (ours runs groups or permutations on two threads, so its CPU time can exceed its wall
time; the straightforward versions use one thread). The load average of the machine is printed
beside every timing: the machine is shared, and a timing under load is slower by about the
load's excess over the two cores.

The straightforward versions are pandas ``groupby`` loops with the resampling written out (a
replicate draws articles, then each drawn article's sentences, picked with ``iloc`` and
concatenated). They are too slow to run in full on every outlet, so each runs a few replicates
(or permutations) and its time is extrapolated linearly to the full count (said so in the
output). Checks of equal results:

- (a) the same draws: the straightforward bootstrap draws from SplitMix64 written out in numpy
  (``SplitMix64`` below, from the published algorithm, not from our compiled code), seeded as
  ours seeds each outlet; on the two smallest outlets it runs in full, and the point estimates
  must be identical and every interval end equal (to 1e-12). That the draws are a two-stage
  bootstrap at all is tested in tests/test_stats.py (their distribution, and an interval against
  numpy's draws within Monte Carlo error). An earlier version drew with numpy instead and
  compared intervals within Monte Carlo error; with 44 interval ends and an estimated standard
  error that understated the run-to-run spread it failed on noise, and proved little when it
  passed;
- (b) the same draws (``framing.stats.group_rng``): every value must be equal (to 1e-12);
- (c) the same permutations (one seeded stream): every ``p_perm`` must be identical, and ``q``
  equal to ``scipy.stats.false_discovery_control`` of it.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "allsides.toml"
MIN_ARTICLES = 50
N_BOOT_TONE, N_BOOT_FRAMES, N_BOOT_EVENTS = 2000, 1000, 2000
N_PERM, TOP_TERMS, TOP_OUTLETS = 1000, 5000, 6


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ----------------------------------------------------------------------------- inputs


def prepare(folder: Path) -> dict:
    import framing

    t0 = time.perf_counter()
    run = framing.analysis(
        CORPUS, by="outlet", top_outlets=None, steps=["sentences", "sentiment", "frames"]
    )
    arts = run.articles
    body = framing.join_articles(run.body, arts, ["topic", "published"])
    keep = ["doc_id", "sent_id", "start", "outlet", "topic", "published", "text", "compound"]
    body[keep].to_parquet(folder / "body.parquet")
    run.tables["frame_hits"][["doc_id", "sent_id", "frame"]].to_parquet(folder / "hits.parquet")
    counts = arts["outlet"].value_counts()
    info = {
        "articles": len(arts),
        "sentences": len(run.tables["sentences"]),
        "body": len(body),
        "hits": len(run.tables["frame_hits"]),
        "outlets_50": int((counts >= MIN_ARTICLES).sum()),
        "articles_50": int(counts[counts >= MIN_ARTICLES].sum()),
        "seconds": time.perf_counter() - t0,
    }
    return info


def read_inputs(folder: Path, which: str):
    body = pd.read_parquet(folder / "body.parquet")
    hits = pd.read_parquet(folder / "hits.parquet")
    per = body.groupby("outlet")["doc_id"].nunique()
    if which == "top6":
        keep = per.sort_values(ascending=False, kind="stable").index[:TOP_OUTLETS]
    else:
        keep = per[per >= MIN_ARTICLES].index
    body = body[body["outlet"].isin(keep)].reset_index(drop=True)
    hits = hits[hits["doc_id"].isin(set(body["doc_id"]))].reset_index(drop=True)
    return body, hits


def _in_child(fn, folder, args, queue):
    try:
        out = fn(Path(folder), *args)
        out["peak_mb"] = peak_mb()
        queue.put(out)
    except BaseException as e:  # noqa: BLE001 - reported by the parent
        import traceback

        queue.put({"error": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"})


def in_process(fn, folder: Path, *args) -> dict:
    """Run ``fn(folder, *args)`` in a fresh process; its dict comes back with its peak memory."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    p = ctx.Process(target=_in_child, args=(fn, str(folder), args, queue))
    p.start()
    out = queue.get()
    p.join()
    if "error" in out:
        raise RuntimeError(out["error"])
    return out


def _timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - t0, time.process_time() - c0


# ----------------------------------------------------------------------------- (a) bootstrap


def ours_bootstrap(folder: Path) -> dict:
    import framing

    body, hits = read_inputs(folder, "50")
    base = rss_mb()
    tiny = body[body["doc_id"].isin(body["doc_id"].unique()[:3])]
    _, warm, _ = _timed(lambda: framing.outlet_sentiment(tiny, n_boot=5))  # compiled code loads
    tone, t_wall, t_cpu = _timed(lambda: framing.outlet_sentiment(body, n_boot=N_BOOT_TONE))
    frames, f_wall, f_cpu = _timed(
        lambda: framing.frame_scores(body, hits=hits, n_boot=N_BOOT_FRAMES)
    )
    return {"tone": tone, "frames": frames, "tone_s": (t_wall, t_cpu), "frames_s": (f_wall, f_cpu),
            "warm_s": warm, "base_mb": base, "load": load(), "sentences": len(body),
            "articles": body["doc_id"].nunique(), "outlets": body["outlet"].nunique()}  # fmt: skip


class SplitMix64:
    """SplitMix64 (Steele, Lea & Flood 2014) written out in numpy's wrapping ``uint64``
    arithmetic: the generator ours runs in compiled code (``framing.stats_kernels``), written
    here from the published algorithm, so the same first state gives the same numbers."""

    GAMMA, M1, M2 = (np.uint64(v) for v in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9,
                                             0x94D049BB133111EB))  # fmt: skip
    LOW, HALF = np.uint64(0xFFFFFFFF), np.uint64(32)

    def __init__(self, seed):
        self.state = np.array([seed], dtype=np.uint64)

    def take(self, m: int) -> np.ndarray:
        """The next ``m`` outputs."""
        z = self.state + np.arange(1, m + 1, dtype=np.uint64) * self.GAMMA
        self.state = z[-1:].copy()
        z = (z ^ (z >> np.uint64(30))) * self.M1
        z = (z ^ (z >> np.uint64(27))) * self.M2
        return z ^ (z >> np.uint64(31))

    def below(self, r32: np.ndarray, s: int) -> np.ndarray:
        """Indices 0 .. s - 1 from 32 random bits each (multiply-shift)."""
        return ((r32 * np.uint64(s)) >> self.HALF).astype(np.int64)

    def two_stage(self, sizes: list[int]) -> list[tuple[int, np.ndarray]]:
        """One replicate's draws: for each of the units in turn, a unit (the low half of one
        number), then as many of its observations as it has (two per number: low half, high
        half; an odd last one from a low half)."""
        out = []
        for _ in sizes:
            u = int(self.below(self.take(1) & self.LOW, len(sizes))[0])
            s = sizes[u]
            r = self.take((s + 1) // 2)
            halves = np.column_stack([r & self.LOW, r >> self.HALF]).ravel()[:s]
            out.append((u, self.below(halves, s)))
        return out


def first_state(seed: int, name) -> np.uint64:
    """The compiled stream's first state for one group: one draw of the group's own numpy
    Generator (``framing.stats.group_rng``), as ``framing.stats`` seeds it."""
    import framing

    return np.uint64(framing.stats.group_rng(seed, name).integers(0, 2**64, dtype=np.uint64))


def plain_two_stage(groups: dict, columns: list[str], n_boot: int, gen: SplitMix64, ratio: bool):
    """The straightforward two-stage bootstrap of one outlet: ``groups`` maps each article (in
    order of first appearance) to its sentences (a DataFrame of ``columns``); per replicate,
    the drawn articles' drawn sentences picked with ``iloc`` and concatenated, then the
    statistic computed by pandas."""
    keys = list(groups)
    sizes = [len(groups[k]) for k in keys]
    reps = []
    for _ in range(n_boot):
        r = pd.concat([groups[keys[u]].iloc[idx] for u, idx in gen.two_stage(sizes)])
        if ratio:  # every frame's hits per 1,000 words
            reps.append(1000 * r[columns[:-1]].sum().to_numpy() / r[columns[-1]].sum())
        else:
            reps.append(r[columns[0]].mean())
    return np.array(reps)


def plain_bootstrap(folder: Path, reps: int, check_outlets: int) -> dict:
    import framing

    body, hits = read_inputs(folder, "50")
    rows = framing.frame_columns(body, hits=hits)  # hits and words per sentence (not timed)
    frames = list(dict.fromkeys(framing.load_frames()["frame"]))
    base = rss_mb()

    def run(outlets, what, n_boot, spent=None):
        # spent: wall and CPU seconds of the split into articles (once per outlet) and of the
        # replicates (linear in their number), kept apart for the extrapolation
        out = {}
        for name, g in rows[rows["outlet"].isin(outlets)].groupby("outlet", sort=True):
            t0, c0 = time.perf_counter(), time.process_time()
            if what == "tone":
                cols, ratio = ["compound"], False
            else:
                cols, ratio = [*frames, "words"], True
            docs = {d: s[cols] for d, s in g.groupby("doc_id", sort=False)}
            t1, c1 = time.perf_counter(), time.process_time()
            gen = SplitMix64(first_state(0, name))  # both functions' default seed, 0
            reps = plain_two_stage(docs, cols, n_boot, gen, ratio)
            out[name] = (g["compound"].to_numpy().sum() / len(g), reps)
            if spent is not None:
                t2, c2 = time.perf_counter(), time.process_time()
                spent["split"] += np.array([t1 - t0, c1 - c0])
                spent["reps"] += np.array([t2 - t1, c2 - c1])
        return out

    outlets = sorted(body["outlet"].unique())
    tone_spent = {"split": np.zeros(2), "reps": np.zeros(2)}
    frames_spent = {"split": np.zeros(2), "reps": np.zeros(2)}
    run(outlets, "tone", reps, tone_spent)
    run(outlets, "frames", reps, frames_spent)
    sizes = body.groupby("outlet")["doc_id"].nunique().sort_values(kind="stable")
    small = list(sizes.index[:check_outlets])
    tone, fr = run(small, "tone", N_BOOT_TONE), run(small, "frames", N_BOOT_FRAMES)
    check = {}
    for k in tone:  # the intervals as ours takes them from its replicates
        t_low, t_high = np.quantile(tone[k][1], [0.025, 0.975])
        f_low, f_high = np.nanquantile(fr[k][1], [0.025, 0.975], axis=0)
        check[k] = (tone[k][0], (t_low, t_high), (f_low, f_high))
    return {"tone_spent": tone_spent, "frames_spent": frames_spent, "reps": reps, "check": check,
            "frames": frames, "base_mb": base, "load": load()}  # fmt: skip


# ----------------------------------------------------------------------------- (b) contrasts


def ours_contrasts(folder: Path) -> dict:
    import framing

    body, hits = read_inputs(folder, "50")
    base = rss_mb()
    frames = list(dict.fromkeys(framing.load_frames()["frame"]))
    rows, c_wall, c_cpu = _timed(lambda: framing.frame_columns(body, hits=hits))

    def run():
        out = {}
        for value in ["compound", *frames]:
            den = None if value == "compound" else "words"
            c = framing.event_contrasts(rows, event="topic", value=value, denominator=den)
            s = framing.summarize_contrasts(c, n_boot=N_BOOT_EVENTS)
            out[value] = (c, s)
        return out

    result, wall, cpu = _timed(run)
    single = framing.event_contrasts(rows, event="topic").attrs["single_group_events"]
    return {"result": result, "wall": wall, "cpu": cpu, "columns_s": (c_wall, c_cpu),
            "single": single, "base_mb": base, "load": load()}  # fmt: skip


def plain_contrasts(folder: Path) -> dict:
    import framing
    from framing.stats import group_rng

    body, hits = read_inputs(folder, "50")
    rows = framing.frame_columns(body, hits=hits)  # not timed: the same input as ours
    frames = list(dict.fromkeys(framing.load_frames()["frame"]))
    base = rss_mb()

    def run():
        out = {}
        for value in ["compound", *frames]:
            if value == "compound":
                cell = rows.groupby(["topic", "outlet"]).apply(
                    lambda s: s["compound"].sum() / len(s), include_groups=False
                )
            else:
                cell = rows.groupby(["topic", "outlet"]).apply(
                    lambda s, v=value: 1000 * s[v].sum() / s["words"].sum(), include_groups=False
                )
            c = cell.rename("value").reset_index()
            c["n_groups"] = c.groupby("topic")["outlet"].transform("size")
            c = c[c["n_groups"] >= 2].copy()
            c["event_mean"] = c.groupby("topic")["value"].transform("mean")
            c["difference"] = c["value"] - c["event_mean"]
            summary = []
            for name, g in c.groupby("outlet"):
                d = g["difference"].to_numpy()
                rng = group_rng(0, name)  # the group's stream, drawn as framing.bootstrap does
                reps = d[rng.integers(0, len(d), size=(N_BOOT_EVENTS, len(d)))].mean(axis=1)
                alpha = (1 - 0.95) / 2
                lo, hi = np.quantile(reps, [alpha, 1 - alpha])
                summary.append((name, d.sum() / len(d), lo, hi))
            out[value] = (c, pd.DataFrame(summary, columns=["outlet", "mean", "lo", "hi"]))
        return out

    result, wall, cpu = _timed(run)
    return {"result": result, "wall": wall, "cpu": cpu, "base_mb": base, "load": load()}


# ----------------------------------------------------------------------------- (c) keyness


def ours_keyness(folder: Path, n_perm: int) -> dict:
    import framing

    body, _ = read_inputs(folder, "top6")
    base = rss_mb()
    tiny = body[body["doc_id"].isin(body["doc_id"].unique()[:20])]
    _, warm, _ = _timed(lambda: framing.keyness(tiny, test="permutation", n_perm=2, top_terms=5))
    key, wall, cpu = _timed(
        lambda: framing.keyness(body, test="permutation", n_perm=n_perm, top_terms=TOP_TERMS)
    )
    return {"key": key, "wall": wall, "cpu": cpu, "warm_s": warm, "base_mb": base,
            "load": load(), "articles": body["doc_id"].nunique(), "sentences": len(body)}  # fmt: skip


def plain_keyness(folder: Path, n_perm: int) -> dict:
    """Permutations written out: the articles' term counts as a long table (article, term,
    count) of the tested terms, and per permutation a pandas groupby-sum by the permuted
    labels, the chi-square (Yates) of every cell, and a comparison with the observed."""
    import framing
    from framing.text.counting import group_sums

    body, _ = read_inputs(folder, "top6")
    base = rss_mb()
    (tc, wall0, cpu0) = _timed(lambda: framing.term_counts(body))  # the same counting engine
    t0, c0 = time.perf_counter(), time.process_time()
    doc_codes, _ = pd.factorize(body["doc_id"], sort=False)
    n_docs = int(doc_codes.max()) + 1
    doc_group = np.zeros(n_docs, dtype=np.int64)
    doc_group[doc_codes] = tc.codes
    D = group_sums(tc.doc_term, doc_codes.astype(np.int64), n_docs).tocoo()
    y_w = np.asarray(tc.counts.sum(axis=0)).ravel()
    ranked = np.lexsort((np.arange(len(y_w)), -y_w))
    tested = np.sort(ranked[:TOP_TERMS])
    keep = np.isin(D.col, tested)
    long = pd.DataFrame({"doc": D.row[keep], "term": D.col[keep], "count": D.data[keep]})
    doc_len = np.asarray(tc.doc_term.sum(axis=1)).ravel()
    doc_tokens = pd.Series(doc_len).groupby(doc_codes).sum().to_numpy()
    N = float(doc_len.sum())
    yw = pd.Series(y_w[tested], index=tested, dtype=float)
    G = len(tc.groups)

    def stat(labels):
        sums = (long.assign(g=labels[long["doc"].to_numpy()])
                .groupby(["g", "term"])["count"].sum()
                .unstack(fill_value=0).reindex(index=range(G), columns=tested, fill_value=0))  # fmt: skip
        n_in = pd.Series(doc_tokens).groupby(labels).sum().reindex(range(G)).to_numpy()[:, None]
        a = sums.to_numpy(dtype=float)
        b, c = n_in - a, yw.to_numpy()[None, :] - a
        d = (N - n_in) - c
        diff = np.maximum(np.abs(a * d - b * c) - N / 2, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = N * diff**2 / ((a + b) * (c + d) * (a + c) * (b + d))
        return np.nan_to_num(s, nan=0.0)

    observed = stat(doc_group)
    rng = np.random.default_rng(0)
    exceed = np.zeros_like(observed)
    for _ in range(n_perm):
        exceed += stat(rng.permutation(doc_group)) >= observed * (1 - 1e-12)
    p = (1 + exceed) / (1 + n_perm)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    frame = pd.DataFrame(p, index=tc.groups, columns=np.asarray(tc.vocab)[tested]).stack()
    return {"p": frame, "wall": wall, "cpu": cpu, "count_s": (wall0, cpu0), "base_mb": base,
            "load": load()}  # fmt: skip


# ----------------------------------------------------------------------------- the run


def line(name, wall, cpu, mem=None, note=""):
    m = f"  peak {mem[0]:,.0f} MB (+{mem[1]:,.0f})" if mem else ""
    print(f"  {name:<44} {wall:8.1f} s wall {cpu:8.1f} s CPU{m}  {note}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plain-reps", type=int, default=3,
                    help="replicates of the straightforward bootstrap, extrapolated")  # fmt: skip
    ap.add_argument("--plain-perms", type=int, default=20,
                    help="permutations of the straightforward keyness test, extrapolated")  # fmt: skip
    ap.add_argument("--check-outlets", type=int, default=2)
    ap.add_argument("--only", choices=["a", "b", "c"], action="append")
    args = ap.parse_args()
    only = set(args.only or "abc")
    failed = []
    print(f"bench_events on {CORPUS.name}, {os.cpu_count()} cores; {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
        folder = Path(tmp)
        info = prepare(folder)
        print(f"inputs: {info['articles']:,} articles, {info['sentences']:,} sentences "
              f"({info['body']:,} body), {info['hits']:,} frame hits; {info['outlets_50']} "
              f"outlets with >= {MIN_ARTICLES} articles ({info['articles_50']:,} articles); "
              f"prepared in {info['seconds']:.1f} s (framing.analysis, cached); {load()}",
              flush=True)  # fmt: skip

        if "a" in only:
            print(f"\n(a) article-level bootstrap: tone ({N_BOOT_TONE:,} replicates) and ten "
                  f"frame rates ({N_BOOT_FRAMES:,}) of every outlet with >= {MIN_ARTICLES} "
                  "articles", flush=True)  # fmt: skip
            ours = in_process(ours_bootstrap, folder)
            mem = (ours["peak_mb"], ours["peak_mb"] - ours["base_mb"])
            print(f"  {ours['outlets']} outlets, {ours['articles']:,} articles, "
                  f"{ours['sentences']:,} body sentences; compiled code loaded in "
                  f"{ours['warm_s']:.1f} s (not counted)")  # fmt: skip
            line("ours: outlet_sentiment", *ours["tone_s"], note=ours["load"])
            line("ours: frame_scores", *ours["frames_s"])
            total = ours["tone_s"][0] + ours["frames_s"][0]
            line("ours: both", total, ours["tone_s"][1] + ours["frames_s"][1], mem)
            plain = in_process(plain_bootstrap, folder, args.plain_reps, args.check_outlets)
            n = plain["reps"]
            pmem = (plain["peak_mb"], plain["peak_mb"] - plain["base_mb"])
            line("straightforward: tone, split into articles", *plain["tone_spent"]["split"], pmem,
                 plain["load"])  # fmt: skip
            line(f"straightforward: {n} tone replicates", *plain["tone_spent"]["reps"])
            line("straightforward: frames, split into articles", *plain["frames_spent"]["split"])
            line(f"straightforward: {n} frame replicates", *plain["frames_spent"]["reps"])
            est = (plain["tone_spent"]["split"][0] + plain["frames_spent"]["split"][0]
                   + (plain["tone_spent"]["reps"][0] * N_BOOT_TONE
                      + plain["frames_spent"]["reps"][0] * N_BOOT_FRAMES) / n)  # fmt: skip
            print(f"  straightforward, extrapolated to {N_BOOT_TONE:,} + {N_BOOT_FRAMES:,} "
                  f"replicates (the split once, the replicates linear in their number): "
                  f"{est:,.0f} s = {est / 3600:.1f} h; ours {est / total:,.0f}x faster")  # fmt: skip
            # checks: the same streams, so every interval end must be equal
            tone = ours["tone"].set_index("outlet")
            frames = ours["frames"].set_index(["outlet", "frame"])
            worst = 0.0
            for name, (mean, (t_low, t_high), (f_low, f_high)) in plain["check"].items():
                if tone.loc[name, "mean_compound"] != mean:
                    failed.append(f"(a) point estimate of {name}")
                worst = max(worst, abs(tone.loc[name, "ci_low"] - t_low),
                            abs(tone.loc[name, "ci_high"] - t_high))  # fmt: skip
                for k, fr in enumerate(plain["frames"]):
                    row = frames.loc[(name, fr)]
                    worst = max(worst, abs(row["ci_low"] - f_low[k]),
                                abs(row["ci_high"] - f_high[k]))  # fmt: skip
            ok = worst <= 1e-12
            print(f"  check on the {len(plain['check'])} smallest outlets (the straightforward "
                  f"version in full, {N_BOOT_TONE:,} + {N_BOOT_FRAMES:,} replicates, the same "
                  f"draws): point estimates identical; interval ends differ by at most "
                  f"{worst:.1e} ({'equal' if ok else 'NOT equal'} to 1e-12)")  # fmt: skip
            if not ok:
                failed.append("(a) intervals")

        if "b" in only:
            print(f"\n(b) within-topic contrasts: tone and ten frame rates, {N_BOOT_EVENTS:,} "
                  "replicates over topics, same outlets", flush=True)  # fmt: skip
            ours = in_process(ours_contrasts, folder)
            mem = (ours["peak_mb"], ours["peak_mb"] - ours["base_mb"])
            line("ours: frame_columns (hits and words)", *ours["columns_s"])
            line("ours: event_contrasts + summarize_contrasts", ours["wall"], ours["cpu"], mem,
                 ours["load"])  # fmt: skip
            print(f"  topics covered by one outlet only (reported, not compared): "
                  f"{len(ours['single'])}")  # fmt: skip
            plain = in_process(plain_contrasts, folder)
            line("straightforward: groupby/apply + loop", plain["wall"], plain["cpu"],
                 (plain["peak_mb"], plain["peak_mb"] - plain["base_mb"]), plain["load"])  # fmt: skip
            print(f"  ours {plain['wall'] / ours['wall']:.1f}x faster (both in full)")
            worst = 0.0
            for value, (c, s) in ours["result"].items():
                pc, ps = plain["result"][value]
                m = c.merge(pc, on=["topic", "outlet"], suffixes=("", "_p"))
                if len(m) != len(c) or len(m) != len(pc):
                    failed.append(f"(b) rows of {value}")
                worst = max(worst, (m["difference"] - m["difference_p"]).abs().max())
                j = s.merge(ps, on="outlet")
                for a, b in (("mean_difference", "mean"), ("ci_low", "lo"), ("ci_high", "hi")):
                    worst = max(worst, (j[a] - j[b]).abs().max())
            ok = worst <= 1e-12
            print(f"  check (same draws): largest difference {worst:.1e} "
                  f"({'equal' if ok else 'NOT equal'} to 1e-12)")  # fmt: skip
            if not ok:
                failed.append("(b) values")

        if "c" in only:
            print(f"\n(c) document-level keyness: the {TOP_OUTLETS} largest outlets, "
                  f"{N_PERM:,} permutations of the articles, top {TOP_TERMS:,} terms", flush=True)  # fmt: skip
            ours = in_process(ours_keyness, folder, N_PERM)
            mem = (ours["peak_mb"], ours["peak_mb"] - ours["base_mb"])
            print(f"  {ours['articles']:,} articles, {ours['sentences']:,} body sentences; "
                  f"compiled code loaded in {ours['warm_s']:.1f} s (not counted)")  # fmt: skip
            line("ours: keyness(test='permutation')", ours["wall"], ours["cpu"], mem, ours["load"])
            n = args.plain_perms
            plain = in_process(plain_keyness, folder, n)
            line("straightforward: term_counts (the same engine)", *plain["count_s"])
            line(f"straightforward: {n} permutations", plain["wall"], plain["cpu"],
                 (plain["peak_mb"], plain["peak_mb"] - plain["base_mb"]), plain["load"])  # fmt: skip
            est = plain["count_s"][0] + plain["wall"] * N_PERM / n
            print(f"  straightforward, extrapolated to {N_PERM:,} permutations (linear): "
                  f"{est:,.0f} s; ours {est / ours['wall']:,.0f}x faster")  # fmt: skip
            small = in_process(ours_keyness, folder, n)["key"].set_index(["outlet", "term"])
            same = plain["p"].reindex(small.index)
            exact = bool((same.to_numpy() == small["p_perm"].to_numpy()).all())
            from scipy.stats import false_discovery_control

            key = ours["key"]
            q_ok = all(np.allclose(g["q"], false_discovery_control(g["p_perm"], method="bh"))
                       for _, g in key.groupby("outlet"))  # fmt: skip
            passing = key[(key["q"] < 0.05) & (key["log_odds"].abs() >= 0.69)]
            print(f"  check (same {n} permutations): p_perm {'identical' if exact else 'NOT identical'}"
                  f" on all {len(small):,} outlet-term pairs; q = false_discovery_control(p_perm): "
                  f"{q_ok}; {key.attrs['n_tested']:,} terms tested per outlet, "
                  f"{int((key['q'] < 0.05).sum()):,} pairs with q < 0.05, {len(passing):,} of them "
                  "with |log-odds| >= 0.69")  # fmt: skip
            if not (exact and q_ok):
                failed.append("(c) p or q")
    print(f"\ndone; {load()}")
    if failed:
        print("FAILED checks: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
