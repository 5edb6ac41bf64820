"""Validation (issue #16): coding samples and sheets, reading codes, agreement, frame models.

Values are computed from the shipped hand-coded AllSides sample (corpus/allsides-validation/),
from the case study, or from hand-made tables whose answers are worked out in the comments.
"""

from __future__ import annotations

import zlib

import krippendorff
import numpy as np
import pandas as pd
import pytest

import framing
from tests.conftest import ALLSIDES, ROOT, requires_allsides

VALIDATION = ROOT / "corpus" / "allsides-validation"
CODERS = {c: VALIDATION / f"coder_{c}.csv" for c in "abc"}
CODES = VALIDATION / "codes.toml"
FRAME_CODES = ["conflict", "human_interest", "economic", "morality", "responsibility"]
N = float("nan")

# Krippendorff's reliability data: 4 coders (rows) x 12 units (columns), missing values as NaN.
# Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed., Sage,
# ch. 11 (Reliability); the same matrix is the worked example of Krippendorff (2011),
# "Computing Krippendorff's Alpha-Reliability", sections C-E: nominal .743, ordinal .815,
# interval .849. Unit 12 has one value only and is not pairable.
BOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def _long(matrix, code="x") -> pd.DataFrame:
    rows = [
        (f"u{j:02d}", f"c{i}", code, v)
        for i, row in enumerate(matrix)
        for j, v in enumerate(row)
        if v == v
    ]
    return pd.DataFrame(rows, columns=["unit_id", "coder", "code", "value"])


