"""The explorer page (framing.explorer), on a small report folder built here from the tiny
corpus with hostile group names and markup in the texts: its numbers are the tables', its
lines are exactly the counted uses, and no data string reaches the page as markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.explorer import explorer_data, write_explorer
from framing.findings import write_index

HOSTILE = {
    "North Herald": "<script>alert(1)</script>",
    "South Ledger": "<img src=x onerror=alert(2)>",
}


def mini_report(folder: Path, tiny: pd.DataFrame) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    """A report folder holding the tables the explorer and the findings page read, made from
    the tiny corpus with hostile outlet names, a hostile title and markup in one text."""
    arts = tiny.copy()
    arts["outlet"] = arts["outlet"].map(HOSTILE)
    arts.loc[arts["doc_id"] == "s1", "title"] = "<b onmouseover=alert(3)>Farm</b>"
    arts.loc[arts["doc_id"] == "s1", "text"] = (
        "Farmers planted corn in the valley. The rain came late, <i>said</i> Putin."
    )
    sents = framing.join_articles(framing.sentences(arts), arts, "outlet")
    body = sents[sents["kind"] == "body"].reset_index(drop=True)
    tc = framing.term_counts(body, by="outlet")
    for page in ("01-terms", "02-sentiment", "03-voices-and-frames"):
        (folder / page).mkdir(parents=True, exist_ok=True)
    framing.save_table(framing.log_odds(tc), "log-odds-fightin-words", out_dir=folder / "01-terms")
    framing.save_table(framing.term_stability(tc, top=3, n_boot=20), "term-stability",
                       out_dir=folder / "01-terms")  # fmt: skip
    actors = framing.load_actors()
    out3 = folder / "03-voices-and-frames"
    framing.save_table(framing.mention_rates(sents, actors, by="outlet"), "actor-mention-rates",
                       out_dir=out3)  # fmt: skip
    kwic = framing.join_articles(framing.mention_kwic(sents, actors), arts, "outlet")
    framing.save_table(kwic, "actor-mentions-kwic", out_dir=out3)
    hits = framing.join_articles(framing.frame_hits(sents), arts, "outlet")
    scores = framing.frame_scores(sents, by="outlet", n_boot=20, hits=hits)
    framing.save_table(scores, "frame-rates", out_dir=out3)
    framing.save_table(framing.frame_support(hits, by="outlet"), "frame-support", out_dir=out3)
    hits = hits.merge(sents[["doc_id", "sent_id", "text"]], on=["doc_id", "sent_id"])
    framing.save_table(hits, "frame-hits", out_dir=out3)
    write_explorer(folder / "explorer.html", folder, body, arts, corpus="<i>tiny</i>")
    write_index(folder, "<i>tiny</i>", arts, {}, [], explorer=True)
    return folder, body, arts


@pytest.fixture(scope="module")
def report(tmp_path_factory, tiny):
    return mini_report(tmp_path_factory.mktemp("mini"), tiny)


def _blocks(page: str) -> dict:
    found = re.findall(r'<script type="application/json" id="(\w+)">(.*?)</script>', page, re.S)
    return {k: json.loads(v) for k, v in found}


def test_every_line_is_a_counted_use_at_its_offsets(report):
    folder, body, arts = report
    tables, lines = explorer_data(folder, body, arts)
    lo = pd.read_csv(folder / "01-terms" / "log-odds-fightin-words.csv")
    for r in lo.itertuples():
        assert tables["counts"]["terms"][r.term][r.outlet] == r.count_in
    text = dict(zip(arts["doc_id"], arts["text"], strict=True))
    for term, per in lines["lines"]["terms"].items():
        for _g, got in per.items():
            for s, a, b in got:
                doc, start, sentence = lines["sents"][s]
                assert (
                    text[lines["docs"][doc][0]][start + a : start + b]
                    .lower()
                    .startswith(term.split()[0][:3])
                )
                assert sentence[a:b].lower().replace("’", "'").startswith(term.split()[0][:3])
    # the drawn terms of a group are (term, uses here, uses in the corpus, z)
    herald = HOSTILE["North Herald"]
    putin = next(r for r in tables["terms"][herald] if r[0] == "putin")
    assert putin[1:3] == [2, 3]


def test_caps_keep_the_page_small_and_say_so(report):
    folder, body, arts = report
    tables, lines = explorer_data(folder, body, arts, top_z=2, top_freq=1, lines=1, line_terms=2)
    assert all(len(v) <= 3 for v in tables["terms"].values())
    assert any("terms drawn" in c for c in tables["caps"])
    assert all(len(got) <= 1 for per in lines["lines"]["terms"].values() for got in per.values())


def test_many_groups_are_capped_to_the_largest_and_the_page_says_so(report):
    # the page compares the largest groups (most articles, ties by name), as the heat maps do:
    # every group's lines for every other group's terms grow with the square of their number
    folder, body, arts = report
    n = arts["outlet"].astype(str).value_counts()
    largest = sorted(n.index, key=lambda g: (-int(n[g]), g))[0]
    tables, lines = explorer_data(folder, body, arts, groups=1)
    assert tables["groups"] == [largest] and list(tables["terms"]) == [largest]
    assert any(f"the 1 largest of {len(n)} values of outlet" in c for c in tables["caps"])
    assert {g for per in lines["lines"]["terms"].values() for g in per} == {largest}
    assert {d[1] for d in lines["docs"]} == {largest}
    whole, _ = explorer_data(folder, body, arts)
    assert whole["terms"][largest] == tables["terms"][largest]
    assert not any("largest of" in c for c in whole["caps"])


def test_no_data_string_reaches_the_page_as_markup(report):
    folder, _, _ = report
    page = (folder / "explorer.html").read_text()
    for raw in [*HOSTILE.values(), "<b onmouseover", "<i>said</i>", "<i>tiny</i>"]:
        assert raw not in page
    data = _blocks(page)
    assert set(data) == {"tables", "lines"}
    assert HOSTILE["North Herald"] in data["tables"]["groups"]  # there, as text
    assert "&lt;i&gt;tiny&lt;/i&gt;" in page  # the title
    # the script puts data in with textContent only
    script = page[page.rindex("<script>") :]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    index = (folder / "index.html").read_text()
    assert HOSTILE["South Ledger"] not in index and "&lt;img src=x onerror" in index
    # the page's own markup uses no <b>/<i>, so any such tag would have come from the data
    # (test_report_run's hostile-report check flags them)
    assert "<b>" not in index and "<i>" not in index
