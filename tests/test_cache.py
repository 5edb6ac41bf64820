"""Tests for the on-disk cache (framing.cache)."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from framing.cache import (
    CacheWarning,
    FrameCache,
    cache_dir,
    cache_namespaces,
    clear_cache,
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
    assert (
        (root / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    )
    assert (root / "a" / ".framing-namespace").read_text(encoding="utf-8") == "a\n"
    assert cache_namespaces() == ["a"]
    with pytest.raises(ValueError, match=r"namespace='mine': .* was not written by the framing"):
        clear_cache("mine")
    assert clear_cache("nothing-there") == []
    assert clear_cache() == ["a"]
    assert sorted(p.name for p in root.iterdir()) == ["CACHEDIR.TAG", "mine", "todo.txt"]
    assert (root / "mine" / "keep.csv").read_text(encoding="utf-8") == "a,b\n"


def test_unwritable_root_warns_once_and_caches_nothing(tmp_path, monkeypatch):
    from framing import cache as cache_mod

    monkeypatch.setattr(cache_mod, "_UNWRITABLE", set())
    (tmp_path / "f").write_text("a file", encoding="utf-8")
    cache = FrameCache("demo", "1", root=tmp_path / "f" / "c")
    with pytest.warns(CacheWarning) as caught:
        assert cache.put(_frame(["k"], [1.0])) is None
        assert cache.put_frame("k2", pd.DataFrame({"a": [1]})) is None
        assert cache.put(_frame(["k3"], [1.0])) is None
    assert len(caught) == 1
    assert "cannot be written (NotADirectoryError" in str(caught[0].message)
    assert len(cache.get(["k"])) == 0 and cache.get_frame("k2") is None