def _alpha_by_hand(matrix, level: str) -> float:
    """Krippendorff's alpha from the coincidence matrix (Krippendorff 2011), written here
    independently of the krippendorff package."""
    m = np.asarray(matrix, dtype=float)
    values = np.unique(m[~np.isnan(m)])
    k = len(values)
    o = np.zeros((k, k))
    for u in m.T:
        u = u[~np.isnan(u)]
        if len(u) < 2:
            continue
        for a in range(len(u)):
            for b in range(len(u)):
                if a != b:
                    o[values == u[a], values == u[b]] += 1 / (len(u) - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            if level == "nominal":
                d[i, j] = float(i != j)
            elif level == "interval":
                d[i, j] = (values[i] - values[j]) ** 2
            else:  # ordinal: sum of the marginals between the two ranks, minus half the ends
                lo, hi = min(i, j), max(i, j)
                d[i, j] = (n_c[lo : hi + 1].sum() - (n_c[lo] + n_c[hi]) / 2) ** 2
    e = (np.outer(n_c, n_c) - np.diag(n_c)) / (n - 1)
    return 1 - (o * d).sum() / (e * d).sum()


@pytest.fixture(scope="module")
def shipped_codes() -> pd.DataFrame:
    sample = pd.read_csv(VALIDATION / "sample.csv")
    return framing.read_codes(CODERS, codes=CODES, units=sample, coders=list(CODERS))


# ----------------------------------------------------------------------------- codes


def test_default_codes_take_the_dictionary_descriptions():
    codes = framing.load_codes()
    frames = framing.load_frames().drop_duplicates("frame").set_index("frame")
    generic = frames[frames["kind"] == "generic"]
    assert codes["code"].tolist() == [
        "conflict", "human_interest", "economic_consequences", "morality", "responsibility",
        "tone",
    ]  # fmt: skip
    for r in codes.iloc[:5].itertuples():
        assert r.definition == generic.loc[r.frame, "description"]
        assert r.scale == (0, 1) and r.level == "nominal"
    tone = codes.iloc[5]
    assert tone["frame"] == "" and tone["scale"] == (-1, 0, 1) and tone["level"] == "ordinal"


def test_shipped_codes_map_each_code_to_its_frame():
    codes = framing.load_codes(CODES).set_index("code")
    assert codes.loc["economic", "frame"] == "economic consequences"
    assert codes.loc["human_interest", "frame"] == "human interest"
    assert codes.loc["tone", "scale"] == (-1, 0, 1)


@pytest.mark.parametrize(
    "codes, message",
    [
        ({"stance": None}, "has no definition"),
        ({"tone": {"definition": "d", "scale": [1]}}, "at least two distinct numbers"),
        ({"tone": {"definition": "d", "scale": [0, 1], "level": "ratio"}}, "level 'ratio'"),
        ({"x": {"frame": "sports"}}, "frame 'sports' is not in the frame dictionary"),
        ({"two words": "d"}, "must start with a letter"),
    ],
)
def test_bad_codes_are_named(codes, message):
    with pytest.raises(framing.CorpusError, match=message):
        framing.load_codes(codes)


# ----------------------------------------------------------------------------- sampling


def test_allocation_is_equal_and_capped_by_stratum_size():
    # strata of 1, 5 and 10 units, n = 9: equal shares of 3, the 1-unit stratum takes 1 and
    # its 2 left over go one each to the others: 1, 4, 4
    data = pd.DataFrame(
        {
            "doc_id": ["a"] * 1 + ["b"] * 5 + ["c"] * 10,
            "sent_id": list(range(1)) + list(range(5)) + list(range(10)),
            "start": 0,
            "end": 1,
            "text": "x",
            "outlet": ["A"] * 1 + ["B"] * 5 + ["C"] * 10,
        }
    )
    got = framing.coding_sample(data, n=9, seed=3)["outlet"].value_counts().to_dict()
    assert got == {"A": 1, "B": 4, "C": 4}
    # n = 10 leaves one unit after the equal split: it goes to B or C, drawn with the seed
    got = framing.coding_sample(data, n=10, seed=3)["outlet"].value_counts().to_dict()
    assert got["A"] == 1 and sorted([got["B"], got["C"]]) == [4, 5]
    # more than there is: every unit, once
    assert len(framing.coding_sample(data, n=100, seed=3)) == 16


def test_sample_of_case_study_sentences(sents, articles):
    data = framing.join_articles(sents, articles, "outlet")
    sample = framing.coding_sample(data, n=12, seed=0, context=sents)
    # four outlets, three sentences each, body sentences only
    assert sample["outlet"].value_counts().tolist() == [3, 3, 3, 3]
    assert sample["unit_id"].tolist() == [f"u{i:03d}" for i in range(1, 13)]
    body = data[data["kind"] == "body"].sort_values(["doc_id", "sent_id"], kind="stable")
    # each stratum's draw is its own seeded stream (crc32 of its name) over its sorted units
    for outlet, g in body.groupby("outlet"):
        rng = np.random.default_rng([0, zlib.crc32(outlet.encode())])
        want = g.iloc[np.sort(rng.choice(len(g), size=3, replace=False))]["sent_id"]
        got = sample[sample["outlet"] == outlet].sort_values("sent_id")["sent_id"]
        assert got.tolist() == want.tolist()
    # keys trace every unit to its words, with the sentences before and after
    text = articles.set_index("doc_id")["text"]
    by_key = sents.set_index(["doc_id", "sent_id"])["text"]
    for r in sample.itertuples():
        assert text[r.doc_id][r.start : r.end] == r.text
        assert r.context_before == by_key.get((r.doc_id, r.sent_id - 1), "")
        assert r.context_after == by_key.get((r.doc_id, r.sent_id + 1), "")
    # the same seed draws the same sample; the order is shuffled, not by outlet
    again = framing.coding_sample(data, n=12, seed=0, context=sents)
    pd.testing.assert_frame_equal(sample, again)
    runs = (sample["outlet"] != sample["outlet"].shift()).sum()
    assert runs > 4
    other = framing.coding_sample(data, n=12, seed=1, context=sents)
    assert set(other["text"]) != set(sample["text"])


def test_a_stratum_draw_does_not_depend_on_the_others(sents, articles):
    data = framing.join_articles(sents, articles, "outlet")
    full = framing.coding_sample(data, n=8, seed=5)  # 2 per outlet
    three = framing.coding_sample(data[data["doc_id"] != "scmp"], n=6, seed=5)
    key = ["doc_id", "sent_id"]
    assert set(map(tuple, full[full["doc_id"] != "scmp"][key].to_numpy())) == set(
        map(tuple, three[key].to_numpy())
    )


def test_article_units(articles):
    sample = framing.coding_sample(articles, unit="article", n=2, seed=0)
    assert len(sample) == 2 and (sample["sent_id"] == -1).all() and (sample["start"] == 0).all()
    text = articles.set_index("doc_id")["text"]
    assert all(text[d][:e] == t for d, e, t in sample[["doc_id", "end", "text"]].to_numpy())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"unit": "paragraph"},
            r"unit='paragraph' is not allowed; expected one of \['sentence', 'article'\]",
        ),
        ({"n": 0}, "n=0 is not allowed"),
        ({"by": "bias"}, "by='bias' is not a column"),
        ({"stratify": ["topic"]}, "stratify=.*not in data"),
    ],
)
def test_bad_sample_options(sents, articles, kwargs, message):
    data = framing.join_articles(sents, articles, "outlet")
    with pytest.raises(ValueError, match=message):
        framing.coding_sample(data, **kwargs)


