"""Page furniture learned from the corpus (framing.text.boilerplate) and the generic rules for
furniture that changes page to page, on real AllSides snippets (tests/fixtures/boilerplate)."""

from __future__ import annotations

import gzip
import json
import pickle

import pandas as pd
import pytest

import framing
from framing import CorpusError
from framing.io import load
from framing.text.boilerplate import (
    RULE_ID,
    BoilerplateSettings,
    boilerplate_summary,
    check_boilerplate,
    decode_found,
    encode_found,
    find_boilerplate,
    learn_boilerplate,
    unit_keys,
)
from framing.text.cleaning import clean_text, generic_rules
from tests.conftest import ALLSIDES, CORPUS, ROOT, requires_allsides

FIX = ROOT / "tests" / "fixtures" / "boilerplate"
ARTICLES = FIX / "articles.jsonl"

WT_COPYRIGHT = "Copyright © 2019 The Washington Times, LLC. Click here for reprint permission."
WT_SIGNUP = "Sign up for Daily Newsletters Manage Newsletters"
LISTEN = "SHARE THIS ARTICLE Share Tweet Post Email"
AP_VIRUS = (
    "For most people, the new coronavirus causes only mild or moderate symptoms, such as fever "
    "and cough."
)
FLIP_SIDE = "Biden was almost the only one on the stage who talked like a normal person."


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return framing.load_corpus(ARTICLES, cache=False)


@pytest.fixture(scope="module")
def audit(articles) -> pd.DataFrame:
    return framing.cleaning_audit(articles)


def _learn(articles, **settings):
    return learn_boilerplate(
        articles["text_raw"],
        articles["outlet"],
        articles["published"],
        settings=BoilerplateSettings(**settings),
    )


def _texts(articles, outlet):
    return articles.loc[articles["outlet"] == outlet, "text"].tolist()


# ------------------------------------------------------------------ learning


def test_each_outlets_furniture_is_learned(articles):
    units = _learn(articles).units
    got = {(o, t, n) for o, t, n in zip(units.outlet, units.text, units.n_articles, strict=True)}
    assert got == {
        ("Washington Times", WT_SIGNUP, 6),
        ("Washington Times", WT_COPYRIGHT, 6),
        # the line's two sentences are units too: a page holding one of them alone loses it
        ("Washington Times", "Copyright © 2019 The Washington Times, LLC.", 6),
        ("Washington Times", "Click here for reprint permission.", 6),
        # one unit whatever the running time: "LISTEN TO ARTICLE 4:19", "… 6:34"
        ("Bloomberg", f"LISTEN TO ARTICLE 5:06 {LISTEN}", 5),
        ("Bloomberg", f"Read more opinion LISTEN TO ARTICLE 4:55 {LISTEN}", 5),
        ("Politico", "Story Continued Below", 6),
    }
    bloomberg = units[units.outlet == "Bloomberg"]
    assert bloomberg.outlet_articles.tolist() == [10, 10]
    assert bloomberg.share.tolist() == [0.5, 0.5]


def test_removed_lines_and_sentences_are_in_the_audit_with_their_article_counts(articles, audit):
    learned = audit[audit.rule == RULE_ID]
    assert sorted(set(learned.n_articles)) == [5, 6]
    assert learned.groupby(learned.text.str.startswith("Story Continued")).size().to_dict() == {
        False: 10,  # Bloomberg: five lines, five sentences
        True: 6,
    }
    # the Washington Times lines are the generic rules' (tried first), with their own names
    wt = set(articles.doc_id[articles.outlet == "Washington Times"])
    assert audit[audit.doc_id.isin(wt)].rule.value_counts().to_dict() == {
        "newsletter-signup": 6,
        "copyright": 6,
    }
    for outlet in ("Washington Times", "Bloomberg", "Politico"):
        for text in _texts(articles, outlet):
            assert "Story Continued Below" not in text
            assert LISTEN not in text and WT_COPYRIGHT not in text and WT_SIGNUP not in text


