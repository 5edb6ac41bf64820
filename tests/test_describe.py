"""Notebook 00's tables: article table, counts at each step, audit summary, the cleaning plot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from framing.overview import (  # noqa: E402
    article_table,
    audit_summary,
    describe_corpus,
    plot_cleaning,
    step_counts,
)


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


def _folder_corpus(root, sizes):
    """A folder corpus: one sub-folder per outlet, ``n`` short .txt articles in each."""
    for outlet, n in sizes.items():
        d = root / outlet
        d.mkdir(parents=True)
        for i in range(n):
            (d / f"a{i}.txt").write_text(
                f"The {outlet} council met on Tuesday about the bridge number {i}. Residents asked "
                "questions and the mayor answered them.\n",
                encoding="utf-8",
            )
    return framing.load_corpus(root)


def test_describe_corpus_on_the_case_study(articles):
    text = describe_corpus(articles)
    assert text.startswith("**This corpus.** 4 articles")
    assert (
        "Deseret News (1), Semafor (1), South China Morning Post (1), Student news site (1)."
        in text
    )
    assert "4 articles in 4 values of *outlet*, 1 article each:" in text
    assert "The articles are dated between 2023-03-20 and 2023-03-23." in text
    assert f"They hold {int(articles['n_words'].sum()):,} words after cleaning." in text
    assert "Every value of *outlet* is a single article" in text
    assert "3 of 4 dates are inferred from the text" in text


def test_describe_corpus_states_only_true_caveats(tmp_path):
    a = _folder_corpus(tmp_path, {"Gazette": 8, "Courier": 6, "Crier": 3})
    text = describe_corpus(a)
    assert "17 articles in 3 values of *outlet*, from 3 to 8 articles each (median 6): " in text
    assert "Gazette (8), Courier (6), Crier (3)." in text
    assert "single article" not in text and "inferred" not in text
    assert "The smallest group has 3 articles" in text
    assert "17 articles have no date." in text  # a .txt folder has no dates


def test_describe_corpus_names_some_groups_and_escapes_them(tmp_path):
    sizes = {f"o{i:02d}": 1 for i in range(14)}
    sizes["<img src=x onerror=alert(1)>"] = 2
    text = describe_corpus(_folder_corpus(tmp_path, sizes))
    assert "&lt;img src\\=x onerror\\=alert\\(1\\)&gt; (2), o00 (1)" in text
    assert "<img" not in text
    assert "and 3 more." in text  # 15 groups, 12 named
    assert "14 of 15 values of *outlet* rest on a single article" in text


def test_describe_corpus_rejects_unknown_column(articles):
    with pytest.raises(ValueError, match="by='bias'"):
        describe_corpus(articles, by="bias")