# ----------------------------------------------------------------------------- sheets


def test_sheet_round_trip(tmp_path, sents, articles):
    data = framing.join_articles(sents, articles, "outlet")
    sample = framing.coding_sample(data, n=8, seed=0, context=sents)
    files = framing.write_coding_sheet(sample, tmp_path / "sheet.csv", coders=["ann", "bo"])
    assert set(files) == {"ann", "bo", "codebook"}
    sheet = pd.read_csv(files["ann"], dtype=str, keep_default_na=False)
    codes = framing.load_codes()
    assert sheet.columns.tolist() == [
        "unit_id", "context_before", "text", "context_after", *codes["code"], "note",
    ]  # fmt: skip
    assert set(sheet["unit_id"]) == set(sample["unit_id"]) and (sheet["conflict"] == "").all()
    # each coder meets the units in an order of their own
    other = pd.read_csv(files["bo"], dtype=str)
    assert sheet["unit_id"].tolist() != other["unit_id"].tolist()
    book = files["codebook"].read_text()
    for r in codes.itertuples():
        assert f"### `{r.code}`" in book and r.definition in book
    # a coder fills it in; read back, each value is one row
    sheet["conflict"], sheet["tone"] = "1", "-1"
    for c in ("human_interest", "economic_consequences", "morality", "responsibility"):
        sheet[c] = "0"
    sheet.to_csv(files["ann"], index=False)
    got = framing.read_codes({"ann": files["ann"]}, units=sample)
    assert len(got) == 8 * 6 and set(got["coder"]) == {"ann"}
    assert got.loc[got["code"] == "tone", "value"].eq(-1).all()


# ----------------------------------------------------------------------------- reading codes


def test_shipped_codes_read(shipped_codes):
    assert len(shipped_codes) == 300 * 3 * 6
    assert shipped_codes["coder"].unique().tolist() == ["a", "b", "c"]
    a = pd.read_csv(CODERS["a"]).set_index("unit_id")
    got = shipped_codes.query("coder == 'a' and code == 'tone'").set_index("unit_id")["value"]
    assert got.to_dict() == a["tone"].to_dict()


def _edited(tmp_path, edit) -> str:
    sheet = pd.read_csv(CODERS["b"], dtype=str, keep_default_na=False)
    sheet = edit(sheet)
    path = tmp_path / "coder_b.csv"
    sheet.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda s: s.assign(tone=s["tone"].where(s.index != 4, "2")),
         r"coder_b.csv, row 6: value '2' of code 'tone' for unit 'u296' is outside its scale \(-1, 0, 1\)"),
        (lambda s: s.assign(unit_id=s["unit_id"].where(s.index != 0, "u999")),
         r"coder_b.csv, row 2: unknown unit 'u999'"),
        (lambda s: pd.concat([s, s.iloc[[7]]], ignore_index=True),
         r"coder_b.csv, row 9: unit 'u293' is coded twice by coder 'coder_b' on code 'conflict'"),
        (lambda s: s.assign(economic=s["economic"].where(s.index != 2, "")),
         r"coder_b.csv, row 4: empty value of code 'economic'"),
        (lambda s: s.assign(morality=s["morality"].where(s.index != 3, "yes")),
         r"row 5: value 'yes' of code 'morality'"),
        (lambda s: s.drop(columns="tone"), r"coder_b.csv: lacks code columns \['tone'\]"),
    ],
)  # fmt: skip
def test_bad_sheets_are_named(tmp_path, edit, message):
    sample = pd.read_csv(VALIDATION / "sample.csv")
    path = _edited(tmp_path, edit)
    with pytest.raises(framing.CorpusError, match=message):
        framing.read_codes(path, codes=CODES, units=sample)


def test_missing_coder_and_long_tables(tmp_path, shipped_codes):
    with pytest.raises(framing.CorpusError, match=r"no codes from coders \['d'\]"):
        framing.read_codes(CODERS, codes=CODES, coders=["a", "b", "c", "d"])
    # a long table reads back to itself
    path = tmp_path / "long.csv"
    shipped_codes.to_csv(path, index=False)
    pd.testing.assert_frame_equal(framing.read_codes(path, codes=CODES), shipped_codes)
    bad = shipped_codes.astype({"coder": object})
    bad.loc[10, "coder"] = ""
    with pytest.raises(framing.CorpusError, match="codes table, row 12: empty coder"):
        framing.read_codes(bad, codes=CODES)
    # skip leaves an empty value out instead
    sheet = pd.read_csv(CODERS["a"], dtype=str, keep_default_na=False)
    sheet.loc[0, "tone"] = ""
    got = framing.read_codes({"a": sheet}, codes=CODES, missing="skip")
    assert len(got) == 300 * 6 - 1


