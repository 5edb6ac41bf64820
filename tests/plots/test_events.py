"""Plots of events and time (framing.plots.events): seaborn's shape, asserted on the Axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from tests.measures.test_events import _synthetic  # noqa: E402


@pytest.fixture(scope="module")
def table():
    return _synthetic()


def test_plot_event_contrasts_points_intervals_and_labels(table):
    c = framing.event_contrasts(table, event="event")
    s = framing.summarize_contrasts(c, n_boot=200)
    fig, ax = plt.subplots()
    assert framing.plot_event_contrasts(s, label="tone", ax=ax) is ax
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["A (6 events)", "B (6 events)"]
    xs = ax.lines[0].get_xdata()  # the errorbar's points
    assert np.allclose(xs, s["mean_difference"])
    assert "tone" in ax.get_xlabel()
    plt.close(fig)


def test_plot_event_contrasts_marks_a_group_without_interval(table):
    one = framing.event_contrasts(table[table["event"] == "E0"], event="event")
    s = framing.summarize_contrasts(one, n_boot=50)
    fig, ax = plt.subplots()
    framing.plot_event_contrasts(s, ax=ax)
    assert ax.get_legend().get_texts()[0].get_text() == "one event: no interval"
    plt.close(fig)


def test_plot_over_time_draws_sparse_points_hollow(table):
    data = framing.over_time(table, freq="MS", n_boot=50, min_articles=5)
    fig, ax = plt.subplots()
    assert framing.plot_over_time(data, ax=ax) is ax
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["A", "B", "hollow: fewer than 5 articles"]
    hollow = [ln for ln in ax.lines if ln.get_markerfacecolor() == "white" and len(ln.get_xdata())]
    n_hollow = sum(len(ln.get_xdata()) for ln in hollow)
    assert n_hollow == int(data["sparse"].sum()) > 0
    assert len(ax.collections) == 2  # one interval band per group
    assert ax.get_ylabel() == "compound"
    plt.close(fig)


def test_plot_over_time_counts_and_empty(table):
    data = framing.over_time(table, freq="MS", n_boot=20)
    fig, ax = plt.subplots()
    framing.plot_over_time(data, y="n_articles", ax=ax)
    assert ax.get_ylabel() == "n articles" and len(ax.collections) == 0
    plt.close(fig)
    for fn in (framing.plot_over_time, framing.plot_event_contrasts):
        fig, ax = plt.subplots()
        assert fn(pd.DataFrame(), ax=ax) is ax and not ax.lines
        plt.close(fig)
