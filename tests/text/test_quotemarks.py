"""The one quotation-mark scanner (framing.text.quotemarks): its rules on small German, French
and straight-quote cases, on apostrophes, unclosed and nested passages, and on case-study
paragraphs. That find_quotes and quote_spans read the same passages is tested in
tests/measures/test_quotes.py."""

from __future__ import annotations

import pytest

from framing.text.quotemarks import MARKS, quoted_regions, quoted_spans
from framing.text.segment import paragraph_spans


def _texts(para: str) -> list[str]:
    return [para[s:e] for _, s, e, _ in quoted_spans(para)]


@pytest.mark.parametrize(
    ("para", "quoted"),
    [
        # English curly and straight marks
        ("He said “we will win” and left.", ["we will win"]),
        ('He said "we will win" and left.', ["we will win"]),
        # German „…“ and „…”, German »…«, French «…» with the spaces inside the marks
        ("Er sagte: „Frieden“ und „Krieg”.", ["Frieden", "Krieg"]),
        ("Sie sagte »Frieden« heute.", ["Frieden"]),
        ("Il a parlé de « la paix » et de «guerre».", ["la paix", "guerre"]),
        ("Il a dit : « Nous\u202fgagnerons\u00a0» hier.", ["Nous\u202fgagnerons"]),
        # mixed marks: any double closing mark closes
        ("She was a “liar,\" followed by “dishonest.”", ["liar,", "dishonest."]),
        ('Obama said "a year or so” and left.', ["a year or so"]),
        # a straight mark glued between letters or digits is no mark
        ('O"Brien said "yes" to it.', ["yes"]),
        ('He is 5"3 and said "no" twice.', ["no"]),
        # after a letter or digit, or shaped as a closer, a straight mark does not open
        ('He is 6" tall and said "no".', ["no"]),
        ('the money," Noguero continued, "there is evidence."', ["there is evidence."]),
        # two straight single quotes typed for a double mark
        ("''We should welcome them,'' he said.", ["We should welcome them,"]),
        # empty marks and white space inside the marks
        ("An empty “” pair and “ spaced words ” here.", ["", "spaced words"]),
    ],
)  # fmt: skip
def test_double_marks(para, quoted):
    assert _texts(para) == quoted


@pytest.mark.parametrize(
    ("para", "quoted"),
    [
        # an apostrophe is no mark; a single curly pair is a passage
        ("Xi’s trip was a ‘diplomatic cover’ by Putin’s critics.", ["diplomatic cover"]),
        ("Putin hails Xi’s ‘symbolic’ visit", ["symbolic"]),
        # ’ between two letters does not close (it’s), ’ after a plural does (players’)
        ("He called it ‘the one it’s all about’ today.", ["the one it’s all about"]),
        # ‘ after a letter or before a year's digits is an apostrophe
        ("Mr. Sanders‘ rise in the ‘90s and ‘16 was ‘real’ then.", ["real"]),
        # a ‘ with nothing to close it is no mark
        ("Rock ‘n roll never dies.", []),
        # two single marks typed for one double mark
        ("to fight ‘’against terrorism’’ alongside", ["against terrorism"]),
        # straight single quotes are never marks
        ("He said 'no' twice.", []),
    ],
)  # fmt: skip
def test_single_marks_and_apostrophes(para, quoted):
    assert _texts(para) == quoted


@pytest.mark.parametrize(
    ("para", "quoted"),
    [
        # single marks inside a double passage belong to it
        ("“Voters are voting ‘yes’ or ‘no’ to the party,” he said.",
         ["Voters are voting ‘yes’ or ‘no’ to the party,"]),
        # a double passage of another kind nests inside and closes first
        ('“I said, "they will kill him," and ran,” she said.',
         ['I said, "they will kill him," and ran,']),
        ('"The industry says, "Oh, we can withstand it," but no," he said.',
         ['The industry says, "Oh, we can withstand it," but no,']),
        ('"I got a great “duck quacker” for it." -Sally', ["I got a great “duck quacker” for it."]),
        # a straight opener with no straight mark after it closes (a closer typed with a space)
        ('"It is becoming an everyday occurrence, "she said.', ["It is becoming an everyday occurrence,"]),
        # a second “ inside a curly passage is part of it
        ("“First. “Second.” Third.", ["First. “Second."]),
    ],
)  # fmt: skip
def test_nesting(para, quoted):
    assert _texts(para) == quoted


