"""Escaping data strings for generated Markdown and for matplotlib labels (issue #13.1)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from nbconvert.filters.markdown_mistune import markdown2html_mistune  # noqa: E402

from framing.figures import escape_markdown, plot_text  # noqa: E402

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("name", HOSTILE)
def test_escaped_html_names_render_as_text(name):
    # the renderer nbconvert uses for Markdown outputs in the HTML report
    html = markdown2html_mistune(f"**{escape_markdown(name)}** (3 sentences)")
    assert "<script" not in html and "<img" not in html
    expected = name.replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p><strong>{expected}</strong> (3 sentences)</p>\n"


def test_unescaped_name_would_be_live_html():
    # the check above can fail: the same name written raw comes out as a tag
    assert "<script>alert(1)</script>" in markdown2html_mistune("**<script>alert(1)</script>**")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("*Bold* [x](http://e.com) # _u_", "*Bold* [x](http://e.com) # _u_"),
        ("A & B", "A &amp; B"),
        ("$5 News $", "$5 News $"),
        ("two\n\nlines", "two lines"),
    ],
)
def test_markdown_control_characters_are_not_markup(name, shown):
    html = markdown2html_mistune(escape_markdown(name))
    assert html == f"<p>{shown}</p>\n"


def test_plot_text_keeps_dollars_out_of_mathtext():
    fig, ax = plt.subplots()
    raw = ax.text(0, 0, "$x$ Daily")
    safe = ax.text(0, 1, plot_text("$x$ Daily"))
    assert raw._preprocess_math(raw.get_text())[1] is True  # unescaped: drawn as math
    assert safe._preprocess_math(safe.get_text()) == ("$x$ Daily", False)
    plt.close(fig)


def test_largest_groups_most_articles_first_ties_by_name():
    import pandas as pd

    from framing.figures import largest_groups

    a = pd.DataFrame({"outlet": ["b", "a", "c", "c", "b", "d", "c"]})
    assert largest_groups(a, limit=3) == ["c", "b", "a"]  # c 3, b 2, then a before d (1 each)
    assert largest_groups(a, limit=10) == ["c", "b", "a", "d"]
    with pytest.raises(ValueError, match="limit=0"):
        largest_groups(a, limit=0)
    with pytest.raises(ValueError, match="by='bias'"):
        largest_groups(a, by="bias", limit=2)


def test_cap_note_says_what_was_capped_and_where_all_are():
    from framing.figures import cap_note

    assert cap_note(12, 12, table="x.csv") == ""
    assert cap_note(12, 300, by="outlet", table="tfidf-top-terms.csv") == (
        "**Capped:** the figure draws the 12 largest of 300 values of *outlet* (most articles "
        "first); the table beside it, tfidf\\-top\\-terms\\.csv, holds all of them."
    )
