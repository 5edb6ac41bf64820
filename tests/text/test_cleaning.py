"""Cleaning: page debris removed by rule, every removed line audited, every body line kept."""

from __future__ import annotations

import pytest

import framing
from framing import CorpusError
from framing.text.cleaning import (
    any_rule,
    clean_text,
    generic_rules,
    is_heading,
    load_rules,
    quick_match,
    required_literal,
)


@pytest.fixture(scope="module")
def audit(articles):
    return framing.cleaning_audit(articles)


# Hand-checked against the raw pages: (doc_id, rule) -> number of lines that rule removes.
EXPECTED_RULES = {
    ("deseret", "headline"): 1,
    ("deseret", "photo-caption"): 1,
    ("deseret", "portal-widget-error"): 6,
    ("student", "page-furniture"): 2,  # top of page, bottom of page
    ("student", "headline"): 1,
    ("student", "photo-caption"): 4,
    ("student", "bibliography"): 4,  # the heading and its three entries
    ("scmp", "headline"): 1,
    ("scmp", "video-title-and-running-time"): 3,
    ("scmp", "additional-reporting"): 1,
    ("scmp", "syndication-line"): 1,
    ("scmp", "page-furniture"): 2,  # Related posts, Leave a Comment
    ("semafor", "dateline"): 1,
    ("semafor", "headline"): 1,
    ("semafor", "photo-credit"): 2,  # the caption ending in its credit, and the credit alone
    ("semafor", "newsletter-signup"): 2,
    ("semafor", "page-furniture"): 5,  # five "Title icon" markers
}


def test_each_rule_removes_the_hand_counted_lines(audit):
    got = audit.groupby(["doc_id", "rule"]).size().to_dict()
    assert got == EXPECTED_RULES


@pytest.mark.parametrize(
    "debris",
    [
        "Oops!",
        "Something went wrong.",
        "Please try again later.",
        "Title icon",
        "Sign up for Semafor Security",
        "via REUTERS",
        "03:11",
        "China, Iran pledge to deepen cooperation",
        "Related posts",
        "Leave a Comment",
        "top of page",
        "bottom of page",
        "Bibliography",
        "Chatterjee, Phelan.",
        "South China Morning Post\n",
        "Updated Mar 20, 2023",
        "Picture of Nord Stream Line 2.",
        "shake hands after speaking to the media",
    ],
)
def test_debris_is_gone_from_the_text(articles, debris):
    assert not articles.text.str.contains(debris, regex=False).any()


def test_headline_and_dateline_become_metadata(articles, audit):
    for row in articles.itertuples():
        assert row.title not in row.text
    dl = audit[audit.rule == "dateline"]
    assert dl.text.tolist() == ["Updated Mar 20, 2023, 2:27pm EDT"]
    assert dl.line_no.tolist() == [1]


def test_audit_lines_are_the_raw_lines(articles, audit):
    raw = dict(zip(articles.doc_id, articles.text_raw, strict=True))
    for r in audit.itertuples():
        assert raw[r.doc_id].split("\n")[r.line_no - 1].strip() == r.text


def test_every_line_is_either_kept_or_audited(articles, audit):
    """Nothing silently dropped: each non-blank raw line is in the text or in the audit."""
    removed = set(zip(audit.doc_id, audit.line_no, strict=True))
    for row in articles.itertuples():
        for no, line in enumerate(row.text_raw.split("\n"), start=1):
            if not line.strip():
                continue
            assert ((row.doc_id, no) in removed) != (line.strip() in row.text), (row.doc_id, no)


@pytest.mark.parametrize(
    "doc_id, sentence",
    [
        ("deseret", "The three-day meeting between Russian President Vladimir Putin and Chinese President Xi Jinping ended Wednesday."),
        ("student", "Russia has denied the claims."),
        ("student", "A look into what was discussed during the meeting between Xi Jinping and Vladimir Putin in Moscow."),
        ("scmp", "On Saturday evening, Putin made a trip to the occupied Ukrainian port city of Mariupol, a day after visiting Crimea, which Russia annexed 2014."),
        ("semafor", "Xi seemed to agree: Speaking Monday, he celebrated the two countries “close ties,” according to Russia state media"),
    ],
)  # fmt: skip
def test_body_sentences_survive(by_doc, doc_id, sentence):
    assert sentence in by_doc[doc_id].text


def test_headings_are_kept_as_headings(sents):
    heads = sents[sents.kind == "heading"]
    assert heads.groupby("doc_id").size().to_dict() == {"deseret": 3, "semafor": 9}
    assert "The View From Washington" in heads.text.tolist()
    assert (
        "Xi and Putin agree to economic cooperation and ‘military mutual trust’"
        in heads.text.tolist()
    )
    # a heading is never glued to the sentence after it
    assert not sents[sents.kind == "body"].text.str.startswith("Know More").any()


@pytest.mark.parametrize(
    "line, heading",
    [
        ("The View From the UK", True),
        ("U.S. calls Xi-Putin meeting a ‘diplomatic cover’", True),
        ("Here are the key takeaways from the Xi-Putin talks:", False),
        ("Russia has denied the claims.", False),
        ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", False),
        ("A line\nand another", False),
    ],
)  # fmt: skip
def test_is_heading(line, heading):
    assert is_heading(line) is heading


