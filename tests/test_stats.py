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
