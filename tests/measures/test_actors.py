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
