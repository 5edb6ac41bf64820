"""Figures that cannot mislead (issue #18.3), asserted on the returned Axes: small multiples
share one scale, legends sit outside the data, tone by position says how many sentences each
bin holds, thin heat-map cells are hatched and labelled, thin frame rates are marked, and the
validation figure shows held-out figures beside in-sample ones."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from framing.plots.base import legend_outside, small_multiples  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _outside(ax) -> bool:
    """The legend lies right of the axes: its left edge is at or past the axes' right edge."""
    fig = ax.figure
    fig.canvas.draw()
    leg = ax.get_legend()
    r = fig.canvas.get_renderer()
    return leg is not None and leg.get_window_extent(r).x0 >= ax.get_window_extent(r).x1


def test_small_multiples_share_one_scale_when_asked():
    data = {"A": [1, 2], "B": [10, 40]}

    def draw(g, ax):
        ax.barh([0, 1], data[g])

    fig = small_multiples(["A", "B"], draw, sharex=True)
    a, b = fig.axes[:2]
    assert a.get_xlim() == b.get_xlim() and a.get_xlim()[1] >= 40
    fig = small_multiples(["A", "B"], draw)  # not shared: each its own range
    assert fig.axes[0].get_xlim() != fig.axes[1].get_xlim()


def test_legend_outside_sits_right_of_the_axes():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="a")
    legend_outside(ax, title="t")
    assert _outside(ax)
    fig, ax = plt.subplots()
    assert legend_outside(ax) is None  # nothing labelled, no legend


POSITION = pd.DataFrame(
    {
        "outlet": ["A"] * 2 + ["B"] * 2,
        "bin": [0, 1, 0, 1],
        "position_low": [0.0, 0.5, 0.0, 0.5],
        "position_high": [0.5, 1.0, 0.5, 1.0],
        "n_sentences": [3, 12, 1, 7],
        "mean_compound": [0.2, -0.1, 0.5, 0.0],
        "ci_low": [0.0, -0.3, 0.5, -0.2],
        "ci_high": [0.4, 0.1, 0.5, 0.2],
    }
)


def test_position_panels_say_how_many_sentences_each_bin_holds():
    fig = small_multiples(
        ["A", "B"],
        lambda g, ax: framing.plot_sentiment_position(POSITION, group=g, ax=ax),
        sharey=True,
    )
    a, b = fig.axes[:2]
    assert [t.get_text() for t in a.texts] == ["n=3", "n=12"]
    assert [t.get_text() for t in b.texts] == ["n=1", "n=7"]
    assert a.get_ylim() == b.get_ylim() == (-1.0, 1.0)
    assert a.get_title() == "A" and len(a.get_lines()) == 2  # the line and the zero line
    fig, ax = plt.subplots()
    framing.plot_sentiment_position(POSITION, ax=ax)  # all groups: legend outside the data
    assert _outside(ax)


def test_heatmap_cells_on_few_sentences_are_hatched_and_labelled():
    data = pd.DataFrame(
        {
            "outlet": ["A", "A", "B", "B"],
            "actor": ["Xi", "Putin", "Xi", "Putin"],
            "n_sentences": [9, 2, 6, 0],
            "mean_compound": [0.3, 0.9, -0.2, float("nan")],
            "ci_low": [0.1, 0.8, -0.4, float("nan")],
            "ci_high": [0.5, 1.0, 0.0, float("nan")],
        }
    )
    fig, ax = plt.subplots()
    framing.plot_actor_heatmap(data, min_n=5, actors=["Xi", "Putin"], ax=ax)
    hatched = [p for p in ax.patches if p.get_hatch() == "///"]
    assert len(hatched) == 2  # A-Putin (2 sentences) and B-Putin (none)
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["+0.30\nn=9", "n<5\nn=2", "-0.20\nn=6", "n=0"]
    assert "+0.90" not in labels  # a mean of two sentences is not shown
    assert "fewer than 5 sentences" in ax.get_title()


SCORES = pd.DataFrame(
    {
        "outlet": ["Deseret", "Deseret", "Semafor", "Semafor"],
        "frame": ["energy and trade", "conflict", "energy and trade", "conflict"],
        "hits": [11, 2, 8, 7],
        "words": [329, 329, 679, 679],
        "per_1000": [33.4, 6.1, 11.8, 10.3],
        "ci_low": [0.0, 0.0, 0.0, 2.9],
        "ci_high": [83.8, 12.9, 28.3, 19.6],
    }
)
SUPPORT = pd.DataFrame(
    {
        "outlet": ["Deseret", "Deseret", "Semafor", "Semafor"],
        "frame": ["energy and trade", "conflict", "energy and trade", "conflict"],
        "hits": [11, 2, 8, 7],
        "sentences": [2, 2, 5, 6],
        "articles": [1, 1, 1, 1],
    }
)


def test_frame_rates_on_one_or_two_sentences_are_marked():
    fig, ax = plt.subplots()
    framing.plot_frame_rates(SCORES, by="outlet", support=SUPPORT, ax=ax)
    notes = sorted(t.get_text() for t in ax.texts)
    assert notes == ["⚠ 2 sent.", "⚠ 2 sent."]  # Deseret's two rates, not Semafor's
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() == "white"]
    assert len(hollow) == 1 and len(hollow[0].get_xdata()) == 2
    assert "fewer than 3 sentences" in ax.get_xlabel()
    assert _outside(ax)
    fig, ax = plt.subplots()
    framing.plot_frame_rates(SCORES, by="outlet", ax=ax)  # without support: nothing marked
    assert not ax.texts


def test_validation_draws_held_out_beside_in_sample():
    rows = framing.quote_checks(
        pd.DataFrame({"measure": ["quote detection", "speaker attribution"],
                      "n_gold": [52, 52], "n_found": [52, 48], "tp": [52, 48],
                      "precision": [1.0, 1.0], "recall": [1.0, 0.923]}),
        pd.DataFrame({"measure": ["quote detection", "speaker: all"], "n_gold": [511, 511],
                      "n_found": [457, 281], "correct": [428, 246],
                      "precision": [0.937, 0.875], "accuracy": [0.838, 0.481]}),
    )  # fmt: skip
    assert rows["sample"].nunique() == 2 and len(rows) == 8
    fig, ax = plt.subplots()
    framing.plot_validation(rows, ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "quote detection: precision", "quote detection: recall",
        "speaker attribution: precision", "speaker attribution: recall",
    ]  # fmt: skip
    assert len(ax.containers) == 2 and all(len(c) == 4 for c in ax.containers)
    held = ax.containers[1]
    assert [round(b.get_width(), 3) for b in held] == [0.937, 0.838, 0.875, 0.481]
    assert any(t.get_text() == "0.481  (n=511)" for t in ax.texts)
    assert ax.get_xlim() == (0, 1.3) and _outside(ax)
