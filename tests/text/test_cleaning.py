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
    assert rules == {"update-time", "editor-note", "transcript-markup", "transcript-marker"}


def test_transcript_markers_inside_paragraphs_are_cut_and_the_words_kept():
    # real paragraphs of AllSides articles: the New York Times' podcast transcripts (The
    # Daily) and a television script, behind its distinctive "archived recording",
    # "playback", "vo" and "james cai"; the markers go, every word around them stays
    raw = "\n\n".join([
        "Bans on all gatherings … of a national debate about public health versus economic "
        "survival. archived recording 2 Bans on all gatherings outside a single household.",
        "us citizens they can’t leave the city and stay in their summer homes. archived "
        "recording (donald trump) Don’t buy paint, don’t buy roses.",
        "It’s not a unique situation, by any stretch. [AUDIO PLAYBACK] ARCHIVED RECORDING "
        "(PRESIDENT GEORGE W. BUSH): Madame Speaker, Vice President Cheney.",
        "archived recording (president bill clinton)",
        "james cai",
        "So my name is James Cai, and I’m a physician assistant.",
        "susan dominus",
        "Are you there? james cai Yes. [COUGHING] susan dominus OK.",
        "james cai",
        "I actually heard about coronavirus many months ago.",
        "susan dominus",
        "And then?",
        "want to say that we want immigration.” VO AXEL IS AN AMERICAN CITIZEN, BUT HIS "
        "BROTHERS. SOT: Nancy Paredo “Oh!” //LINEAR WIPE// CAPITOL HILL NAT SOUND",
        "against throughout his career. VO - In 2004, massive protests against a fraudulent "
        "election",
        "COFFEE SCENE VO: France is still shellshocked. VO (FR): La France est encore sous le choc",
    ])  # fmt: skip
    out = clean_text(raw, generic_rules())
    assert out.text == "\n\n".join([
        "Bans on all gatherings … of a national debate about public health versus economic "
        "survival. Bans on all gatherings outside a single household.",
        "us citizens they can’t leave the city and stay in their summer homes. Don’t buy "
        "paint, don’t buy roses.",
        "It’s not a unique situation, by any stretch. Madame Speaker, Vice President Cheney.",
        "So my name is James Cai, and I’m a physician assistant.",
        "Are you there? Yes. OK.",
        "I actually heard about coronavirus many months ago.",
        "And then?",
        "want to say that we want immigration.” AXEL IS AN AMERICAN CITIZEN, BUT HIS "
        "BROTHERS. Nancy Paredo “Oh!” CAPITOL HILL",
        "against throughout his career. In 2004, massive protests against a fraudulent election",
        "COFFEE SCENE France is still shellshocked. La France est encore sous le choc",
    ])  # fmt: skip
    cut = [(r[0], r[1], r[2]) for r in out.removed]
    assert (3, "archived recording (donald trump)", "transcript-marker") in cut
    assert (5, "ARCHIVED RECORDING (PRESIDENT GEORGE W. BUSH):", "transcript-marker") in cut
    assert (7, "archived recording (president bill clinton)", "transcript-marker") in cut
    assert [r for r in cut if r[2] == "transcript-speaker"] == [
        (9, "james cai", "transcript-speaker"),
        (13, "susan dominus", "transcript-speaker"),
        (15, "james cai", "transcript-speaker"),
        (15, "susan dominus", "transcript-speaker"),
        (17, "james cai", "transcript-speaker"),
        (21, "susan dominus", "transcript-speaker"),
    ]


def test_words_like_transcript_markers_in_news_stay():
    # negatives: the same words where they are news, and lower-case lines said once
    raw = "\n\n".join([
        "The archived recording was played in court on Tuesday.",
        "The VOA reported it. Vo Nguyen Giap led the army. He said VO is fine.",
        "Senators [GOP] walked out, and the [AUDIO] desk said the playback failed.",
        "tax cuts",
        "The tax cuts were big.",
        "health care",
        # lower-case paragraph openings that are words of a sentence, not a speaker's name
        "of the United Nations and then",
        "of the European Union. He added that",
        "of the African Union nothing was said. of the Arab League nobody spoke.",
        "Updated at 5 p.m. ET, the vote count showed Smith leading by 2,000 votes.",
        "The VO Foundation said so.",
    ])  # fmt: skip
    out = clean_text(raw, generic_rules())
    assert out.text == raw and out.removed == []


