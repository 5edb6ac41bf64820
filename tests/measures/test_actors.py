"""The actor table and actor mentions (framing.measures.actors)."""

from __future__ import annotations

import pandas as pd
import pytest

from framing import actor_mentions, load_actors


def test_spellings_that_occur_resolve():
    actors = load_actors().set_index("alias")
    for alias, actor in [
        ("Anthony Blinken", "Antony Blinken"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Zelinsky", "Volodymyr Zelensky"),
        ("Mr Xi", "Xi Jinping"),
        ("Amanda Hisao", "Amanda Hsiao"),
        ("ICC", "International Criminal Court"),
    ]:
        assert actors.loc[alias, "actor"] == actor


def test_mentions_offsets_and_counts(articles, sents):
    m = actor_mentions(sents[sents.kind == "body"])
    # keyed: where each mention is, and whom it names; no article column
    assert list(m.columns) == ["doc_id", "sent_id", "start", "end", "alias", "actor", "type"]
    text = dict(zip(articles.doc_id, articles.text, strict=True))
    assert all(text[r.doc_id][r.start : r.end] == r.alias for r in m.itertuples())
    counts = m.groupby(["doc_id", "actor"]).size()
    # counted by hand in the cleaned Semafor text: Zelenskyy twice, "Anthony Blinken" + "Blinken"
    assert counts["semafor", "Volodymyr Zelensky"] == 2
    assert counts["semafor", "Antony Blinken"] == 2
    assert counts["deseret", "Wang Wenbin"] == 2
    # longest alias wins: "Mr Xi" is one mention, not "Mr Xi" and "Xi". By hand in the raw
    # student page: 12 "Xi" strings, less the headline, two captions and one bibliography entry
    student = m[(m.doc_id == "student") & (m.actor == "Xi Jinping")]
    assert student.alias.value_counts().to_dict() == {"Mr Xi": 5, "Xi Jinping": 2, "Xi": 1}


def test_article_table_gives_sent_id_minus_one(articles):
    m = actor_mentions(articles)
    assert (m.sent_id == -1).all() and len(m) > 0


@pytest.mark.parametrize(
    "csv, problem",
    [
        ("actor,type\nA,x\n", "lacks columns ['aliases']"),
        ("actor,type,aliases\nA,x,a\nA,y,b\n", "listed twice"),
        ("actor,type,aliases\nA,x,a|b\nB,y,b\n", "an alias names two actors"),
    ],
)
def test_bad_actor_tables(tmp_path, csv, problem):
    p = tmp_path / "actors.csv"
    p.write_text(csv)
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_actors(p)


def test_user_table(tmp_path):
    p = tmp_path / "actors.csv"
    p.write_text("actor,type,aliases\nKremlin,Russian official,Kremlin\n")
    data = pd.DataFrame({"doc_id": ["d"], "outlet": ["o"], "text": ["The Kremlin said no."]})
    m = actor_mentions(data, load_actors(p))
    assert m[["actor", "start", "end"]].values.tolist() == [["Kremlin", 4, 11]]


# ------------------------------------------------------------ a table built from the corpus (#15)


@pytest.fixture(scope="module")
def allsides_72():
    """72 real AllSides articles shipped with the package (the development and held-out
    quotation samples), cleaned as the whole corpus cleans them."""
    from framing.evaluate import load_heldout_articles

    return pd.concat(
        [load_heldout_articles("dev"), load_heldout_articles("heldout")], ignore_index=True
    )


@pytest.fixture(scope="module")
def built(allsides_72):
    from framing import build_actors

    return build_actors(allsides_72).set_index("actor")


def test_built_table_has_the_shipped_format_and_reads_back(built, allsides_72, tmp_path):
    from framing import write_actors

    table = built.reset_index()
    assert list(table.columns) == [
        "actor", "type", "kind", "aliases", "note", "n_articles", "n_mentions"
    ]  # fmt: skip
    assert table["n_mentions"].is_monotonic_decreasing
    assert set(table["kind"]) <= {"person", "organisation", "country", "place"}
    path = write_actors(table, tmp_path / "actors.csv")
    long = load_actors(path)  # the counts are columns load_actors ignores
    assert list(long.columns) == ["actor", "type", "kind", "alias", "note"]
    # the counts are what the table finds: matching its aliases as actor_mentions does
    m = actor_mentions(allsides_72, long)
    assert m.groupby("actor").size().to_dict() == table.set_index("actor")["n_mentions"].to_dict()
    assert (m.groupby("actor")["doc_id"].nunique() >= 2).all()  # min_articles (< 200 articles)


def test_built_people_merge_full_names_titles_and_surnames(built):
    obama = built.loc["Barack Obama"]
    assert (obama["kind"], obama["type"]) == ("person", "president")
    aliases = set(obama["aliases"].split("|"))
    assert {"Barack Obama", "President Obama", "Obama"} <= aliases
    assert not any(a.startswith(("Mrs", "Ms")) for a in aliases)  # Michelle Obama's titles
    # a middle initial is the same person
    assert {"Elijah E. Cummings", "Elijah Cummings", "Cummings"} <= set(
        built.loc["Elijah Cummings", "aliases"].split("|")
    )
    assert built.loc["Ted Cruz", "type"] == "senator"


def test_built_table_never_gives_a_shared_surname_to_one_person(built):
    # Hillary and Bill Clinton are both named: "Clinton" alone names neither
    for person in ("Hillary Clinton", "Bill Clinton"):
        assert "Clinton" not in built.loc[person, "aliases"].split("|")
        assert "surname alone names no one" in built.loc[person, "note"]
    # two initials, two people: George W. Bush is not George H.W. Bush, and "Bush" is neither's
    bushes = built[built.index.str.startswith("George") & built.index.str.endswith("Bush")]
    assert "George W. Bush" in bushes.index
    assert all("Bush" not in a.split("|") for a in bushes["aliases"])
    assert all("H.W." not in a for a in built.loc[["George W. Bush"], "aliases"])


def test_built_table_kinds_of_organisations_and_places(built):
    assert tuple(built.loc["Supreme Court", ["kind", "type"]]) == ("organisation", "court")
    assert tuple(built.loc["New York Times", ["kind", "type"]]) == (
        "organisation", "news organisation"
    )  # fmt: skip
    us = built.loc["United States"]
    assert us["kind"] == "country" and {"U.S.", "America"} <= set(us["aliases"].split("|"))
    assert built.loc["Texas", "kind"] == "place"


def test_built_table_negatives(built):
    # groups, party words and scraped link text are nobody
    assert not any(a.startswith("House Republican") for a in built.index)
    assert not any(a.count("Donald") > 1 or a.endswith("Donald John") for a in built.index)
    people = built[built["kind"] == "person"]
    assert not people.index.str.split().str[-1].isin(["Republicans", "Democrats"]).any()


def test_corpus_actors_ships_the_case_study_table_and_builds_others(articles, allsides_72):
    from framing import corpus_actors

    shipped = corpus_actors(articles, cache=False)
    assert shipped.attrs["source"] == "shipped" and "Xi Jinping" in set(shipped["actor"])
    other = corpus_actors(allsides_72.assign(text_raw=allsides_72["text"]), cache=False)
    assert other.attrs["source"] == "built" and "Barack Obama" in set(other["actor"])


@pytest.mark.parametrize("kw", [{"min_articles": 0}, {"surname_share": 0.5}, {"max_actors": True}])
def test_build_actors_rejects_bad_thresholds(allsides_72, kw):
    from framing import build_actors

    with pytest.raises(ValueError):
        build_actors(allsides_72, **kw)


def test_built_table_on_the_case_study_names_its_leaders_family_name_first(articles):
    # the case study has a table written by hand: every person the built table proposes is in
    # it; "Xi Jinping ... Mr Xi" is read family name first
    from framing import build_actors

    built = build_actors(articles[["doc_id", "text"]]).set_index("actor")
    shipped = set(load_actors()["actor"])
    people = built[built["kind"] == "person"]
    assert {"Xi Jinping", "Vladimir Putin", "Antony Blinken"} <= set(people.index)
    assert set(people.index) <= shipped
    assert {"Xi", "Mr Xi"} <= set(built.loc["Xi Jinping", "aliases"].split("|"))
    assert "Jinping" not in built.loc["Xi Jinping", "aliases"].split("|")


def test_built_table_names_no_one_by_a_cut_name_or_a_suffix():
    # review: "George H." (a name cut at a spaced initial) gave the alias "George", and
    # "Robert F. Kennedy Jr." the actor "Kennedy Jr" with the alias "Jr"
    from framing import build_actors

    texts = ["President George H. W. Bush spoke. George said hello. Mr. Bush left."] * 6
    texts += ["Sen. Robert F. Kennedy Jr. spoke. Kennedy said no."] * 6
    built = build_actors(pd.DataFrame({"doc_id": [str(i) for i in range(12)], "text": texts}))
    aliases = {a for row in built["aliases"] for a in row.split("|")}
    assert not {"George", "Jr", "George H."} & aliases
    assert not built["actor"].str.endswith("Jr").any()
    assert "Robert F. Kennedy" in set(built["actor"])


def test_a_surname_after_a_sentence_end_is_still_the_person():
    # review: "… to Iowa. Harris spoke" read "Iowa" as Harris's first name
    from framing import find_quotes

    table = load_actors(pd.DataFrame({
        "actor": ["Kamala Harris", "Joe Biden"], "type": ["senator", "president"],
        "kind": ["person", "person"], "aliases": ["Kamala Harris|Harris", "Joe Biden|Biden"],
    }))  # fmt: skip
    text = (
        "Joe Biden spoke first in Ohio. Later the campaign moved on to Iowa. Harris spoke "
        "there for an hour.\n\nShe said “we will win this state and the next one too,” to cheers."
    )
    found = find_quotes(pd.DataFrame({"doc_id": ["d"], "text": [text]}), actors=table)
    assert found["speaker"].tolist() == ["Kamala Harris"]