def test_majority_and_ties():
    codes = _long([[1, 0, 1, -1], [1, 0, 0, 0], [0, 0, 1, 1]], code="tone")
    maj = framing.majority_codes(codes)
    # units: (1,1,0) -> 1; (0,0,0) -> 0; (1,0,1) -> 1; (-1,0,1) -> tie
    assert maj["value"].tolist()[:3] == [1, 0, 1] and np.isnan(maj["value"].iloc[3])
    assert maj["tied"].tolist() == [False, False, False, True]
    assert maj["n_majority"].tolist() == [2, 3, 2, 1]


# ----------------------------------------------------------------------------- agreement


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_of_krippendorffs_worked_example(level, expected):
    got = framing.agreement(_long(BOOK), level=level, n_boot=0)
    assert round(got.loc[0, "alpha"], 3) == expected
    assert round(_alpha_by_hand(BOOK, level), 3) == expected
    assert got.loc[0, "n_units"] == 12 and got.loc[0, "n_pairable"] == 11
    assert got.loc[0, "n_coders"] == 4


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_equals_the_package_on_random_data(level):
    import krippendorff

    rng = np.random.default_rng(7)
    for trial in range(5):
        truth = rng.integers(0, 4, size=60)
        m = np.where(rng.random((3, 60)) < 0.7, truth, rng.integers(0, 4, size=(3, 60))).astype(
            float
        )
        m[rng.random((3, 60)) < 0.15] = np.nan
        got = framing.agreement(_long(m), level=level, n_boot=0).loc[0, "alpha"]
        want = krippendorff.alpha(reliability_data=m, level_of_measurement=level)
        assert got == pytest.approx(want, abs=1e-12), trial
        assert got == pytest.approx(_alpha_by_hand(m, level), abs=1e-9), trial


def test_percent_agreement_and_interval():
    # unit 1: 1,1,1 (3 of 3 pairs agree... 6 of 6 ordered pairs); unit 2: 1,1,0 (2 of 6);
    # unit 3: 0,0 (2 of 2); unit 4: a single value (not pairable) -> (6 + 2 + 2) / (6 + 6 + 2)
    codes = _long([[1, 1, 0, 1], [1, 1, 0, N], [1, 0, N, N]])
    got = framing.agreement(codes, n_boot=200, seed=1)
    assert got.loc[0, "percent_agreement"] == pytest.approx(10 / 14)
    assert got.loc[0, "n_pairable"] == 3
    again = framing.agreement(codes, n_boot=200, seed=1)
    pd.testing.assert_frame_equal(got, again)
    with pytest.raises(ValueError, match="level='ratio' is not allowed"):
        framing.agreement(codes, level="ratio")


def test_agreement_on_the_shipped_codes(shipped_codes):
    import krippendorff

    got = framing.agreement(shipped_codes, level={"tone": "ordinal"}, n_boot=200).set_index("code")
    for code in [*FRAME_CODES, "tone"]:
        m = shipped_codes[shipped_codes["code"] == code].pivot(
            index="coder", columns="unit_id", values="value"
        )
        lv = "ordinal" if code == "tone" else "nominal"
        want = krippendorff.alpha(reliability_data=m.to_numpy(float), level_of_measurement=lv)
        assert got.loc[code, "alpha"] == pytest.approx(want, abs=1e-12)
        assert got.loc[code, "ci_low"] <= got.loc[code, "alpha"] <= got.loc[code, "ci_high"]
    # measured on the shipped sample: coders agree well on conflict and economic
    assert got.loc["economic", "alpha"] > 0.9 and got.loc["conflict", "alpha"] > 0.8