def test_a_sentence_is_cut_out_of_its_line_and_the_rest_stays(articles, audit):
    cowen = articles.set_index("doc_id").loc["qpt9p43hRsyJ6uzR"]
    assert cowen.text.split("\n\n")[0] == (
        "Tyler Cowen is a Bloomberg Opinion columnist. He is a professor of economics at George "
        "Mason University and writes for the blog Marginal Revolution. His books include “The "
        "Complacent Class: The Self-Defeating Quest for the American Dream.”"
    )
    row = audit[(audit.doc_id == "qpt9p43hRsyJ6uzR") & (audit.rule == RULE_ID)]
    assert row[["line_no", "text", "n_articles"]].values.tolist() == [
        [1, f"Read more opinion LISTEN TO ARTICLE 4:55 {LISTEN}", 5]
    ]
    # removed words plus kept words are the words collected
    raw = framing.count_words(cowen.text_raw)
    gone = framing.count_words(" ".join(audit[audit.doc_id == "qpt9p43hRsyJ6uzR"].text))
    assert gone + cowen.n_words == raw


def test_units_compare_near_verbatim():
    keys = unit_keys(
        [
            "LISTEN TO ARTICLE 4:48 SHARE THIS ARTICLE Share Tweet Post Email",
            "Listen to article 2:40  share this article — share tweet post email",
            "Updated at 2:48 p.m. ET",
            "Updated at 11:02 a.m. ET",
            "UPDATED AT 9 PM ET",
            "Updated at 2:48 p.m. ET, after the vote",
        ]
    ).tolist()
    assert keys[0] == keys[1] != 0
    assert keys[2] == keys[3] == keys[4] != keys[5]


def test_a_wire_paragraph_shared_in_a_burst_is_kept(articles):
    # AP's virus paragraph of March 2020: five AP stories in six days, and Newsmax and USA TODAY
    # carry it too (shared_passages finds it). Concentrated in AP, but a burst around one
    # event, not furniture printed month after month
    plain = framing.load_corpus(ARTICLES, cache=False, boilerplate=False)
    shared = framing.shared_passages(plain)
    pairs = shared[shared.text.str.startswith(AP_VIRUS.rstrip("."))]
    assert {frozenset(p) for p in zip(pairs.outlet_a, pairs.outlet_b, strict=True)} == {
        frozenset({"Associated Press", "Newsmax - News"}),
        frozenset({"Associated Press", "USA TODAY"}),
        frozenset({"Newsmax - News", "USA TODAY"}),
    }
    assert sum(AP_VIRUS in t for t in _texts(articles, "Associated Press")) == 5
    assert not any("coronavirus" in t for t in _learn(articles).units.text)
    # the time spread is what keeps it: without it, the paragraph is AP's furniture …
    units = _learn(articles, min_days=0).units
    virus = units[units.outlet == "Associated Press"]
    assert virus[["text", "n_articles", "span_days"]].values.tolist() == [
        [AP_VIRUS, 5, 6],
        [
            "For some, especially older adults and people with existing health problems, it can "
            "cause more severe illness, including pneumonia.",
            5,
            6,
        ],
    ]
    # … learned because AP has it 14.6 times as often as the other outlets (5 of 7 articles;
    # 2 of the 41 others)
    assert virus.lift.round(6).tolist() == [round((5 / 7) / (2 / 41), 6)] * 2
    assert not _learn(articles, min_days=0, min_lift=15).units.outlet.eq("Associated Press").any()
    # … and taken from AP only, never from the outlets that share it
    loose = framing.load_corpus(ARTICLES, cache=False, boilerplate={"min_days": 0})
    # (the sixth AP story has it as "Editor’s note: For most people, …": another sentence)
    assert sum(AP_VIRUS in t for t in _texts(loose, "Associated Press")) == 1
    assert all(AP_VIRUS in t for t in _texts(loose, "Newsmax - News") + _texts(loose, "USA TODAY"))


def test_a_quotation_is_never_furniture_however_often_repeated(articles):
    # The Flip Side repeats one columnist's words on five (undated) pages: quoted, so kept,
    # including its inner sentences, which hold no quotation mark themselves
    texts = _texts(articles, "The Flip Side")
    assert len(texts) == 5 and all(FLIP_SIDE in t for t in texts)
    assert all("Ol’ Joe is just out of touch!" in t for t in texts)
    assert not _learn(articles).units.outlet.eq("The Flip Side").any()