@pytest.mark.parametrize(
    ("para", "quoted"),
    [
        # a closing mark typed as an opener: at the start, after a dash, after a space
        ("”This is our first action,” the attorney general said.", ["This is our first action,"]),
        ("a quote—”I’m working harder”—became the watchwords", ["I’m working harder"]),
        ("Khan’s speech as ” memorable,” the Nation said", ["memorable,"]),
        # a stray closing mark elsewhere, or with nothing to close it, is ignored
        ("Roberts. ” None of that has happened.", []),
        ("It ended here.” Then he left.", []),
    ],
)  # fmt: skip
def test_closing_marks_typed_as_openers(para, quoted):
    assert _texts(para) == quoted


def test_an_unclosed_passage_runs_to_the_paragraph_end():
    para = "“We will go on,” he said. “And the next paragraph will say more"
    spans = quoted_spans(para)
    assert _texts(para) == ["We will go on,", "And the next paragraph will say more"]
    o, s, e, c = spans[-1]
    assert (e, c) == (len(para), len(para)) and para[o] == "“"
    # straight marks too, and a nested passage left open with its outer one
    assert _texts('"Yes. "No, "he said') == ['Yes. "No, "he said']


def test_passages_are_ordered_disjoint_and_hold_their_marks():
    para = "“One,” he said, \"two\" and ‘three’ — „vier“ « cinq » ”six” and ''seven'' and “eight"
    spans = quoted_spans(para)
    assert _texts(para) == ["One,", "two", "three", "vier", "cinq", "six", "seven", "eight"]
    for (o, s, e, c), nxt in zip(spans, [*spans[1:], None], strict=True):
        assert o < s <= e <= c and MARKS.match(para, o)
        assert nxt is None or c <= nxt[0]


def test_quoted_regions_are_article_offsets_of_each_paragraph():
    text = "First “a b” here.\n\nSecond “c d\n\nThird ‘e f’ x"
    regions = quoted_regions(text)
    assert [text[a:b] for a, b in regions] == ["“a b”", "“c d", "‘e f’"]
    # each paragraph on its own: the open passage of the second stops at its end
    expected = []
    for p0, p1 in paragraph_spans(text):
        expected += [(p0 + o, p0 + c) for o, _, _, c in quoted_spans(text[p0:p1])]
    assert regions == expected


def test_case_study_paragraphs(by_doc):
    # the case study's straight, single curly and curly marks, as the gold table reads them
    semafor = by_doc["semafor"].text
    para = next(p for p in semafor.split("\n\n") if "stalling tactic" in p)
    assert _texts(para) == ["peace", "stalling tactic"]  # "Xi's" straight apostrophe aside
    assert _texts("Putin hails Xi’s ‘symbolic’ visit") == ["symbolic"]
    deseret = by_doc["deseret"].text
    head = next(p for p in deseret.split("\n\n") if p.endswith("‘military mutual trust’"))
    assert _texts(head) == ["military mutual trust"]
    # a quotation of two sentences in one pair of marks
    student = by_doc["student"].text
    para = next(p for p in student.split("\n\n") if "under your strong leadership" in p)
    (quote,) = [q for q in _texts(para) if "under your strong leadership" in q]
    assert quote.startswith("under your strong leadership") and quote.endswith("firm support.")


def test_every_case_study_mark_is_read_as_the_gold_table_reads_it(articles):
    # every curly opener, every ‘ after a space and every other straight mark opens a
    # passage; every passage closes with its own mark (nothing in the case study is left open)
    for text in articles["text"]:
        for p0, p1 in paragraph_spans(text):
            para = text[p0:p1]
            spans = quoted_spans(para)
            opens = sorted(
                [i for i, ch in enumerate(para) if ch == "“" or ch == "‘" and (i == 0 or para[i - 1] == " ")]
                + [i for i, ch in enumerate(para) if ch == '"'][::2]
            )  # fmt: skip
            assert [o for o, _, _, _ in spans] == opens
            assert all(para[c - 1] in '”’"' for _, _, _, c in spans)


def test_transcript_turns_are_quoted_regions():
    from framing.text.quotemarks import quoted_regions, transcript_turns

    text = (
        "SCOTT DETROW, BYLINE: Good morning.\n\nMARTIN: What happened?\n\n"
        'DETROW: He said "no." Then he left.\n\nMARTIN: Thanks.\n\nUPDATE: Corrected.'
    )
    turns = transcript_turns(text)
    labels = [text[a:b] for a, b, _ in turns.values()]
    assert labels == ["SCOTT DETROW", "MARTIN", "DETROW", "MARTIN"]
    # the turns' words, the marks inside a turn belonging to it; "UPDATE:" is no turn
    assert [text[a:b] for a, b in quoted_regions(text)] == [
        "Good morning.", "What happened?", 'He said "no." Then he left.', "Thanks."
    ]  # fmt: skip
    # one label heading two paragraphs of an article is no conversation
    assert transcript_turns("EDITOR: One.\n\nWRITER: Two.") == {}
