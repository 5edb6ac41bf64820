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

The cache is cleared with :func:`clear_cache` (``framing cache clear``). The cache marks what it
wrote: the root holds a ``CACHEDIR.TAG`` (the cross-tool convention backup programs skip) and each
namespace folder a ``.framing-namespace`` file; clearing removes only marked namespace folders, so
files of the user's own under ``$FRAMING_CACHE`` are never deleted. Only folders the cache created
(or found empty) are marked: a folder of the user's that is named like a namespace (``groups``,
``corpus``, ``rows-*`` …) and holds anything is left alone, with one :class:`CacheWarning`, and that
namespace runs without the cache; a root that already holds the user's files gets no
``CACHEDIR.TAG`` (backup programs would skip it all) and is never removed. A cache that cannot be read or
written (read-only, full, a path through a file) degrades to no cache with one
:class:`CacheWarning`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import time
import uuid
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the report runner reads keys and the cache folder
    import numpy as np  # without holding pandas
    import pandas as pd

__all__ = [
    "code_version",
    "cache_dir",
    "content_key",
    "content_keys",
    "array_digest",
    "texts_digest",
    "FrameCache",
    "clear_cache",
    "cache_namespaces",
    "CacheWarning",
    "cached",
]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_KEY = "key"
# the signature line of https://bford.info/cachedir/ (tar --exclude-caches, borg, restic …)
TAG_NAME = "CACHEDIR.TAG"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by framing.\n"
    "# `framing cache clear` removes only the sub-folders holding a .framing-namespace file.\n"
)
NAMESPACE_MARK = ".framing-namespace"
# roots whose writes failed once in this process: written no more (one warning each)
_UNWRITABLE: set[str] = set()
_UNREADABLE: set[str] = set()
# namespace folders of the user's found where the cache would write: left alone (one warning each)
_FOREIGN: set[str] = set()


class CacheWarning(RuntimeWarning):
    """The disk cache cannot be used (read-only, full …): the work runs without it."""


def _warn_once(seen: set[str], place: Path, message: str, stacklevel: int = 3) -> None:
    """One CacheWarning per place and kind (``seen``) in a process."""
    if str(place) in seen:
        return
    seen.add(str(place))
    warnings.warn(message, CacheWarning, stacklevel=stacklevel + 1)


def _warn_unusable(seen: set[str], root: Path, what: str, err: OSError) -> None:
    _warn_once(
        seen,
        root,
        f"cache {root} cannot be {what} ({err.__class__.__name__}: {err}); running without "
        "the cache (set FRAMING_CACHE to a writable folder, or pass cache=False / --no-cache)",
    )


def cache_writable(root: Path) -> bool:
    """False once a write under ``root`` failed in this process (the cache then only reads)."""
    return str(root) not in _UNWRITABLE


class ForeignFolderError(OSError):
    """A namespace folder exists, is not empty and was not written by the cache (the user's)."""

    def __init__(self, folder: Path):
        super().__init__(f"{folder} exists and is not the cache's")
        self.folder = folder


def _is_empty_dir(path: Path) -> bool:
    with os.scandir(path) as it:
        return next(it, None) is None


def _tag_root(root: Path) -> None:
    """Create ``root`` if absent; tag it ``CACHEDIR.TAG`` only if framing created it or it was empty.

    A folder of the user's that already holds things is used but never tagged: backup programs
    honouring the tag would skip the whole folder, the user's files too.
    """
    if (root / TAG_NAME).is_file():
        return
    try:
        root.mkdir(parents=True)
    except FileExistsError:
        if not root.is_dir():
            raise
        if not _is_empty_dir(root):
            return
    (root / TAG_NAME).write_text(_TAG, encoding="utf-8")


def _foreign(folder: Path) -> bool:
    """True if ``folder`` exists but is not the cache's: unmarked and not empty, or a symlink."""
    try:
        if folder.is_symlink():
            return True
        if not folder.exists() or (folder / NAMESPACE_MARK).is_file():
            return False
        return not folder.is_dir() or not _is_empty_dir(folder)
    except OSError:
        return False  # unreadable: the read or write that follows says so


