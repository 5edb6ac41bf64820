"""What every plot shares (framing.plots.base): data strings drawn as written, never as
mathtext (issue #13.1), and the note that says what a capped figure left out."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from framing.plots.base import cap_note, plot_text  # noqa: E402


def test_plot_text_keeps_dollars_out_of_mathtext():
    fig, ax = plt.subplots()
    raw = ax.text(0, 0, "$x$ Daily")
    safe = ax.text(0, 1, plot_text("$x$ Daily"))
    assert raw._preprocess_math(raw.get_text())[1] is True  # unescaped: drawn as math
    assert safe._preprocess_math(safe.get_text()) == ("$x$ Daily", False)
    plt.close(fig)


def test_cap_note_says_what_was_capped_and_where_all_are():
    assert cap_note(12, 12, table="x.csv") == ""
    assert cap_note(12, 300, by="outlet", table="tfidf-top-terms.csv") == (
        "**Capped:** the figure draws the 12 largest of 300 values of *outlet* (most articles "
        "first); the table beside it, tfidf\\-top\\-terms\\.csv, holds all of them."
    )