def test_video_rule_takes_only_title_lines_beside_the_running_time():
    raw = "Body starts here.\n\nA clip title\n\n03:11\n\nThe clip title again\n\nBody goes on.\n"
    out = clean_text(raw, generic_rules())
    assert out.text == "Body starts here.\n\nBody goes on."
    assert [r[0] for r in out.removed] == [3, 5, 7]


def test_doc_specific_rules_apply_only_to_their_doc(articles):
    rules = load_rules(articles.loc[0, "rules"])
    caption = "Picture of Nord Stream Line 2."
    assert clean_text(f"Body here.\n\n{caption}\n", rules, doc_id="student").removed
    assert not clean_text(f"Body here.\n\n{caption}\n", rules, doc_id="scmp").removed


def test_paragraph_offsets(articles):
    out = clean_text(
        articles.loc[3, "text_raw"],
        load_rules(articles.loc[3, "rules"]),
        doc_id="semafor",
        title=articles.loc[3, "title"],
    )
    assert out.text == articles.loc[3, "text"]
    for start, end, heading, line_no in out.paragraphs:
        para = out.text[start:end]
        assert articles.loc[3, "text_raw"].split("\n")[line_no - 1].strip() == para.split("\n")[0]
        assert heading == is_heading(para)


@pytest.mark.parametrize(
    "toml, problem",
    [
        ('[[rule]]\nid = "x"\n', "lacks"),
        ('[[rule]]\nid="x"\naction="zap"\nmatch="exact"\npatterns=["a"]\nwhy="w"\n', "action 'zap'"),
        ('[[rule]]\nid="x"\naction="drop"\nmatch="glob"\npatterns=["a"]\nwhy="w"\n', "match 'glob'"),
        ('[[rule]]\nid="x"\naction="drop"\nmatch="regex"\npatterns=["(a"]\nwhy="w"\n', "bad regular expression"),
        ("[[rule]\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_rule_files_name_the_file(tmp_path, toml, problem):
    p = tmp_path / "cleaning_rules.toml"
    p.write_text(toml)
    with pytest.raises(CorpusError) as info:
        load_rules(p)
    assert problem in str(info.value) and "cleaning_rules.toml" in str(info.value)


def test_required_literal_of_a_rule_pattern():
    assert required_literal(r".{0,600}\b(?:Photo|Photograph)s?(?:/| by )[^.]{0,80}") == "Photo"
    assert required_literal(r".{0,600}\bvia (?:REUTERS|AP)") == "via "
    assert required_literal(r".{0,600}\((?:AP|AFP) Photo[^)]*\)") == " Photo"
    assert required_literal(r"(?i:x)abcd") == "abcd"  # the scoped flag covers "x" only
    assert required_literal("(?i)top of page") is None  # case ignored: "Top" holds no "top"
    assert required_literal(r"\d{1,2}:\d{2}") is None
    assert required_literal("ab") is None  # too short to be worth a test


def test_quick_filter_never_skips_a_line_a_rule_matches(articles):
    # the one-call filter (combined regex + literal-guarded patterns) against every rule tried
    # one by one, on every raw line of the case study and lines built to hit each rule
    rules = tuple(load_rules(None))
    quick = any_rule(rules)
    lines = [ln.strip() for t in articles["text_raw"] for ln in t.split("\n") if ln.strip()]
    lines += [
        "Xi and Putin meet. (AP Photo/Pavel Bobylev)",
        "A soldier in Bakhmut. Photo by Jane Doe",
        "Putin in Moscow via Reuters",
        "• Oops!",
        "Sign up for our newsletter",
        "Top Of Page",
        "photo by jane doe",  # lower case: the case-sensitive rule does not match
    ]
    matched = [s for s in lines if any(r.matches(s) for r in rules)]
    passed = [s for s in lines if quick_match(quick, s)]
    assert set(matched) <= set(passed)  # a line a rule matches always passes the filter
    assert len(passed) < len(lines) / 2  # and most body lines are skipped by it
    assert "Xi and Putin meet. (AP Photo/Pavel Bobylev)" in matched
    assert "photo by jane doe" not in matched


def test_transcript_notes_and_live_blog_stamps_are_furniture():
    # real lines of AllSides articles (NPR live blogs and transcripts, the New York Times'
    # podcast transcripts) behind distinctive terms ("et", "newscast", "playback")
    raw = "\n\n".join([
        "Updated at 7:18 p.m. ET Deaths In India, China",
        "(We rewrote the top of this post at 6:55 p.m. ET to sum up the day's news.)",
        "(SOUNDBITE OF ARCHIVED RECORDING)",
        "When do polls close? 8 p.m. ET (Mississippi), 9 p.m. ET (Michigan).",
        "(APPLAUSE)",
        "[AUDIO PLAYBACK]",
    ])  # fmt: skip
    out = clean_text(raw, generic_rules())
    assert out.text == (
        "Deaths In India, China\n\n"
        "When do polls close? 8 p.m. ET (Mississippi), 9 p.m. ET (Michigan)."
    )
    rules = {r[2] for r in out.removed}
    assert rules == {"update-time", "editor-note", "transcript-markup"}