def _warn_foreign(folder: Path) -> None:
    _warn_once(
        _FOREIGN,
        folder,
        f"cache folder {folder} exists and was not written by the framing cache (it holds no "
        f"{NAMESPACE_MARK} file); it is left alone and this namespace runs without the cache "
        "(move the folder, or set FRAMING_CACHE to another folder)",
    )


def namespace_dir(root: Path, namespace: str) -> Path:
    """``root/namespace``, created and marked as the cache's own (the root tagged too).

    A folder is marked ``.framing-namespace`` only when this call created it or it was empty; a
    folder already there, unmarked and not empty, is the user's and never claimed.

    Raises:
        ForeignFolderError: ``root/namespace`` is such a folder of the user's (an ``OSError``;
            :func:`guarded_write` then warns once and skips the write for that namespace only).
        OSError: the folder cannot be created (callers degrade to no cache).
    """
    folder = root / _check_name("namespace", namespace)
    mark = folder / NAMESPACE_MARK
    if not folder.is_symlink() and mark.is_file():
        return folder
    _tag_root(root)
    try:
        folder.mkdir()
    except FileExistsError:
        if _foreign(folder):
            raise ForeignFolderError(folder) from None
    if not mark.is_file():
        mark.write_text(f"{namespace}\n", encoding="utf-8")
    return folder


@contextlib.contextmanager
def guarded_write(root: Path):
    """Run a cache write; an ``OSError`` turns the cache off for writing with one warning.

    A :class:`ForeignFolderError` (a folder of the user's where a namespace would go) skips that
    write only, with one warning per folder; other namespaces go on using the cache.

    Yields:
        True if the write should be attempted (the cache was not already found unwritable).
    """
    if not cache_writable(root):
        yield False
        return
    try:
        yield True
    except ForeignFolderError as e:
        _warn_foreign(e.folder)
    except OSError as e:
        _warn_unusable(_UNWRITABLE, root, "written", e)


def cache_dir() -> Path:
    """The cache root: ``$FRAMING_CACHE`` if set, else ``~/.cache/framing``.

    Returns:
        The path (not created until something is written).
    """
    env = os.environ.get("FRAMING_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "framing"


# The code a cached result depends on: the readers, the text engines, the measures, the
# statistics, the pipeline that assembles the tables, and every data file (rules, word lists,
# tables). Drawing and reporting code (plots, describe, report, notebooks, cli) is not part of it.
_COMPUTING = (
    "io", "text", "measures", "data", "stats.py", "stats_kernels.py", "pipeline.py", "errors.py"
)  # fmt: skip


@functools.cache
def code_version() -> str:
    """The one version every cached result is stored under: a hash of the computing code.

    It covers every file of ``framing/io``, ``framing/text``, ``framing/measures`` and
    ``framing/data``, ``stats.py``, ``stats_kernels.py``, ``pipeline.py`` and ``errors.py``, and
    the versions of the packages whose results are cached as they are (vaderSentiment, numpy,
    pandas): change any of them and no cached row of the old code is read again. Plots and report prose are
    not part of it, so redrawing a figure never recomputes an analysis.

    Returns:
        16 hex characters.
    """
    from importlib import resources
    from importlib.metadata import version

    pkg = resources.files("framing")
    h = hashlib.sha256()
    files = []
    for name in _COMPUTING:
        node = pkg.joinpath(name)
        if node.is_file():
            files.append(name)
        else:
            files += sorted(
                str(p.relative_to(Path(str(pkg))))
                for p in Path(str(node)).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")
            )
    for name in sorted(files):
        h.update(name.encode() + b"\0" + pkg.joinpath(name).read_bytes() + b"\0")
    for dist in ("vaderSentiment", "numpy", "pandas"):
        h.update(f"{dist}={version(dist)}".encode())
    return h.hexdigest()[:16]


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


def array_digest(*arrays: np.ndarray) -> str:
    """A sha256 hex digest of numeric numpy arrays: their dtypes, shapes and bytes, in order
    (equal arrays give equal digests). For text, :func:`texts_digest`."""

    import numpy as np

    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"array_digest takes numeric arrays, not {a.dtype}")
        h.update(f"{a.dtype.str}{a.shape}".encode() + b"\0" + a.tobytes())
    return h.hexdigest()


