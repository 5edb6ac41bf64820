"""Validation figures (issue #16): what is drawn is the table's numbers, read back from the Axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import framing


def _errorbar_points(ax):
    """(x, y, x_low, x_high) of every errorbar container of ``ax``, in drawing order."""
    out = []
    for c in ax.containers:
        line, _caps, (bars,) = c.lines[0], c.lines[1], c.lines[2]
        xs, ys = line.get_data()
        segs = bars.get_segments()
        for x, y, seg in zip(xs, ys, segs, strict=True):
            out.append((float(x), float(y), float(seg[0][0]), float(seg[1][0])))
    return out


def test_plot_agreement_draws_each_codes_alpha_and_interval_in_table_order():
    table = pd.DataFrame(
        {
            "code": ["conflict", "economic", "tone"],
            "alpha": [0.862, 0.951, 0.40],
            "ci_low": [0.79, 0.90, 0.10],
            "ci_high": [0.92, 0.99, 0.62],
        }
    )
    fig, ax = plt.subplots()
    framing.plot_agreement(table, ax=ax)
    pts = _errorbar_points(ax)
    # one dot per code, top to bottom in table order (y 0, 1, 2 with the y axis inverted)
    assert [p[1] for p in pts] == [0.0, 1.0, 2.0]
    assert [p[0] for p in pts] == pytest.approx([0.862, 0.951, 0.40])
    assert [v for p in pts for v in p[2:]] == pytest.approx([0.79, 0.92, 0.90, 0.99, 0.10, 0.62])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["conflict", "economic", "tone"]
    assert ax.get_ylim() == (2.5, -0.5)
    # dashed lines at Krippendorff's thresholds; x from 0 (no interval below it) to 1.02
    assert sorted(ln.get_xdata()[0] for ln in ax.get_lines() if ln.get_linestyle() == "--") == [
        0.667,
        0.8,
    ]
    assert ax.get_xlim() == pytest.approx((0.0, 1.02))
    plt.close(fig)


def test_plot_agreement_widens_the_axis_to_a_negative_interval():
    table = pd.DataFrame({"code": ["tone"], "alpha": [0.06], "ci_low": [-0.21], "ci_high": [0.3]})
    fig, ax = plt.subplots()
    framing.plot_agreement(table, ax=ax)
    assert ax.get_xlim() == pytest.approx((-0.26, 1.02))
    (pt,) = _errorbar_points(ax)
    assert pt == pytest.approx((0.06, 0.0, -0.21, 0.3))
    plt.close(fig)


def test_plot_prevalence_draws_each_groups_share_per_frame():
    table = pd.DataFrame(
        {
            "outlet": ["A", "A", "B", "B"],
            "frame": ["conflict", "economic", "conflict", "economic"],
            "prevalence": [0.30, 0.10, 0.55, 0.05],
            "ci_low": [0.20, 0.02, 0.40, 0.00],
            "ci_high": [0.41, 0.20, 0.70, 0.12],
        }
    )
    fig, ax = plt.subplots()
    framing.plot_prevalence(table, by="outlet", ax=ax)
    pts = _errorbar_points(ax)
    # two groups side by side within each frame's row: A above B (offsets -0.2, +0.2)
    assert [p[1] for p in pts] == pytest.approx([-0.2, 0.8, 0.2, 1.2])
    assert [p[0] for p in pts] == pytest.approx([0.30, 0.10, 0.55, 0.05])
    assert [v for p in pts for v in p[2:]] == pytest.approx(
        [0.20, 0.41, 0.02, 0.20, 0.40, 0.70, 0.00, 0.12]
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == ["conflict", "economic"]
    assert ax.get_xlim() == pytest.approx((-0.02, 1.02))
    assert ax.get_xlabel().startswith("share of sentences in the frame")
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["A", "B"]
    plt.close(fig)


def test_empty_tables_draw_nothing():
    fig, ax = plt.subplots()
    framing.plot_agreement(pd.DataFrame(columns=["code", "alpha", "ci_low", "ci_high"]), ax=ax)
    framing.plot_prevalence(pd.DataFrame(), ax=ax)
    assert not ax.containers and not ax.get_lines() and not ax.texts
    plt.close(fig)