def test_agreement_with_a_tool_by_hand():
    # three coders, five units; majorities 1, 1, 0, 0, 1
    codes = _long([[1, 1, 0, 0, 1], [1, 0, 0, 1, 1], [0, 1, 0, 0, 0]], code="f")
    tool = pd.DataFrame({"unit_id": ["u00", "u01", "u02", "u03", "u04"], "f": [1, 0, 1, 0, 1]})
    got = framing.agreement_with(tool, codes, n_boot=0).iloc[0]
    # tp = 2 (u00, u04), fp = 1 (u02), fn = 1 (u01)
    assert got["precision"] == pytest.approx(2 / 3) and got["recall"] == pytest.approx(2 / 3)
    assert got["f1"] == pytest.approx(2 / 3) and got["accuracy"] == pytest.approx(3 / 5)
    import krippendorff

    want = krippendorff.alpha(reliability_data=[[1, 0, 1, 0, 1], [1, 1, 0, 0, 1]],
                              level_of_measurement="nominal")  # fmt: skip
    assert got["alpha"] == pytest.approx(want)
    # a tied unit is left out and counted
    tone = _long([[-1, 1], [0, 1], [1, 1]], code="tone")
    labels = pd.DataFrame({"unit_id": ["u00", "u01"], "code": "tone", "value": [0, 1]})
    row = framing.agreement_with(labels, tone, n_boot=0).iloc[0]
    assert row["n_tied"] == 1 and row["n_units"] == 1 and np.isnan(row["f1"])


# ----------------------------------------------------------------------------- frame models


@pytest.fixture(scope="module")
def coded_units(shipped_codes) -> pd.DataFrame:
    sample = pd.read_csv(VALIDATION / "sample.csv")
    return sample.merge(framing.majority_codes(shipped_codes, wide=True), on="unit_id")


def test_tfidf_from_counts_equals_scikit_learns(coded_units):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.validation.classify import TfidfFromCounts, count_matrix

    texts = coded_units["text"].tolist()
    counts, vocab = count_matrix(texts)
    draw = np.random.default_rng(0).integers(0, len(texts), size=len(texts))  # with repeats
    ours = TfidfFromCounts.fit(counts[draw]).transform(counts)
    vec = TfidfVectorizer(analyzer=framing.Analyzer((1, 2))).fit([texts[i] for i in draw])
    theirs = vec.transform(texts)
    terms = {i: t for t, i in vocab.items()}
    order = [vec.vocabulary_[terms[c]] for c in TfidfFromCounts.fit(counts[draw]).columns]
    assert np.allclose(ours.toarray(), theirs[:, order].toarray())


def test_model_predicts_the_same_rows_in_order(coded_units):
    model = framing.fit_frame_model(coded_units, frames=["conflict", "economic"])
    shuffled = coded_units.sample(frac=1, random_state=1)
    got = model.predict(shuffled)
    assert got.index.equals(shuffled.index)
    assert got.columns.tolist() == ["conflict", "conflict_p", "economic", "economic_p"]
    assert (got["economic"] == (got["economic_p"] >= 0.5)).all()
    # in-sample the model separates economic sentences (the coders agree on them, alpha 0.95)
    truth = shuffled["economic"].astype(int)
    assert ((got["economic"] == 1) & (truth == 1)).sum() / truth.sum() > 0.9
    one = coded_units.assign(rare=(coded_units["unit_id"] == "u001").astype(int))
    with pytest.raises(ValueError, match="frame 'rare' has 1 positive and 299 negative units"):
        framing.fit_frame_model(one, frames=["rare"])
    with pytest.raises(ValueError, match="learner='forest' is not allowed"):
        framing.fit_frame_model(coded_units, frames=["economic"], learner="forest")


def test_dictionary_labels_equal_frame_hits(coded_units):
    labels = framing.dictionary_labels(coded_units, frames=["economic", "conflict"], codes=CODES)
    hits = framing.frame_hits(coded_units.assign(kind="body"))
    for code, frame in (("economic", "economic consequences"), ("conflict", "conflict")):
        n = hits[hits["frame"] == frame].groupby(["doc_id", "sent_id"]).size()
        want = [n.get((d, s), 0) for d, s in coded_units[["doc_id", "sent_id"]].to_numpy()]
        assert labels[f"{code}_hits"].tolist() == want
        assert labels[code].tolist() == [int(w > 0) for w in want]


