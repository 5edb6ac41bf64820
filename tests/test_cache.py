"""Tests for the on-disk cache (framing.cache)."""

from __future__ import annotations

import hashlib
import importlib.resources
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing
from framing.cache import (
    CacheWarning,
    FrameCache,
    cache_dir,
    cache_namespaces,
    clear_cache,
    code_version,
    content_key,
    content_keys,
)


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "c"))
    return tmp_path / "c"


def test_cache_dir_reads_environment(root):
    assert cache_dir() == root


def test_cache_dir_default(monkeypatch, tmp_path):
    monkeypatch.delenv("FRAMING_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "framing"


def test_content_key_is_sha256_of_length_prefixed_parts():
    b = "Blinkenü".encode()
    expected = hashlib.sha256(len(b).to_bytes(8, "little") + b).hexdigest()
    assert content_key("Blinkenü") == expected
    assert len(content_key("a")) == 64
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key("x") != content_key("x", "")


def _frame(keys, values):
    return pd.DataFrame({"compound": values, "label": [f"v{v}" for v in values]},
                        index=pd.Index(keys, name="key"))  # fmt: skip


def test_put_then_get_returns_identical_rows(root):
    cache = FrameCache("demo", "1")
    keys = [content_key(t) for t in ("one", "two", "three")]
    cache.put(_frame(keys, [0.1, -0.25, 0.3333333333333333]))
    got = cache.get(keys + [content_key("missing")])
    assert sorted(got.index) == sorted(keys)
    assert got.loc[keys[2], "compound"] == 0.3333333333333333
    assert got.loc[keys[1], "label"] == "v-0.25"
    assert got.index.name == "key"
    assert cache.path == root / "demo" / "1"


def test_get_on_empty_cache_and_empty_put(root):
    cache = FrameCache("demo", "1")
    assert len(cache.get(["a"])) == 0
    assert cache.put(_frame([], [])) is None
    assert len(cache.get([])) == 0


def test_newest_shard_wins_and_versions_are_separate(root):
    c1 = FrameCache("demo", "1")
    c1.put(_frame(["k"], [1.0]))
    c1.put(_frame(["k"], [2.0]))
    assert c1.get(["k"])["compound"].tolist() == [2.0]
    assert len(FrameCache("demo", "2").get(["k"])) == 0


def test_clear_cache(root):
    FrameCache("a", "1").put(_frame(["k"], [1.0]))
    FrameCache("b", "1").put(_frame(["k"], [1.0]))
    clear_cache("a")
    assert len(FrameCache("a", "1").get(["k"])) == 0
    assert len(FrameCache("b", "1").get(["k"])) == 1
    clear_cache()
    assert not root.exists()


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "sp ace"])
def test_bad_names_raise(bad):
    with pytest.raises(ValueError, match="namespace"):
        FrameCache(bad, "1")
    with pytest.raises(ValueError, match="version"):
        FrameCache("ok", bad)


def test_whole_frame_entries(root):
    cache = FrameCache("demo", "1")
    key = content_key("a", "b")
    assert cache.get_frame(key) is None
    frame = pd.DataFrame({"compound": [0.5, -0.25], "neg": [0.0, 0.3]})
    cache.put_frame(key, frame)
    pd.testing.assert_frame_equal(cache.get_frame(key), frame)
    assert len(cache.get([key])) == 0  # whole frames are not row entries
    with pytest.raises(ValueError, match="key"):
        cache.put_frame("../x", frame)


def test_content_keys_equal_content_key():
    texts = ["", "Blinken", "Xi’s “peace” plan 💘"]
    assert content_keys(texts) == [content_key(t) for t in texts]