@pytest.mark.parametrize(
    ("settings", "outlets"),
    [
        ({}, {"Washington Times", "Bloomberg", "Politico"}),
        ({"min_articles": 6}, {"Washington Times", "Politico"}),
        ({"min_articles": 7}, set()),
        ({"min_share": 0.6}, {"Washington Times", "Politico"}),
        ({"min_days": 500}, {"Washington Times", "Politico"}),  # Bloomberg's span 247, 483 days
        ({"min_days": 0}, {"Washington Times", "Bloomberg", "Politico", "Associated Press"}),
    ],
)
def test_thresholds(articles, settings, outlets):
    assert set(_learn(articles, **settings).units.outlet) == outlets


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"min_articles": 1}, "boilerplate.min_articles=1 is not allowed; use an integer >= 2"),
        ({"min_articles": 5.0}, "boilerplate.min_articles=5.0 is not allowed"),
        ({"min_share": 1.5}, "min_share=1.5 is not allowed; use a number from 0 to 1"),
        ({"min_lift": 0.5}, "min_lift=0.5 is not allowed; use a number >= 1"),
        ({"min_days": -1}, "min_days=-1 is not allowed; use an integer >= 0"),
        (
            {"min_day": 30},
            "boilerplate={'min_day': 30} is not allowed; use a mapping of some of "
            "['min_articles', 'min_share', 'min_lift', 'min_days']",
        ),
        ("yes", "boilerplate='yes' is not allowed; use True, False, or a mapping"),
    ],
)
def test_bad_settings_raise(value, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        check_boilerplate(value)
    with pytest.raises(ValueError, match="not allowed"):
        framing.load_corpus(ARTICLES, cache=False, boilerplate=value)


def test_settings_values():
    assert check_boilerplate(True) == BoilerplateSettings(5, 0.005, 10.0, 60)
    assert check_boilerplate(False) is None and check_boilerplate(None) is None
    assert check_boilerplate({"min_days": 30}).min_days == 30


# ------------------------------------------------------------------ applying


def test_one_articles_lines_give_what_learning_found(articles):
    learned = _learn(articles)
    for i, (raw, outlet) in enumerate(zip(articles.text_raw, articles.outlet, strict=True)):
        found = find_boilerplate(raw, learned.learned(outlet))
        assert found == learned.found[i]
        for line, start, end, _, whole in found:
            piece = raw[start:end]
            assert piece == raw.split("\n")[line].strip() if whole else piece in raw
    assert sum(map(bool, learned.found)) == 6 + 10 + 6
    assert decode_found(encode_found(learned.found[6])) == learned.found[6]


def test_the_article_table_carries_what_the_audit_needs_through_slicing_and_pickling(
    articles, audit
):
    cols = ["doc_id", "title", "text_raw", "rules", "boilerplate", "text"]
    chunk = pickle.loads(pickle.dumps(articles.iloc[8:20][cols]))  # as a worker receives it
    part = framing.cleaning_audit(chunk)
    assert part.equals(audit[audit.doc_id.isin(chunk.doc_id)].reset_index(drop=True))
    assert (part.rule == RULE_ID).sum() == 12  # 8 Bloomberg and 4 Politico articles
    # a Bloomberg column: a sentence of its first line, in 5 of the outlet's articles
    assert articles.boilerplate.iloc[12] == "0:141:223:5:F"
    assert (
        articles.text_raw.iloc[12][141:223] == f"Read more opinion LISTEN TO ARTICLE 4:20 {LISTEN}"
    )


def test_turned_off_nothing_is_learned(articles):
    plain = framing.load_corpus(ARTICLES, cache=False, boilerplate=False)
    assert (plain.boilerplate == "").all()
    assert not (framing.cleaning_audit(plain).rule == RULE_ID).any()
    # 5 x "LISTEN TO ARTICLE 4:19 …" (12 words as count_words counts "4:19"), 5 x "Read more
    # opinion LISTEN …" (15), 6 x "Story Continued Below" (3)
    assert plain.n_words.sum() - articles.n_words.sum() == 5 * 12 + 5 * 15 + 6 * 3


def test_the_load_cache_keys_on_the_settings(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "CACHE_MIN_BYTES", 0)  # cache even this small table
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    first = framing.load_corpus(ARTICLES)
    strict = framing.load_corpus(ARTICLES, boilerplate={"min_articles": 7})
    again = framing.load_corpus(ARTICLES)
    assert first.boilerplate.ne("").sum() == 22 and strict.boilerplate.eq("").all()
    assert again.equals(first)
    assert len(list((tmp_path / "cache" / "corpus").rglob("*.parquet"))) == 4  # 2 loads x 2


def test_a_spec_sets_it_and_the_option_overrides(tmp_path):
    spec = tmp_path / "corpus.toml"
    spec.write_text(f'path = "{ARTICLES}"\nboilerplate = false\n', encoding="utf-8")
    assert framing.load_corpus(spec, cache=False).boilerplate.eq("").all()
    assert framing.load_corpus(spec, cache=False, boilerplate=True).boilerplate.ne("").sum() == 22
    spec.write_text(f'path = "{ARTICLES}"\n[boilerplate]\nmin_articles = 6\n', encoding="utf-8")
    assert framing.load_corpus(spec, cache=False).boilerplate.ne("").sum() == 12
    spec.write_text(f'path = "{ARTICLES}"\n[boilerplate]\nmin_artcles = 6\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"boilerplate=\{'min_artcles': 6\} is not allowed"):
        framing.load_corpus(spec, cache=False)


def test_a_manifest_corpus_learns_too(tmp_path, articles):
    (tmp_path / "a").mkdir()
    rows = ["doc_id,path,outlet,title,published"]
    for r in articles[articles.published.notna()].itertuples():
        (tmp_path / "a" / f"{r.doc_id}.txt").write_text(r.text_raw, encoding="utf-8")
        title = r.title.replace('"', '""')
        rows.append(f'{r.doc_id},a/{r.doc_id}.txt,{r.outlet},"{title}",{r.published:%Y-%m-%d}')
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    manifest = framing.load_corpus(tmp_path)
    same = articles.set_index("doc_id").loc[manifest.doc_id]
    assert manifest.text.tolist() == same.text.tolist()
    assert manifest.boilerplate.tolist() == same.boilerplate.tolist()
    assert (framing.cleaning_audit(manifest).rule == RULE_ID).sum() == 16


def test_the_case_study_is_cleaned_as_before():
    # one article per outlet: nothing to learn; the rules' removals are those of the report's
    # cleaning-by-rule.csv
    cs = framing.load_corpus(CORPUS)
    audit = framing.cleaning_audit(cs)
    assert cs.boilerplate.eq("").all() and audit.n_articles.isna().all()
    assert list(audit.columns) == ["doc_id", "line_no", "text", "rule", "why", "n_articles"]
    assert audit.rule.value_counts().to_dict() == {
        "page-furniture": 9,
        "portal-widget-error": 6,
        "photo-caption": 5,
        "bibliography": 4,
        "headline": 4,
        "video-title-and-running-time": 3,
        "newsletter-signup": 2,
        "photo-credit": 2,
        "additional-reporting": 1,
        "dateline": 1,
        "syndication-line": 1,
    }


def test_the_per_outlet_summary(articles, audit):
    got = boilerplate_summary(audit, articles)
    assert got.columns.tolist() == ["outlet", "text", "n_articles", "articles", "lines", "words"]
    assert got[["outlet", "n_articles", "articles", "lines", "words"]].values.tolist() == [
        ["Bloomberg", 5, 5, 5, 12 * 5],  # LISTEN TO ARTICLE 5:06 SHARE … Email
        ["Bloomberg", 5, 5, 5, 15 * 5],  # Read more opinion LISTEN TO ARTICLE 4:55 …
        ["Politico", 6, 6, 6, 3 * 6],
    ]
    assert got.text.tolist() == [
        f"LISTEN TO ARTICLE 5:06 {LISTEN}",
        f"Read more opinion LISTEN TO ARTICLE 4:55 {LISTEN}",
        "Story Continued Below",
    ]


# ------------------------------------------------------------------ generic rules


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Photos: Crisis in Ukraine A Ukrainian volunteer fighter fires a machine gun at "
         "pro-Russian rebels. Hide Caption 48 of 49 Photos: Crisis in Ukraine", "photo-gallery"),
        ("Hide caption Voters cast ballots in Milwaukee. Critics of the governor gathered more "
         "than 900,000 signatures in support of the recall. Previous Next Jeffrey Phelps/AP",
         "photo-gallery"),
        ("JUST WATCHED Militarizing the police force Replay More Videos ... MUST WATCH "
         "Militarizing the police force 03:02", "video-embed"),
        ("CLOSE A new Reuters/Ipsos poll shows that nearly 60 percent of likely voters across "
         "the nation want the Affordable Care Act to remain in place.", "video-embed"),
        ("Law A Recap Of The Supreme Court Term A Recap Of The Supreme Court Term Listen · 5:08 "
         "5:08", "video-embed"),
        ("Enlarge this image toggle caption Alex Wong/Getty Images Alex Wong/Getty Images",
         "photo-credit"),
        ("Chinese President Xi Jinping and President Donald Trump in Beijing, on May 9, 2019. "
         "(Photo: Andy Wong/AP)", "photo-credit"),
        ("Rudy Giuliani. | Alex Wong/Getty Images White House Trump's team is trying to stop "
         "impeachment before it starts", "photo-credit"),
        ("Story highlights Obama cancels military exercises with Egypt, says U.S. might take "
         "further steps", "story-highlights"),
        ("(Photo: Kyle Phillips, AP) Story Highlights President Obama declares a major disaster "
         "in Oklahoma", "story-highlights"),
        (WT_COPYRIGHT, "copyright"),
        ("© 2019 Thomson/Reuters. All rights reserved.", "copyright"),
        ("Fox News' Chad Pergram, Fox Business' Rich Edson and the Associated Press contributed "
         "to this report.", "additional-reporting"),
        ("Contributing: The Associated Press", "additional-reporting"),
        ("CLICK HERE TO GET THE FOX NEWS APP", "page-furniture"),
        ("Update at 3:53 p.m. ET.", "update-time"),
        ("(This post was last updated at 6:50 p.m. ET.)", "update-time"),
    ],
)  # fmt: skip
def test_generic_rules_for_furniture_that_changes_page_to_page(line, rule):
    out = clean_text(f"A body sentence stays here.\n\n{line}\n", generic_rules())
    assert [(r[0], r[1], r[2]) for r in out.removed] == [(3, line, rule)]
    assert out.text == "A body sentence stays here."


