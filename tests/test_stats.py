"""The one bootstrap (framing.stats): the same draws as an independent computation, the
two-stage resample of articles then sentences, resampling within strata, and the seeding."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import framing
from framing import stats
from framing.errors import check_option


@pytest.fixture(scope="module")
def tone(sents):
    scored = framing.score_sentences(sents[sents["kind"] == "body"], cache=False)
    return scored.reset_index(drop=True)


def test_mean_interval_matches_an_independent_computation(tone):
    x = tone[tone.doc_id == tone.doc_id.iloc[0]]["compound"].to_numpy()
    mean, low, high = framing.bootstrap(x, n_boot=500, seed=3, label="Deseret News")
    rng = np.random.default_rng([3, zlib.crc32(b"Deseret News")])
    boots = x[rng.integers(0, len(x), size=(500, len(x)))].mean(axis=1)
    alpha = (1 - 0.95) / 2  # as the report computes it (0.025000000000000022)
    assert (low, high) == tuple(np.quantile(boots, [alpha, 1 - alpha]))
    assert mean == pytest.approx(x.mean())


def test_ratio_interval_matches_an_independent_computation(tone):
    hits = (tone["compound"] > 0.5).to_numpy(dtype=float)
    words = tone["text"].map(framing.count_words).to_numpy(dtype=float)
    est, low, high = framing.bootstrap(hits, denominator=words, n_boot=300, seed=1, label="g")
    assert est == hits.sum() / words.sum()
    rng = np.random.default_rng([1, zlib.crc32(b"g")])
    n = len(hits)
    idx = rng.integers(0, n, size=(300, n))
    w = np.stack([np.bincount(r, minlength=n) for r in idx]).astype(float)
    reps = (w @ hits) / (w @ words)
    assert (low, high) == pytest.approx(tuple(np.quantile(reps, [0.025, 0.975])), rel=1e-12)


def test_two_stage_draws_units_then_their_observations():
    # three articles of 2, 3 and 1 sentences; replicate the draws by hand with the same stream
    units = np.array(["a", "a", "b", "b", "b", "c"])
    rng = np.random.default_rng(7)
    counts = next(stats.resample_counts(6, 1, np.random.default_rng(7), units=units))[0]
    drawn = rng.integers(0, 3, 3)
    start, size = np.array([0, 2, 5]), np.array([2, 3, 1])
    picks = []
    for u in drawn:
        picks += [start[u] + int(np.floor(r * size[u])) for r in rng.random(size[u])]
    assert counts.tolist() == np.bincount(picks, minlength=6).tolist()
    # each drawn article contributes exactly as many sentences as it has
    assert counts.sum() == size[drawn].sum()


def test_resampling_articles_widens_the_interval_when_articles_differ():
    # two articles with different tone: sentences of one article are not independent draws
    x = np.r_[np.full(50, 0.6), np.full(50, -0.4)] + np.linspace(-0.01, 0.01, 100)
    units = np.repeat(["a", "b"], 50)
    _, lo_s, hi_s = framing.bootstrap(x, n_boot=400, seed=0)
    _, lo_a, hi_a = framing.bootstrap(x, units=units, n_boot=400, seed=0)
    assert (hi_a - lo_a) > 3 * (hi_s - lo_s)
    # one observation per unit: the two-stage resample is a plain resample of observations
    one = framing.bootstrap(x, units=np.arange(100), n_boot=2000, seed=0)
    plain = framing.bootstrap(x, n_boot=2000, seed=0)
    assert one[1] == pytest.approx(plain[1], abs=0.03) and one[2] == pytest.approx(
        plain[2], abs=0.03
    )


def test_strata_are_resampled_within_themselves():
    codes = np.array([0, 0, 0, 1, 1, 2])
    for w in stats.resample_strata(codes, 20, np.random.default_rng(0)):
        assert [w[codes == s].sum() for s in range(3)] == [3, 2, 1]


def test_above_max_exact_the_mean_interval_is_the_normal_one(tone):
    x = tone["compound"].to_numpy()
    mean, low, high = framing.bootstrap(x, max_exact=50)
    half = 1.959963984540054 * x.std(ddof=1) / np.sqrt(len(x))
    assert (low, high) == pytest.approx((mean - half, mean + half))
    _, blow, bhigh = framing.bootstrap(x, n_boot=4000)
    assert abs(blow - low) < 0.015 and abs(bhigh - high) < 0.015


def test_small_inputs_and_bad_options():
    assert all(np.isnan(framing.bootstrap([])))
    assert framing.bootstrap([0.5]) == (0.5, 0.5, 0.5)
    assert np.isnan(framing.bootstrap([1.0, 2.0], denominator=[0.0, 0.0])[0])
    with pytest.raises(ValueError, match=r"^n_boot=0 is not allowed; use an integer >= 1$"):
        framing.bootstrap([1.0, 2.0], n_boot=0)
    with pytest.raises(ValueError, match=r"^level=1.5 is not allowed"):
        framing.bootstrap([1.0, 2.0], level=1.5)
    with pytest.raises(ValueError, match="denominator has 1 values for 2 values"):
        framing.bootstrap([1.0, 2.0], denominator=[1.0])


def test_a_groups_stream_depends_on_its_name_only():
    a = stats.group_rng(0, "Semafor").integers(0, 10**9, 5)
    assert (a == stats.group_rng(0, "Semafor").integers(0, 10**9, 5)).all()
    assert not (a == stats.group_rng(0, "SCMP").integers(0, 10**9, 5)).all()
    assert not (a == stats.group_rng(1, "Semafor").integers(0, 10**9, 5)).all()


def test_one_message_shape_for_bad_options():
    with pytest.raises(ValueError, match=r"^by='x' is not allowed; use one of \['a', 'b'\]$"):
        check_option("by", "x", ("a", "b"))
    with pytest.raises(ValueError, match=r"^n=\[1\] is not allowed; use one of \[1, 2\]$"):
        check_option("n", [1], (1, 2))  # an unhashable value is never among the choices
    assert check_option("top", 3, "an integer >= 1", ok=True) == 3


@pytest.mark.parametrize(("n_units", "n"), [(1, 7), (2, 9), (40, 600)])
def test_two_stage_sums_are_the_compiled_draws_summed(n_units, n):
    # the compiled loops draw whole units then observations within them; the multiplicities
    # they draw (two_stage_draws) give exactly the sums the statistics read
    from framing import stats_kernels as K

    rng = np.random.default_rng(n)
    units = rng.permutation(np.r_[np.arange(n_units), rng.integers(0, n_units, n - n_units)])
    x, d = rng.normal(size=n), rng.integers(1, 30, n).astype(float)
    counts = rng.integers(0, 3, (n, 4)).astype(float)
    order, start, size = stats._units_index(units)
    seed = stats._kernel_seed(stats.group_rng(0, "g"))
    w = np.zeros((200, n), dtype=np.int64)
    K.two_stage_draws(seed, start, size, 200, w)
    w = w.astype(float)
    xs, ds = x[order], d[order]
    for den, ref in [(None, (w @ xs) / w.sum(axis=1)), (d, (w @ xs) / (w @ ds))]:
        got = stats._replicates(x, den, units, 200, stats.group_rng(0, "g"))
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)
    got = stats.bootstrap_ratios(counts, d, 200, stats.group_rng(0, "g"), units=units)
    np.testing.assert_allclose(got, 1000 * (w @ counts[order]) / (w @ ds)[:, None], rtol=1e-12)


def test_two_stage_draws_are_published_splitmix64():
    # the compiled stream, rewritten from the published SplitMix64 (Steele, Lea & Flood 2014)
    # in Python integers: a unit from the low 32 bits of one number, then the unit's
    # observations two per number (low half, high half), index = (bits * size) >> 32
    from framing import stats_kernels as K

    mask = 2**64 - 1
    state = 2**63 + 987654321

    def nxt():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    size = np.array([3, 1, 6, 2, 5])
    start = np.r_[0, np.cumsum(size)[:-1]]
    B = 40
    expected = np.zeros((B, size.sum()), dtype=np.int64)
    for b in range(B):
        for _ in size:
            u = ((nxt() & 0xFFFFFFFF) * len(size)) >> 32
            s = int(size[u])
            halves = []
            for _ in range((s + 1) // 2):
                r = nxt()
                halves += [r & 0xFFFFFFFF, r >> 32]
            for h in halves[:s]:
                expected[b, start[u] + ((h * s) >> 32)] += 1
    w = np.zeros_like(expected)
    K.two_stage_draws(np.uint64(2**63 + 987654321), start, size, B, w)
    assert (w == expected).all()


def test_two_stage_draws_have_the_two_stage_distribution():
    # units of sizes 1..6: over many replicates each observation is drawn once on average; a
    # unit's draws are its size times how often it is drawn (Binomial(U, 1/U)); a unit drawn
    # once spreads its draws over its own observations only
    from framing import stats_kernels as K

    size = np.arange(1, 7)
    start = np.r_[0, np.cumsum(size)[:-1]]
    n, U, B = int(size.sum()), len(size), 20_000
    w = np.zeros((B, n), dtype=np.int64)
    K.two_stage_draws(np.uint64(12345), start, size, B, w)
    assert np.allclose(w.mean(axis=0), 1, atol=0.04)
    per_unit = np.add.reduceat(w, start, axis=1)
    assert (per_unit % size == 0).all()  # whole units only
    times = per_unit // size
    assert (times.sum(axis=1) == U).all()
    assert np.allclose(times.var(axis=0), 1 - 1 / U, rtol=0.08)
    # within the 6-sentence unit drawn once: each sentence drawn 6 * (1/6) times on average,
    # with the variance of a multinomial of 6 draws (5/6)
    once = w[times[:, 5] == 1][:, start[5] :]
    assert np.allclose(once.mean(axis=0), 1, atol=0.05)
    assert np.allclose(once.var(axis=0), 5 / 6, rtol=0.1)


def test_two_stage_interval_agrees_with_resample_counts_within_monte_carlo_error():
    # the same bootstrap distribution as resample_counts (numpy's draws): the percentile
    # interval of 4,000 replicates agrees with one of 4,000 others to a few hundredths
    rng = np.random.default_rng(1)
    units = np.repeat(np.arange(30), rng.integers(2, 25, 30))
    x = rng.normal(size=30)[units] + rng.normal(scale=0.5, size=len(units))
    w = np.vstack(list(stats.resample_counts(len(x), 4000, np.random.default_rng(9), units=units)))
    ref = np.quantile((w @ x) / w.sum(axis=1), [0.025, 0.975])
    _, low, high = framing.bootstrap(x, units=units, n_boot=4000, seed=2)
    sd = np.std((w @ x) / w.sum(axis=1))
    assert abs(low - ref[0]) < 0.4 * sd and abs(high - ref[1]) < 0.4 * sd


def test_resample_plan_auto_resamples_articles_only_when_there_are_two():
    one, two = np.array(["a"] * 5), np.array(["a", "a", "b", "b", "b"])
    assert stats.resample_plan("auto", one, 5) == (None, "sentences", 5)
    units, what, k = stats.resample_plan("auto", two, 5)
    assert (units == two).all() and (what, k) == ("articles", 2)
    assert stats.resample_plan("auto", None, 5) == (None, "sentences", 5)  # no doc_id column
    assert stats.resample_plan(None, two, 5, observations="spans") == (None, "spans", 5)
    units, what, k = stats.resample_plan("para_id", two, 5)
    assert (what, k) == ("para_id", 2)


def test_check_units_one_message_shape():
    import pandas as pd

    table = pd.DataFrame({"doc_id": ["a"], "x": [1.0]})
    assert stats.check_units(table, "auto") == "auto" and stats.check_units(table, None) is None
    with pytest.raises(ValueError, match=r"^units='nope' is not a column of the table"):
        stats.check_units(table, "nope")
    with pytest.raises(ValueError, match=r"^units=3 is not allowed"):
        stats.check_units(table, 3)