def test_cache_marks_its_folders_and_clears_only_them(root):
    (root / "mine").mkdir(parents=True)
    (root / "mine" / "keep.csv").write_text("a,b\n", encoding="utf-8")
    (root / "todo.txt").write_text("x", encoding="utf-8")
    FrameCache("a", "1").put(_frame(["k"], [1.0]))
    # the root held the user's files: not tagged (review 1.1: backup tools would skip them all)
    assert not (root / "CACHEDIR.TAG").exists()
    assert (root / "a" / ".framing-namespace").read_text(encoding="utf-8") == "a\n"
    assert cache_namespaces() == ["a"]
    with pytest.raises(ValueError, match=r"namespace='mine': .* was not written by the framing"):
        clear_cache("mine")
    assert clear_cache("nothing-there") == []
    assert clear_cache() == ["a"]
    assert sorted(p.name for p in root.iterdir()) == ["mine", "todo.txt"]
    assert (root / "mine" / "keep.csv").read_text(encoding="utf-8") == "a,b\n"


def test_unwritable_root_warns_once_and_caches_nothing(tmp_path):
    # a new root (tmp_path): this process has not warned about it yet
    (tmp_path / "f").write_text("a file", encoding="utf-8")
    cache = FrameCache("demo", "1", root=tmp_path / "f" / "c")
    with pytest.warns(CacheWarning) as caught:
        assert cache.put(_frame(["k"], [1.0])) is None
        assert cache.put_frame("k2", pd.DataFrame({"a": [1]})) is None
        assert cache.put(_frame(["k3"], [1.0])) is None
    assert len(caught) == 1
    assert "cannot be written (NotADirectoryError" in str(caught[0].message)
    assert len(cache.get(["k"])) == 0 and cache.get_frame("k2") is None


@pytest.mark.parametrize("namespace", ["groups", "corpus"])
def test_a_users_folder_named_like_a_namespace_is_never_claimed_or_cleared(
    namespace, tmp_path, monkeypatch
):  # fmt: skip
    # review 1.1: the folder was marked as the cache's and `cache clear` deleted it, then the root
    root = tmp_path / "P"  # a new folder: this process has not warned about it yet
    (root / namespace).mkdir(parents=True)
    (root / namespace / "notes.txt").write_text("notes", encoding="utf-8")
    monkeypatch.setenv("FRAMING_CACHE", str(root))
    mine = FrameCache(namespace, "1")
    with pytest.warns(CacheWarning, match=f"{namespace} exists and was not written") as caught:
        assert mine.put(_frame(["k"], [1.0])) is None
        assert mine.put_frame("k2", pd.DataFrame({"a": [1]})) is None
        assert len(mine.get(["k"])) == 0 and mine.get_frame("k2") is None
    assert len(caught) == 1
    # other namespaces still use the cache; the user's root is not tagged
    FrameCache("other", "1").put(_frame(["k"], [2.0]))
    assert FrameCache("other", "1").get(["k"]).compound.tolist() == [2.0]
    assert sorted(p.name for p in root.iterdir()) == [namespace, "other"]
    assert sorted(p.name for p in (root / namespace).iterdir()) == ["notes.txt"]
    assert cache_namespaces() == ["other"]
    with pytest.raises(ValueError, match="was not written by the framing cache"):
        clear_cache(namespace)
    assert clear_cache() == ["other"]
    assert sorted(p.name for p in root.iterdir()) == [namespace]
    assert (root / namespace / "notes.txt").read_text(encoding="utf-8") == "notes"