def texts_digest(texts: pd.Series) -> str:
    """sha256 of the cache version and the whole sequence of texts, read from Arrow buffers.

    The lengths of all texts are hashed before their bytes, so the digest is unambiguous and
    does not depend on how the column is chunked in memory.
    """

    import numpy as np
    import pyarrow as pa

    if texts.isna().any():
        texts = texts.astype(str)
    arr = pa.chunked_array([pa.array(texts, type=pa.large_string())])
    arr = arr.cast(pa.large_string())
    pieces, lengths = [], []
    for chunk in arr.chunks:
        if len(chunk) == 0:
            continue
        offs = np.frombuffer(chunk.buffers()[1], dtype=np.int64)
        offs = offs[chunk.offset : chunk.offset + len(chunk) + 1]
        lengths.append(np.diff(offs))
        pieces.append(memoryview(chunk.buffers()[2])[int(offs[0]) : int(offs[-1])])
    h = hashlib.sha256()
    ver = code_version().encode()
    h.update(len(ver).to_bytes(8, "little") + ver)
    h.update(len(texts).to_bytes(8, "little"))
    for part in lengths:
        h.update(part.astype("<i8").tobytes())
    for part in pieces:
        h.update(part)
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

    def _usable(self) -> bool:
        """False (one warning) if the namespace folder is the user's: neither read nor written."""
        folder = self.root / self.namespace
        if _foreign(folder):
            _warn_foreign(folder)
            return False
        return True

    def warn_unreadable(self, err: OSError) -> None:
        """Warn once that the cache folder cannot be read (the run goes on without it)."""
        _warn_unusable(_UNREADABLE, self.root, "read", err)

    def get(self, keys: Iterable[str]) -> pd.DataFrame:
        """The cached rows for ``keys``.

        Args:
            keys: content keys (duplicates allowed).

        Returns:
            A DataFrame indexed by ``key`` holding only the keys that were found, each once, in
            no particular order; empty (no rows) when nothing is cached.
        """

        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        wanted = pc.unique(pa.array(np.asarray(list(keys), dtype=object), pa.string()))
        nothing = pd.DataFrame(index=pd.Index([], name=_KEY, dtype=object))
        if not self._usable():
            return nothing
        try:
            shards = self._shards()
            if len(wanted) == 0 or not shards:
                return nothing
            # read everything, then one hash-set membership test: faster than a dataset filter,
            # which re-evaluates the value set batch by batch
            table = ds.dataset([str(p) for p in shards], format="parquet").to_table()
        except OSError as e:
            self.warn_unreadable(e)
            return nothing
        table = table.filter(pc.is_in(table[_KEY], value_set=wanted))
        frame = table.to_pandas()
        frame = frame.drop_duplicates(subset=_KEY, keep="last")
        return frame.set_index(_KEY)

    def put(self, frame: pd.DataFrame) -> Path | None:
        """Store the rows of ``frame`` (indexed by key) as one new shard.

        Args:
            frame: a DataFrame whose index holds the content keys.

        Returns:
            The shard written, or ``None`` when ``frame`` is empty or the cache cannot be
            written (one :class:`CacheWarning` says so).
        """

        if len(frame) == 0:
            return None
        out = frame.copy()
        out.index = out.index.astype(str)
        out.index.name = _KEY
        out = out.reset_index()
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}.parquet"
        return self._write(self.path, name, out)

    def _write(self, folder: Path, name: str, frame: pd.DataFrame) -> Path | None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        tmp = folder / f".{name}.{uuid.uuid4().hex[:12]}.tmp"
        with guarded_write(self.root) as ok:
            if not ok:
                return None
            namespace_dir(self.root, self.namespace)
            folder.mkdir(parents=True, exist_ok=True)
            try:
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
                final = folder / name
                os.replace(tmp, final)  # atomic: a reader never sees half a shard
            finally:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)  # a full disk leaves no partial file
            return final
        return None

    def _frame_path(self, key: str) -> Path:
        return self.path / "frames" / f"{_check_name('key', key)}.parquet"

    def get_frame(self, key: str) -> pd.DataFrame | None:
        """A whole frame stored under one key by :meth:`put_frame`, or ``None``.

        Row-keyed entries (:meth:`get`) let a changed row be recomputed alone; a whole-frame
        entry makes the commonest rerun, the same input again, one file read instead of one
        lookup per row.
        """

        import pyarrow.parquet as pq

        path = self._frame_path(key)
        if not self._usable():
            return None
        try:
            if not path.is_file():
                return None
            return pq.read_table(path).to_pandas()
        except OSError as e:
            self.warn_unreadable(e)
            return None

    def has_frame(self, key: str) -> bool:
        """Whether a whole frame is stored under ``key`` (without reading it)."""
        path = self._frame_path(key)
        try:
            return self._usable() and path.is_file()
        except OSError:
            return False

    def frame_rows(self, key: str) -> int | None:
        """The rows of the frame stored under ``key``, from its file's metadata (not read)."""

        import pyarrow.parquet as pq

        path = self._frame_path(key)
        try:
            return pq.ParquetFile(path).metadata.num_rows if self._usable() else None
        except (OSError, ValueError):
            return None

    def put_frame(self, key: str, frame: pd.DataFrame) -> Path | None:
        """Store a whole frame (index dropped) under one key, e.g. a hash of all the inputs.

        Returns:
            The file written, or ``None`` when the cache cannot be written.
        """

        name = f"{_check_name('key', key)}.parquet"
        return self._write(self.path / "frames", name, frame)

    def clear(self) -> None:
        """Remove this namespace/version's shards (nothing in a folder of the user's)."""
        if not _foreign(self.root / self.namespace):
            shutil.rmtree(self.path, ignore_errors=True)

    def __repr__(self) -> str:
        return f"FrameCache({self.namespace!r}, {self.version!r}, root={str(self.root)!r})"