def test_cross_validation_reports_every_frame(coded_units):
    cv = framing.cross_validate_frames(
        coded_units, frames=FRAME_CODES, codes=CODES, learners=("svm", "logistic")
    )
    assert cv.groupby("frame", sort=False).size().to_dict() == dict.fromkeys(FRAME_CODES, 4)
    morality = cv[cv["frame"] == "morality"]
    assert (morality["note"] == "too few positives: 3 for 5 folds").all()
    assert morality["f1"].isna().all() and (morality["n_positive"] == 3).all()
    yes = cv[cv["method"] == "always yes"].set_index("frame")
    assert (yes.loc[["conflict", "economic"], "recall"] == 1).all()
    assert (yes.loc[["conflict", "economic"], "roc_auc"] == 0.5).all()
    # always-yes precision is the share of positives (folds grouped by article differ a little)
    assert yes.loc["economic", "precision"] == pytest.approx(59 / 300, abs=0.01)
    # on the economic frame the trained model beats both baselines by ROC AUC
    econ = cv[cv["frame"] == "economic"].set_index("method")
    assert econ.loc["svm", "roc_auc"] > econ.loc["dictionary", "roc_auc"] > 0.5


def test_prevalence_is_the_adjusted_share_labelled(coded_units, sents, articles):
    model = framing.fit_frame_model(coded_units, frames=["economic"])
    body = framing.join_articles(sents[sents["kind"] == "body"], articles, "outlet")
    got = framing.frame_prevalence(model, body, n_boot=20, seed=0)
    labels = model.predict(body)["economic"]
    for r in got.itertuples():
        sel = body["outlet"] == r.outlet
        assert r.labelled == pytest.approx(labels[sel].mean())
        want = min(1.0, max(0.0, (r.labelled - r.fpr) / (r.tpr - r.fpr)))
        assert r.prevalence == pytest.approx(want)
        assert r.n_articles == 1 and r.n_sentences == sel.sum()
    count = framing.frame_prevalence(model, body, n_boot=20, method="count")
    assert (count["prevalence"] == count["labelled"]).all()
    with pytest.raises(ValueError, match="method='guess' is not allowed"):
        framing.frame_prevalence(model, body, method="guess")


# ----------------------------------------------------------------------------- the shipped sample


@requires_allsides()
def test_shipped_units_are_the_corpus_sentences():
    articles = framing.load_corpus(ROOT / "corpus" / "allsides.toml")
    assert ALLSIDES.exists()
    sample = pd.read_csv(VALIDATION / "sample.csv", keep_default_na=False)
    topical = articles[articles["topic"].isin(["china", "russia"])]
    outlets = sorted(sample["outlet"].unique())
    chosen = topical[topical["outlet"].isin(outlets)]
    sents = framing.sentences(chosen)
    body = sents[sents["kind"] == "body"]
    # one coded unit is a sentence today's cleaning removes as page furniture: a CNN video
    # player's title (its raw line is in the audit under the rule named in `removed_by`)
    gone = sample[sample["removed_by"] != ""]
    assert gone["unit_id"].tolist() == ["u085"] and gone["removed_by"].tolist() == ["video-embed"]
    audit = framing.cleaning_audit(chosen)
    for r in gone.itertuples():
        lines = audit[(audit["doc_id"] == r.doc_id) & (audit["rule"] == r.removed_by)]
        assert lines["text"].str.contains(r.text, regex=False).any()
        assert not (sents["doc_id"].eq(r.doc_id) & sents["text"].eq(r.text)).any()
    sample = sample[sample["removed_by"] == ""]
    # every other unit is a body sentence of the corpus today, with its neighbours as context
    got = sample.merge(sents, on=["doc_id", "sent_id"], suffixes=("", "_corpus"))
    assert len(got) == 299 and (got["kind"] == "body").all()
    for col in ("start", "end", "text"):
        assert (got[col] == got[f"{col}_corpus"]).all()
    texts = chosen.set_index("doc_id")["text"]
    for r in sample.itertuples():
        assert texts[r.doc_id][r.mention_start : r.mention_end] == r.mention
    by_key = sents.set_index(["doc_id", "sent_id"])["text"]
    for r in sample.itertuples():
        assert r.context_before == by_key.get((r.doc_id, r.sent_id - 1), "")
        assert r.context_after == by_key.get((r.doc_id, r.sent_id + 1), "")
    # the unit's actor is the first listed actor the sentence names
    actors = framing.load_actors(VALIDATION / "actors.csv")
    m = framing.actor_mentions(body, actors).sort_values("start", kind="stable")
    first = m.groupby(["doc_id", "sent_id"]).first()
    for r in sample.itertuples():
        f = first.loc[(r.doc_id, r.sent_id)]
        assert (f["actor"], f["start"], f["end"]) == (r.actor, r.mention_start, r.mention_end)
    # the design, not the draw: equal allocation over the 12 outlets gives 25 each
    eligible = framing.join_articles(
        body.merge(first.reset_index()[["doc_id", "sent_id", "actor"]]), chosen, "outlet"
    )
    # 3,920 at the draw; 10 of them were page furniture that today's cleaning removes (u085 one)
    assert len(eligible) == 3910
    redrawn = framing.coding_sample(eligible, n=300, seed=0, context=sents)
    assert redrawn["outlet"].value_counts().eq(25).all() and redrawn["outlet"].nunique() == 12


