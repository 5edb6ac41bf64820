"""What the notebooks write and read back (framing.outputs): a figure with the table behind it,
and a table one page saves (save_table) that another reads as written (read_saved_table)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402

OUTLETS = ["Deseret News", "Semafor", "South China Morning Post", "Student news site"]


@pytest.fixture(scope="module")
def stability(sents, articles) -> pd.DataFrame:
    """Notebook 01's term-stability table of the case study, with terms pandas would read as
    missing by default ("null", "nan")."""
    st = framing.term_stability(framing.join_articles(sents, articles), top=3, n_boot=10, seed=1)
    st.loc[0, "term"] = "null"
    st.loc[1, "term"] = "nan"
    return st


def test_save_figure_writes_png_and_csv(tmp_path):
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    table = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    png = framing.save_figure(fig, table, "bars", out_dir=tmp_path / "f")
    first = png.read_bytes()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert pd.read_csv(tmp_path / "f" / "bars.csv").equals(table)
    framing.save_figure(fig, table, "bars", out_dir=tmp_path / "f")
    assert png.read_bytes() == first  # deterministic bytes
    plt.close(fig)


def test_saved_table_reads_back_as_written(stability, tmp_path):
    # notebook 01 saves it, notebook 04 (its own folder beside 01's) reads it
    path = framing.save_table(stability, "term-stability", out_dir=tmp_path / "01-terms")
    assert path == tmp_path / "01-terms" / "term-stability.csv"
    back = framing.read_saved_table(
        tmp_path / "04-methods", "01-terms", "term-stability", by="outlet", groups=OUTLETS
    )
    pd.testing.assert_frame_equal(back, stability, check_dtype=False)
    assert back.loc[0, "term"] == "null" and back.loc[1, "term"] == "nan"
    assert back["z"].dtype == "float64" and back["rank"].tolist() == stability["rank"].tolist()
    # saved again, the very same bytes: every value was read as it was written
    again = framing.save_table(back, "term-stability", out_dir=tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()


def test_ids_and_terms_that_look_like_numbers_or_missing_stay_text(articles, tmp_path):
    table = articles[["doc_id", "outlet", "n_words"]].assign(
        doc_id=["007", "012", "100", "3"], term=["nan", "NA", "null", "1e3"], share=0.25
    )
    path = framing.save_table(table, "ids", out_dir=tmp_path / "00-corpus")
    back = framing.read_saved_table(tmp_path / "04-methods", "00-corpus", "ids")
    # "007" is not the number 7 and "1e3" is not 1000: the columns stay text
    assert back["doc_id"].tolist() == ["007", "012", "100", "3"]
    assert back["term"].tolist() == ["nan", "NA", "null", "1e3"]
    assert back["n_words"].tolist() == articles["n_words"].tolist()
    assert back["share"].tolist() == [0.25] * 4 and back["n_words"].dtype.kind == "i"
    again = framing.save_table(back, "ids", out_dir=tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()
    # an empty cell is missing
    framing.save_table(table.assign(term=["x", None, "y", "z"]), "gaps", out_dir=path.parent)
    gaps = framing.read_saved_table(tmp_path / "04-methods", "00-corpus", "gaps")
    assert gaps["term"].isna().tolist() == [False, True, False, False]


def test_a_table_of_other_groups_or_a_missing_table_is_not_used(stability, tmp_path):
    framing.save_table(stability, "term-stability", out_dir=tmp_path / "01-terms")
    here = tmp_path / "04-methods"

    def read(**kw):
        return framing.read_saved_table(here, "01-terms", "term-stability", **kw)

    # a stale table for other groups (another corpus or selection) is not used
    assert read(by="outlet", groups=OUTLETS[:2]) is None
    assert read(by="outlet", groups=[*OUTLETS, "Another outlet"]) is None
    # nor one made with another grouping column
    assert read(by="bias_text", groups=OUTLETS) is None
    # the groups in another order are the same groups
    assert read(by="outlet", groups=OUTLETS[::-1]) is not None
    # a table that is not there
    assert framing.read_saved_table(here, "01-terms", "no-such-table") is None
    assert framing.read_saved_table(here, "02-sentiment", "term-stability", by="outlet") is None