def cache_namespaces(root: str | Path | None = None) -> list[str]:
    """The namespaces the cache wrote under ``root``: sub-folders marked ``.framing-namespace``.

    Other folders and files under the root (the user's own) are not the cache's and not listed.
    """
    base = Path(root) if root is not None else cache_dir()
    if not base.is_dir():
        return []
    return sorted(
        p.name
        for p in base.iterdir()
        if p.is_dir() and not p.is_symlink() and (p / NAMESPACE_MARK).is_file()
    )


def clear_cache(namespace: str | None = None, *, root: str | Path | None = None) -> list[str]:
    """Delete cached results: only folders the cache itself wrote and marked.

    Args:
        namespace: one namespace (all its versions), or ``None`` for every namespace.
        root: the cache root (default :func:`cache_dir`).

    Returns:
        The namespaces removed.

    Raises:
        ValueError: ``namespace`` is a folder under the root the cache did not write (no
            ``.framing-namespace`` file in it); nothing is deleted.

    Note:
        Files and folders under the root that the cache did not write stay; the root itself and
        its ``CACHEDIR.TAG`` are removed only when nothing else is left in it.
    """
    base = Path(root) if root is not None else cache_dir()
    if namespace is not None:
        folder = base / _check_name("namespace", namespace)
        if not folder.exists():
            return []
        if folder.is_symlink() or not (folder / NAMESPACE_MARK).is_file():
            raise ValueError(
                f"namespace={namespace!r}: {folder} was not written by the framing cache (it holds "
                f"no {NAMESPACE_MARK} file); nothing deleted. Namespaces: {cache_namespaces(base)}"
            )
        shutil.rmtree(folder)
        return [namespace]
    removed = cache_namespaces(base)
    for name in removed:
        shutil.rmtree(base / name)
    tag = base / TAG_NAME
    if base.is_dir() and [p.name for p in base.iterdir()] == [TAG_NAME] and tag.is_file():
        tag.unlink()
        base.rmdir()
    return removed