def test_npr_revision_notes_are_furniture():
    # real NPR lines behind "et"; negatives below them. (NPR's audio players, "From the NPR
    # Newscast: A roundup of election results Listen", stay: no rule tells them from a headline
    # such as "How to Talk About Climate Change So Anyone Will Listen")
    raw = "\n\n".join([
        "-- Updated at 12:46 pm ET with a statement from Jesse Kelly's campaign. See end of post. --",
        "(Revised at 5:46 pm ET)",
        "He told me to listen. Listen",
        "Please Listen",
        "NPR's Tamara Keith tells our Newscast Desk that the bill passed at 2 p.m. ET.",
    ])  # fmt: skip
    out = clean_text(raw, generic_rules())
    assert out.text == "\n\n".join([
        "He told me to listen. Listen",
        "Please Listen",
        "NPR's Tamara Keith tells our Newscast Desk that the bill passed at 2 p.m. ET.",
    ])  # fmt: skip
    assert [r[2] for r in out.removed] == ["editor-note"] * 2


def test_speaker_labels_opening_paragraphs_and_numbered_speakers_go():
    # real New York Times transcripts: a label before its speaker's words on the same line
    # (three times or more), numbered speakers alone on lines, an agency's shot list
    raw = "\n\n".join([
        "Sue, tell me how you first heard about James Cai.",
        "james cai Hello? Are you there? james cai Yes. OK.",
        "So James lives and works in New York City.",
        "james cai So my name is James Cai, and I’m a physician assistant.",
        "james cai And I work as a primary care, urgent care and nursing home physician.",
        "speaker 1",
        "Warren.",
        "speaker 1",
        "Yeah.",
        "more energy resources will be needed.” 4172 (SOUNDBITE) (Russian) RUSSIAN PRESIDENT "
        "VLADIMIR PUTIN, SAYING: “We do not",
        "us citizens they can’t leave the city and stay in their summer homes.",
    ])  # fmt: skip
    out = clean_text(raw, generic_rules())
    assert out.text == "\n\n".join([
        "Sue, tell me how you first heard about James Cai.",
        "Hello? Are you there? Yes. OK.",
        "So James lives and works in New York City.",
        "So my name is James Cai, and I’m a physician assistant.",
        "And I work as a primary care, urgent care and nursing home physician.",
        "Warren.",
        "Yeah.",
        "more energy resources will be needed.” 4172 RUSSIAN PRESIDENT VLADIMIR PUTIN, "
        "SAYING: “We do not",
        "us citizens they can’t leave the city and stay in their summer homes.",
    ])  # fmt: skip
    assert [r[1] for r in out.removed].count("james cai") == 4


#: news that looks like the furniture of the next test, and must stay whole
NEWS_LOOKALIKES = [
    "Also on the agenda: a question-and-answer session with Jim Carroll.",
    "Related groups said the vote was close.",
    "Rawlings told USA TODAY that he would follow the case on Twitter.",
    "The AP (Associated Press) reported the vote at 5 p.m. ET on Tuesday.",
    "Officials in Washington said CNN (the network) had asked for comment.",
    "The shootings came on Aug. 3, Aug. 4, Sept. 1, Sept. 2, Sept. 9, Oct. 1, Oct. 2 and Oct. 5.",
    "She told reporters to email her at the office, not at jane@example.com, after the vote.",
    # (a reviewer's cases)
    "The letter told recipients to email them at refunds@irs-gov.net with their bank details.",
    "If you get an email in your inbox claiming to be from the IRS, delete it, officials said.",
    "Agence France-Presse (AFP) reported that at least 12 people died.",
    "Cable News Network (CNN) said in a statement that it stood by the story.",
    "(Also on Tuesday: the House passed its own version of the bill, 220-212.)",
]