def test_trust_summary_says_what_the_numbers_support():
    # issue #16.6: every verdict follows from the numbers by Krippendorff's thresholds; the
    # sentences below were written by hand from the tables
    agreement = pd.DataFrame(
        {
            "code": ["conflict", "morality", "tone", "rare"],
            "alpha": [0.862, 0.70, 0.40, float("nan")],
            "ci_low": [0.80, 0.55, 0.20, float("nan")],
            "ci_high": [0.91, 0.83, 0.58, float("nan")],
            "percent_agreement": [0.95, 0.90, 0.61, 1.0],
            "n_units": [300, 300, 300, 300],
            "n_pairable": [300, 300, 299, 300],
        }
    )
    tools = pd.DataFrame(
        {
            "tool": ["dictionary", "whole sentence"],
            "code": ["conflict", "tone"],
            "f1": [0.32, float("nan")],
            "accuracy": [0.70, 0.45],
            "alpha": [0.21, 0.058],
            "alpha_low": [0.10, -0.05],
            "alpha_high": [0.33, 0.17],
        }
    )
    cv = pd.DataFrame(
        {
            "frame": ["conflict"] * 4 + ["human_interest"] * 3,
            "method": [
                "svm",
                "logistic",
                "always yes",
                "dictionary",
                "svm",
                "always yes",
                "dictionary",
            ],
            "f1": [0.71, 0.65, 0.40, 0.32, 0.0, 0.2, 0.1],
            "f1_sd": [0.05, 0.06, 0.0, 0.0, 0.0, 0.0, 0.0],
            "roc_auc": [0.88, 0.85, 0.5, 0.6, 0.7, 0.5, 0.55],
            "note": [""] * 4 + ["only 3 coded positives: too few to cross-validate"] * 3,
        }
    )
    lines = framing.trust_summary(agreement, tools, cv).split("\n")
    assert lines == [
        "- **Coders on conflict**: alpha 0.86 [0.80, 0.91] over 300 units: reliable "
        "(alpha >= 0.8); they agree on 95% of pairs.",
        "- **Coders on morality**: alpha 0.70 [0.55, 0.83] over 300 units: good enough for "
        "tentative conclusions only (0.667 <= alpha < 0.8); they agree on 90% of pairs. The "
        "interval reaches down to 0.55: too few units use the code to be sure.",
        "- **Coders on tone**: alpha 0.40 [0.20, 0.58] over 299 units: not reliable "
        "(alpha < 0.667); they agree on 61% of pairs.",
        "- **Coders on rare**: alpha nan [nan, nan] over 300 units: undefined (a code almost "
        "never used); they agree on 100% of pairs.",
        "- **dictionary on conflict** against the coders' majority: F1 0.32, alpha 0.21 "
        "[0.10, 0.33] (coders among themselves: 0.86): not reliable (alpha < 0.667).",
        "- **whole sentence on tone** against the coders' majority: accuracy 0.45, alpha "
        "0.06 [-0.05, 0.17] (coders among themselves: 0.40): not reliable (alpha < 0.667).",
        "- **Trained model on conflict** (svm): cross-validated F1 0.71 ± 0.05, ROC AUC 0.88; "
        "always yes 0.40, dictionary 0.32: better than both baselines.",
        "- **Trained model on human\\_interest**: not measured — only 3 coded positives\\: too "
        "few to cross\\-validate.",  # Markdown source: the note is escaped
    ]


def test_trust_summary_names_a_model_no_better_than_a_baseline():
    agreement = pd.DataFrame(
        {"code": ["economic"], "alpha": [0.95], "ci_low": [0.9], "ci_high": [0.98],
         "percent_agreement": [0.99], "n_units": [300], "n_pairable": [300]}
    )  # fmt: skip
    cv = pd.DataFrame(
        {
            "frame": ["economic"] * 3 + ["responsibility"] * 3,
            "method": ["svm", "always yes", "dictionary"] * 2,
            "f1": [0.80, 0.30, 0.84, 0.20, 0.25, 0.10],
            "f1_sd": [0.04, 0, 0, 0.1, 0, 0],
            "roc_auc": [0.9, 0.5, 0.8, 0.6, 0.5, 0.5],
            "note": [""] * 6,
        }
    )
    text = framing.trust_summary(agreement, cv=cv)
    assert text.endswith(
        "- **Trained model on economic** (svm): cross-validated F1 0.80 ± 0.04, ROC AUC 0.90; "
        "always yes 0.30, dictionary 0.84: no better than the dictionary.\n"
        "- **Trained model on responsibility** (svm): cross-validated F1 0.20 ± 0.10, ROC AUC "
        "0.60; always yes 0.25, dictionary 0.10: no better than labelling every sentence 1."
    )


