"""Notebook 00's tables: article table, counts at each step, audit summary, the cleaning plot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import framing  # noqa: E402
from framing.overview import article_table, audit_summary, plot_cleaning, step_counts  # noqa: E402


def test_article_table(articles, sents):
    t = article_table(articles, sents)
    assert t.date_basis.tolist() == ["inferred", "inferred", "inferred", "read from the page"]
    assert t.sentences.tolist() == [12, 39, 22, 31]
    assert t.headings.tolist() == [3, 0, 0, 9]
    assert (t.words_raw > t.words).all()


def test_step_counts_add_up(articles, sents):
    audit = framing.cleaning_audit(articles)
    s = step_counts(articles, sents, audit).set_index("step")
    assert (
        s.loc["collected", "words"]
        == s.loc["removed by cleaning", "words"] + s.loc["kept (body and headings)", "words"]
    )
    assert (
        s.loc["collected", "lines"]
        == s.loc["removed by cleaning", "lines"] + s.loc["kept (body and headings)", "lines"]
    )
    assert s.loc["removed by cleaning", "lines"] == 38
    assert s.loc["sentence table (body only)", "sentences"] == 104


def test_audit_summary(articles):
    summ = audit_summary(framing.cleaning_audit(articles))
    row = summ[(summ.doc_id == "semafor") & (summ.rule == "page-furniture")].iloc[0]
    assert row.lines == 5 and row.example == "Title icon"
    assert summ.lines.sum() == 38


def test_plot_cleaning_bars(articles, sents):
    t = article_table(articles, sents)
    fig, ax = plt.subplots()
    plot_cleaning(t, ax=ax)
    widths = [p.get_width() for p in ax.patches]
    assert widths[:4] == t.words.tolist()
    assert widths[4:] == (t.words_raw - t.words).tolist()
    assert [tl.get_text() for tl in ax.get_yticklabels()] == t.outlet.tolist()
    plt.close(fig)
    fig, ax = plt.subplots()
    assert plot_cleaning(t.iloc[:0], ax=ax) is ax and not ax.patches
    plt.close(fig)


def test_is_case_study_is_decided_by_the_texts(tmp_path):
    articles = framing.load_corpus("corpus/xi-putin-moscow-2023")
    assert framing.is_case_study(articles)
    assert not framing.is_case_study(articles.iloc[:3])
    edited = articles.copy()
    edited.loc[0, "text_raw"] = edited.loc[0, "text_raw"] + " "
    assert not framing.is_case_study(edited)
    # same outlet names, other texts: not the case study
    for i, (outlet, doc) in enumerate(zip(articles.outlet, articles.doc_id, strict=True)):
        d = tmp_path / outlet
        d.mkdir()
        (d / f"{doc}.txt").write_text(f"Article {i} about something else entirely.\n")
    assert not framing.is_case_study(framing.load_corpus(tmp_path))