def test_empty_folders_are_claimed_and_a_created_or_empty_root_is_tagged(tmp_path):
    signature = "Signature: 8a477f597d28d172789f06886806bc55\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    FrameCache("a", "1", root=empty).put(_frame(["k"], [1.0]))
    assert (empty / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(signature)
    fresh = tmp_path / "new" / "cache"
    FrameCache("a", "1", root=fresh).put(_frame(["k"], [1.0]))
    assert sorted(p.name for p in fresh.iterdir()) == ["CACHEDIR.TAG", "a"]
    assert clear_cache(root=fresh) == ["a"]
    assert not fresh.exists()
    root = tmp_path / "P"
    (root / "groups").mkdir(parents=True)  # an empty folder: nothing of the user's to lose
    FrameCache("groups", "1", root=root).put(_frame(["k"], [1.0]))
    assert (root / "groups" / ".framing-namespace").read_text(encoding="utf-8") == "groups\n"
    assert not (root / "CACHEDIR.TAG").exists()  # the root was not empty (it held groups/)
    assert clear_cache(root=root) == ["groups"]
    assert root.is_dir() and list(root.iterdir()) == []


def test_a_symlinked_namespace_folder_is_not_the_caches(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".framing-namespace").write_text("a\n", encoding="utf-8")
    (elsewhere / "data.csv").write_text("x", encoding="utf-8")
    root = tmp_path / "c"
    root.mkdir()
    (root / "a").symlink_to(elsewhere)
    with pytest.warns(CacheWarning, match="was not written"):
        assert FrameCache("a", "1", root=root).put(_frame(["k"], [1.0])) is None
    assert cache_namespaces(root) == []
    with pytest.raises(ValueError, match="was not written"):
        clear_cache("a", root=root)
    assert clear_cache(root=root) == []
    assert sorted(p.name for p in elsewhere.iterdir()) == [".framing-namespace", "data.csv"]


# ------------------------------------------------- one code version for every cached result


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the installed framing package that code_version() hashes instead of the real
    one (importlib.resources.files("framing") answers with it); the memo cleared around it.
    Yields the copy and the real package's version."""
    original = code_version()
    real_files = importlib.resources.files
    source = Path(str(real_files("framing")))
    copy = tmp_path / "framing"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    monkeypatch.setattr(
        importlib.resources,
        "files",
        lambda package: copy if package == "framing" else real_files(package),
    )
    code_version.cache_clear()
    yield copy, original
    monkeypatch.undo()
    code_version.cache_clear()


def _version_after_editing(copy: Path, name: str) -> str:
    """code_version() with one more line at the end of ``name``, then the file restored."""
    path = copy / name
    before = path.read_bytes()
    path.write_bytes(before + b"\n# edited\n")
    code_version.cache_clear()
    try:
        return code_version()
    finally:
        path.write_bytes(before)
        code_version.cache_clear()


def test_code_version_is_a_hash_of_the_computing_code(package_copy):
    copy, original = package_copy
    assert re.fullmatch(r"[0-9a-f]{16}", original)
    assert framing.cache.code_version is code_version
    real = code_version()  # the memo was cleared: computed from the copy
    assert real == original  # the same files: the same version, wherever they lie
    # the readers, the text engines, the measures, the data files, stats, the pipeline and the
    # errors: a change to any of them is a new version, so no cached row of the old code is read
    computing = ["io/readers.py", "io/load.py", "io/rows.py", "text/tokens.py", "text/kernels.py",
                 "measures/sentiment.py", "measures/quotes.py", "data/stopwords.txt",
                 "data/frames.toml", "stats.py", "pipeline.py", "errors.py"]  # fmt: skip
    versions = {name: _version_after_editing(copy, name) for name in computing}
    assert real not in versions.values()
    assert len(set(versions.values())) == len(computing)
    # drawing and reporting code is not part of it: redrawing never recomputes an analysis
    for name in ["plots/base.py", "plots/terms.py", "describe.py", "report.py", "cli.py",
                 "notebooks.py", "outputs.py", "cache.py"]:  # fmt: skip
        assert _version_after_editing(copy, name) == real, name
    # a new file among the computing code counts too
    (copy / "text" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    code_version.cache_clear()
    assert code_version() != real


# ------------------------------------------------------------------------------ cached calls


CALLS: list[str] = []  # the calls the spies below made: they are importable by name


def spy_keyness(*args, **kwargs):
    CALLS.append("keyness")
    return framing.keyness(*args, **kwargs)


def spy_kwic(*args, **kwargs):
    CALLS.append("kwic")
    return framing.kwic_top_terms(*args, **kwargs)


def spy_lists(n):
    CALLS.append("lists")
    return pd.DataFrame({"x": [[1, 2]] * n})


def spy_named_index(n):
    CALLS.append("named_index")
    return pd.DataFrame({"x": range(n)}).rename_axis("k")


def spy_any(x):
    CALLS.append("any")
    return pd.DataFrame({"x": [1]})


def spy_pair(n):
    CALLS.append("pair")
    return pd.DataFrame({"a": range(n)}), pd.DataFrame({"b": [n]})


def test_cached_call_reads_back_the_same_table_and_attrs(root, articles, sents):
    from framing.cache import cached

    CALLS.clear()
    body = framing.join_articles(sents, articles, "outlet")
    body = body[body["kind"] == "body"].reset_index(drop=True)
    body = body.assign(doc_id=body["doc_id"] + "-" + (body["sent_id"] // 8).astype(str))
    opts = {"by": "outlet", "test": "permutation", "n_perm": 30, "top_terms": 50}
    direct = framing.keyness(body, **opts)
    first = cached(spy_keyness, body, **opts)
    again = cached(spy_keyness, body, **opts)
    assert CALLS == ["keyness"]  # the second call read the cache
    for got in (first, again):
        pd.testing.assert_frame_equal(got, direct, check_exact=True)
        n_docs = body["doc_id"].nunique()  # articles cut into pieces of eight sentences
        assert got.attrs == direct.attrs == {"n_tested": 50, "n_perm": 30, "n_documents": n_docs}
    # another value of any argument, or another table, is another call
    cached(spy_keyness, body, **{**opts, "n_perm": 31})
    cached(spy_keyness, body.assign(text=body["text"].str.replace("Xi", "Hu")), **opts)
    assert CALLS == ["keyness"] * 3
    # progress changes nothing and is not part of the key
    lo = framing.log_odds(body, by="outlet")
    a = cached(spy_kwic, body, lo, by="outlet", terms=2, lines=2, progress=False)
    b = cached(spy_kwic, body, lo, by="outlet", terms=2, lines=2, progress=True)
    assert CALLS.count("kwic") == 1
    want = framing.kwic_top_terms(body, lo, by="outlet", terms=2, lines=2)
    pd.testing.assert_frame_equal(a, want, check_exact=True)
    pd.testing.assert_frame_equal(b, want, check_exact=True)


def test_cached_call_keeps_only_what_reads_back_exactly(root):
    import functools

    from framing.cache import cached

    CALLS.clear()
    for _ in range(2):
        cached(spy_lists, 2)  # a column of lists comes back as arrays: not kept
        cached(spy_named_index, 2)  # a named index would come back unnamed: not kept
        cached(spy_any, object())  # an argument without a value to key: computed
    assert CALLS == ["lists", "named_index", "any"] * 2
    one, two = cached(spy_pair, 3), cached(spy_pair, 3)
    assert CALLS.count("pair") == 1 and isinstance(two, tuple)
    for x, y in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(x, y)
    # two lambdas (or closures, or partials) share a name: never kept, each computed
    first = cached(lambda n: pd.DataFrame({"x": [n]}), 3)
    second = cached(lambda n: pd.DataFrame({"x": [n * 100]}), 3)
    assert (first["x"][0], second["x"][0]) == (3, 300)
    assert cached(functools.partial(spy_pair, 2))[1]["b"][0] == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (np.array([1, 2], dtype=object), np.array(["1", "2"])),
        (pd.Series([1], name=1), pd.Series([1], name="1")),
        (
            pd.Series(pd.Categorical(["a", "b"], ordered=True)),
            pd.Series(pd.Categorical(["a", "b"], ordered=False)),
        ),
        (pd.DataFrame({"x": [np.arange(2000)]}), pd.DataFrame({"x": [np.arange(2000) * 2]})),
        (pd.DataFrame({"x": [1]}).rename_axis("k"), pd.DataFrame({"x": [1]})),
        (
            pd.DataFrame({"x": [1]}).assign(y=2).set_axis(["x", "x"], axis=1),
            pd.DataFrame({"x": [1], "y": [2]}),
        ),  # fmt: skip
        (pd.MultiIndex.from_tuples([(1, "a")]), pd.MultiIndex.from_tuples([(1, "b")])),
    ],
)
def test_cached_calls_tell_argument_values_apart(root, a, b):
    from framing.cache import cached

    CALLS.clear()
    cached(spy_any, a)
    cached(spy_any, b)  # another value: computed
    cached(spy_any, a.copy())  # the same value again: read back
    assert CALLS == ["any", "any"]
