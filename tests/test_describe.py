"""framing.describe: notebook 00's tables (article table, counts at each step, audit summary)
and the cleaning plot drawn from them, the corpus and each group's terms described in prose
from the data, and the one Markdown escaper all that prose goes through (issue #13.1)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from nbconvert.filters.markdown_mistune import markdown2html_mistune  # noqa: E402

import framing  # noqa: E402
from framing import (  # noqa: E402
    article_table,
    audit_summary,
    describe_corpus,
    describe_terms,
    escape_markdown,
    log_odds,
    plot_cleaning,
    step_counts,
    term_counts,
    term_stability,
    tfidf_similarity,
    token_summary,
)
from tests.conftest import CORPUS  # noqa: E402

OUTLETS = ["Deseret News", "Semafor", "South China Morning Post", "Student news site"]
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


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
    articles = framing.load_corpus(CORPUS)
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
    # the articles of an outlet differ only in a digit, which the learned furniture rule ignores:
    # it would remove them all as page furniture (as it should); this test is about the prose
    return framing.load_corpus(root, boilerplate=False)


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


# ---------------------------------------------------------------- terms, one paragraph per group


def test_describe_terms_is_written_from_the_tables(sents, articles):
    outlet_sents = framing.join_articles(sents, articles)
    tc = term_counts(outlet_sents)
    lo = log_odds(tc)
    st = term_stability(tc, top=5, n_boot=40)
    text = describe_terms(lo, st, tfidf_similarity(tc), token_summary(outlet_sents), top=3)
    paras = text.split("\n\n")
    assert [p.split("**")[1] for p in paras] == OUTLETS
    student = paras[3]
    assert "(39 sentences, 485 word tokens after stop words)" in student
    assert "*mr* (8 here vs 0 elsewhere, z = 2.16)" in student
    assert "2 of its terms reach z ≥ 1.96 (*mr*, *meeting*)" in student
    assert "No term reaches z ≥ 1.96." in paras[0]
    mr = st[(st["outlet"] == "Student news site") & (st["term"] == "mr")].iloc[0]
    assert f"*mr* ({mr.top_share:.0%})" in student


def test_describe_terms_escapes_group_names(sents, articles):
    # issue #13.1: an outlet named like an HTML tag came out of 01-terms.html as a live tag
    hostile = {"Semafor": "<script>alert(1)</script>", "Deseret News": "<img src=x onerror=a()>"}
    s = framing.join_articles(sents, articles.assign(outlet=articles["outlet"].replace(hostile)))
    tc = term_counts(s)
    st = term_stability(tc, top=3, n_boot=5)
    text = describe_terms(log_odds(tc), st, tfidf_similarity(tc), token_summary(s), top=3)
    assert "<script" not in text and "<img" not in text
    assert "**&lt;script&gt;alert\\(1\\)&lt;/script&gt;** (" in text
    assert "closest to &lt;img src\\=x onerror\\=a\\(\\)&gt; (cosine" in text or (
        "furthest from &lt;img src\\=x onerror\\=a\\(\\)&gt; (" in text
    )


# ---------------------------------------------------------------- escaping data strings


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


# ---- what a corpus can support for notebook 06 (issue #17) ----------------------------------


def test_event_design_of_the_case_study_says_why_nothing_can_be_compared(articles):
    d = framing.event_design(articles)  # no topic column: one event
    assert (d.event, d.n_events, d.n_groups, d.most, d.n_periods) == (None, 1, 4, 1, 1)
    assert d.min_p == 0.25
    assert not (d.can_contrast or d.can_resample_articles or d.can_trace_time or d.can_permute)
    assert "the whole corpus is one event" in d.note
    assert "smallest p a permutation of the articles can give is 0.25" in d.note
    assert d.why_not("time") == "the dated articles fall in one month: no time series."
    with pytest.raises(ValueError, match=r"^what='terms' is not allowed"):
        d.why_not("terms")


def test_event_design_of_a_corpus_with_events():
    from tests.measures.test_events import _synthetic

    arts = _synthetic().drop_duplicates("doc_id")
    d = framing.event_design(arts, event="event")
    assert (d.event, d.n_events, d.n_compared, d.n_single) == ("event", 7, 6, 1)
    assert (d.fewest, d.most, d.n_periods) == (30, 33, 7)
    assert d.can_contrast and d.can_resample_articles and d.can_trace_time and d.can_permute
    assert all(d.why_not(w) == "" for w in ("contrast", "time", "permute"))
    assert "1 covered by one group only" in d.note and "30–33 articles per group" in d.note
    assert framing.event_design(arts, event="story").event is None  # a column it lacks


# ---- what an interval resampled (issue #17.2) ------------------------------------------------


def test_describe_intervals_on_the_case_study_says_sentences_and_how_many(sents, articles):
    # one article per outlet: the sentence bootstrap stays; its counts are the body sentences
    # of each article (12, 22, 31, 39: test_article_table)
    body = framing.join_articles(sents, articles)
    scores = framing.frame_scores(body[body["kind"] == "body"], n_boot=20)
    assert framing.describe_intervals(scores) == (
        "**Intervals:** for 4 groups the interval resamples sentences (12–39 per interval), "
        "which are not independent within an article, so it is too narrow."
    )


def test_describe_intervals_with_several_articles_per_group():
    from tests.measures.test_events import COVER, _synthetic

    tone = framing.outlet_sentiment(_synthetic(), n_boot=50)
    assert tone["n_units"].tolist() == [sum(COVER["A"]), sum(COVER["B"])] == [33, 30]
    assert framing.describe_intervals(tone) == (
        "**Intervals:** for 2 groups the interval resamples articles, then their sentences "
        "(30–33 articles per interval)."
    )
    assert framing.describe_intervals(tone.drop(columns="resampled")) == ""
    with pytest.raises(ValueError, match=r"^by='source' is not a column"):
        framing.describe_intervals(tone, by="source")