def test_an_update_time_goes_and_its_paragraph_stays():
    line = "Update at 12:30 p.m. ET: GOP Plan Is Non-starter In The Senate, Reid Says:"
    out = clean_text(f"A body sentence stays here.\n\n{line}\n", generic_rules())
    assert [r[1:3] for r in out.removed] == [("Update at 12:30 p.m. ET:", "update-time")]
    assert out.text.endswith("\n\nGOP Plan Is Non-starter In The Senate, Reid Says:")


@pytest.mark.parametrize(
    "line",
    [
        "The meeting is at 3:30 p.m. ET.",
        "Copyright law is older than the republic, the judge wrote.",
        "The story highlights the risks of a trade war.",
        "Associated Press writer John Seewer contributed to this report. Colvin reported from "
        "Washington.",
        "Click the link below to read the full report, which was published Tuesday.",
        "Close friends said she would run.",
    ],
)
def test_body_lines_like_furniture_stay(line):
    out = clean_text(f"A body sentence stays here.\n\n{line}\n", generic_rules())
    assert out.removed == [] and out.text.endswith(line)


# ------------------------------------------------------------------ the whole corpus


@requires_allsides()
def test_allsides_furniture_is_learned_and_shared_text_is_not():
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    df = pd.DataFrame(rows)
    learned = learn_boilerplate(df.text, df.source, pd.to_datetime(df.date, errors="coerce"))
    units = learned.units
    by = {(o, k): n for o, k, n in zip(units.outlet, units.key, units.n_articles, strict=True)}
    expected = [
        ("Washington Times", WT_COPYRIGHT, 2722),
        ("Politico", "Story Continued Below", 2265),
        ("New York Times - News", "Advertisement Continue reading the main story", 240),
        ("Bloomberg", f"LISTEN TO ARTICLE 4:48 {LISTEN}", 94),
        ("Bloomberg", f"Read more opinion LISTEN TO ARTICLE 4:55 {LISTEN}", 9),
    ]
    keys = unit_keys([t for _, t, _ in expected])
    assert [by.get((o, k)) for (o, _, _), k in zip(expected, keys, strict=True)] == [
        n for *_, n in expected
    ]
    # never a quotation mark, never AP's wire paragraph, learned by no outlet but its own
    assert not units.text.str.contains('[“”"«»]').any()
    assert not units.text.str.contains("new coronavirus causes only mild").any()
    # a unit learned in four outlets or more is syndicated furniture, on sister sites
    spread = units.groupby("key").agg(outlets=("outlet", "nunique"), text=("text", "first"))
    assert sorted(spread[spread.outlets >= 4].text) == [
        "ADVERTISEMENT",  # 11 columnists' and blogs' pages
        "The opinions expressed by columnists are their own and do not represent the views of "
        "Townhall.com.",
        "© 2019 Tribune Content Agency LLC",
    ]
    assert (units.lift >= 10).all() and (units.n_articles >= 5).all()
