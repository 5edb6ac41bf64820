"""A small on-disk cache of tidy results, keyed by content hash and code version.

Expensive per-row results (VADER scores of a sentence, quotes of an article …) are stored as
Parquet shards under ``cache_dir()/NAMESPACE/VERSION/``. A row is found again by its key, a
sha256 of the content it was computed from (:func:`content_key`); changing the content changes
the key, so a changed sentence or article is recomputed and only that row. Changing the code
that computes a result means bumping ``version``: old shards stay in their own folder and are
never read by the new code.

Example::

    cache = FrameCache("vader", "3.3.2-1")
    keys = [content_key(t) for t in texts]
    found = cache.get(keys)                  # DataFrame indexed by key, rows found only
    todo = [k for k in keys if k not in found.index]
    ...                                      # compute the rows for todo
    cache.put(new_rows)                      # DataFrame indexed by key
    cache.put_frame(content_key(*texts), whole)   # optional: the whole result under one key
    cache.get_frame(content_key(*texts))          # -> DataFrame or None

The cache is cleared with :func:`clear_cache` (or ``make clean-cache``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

__all__ = ["cache_dir", "content_key", "content_keys", "FrameCache", "clear_cache"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_KEY = "key"


def cache_dir() -> Path:
    """The cache root: ``$FRAMING_CACHE`` if set, else ``~/.cache/framing``.

    Returns:
        The path (not created until something is written).
    """
    env = os.environ.get("FRAMING_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "framing"


def content_key(*parts: str) -> str:
    """A sha256 hex digest of ``parts``, unambiguous about where one part ends.

    Args:
        *parts: strings, e.g. the sentence text, or an article's text and a rule-file hash.

    Returns:
        64 lowercase hex characters. ``content_key("ab", "c") != content_key("a", "bc")``.
    """
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", "surrogatepass")
        # length-prefix each part so concatenations cannot collide
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def content_keys(texts: Iterable[str]) -> list[str]:
    """``[content_key(t) for t in texts]``, computed with less overhead per text."""
    sha = hashlib.sha256
    out = []
    for t in texts:
        b = t.encode("utf-8", "surrogatepass")
        out.append(sha(len(b).to_bytes(8, "little") + b).hexdigest())
    return out


def _check_name(arg: str, value: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(
            f"{arg}={value!r} is not allowed: use letters, digits, '.', '_', '+', '-' "
            "(it becomes a folder name)"
        )
    return value


class FrameCache:
    """Rows of a DataFrame stored on disk by key, in Parquet shards.

    Args:
        namespace: what is cached, e.g. ``"vader"`` or ``"quotes"`` (a folder name).
        version: the code/model version of the result, e.g. ``"vader-3.3.2+fast-1"``; bump it
            whenever the computation changes, so stale rows are never returned.
        root: the cache root (default :func:`cache_dir`, read at construction time).

    Note:
        Each :meth:`put` writes one new shard with a unique name, so two processes writing at the
        same time do not clobber each other; a key stored twice is returned once (the newest
        shard wins). Columns must be types Parquet can hold (numbers, strings, booleans).
    """

    def __init__(self, namespace: str, version: str, *, root: str | Path | None = None):
        self.namespace = _check_name("namespace", namespace)
        self.version = _check_name("version", version)
        self.root = Path(root) if root is not None else cache_dir()

    @property
    def path(self) -> Path:
        """The folder holding this namespace/version's shards."""
        return self.root / self.namespace / self.version

    def _shards(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        # names start with a nanosecond clock, so sorting by name puts later shards last and
        # later shards win on duplicate keys
        return sorted(p for p in self.path.glob("*.parquet") if p.is_file())

    def get(self, keys: Iterable[str]) -> pd.DataFrame:
        """The cached rows for ``keys``.

        Args:
            keys: content keys (duplicates allowed).

        Returns:
            A DataFrame indexed by ``key`` holding only the keys that were found, each once, in
            no particular order; empty (no rows) when nothing is cached.
        """
        wanted = pc.unique(pa.array(np.asarray(list(keys), dtype=object), pa.string()))
        shards = self._shards()
        if len(wanted) == 0 or not shards:
            return pd.DataFrame(index=pd.Index([], name=_KEY, dtype=object))
        # read everything, then one hash-set membership test: faster than a dataset filter,
        # which re-evaluates the value set batch by batch
        table = ds.dataset([str(p) for p in shards], format="parquet").to_table()
        table = table.filter(pc.is_in(table[_KEY], value_set=wanted))
        frame = table.to_pandas()
        frame = frame.drop_duplicates(subset=_KEY, keep="last")
        return frame.set_index(_KEY)

    def put(self, frame: pd.DataFrame) -> Path | None:
        """Store the rows of ``frame`` (indexed by key) as one new shard.

        Args:
            frame: a DataFrame whose index holds the content keys.

        Returns:
            The shard written, or ``None`` when ``frame`` is empty.
        """
        if len(frame) == 0:
            return None
        out = frame.copy()
        out.index = out.index.astype(str)
        out.index.name = _KEY
        out = out.reset_index()
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}.parquet"
        tmp = self.path / f".{name}.tmp"
        pq.write_table(pa.Table.from_pandas(out, preserve_index=False), tmp)
        final = self.path / name
        os.replace(tmp, final)  # atomic: a reader never sees half a shard
        return final

    def get_frame(self, key: str) -> pd.DataFrame | None:
        """A whole frame stored under one key by :meth:`put_frame`, or ``None``.

        Row-keyed entries (:meth:`get`) let a changed row be recomputed alone; a whole-frame
        entry makes the commonest rerun, the same input again, one file read instead of one
        lookup per row.
        """
        path = self.path / "frames" / f"{_check_name('key', key)}.parquet"
        if not path.is_file():
            return None
        return pq.read_table(path).to_pandas()

    def put_frame(self, key: str, frame: pd.DataFrame) -> Path:
        """Store a whole frame (index dropped) under one key, e.g. a hash of all the inputs."""
        folder = self.path / "frames"
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{_check_name('key', key)}.parquet"
        tmp = folder / f".{final.name}.{uuid.uuid4().hex[:12]}.tmp"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
        os.replace(tmp, final)
        return final

    def clear(self) -> None:
        """Remove this namespace/version's shards."""
        shutil.rmtree(self.path, ignore_errors=True)

    def __repr__(self) -> str:
        return f"FrameCache({self.namespace!r}, {self.version!r}, root={str(self.root)!r})"


def clear_cache(namespace: str | None = None, *, root: str | Path | None = None) -> None:
    """Delete cached results.

    Args:
        namespace: one namespace (all its versions), or ``None`` for the whole cache.
        root: the cache root (default :func:`cache_dir`).
    """
    base = Path(root) if root is not None else cache_dir()
    if namespace is not None:
        base = base / _check_name("namespace", namespace)
    shutil.rmtree(base, ignore_errors=True)