# ------------------------------------------------------------------- a call kept in the cache


class _NotDigestible(TypeError):
    pass


def _digest(value) -> str:
    """What a call's argument contributes to its key: the values, never the identity."""

    import numpy as np
    import pandas as pd

    if value is None or isinstance(value, bool | int | float | str | bytes):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, tuple | list):
        return f"{type(value).__name__}[" + ",".join(_digest(v) for v in value) + "]"
    if isinstance(value, dict):
        return "dict{" + ",".join(f"{_digest(k)}:{_digest(v)}" for k, v in value.items()) + "}"
    if isinstance(value, np.generic):
        return f"{value.dtype.str}:{value!r}"
    if isinstance(value, pd.Series):
        return f"series:{value.name!r}:" + _frame_digest(value.to_frame(name=0))
    if isinstance(value, pd.Index):
        levels = {i: value.get_level_values(i) for i in range(value.nlevels)}
        return f"index:{list(value.names)!r}:" + _frame_digest(pd.DataFrame(levels))
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            return "array:" + array_digest(value)
        cells = pd.Series(value.ravel(), dtype=object).map(_text_of)
        return f"array:{value.dtype.str}{value.shape}:" + texts_digest(cells)
    if isinstance(value, pd.DataFrame):
        return "frame:" + _frame_digest(value)
    from scipy import sparse

    if sparse.issparse(value):
        m = value.tocsr()
        return "sparse:" + array_digest(np.asarray(m.shape), m.indptr, m.indices, m.data)
    from .text.counting import TermCounts

    if isinstance(value, TermCounts):
        return "termcounts:" + content_key(
            value.by, repr(value.ngram_range), _digest(np.asarray(value.groups)),
            array_digest(value.codes), _digest(pd.Series(value.vocab)),
            _digest(value.rows), _digest(value.doc_term),
        )  # fmt: skip
    raise _NotDigestible(type(value).__name__)


def value_key(value) -> str:
    """The key :func:`cached` gives an argument: its values (a table's names, types, every
    value by position, attrs), never its identity. Raises ``TypeError`` for what it cannot key."""
    return content_key(_digest(value))


def _frame_digest(df: pd.DataFrame) -> str:
    """A table's names (columns, index levels), types, every value by position, and attrs."""

    import pandas as pd

    parts = [repr(list(df.columns)), repr(list(df.columns.names)), repr(list(df.index.names))]
    parts.append(repr([str(t) for t in df.dtypes]))
    parts += [
        _column_digest(pd.Series(df.index.get_level_values(i))) for i in range(df.index.nlevels)
    ]
    parts += [_column_digest(df.iloc[:, i]) for i in range(df.shape[1])]
    parts.append(_digest(dict(df.attrs)) if df.attrs else "")
    return content_key(*parts)


def _column_digest(col: pd.Series) -> str:
    """One column's type and values (nulls and their places included)."""

    import pandas as pd

    col = col.reset_index(drop=True)
    nulls = str(col.dtype) + array_digest(col.isna().to_numpy())
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = array_digest(col.cat.codes.to_numpy())
        return nulls + codes + _digest(col.cat.categories) + f"ordered={col.cat.ordered}"
    kind = getattr(col.dtype, "kind", "O")
    if kind in "biuf" and not col.hasnans:
        return nulls + array_digest(col.to_numpy())
    if kind == "M" or isinstance(col.dtype, pd.DatetimeTZDtype):
        return nulls + array_digest(col.to_numpy().astype("datetime64[ns]").view("int64"))
    if not col.hasnans and pd.api.types.is_string_dtype(col):  # every value a string
        return nulls + texts_digest(col)
    return nulls + texts_digest(col.map(repr) if kind != "O" else col.map(_text_of))