def test_speaker_agreement_of_judged_quotations():
    # issue #16.3: the quotation finder's speakers against a judge's, as codes for
    # agreement_with. Six judged quotations (one row is a phrase, not a quotation, and is left
    # out): "Mr. Trump" names the judged "Donald Trump" and "President Xi Jinping" names "Xi
    # Jinping" (same_speaker), "Pence" is wrong, a quotation found without a speaker agrees with
    # a judged quotation without one, and a missed quotation never agrees, not even with a
    # judged "no speaker" (as attribution_accuracy counts it).
    rows = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "b", "b", "c"],
            "start": [0, 50, 90, 0, 40, 80, 5],
            "end": [20, 70, 99, 30, 60, 95, 25],
            "gold_kind": ["quote", "quote", "phrase", "quote", "quote", "quote", "quote"],
            "gold_speaker": ["Donald Trump", "Nancy Pelosi", "", "Joe Biden", "", "Xi Jinping", ""],
            "found_kind": ["quote", "quote", "quote", "", "quote", "quote", ""],
            "found_speaker": ["Mr. Trump", "Pence", "", "", "", "President Xi Jinping", ""],
        }
    )
    tool, codes = framing.speaker_codes(rows)
    assert codes["unit_id"].tolist() == [
        "a:0-20", "a:50-70", "b:0-30", "b:40-60", "b:80-95", "c:5-25",
    ]  # fmt: skip
    assert codes["value"].tolist() == [
        "Donald Trump", "Nancy Pelosi", "Joe Biden", "(no speaker)", "Xi Jinping", "(no speaker)",
    ]  # fmt: skip
    assert tool["value"].tolist() == [
        "Donald Trump", "Pence", "(not found)", "(no speaker)", "Xi Jinping", "(not found)",
    ]  # fmt: skip
    row = framing.agreement_with(tool, codes, n_boot=0).iloc[0]
    assert (row["tool"], row["code"], row["n_units"]) == ("find_quotes", "speaker", 6)
    assert row["accuracy"] == pytest.approx(3 / 6)
    # alpha against the krippendorff package on the same two rows (labels as integers)
    labels = sorted(set(codes["value"]) | set(tool["value"]))
    data = np.array([[labels.index(v) for v in codes["value"]],
                     [labels.index(v) for v in tool["value"]]], dtype=float)  # fmt: skip
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert row["alpha"] == pytest.approx(expected)
    assert 0 < row["alpha"] < 1


def test_majority_of_text_codes_stays_text_and_a_tie_has_none():
    codes = pd.DataFrame(
        {
            "unit_id": ["q1", "q1", "q1", "q2", "q2"],
            "coder": ["A", "B", "C", "A", "B"],
            "code": "speaker",
            "value": ["Joe Biden", "Joe Biden", "Kamala Harris", "Joe Biden", "Kamala Harris"],
        }
    )
    maj = framing.majority_codes(codes)
    assert maj["value"].tolist()[0] == "Joe Biden"
    assert maj["tied"].tolist() == [False, True] and pd.isna(maj["value"].iloc[1])
    tool = pd.DataFrame({"unit_id": ["q1", "q2"], "speaker": ["Joe Biden", "Joe Biden"]})
    row = framing.agreement_with(tool, codes, n_boot=0).iloc[0]
    assert (row["n_units"], row["n_tied"], row["accuracy"]) == (1, 1, 1.0)


def test_majority_decides_numbers_or_text_per_code():
    codes = pd.DataFrame(
        {
            "unit_id": ["q1", "q1", "q1", "q1"],
            "coder": ["A", "B", "A", "B"],
            "code": ["speaker", "speaker", "conflict", "conflict"],
            "value": ["Joe Biden", "Joe Biden", 1, 1],
        }
    )
    maj = framing.majority_codes(codes).set_index("code")["value"]
    assert maj["speaker"] == "Joe Biden"
    assert isinstance(maj["conflict"], float) and maj["conflict"] == 1.0