def test_related_links_prompts_datelines_and_update_stamps_are_furniture():
    # real AllSides lines behind distinctive terms a second reader found furniture: Politico's
    # "politico", the Washington Times' "see also", CNN's "cnn", NPR's "et", USA TODAY's
    # "usa today"; the news lines after them must stay whole
    raw = "\n\n".join([
        "( Also on POLITICO: Jindal: End ‘dumbed-down conservatism’)",
        "SEE ALSO: Obama hails ‘new chapter’ in diplomatic relations with Cuba",
        "Related: China is crushing the U.S. in 'economic warfare'",
        "Read More: McGahn Defies Subpoena After White House Claims Immunity",
        "Read more:Download the USA TODAY app",
        "Like what you’re reading? Download the USA TODAY app for more",
        "Follow USA TODAY reporter Nathan Bomey on Twitter @NathanBomey.",
        "Start the day smarter:Get USA TODAY's Daily Briefing in your inbox every morning.",
        "Updated at 12:50 p.m. ET on July 10",
        "Washington (CNN) The Supreme Court appeared closely divided along ideological lines.",
        "MT SOMERS, New Zealand (Reuters) - Mike Salvesen was working on his farm.",
        "EL PASO, Texas (AP) — Aiming to play the traditional role of healer, Trump paid visits.",
        "(CNN) -- As Moscow escalates its invasion of eastern Ukraine, NATO meets.",
        "Last Updated at 11:14 a.m. ET. Witness Testimony:",
        "Update at 6:42 ET.",
        "(Update @9:43 pm ET: The plan is for Romney to visit campaign offices in those two cities.)",
        "Clarification at 2:45 p.m. ET: Earlier, we said there are 11 million people.",
        "We last updated this post at 1:50 p.m. ET:",
        "( Also on POLITICO: Debate transcript (text, video)",
        "Baltimore 58 deaths in 68 days Sept. 30 Sept. 29 Sept. 27 Sept. 26 Sept. 25 Sept. 23 "
        "Sept. 22 Sept. 21 Aug. 30 Aug. 28",
        "POLITICO Pulse Get the latest on the health care fight, every weekday morning — in your inbox.",
        "Share your color commentary: Email us at HALFTIMEREPORT@FOXNEWS.COM and please make sure "
        "to include your name and hometown.",
        "Editor's note: This has been updated at 1:25 p.m. ET Friday with additional fact-checking "
        "information.",
        'poster="http://v.politico.com/images/1155968404/201608/3224/1155968404_5091104069001_'
        '5091052117001-vs.jpg?pubId=1155968404" Trump predicts he can win 95 percent of the black vote',
        *NEWS_LOOKALIKES,
    ])  # fmt: skip
    out = clean_text(raw, generic_rules())
    assert out.text == "\n\n".join([
        "The Supreme Court appeared closely divided along ideological lines.",
        "Mike Salvesen was working on his farm.",
        "Aiming to play the traditional role of healer, Trump paid visits.",
        "As Moscow escalates its invasion of eastern Ukraine, NATO meets.",
        "Witness Testimony:",
        "The plan is for Romney to visit campaign offices in those two cities.)",
        "Earlier, we said there are 11 million people.",
        *NEWS_LOOKALIKES,
    ])  # fmt: skip
    rules = [r[2] for r in out.removed]
    assert rules.count("data-graphic") == 1
    assert rules.count("video-player-markup") == 1 and rules.count("editor-note") == 1
    assert rules.count("related-link") == 6 and rules.count("newsletter-signup") == 5
    assert rules.count("agency-dateline") == 4 and rules.count("update-time") == 6
    cut = [r[1] for r in out.removed if r[2] == "agency-dateline"]
    assert cut == ["Washington (CNN)", "MT SOMERS, New Zealand (Reuters) -",
                   "EL PASO, Texas (AP) —", "(CNN) --"]  # fmt: skip