def _text_of(v) -> str:
    import numpy as np
    import pandas as pd

    if isinstance(v, str):
        return v
    if isinstance(v, np.ndarray):  # repr would abbreviate a long one
        return f"\0ndarray:{_digest(v)}"
    if isinstance(v, list | tuple | dict | pd.DataFrame | pd.Series):
        return f"\0{type(v).__name__}:{_digest(v)}"
    return f"\0{type(v).__name__}:{v!r}"


def _importable(fn) -> bool:
    """Whether ``fn`` is what its module's name and qualified name import: then the name (with
    its module's source) identifies the function; a lambda, a closure or a partial does not."""
    import importlib

    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        return False
    try:
        found = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
    except Exception:  # noqa: BLE001 - anything that does not import is simply not cached
        return False
    return found is fn


def cached(fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)``, kept in the disk cache: the same call again reads the result.

    For the notebooks' slower calls (a KWIC table, a permutation test, shared passages), so a
    report run again on the same corpus reads them back instead of recomputing them. The key
    is the function's name, the source of its module, :func:`code_version` and every
    argument's value (a table's columns, types and every value; ``progress`` is left out: it
    changes nothing). The result is the same either way, tables and their ``attrs``.

    Args:
        fn: a function of framing returning a DataFrame, or a tuple of DataFrames.
        *args, **kwargs: its arguments.

    Returns:
        What ``fn`` returns. Simply computed, not kept: a function its module and name do not
        import (a lambda, a closure, a ``functools.partial``: two of them could share a name), a
        call whose argument cannot be keyed by value (an object other than tables, arrays,
        numbers, strings and their lists, tuples and dicts), and a result that is not
        DataFrames reading back exactly with JSON-compatible ``attrs``.
    """

    import inspect
    import json

    import pandas as pd

    if not _importable(fn):
        return fn(*args, **kwargs)
    try:
        source = Path(inspect.getsourcefile(fn) or "").read_bytes()
    except (OSError, TypeError):
        source = b""
    try:
        parts = [_digest(a) for a in args]
        parts += [f"{k}={_digest(v)}" for k, v in sorted(kwargs.items()) if k != "progress"]
    except _NotDigestible:
        return fn(*args, **kwargs)
    key = content_key(
        f"{fn.__module__}.{fn.__qualname__}", hashlib.sha256(source).hexdigest(), *parts
    )
    store = FrameCache("calls", code_version())
    head = store.get_frame(key)
    if head is not None:
        frames = [store.get_frame(f"{key}-{i}") for i in range(int(head["parts"].iloc[0]))]
        if all(f is not None for f in frames):
            for f, attrs in zip(frames, json.loads(head["attrs"].iloc[0]), strict=True):
                f.attrs.update(attrs)
            return frames[0] if head["kind"].iloc[0] == "frame" else tuple(frames)
    out = fn(*args, **kwargs)
    frames = [out] if isinstance(out, pd.DataFrame) else out
    if not (isinstance(frames, list | tuple) and all(isinstance(f, pd.DataFrame) for f in frames)):
        return out
    try:
        attrs = json.dumps([f.attrs for f in frames], allow_nan=True)
    except (TypeError, ValueError):
        return out
    if json.loads(attrs) != [
        f.attrs for f in frames
    ]:  # tuples, numpy numbers …: not kept as they are
        return out
    for i, f in enumerate(frames):
        back = None if store.put_frame(f"{key}-{i}", f) is None else store.get_frame(f"{key}-{i}")
        try:  # kept only if it reads back exactly as it is (a column of lists would not)
            pd.testing.assert_frame_equal(back, f, check_exact=True)
        except (AssertionError, TypeError, ValueError):
            return out
    kind = "frame" if isinstance(out, pd.DataFrame) else "tuple"
    store.put_frame(key, pd.DataFrame({"kind": [kind], "parts": [len(frames)], "attrs": [attrs]}))
    return out
