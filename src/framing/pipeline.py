"""The whole analysis as tables: per-article steps in parallel chunks, cached, on one machine or Dask.

:func:`analyze_corpus` turns an article table into every table the notebooks use: ``articles``,
``audit``, ``sentences`` (with VADER scores), ``terms`` (TF-IDF), ``log_odds``, ``actors``
(mentions), ``quotes``, ``frame_hits`` and ``frames`` (rates per group). Work that depends on one
article only (cleaning audit, sentences, scores, actor mentions, quotes, frame hits) runs in
chunks of articles, in parallel processes (joblib) or on a Dask cluster, and is cached on disk per
article, keyed by the article's content and the code's version, so a rerun reads the cache and a
changed article recomputes only its own rows. Comparisons across groups (TF-IDF, log-odds, frame
rates) need all the rows and run afterwards in this process.
"""

from __future__ import annotations

__all__ = [
    "analyze_corpus",
    "analysis",
    "Analysis",
    "write_tables",
    "read_tables",
    "check_output",
    "OutputError",
    "PIPELINE_STEPS",
]

import contextlib
import hashlib
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .cache import (
    FrameCache,
    cache_dir,
    cache_writable,
    code_version,
    content_key,
    guarded_write,
    namespace_dir,
)
from .errors import check_option
from .groups import join_articles, largest_groups, select_outlets, selection_note
from .io.load_report import load_report
from .measures.actors import (
    actor_mentions,
    corpus_actors,
    load_actors,
    one_row_per_actor,
    read_actor_table,
)
from .measures.frames import FRAME_N_BOOT, frame_hits, frame_scores
from .measures.quotes import find_quotes
from .measures.sentiment import SCORE_COLUMNS, quote_spans, score_sentences
from .measures.terms import log_odds, tfidf_terms
from .text.cleaning import cleaning_audit
from .text.counting import term_counts
from .text.segment import sentences

# the steps a run can be asked for; "sentences" always runs
PIPELINE_STEPS = ("audit", "sentences", "sentiment", "actors", "quotes", "frames", "terms")
# tables in the order they are written
TABLES = [
    "articles",
    "load_report",
    "audit",
    "sentences",
    "spans",
    "actor_table",
    "actors",
    "quotes",
    "frame_hits",
    "frames",
    "terms",
    "log_odds",
]
_PER_ARTICLE = ("audit", "sentences", "spans", "actors", "quotes", "frame_hits")
Backend = Literal["joblib", "dask", "serial"]


def _say(msg: str) -> None:
    print(f"[framing] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------- per-article work


def _article_tables(
    chunk: pd.DataFrame, steps: tuple[str, ...], actors: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Every per-article table for one chunk of articles (runs in a worker); ``actors``: the
    actor table (:func:`framing.load_actors`) mentions and speakers are read with."""
    out: dict[str, pd.DataFrame] = {}
    if "audit" in steps:
        out["audit"] = cleaning_audit(chunk)
    sents = sentences(chunk)
    if "sentiment" in steps:
        sents = score_sentences(sents, cache=False, n_jobs=1)
    out["sentences"] = sents
    body = sents[sents["kind"] == "body"]
    if "sentiment" in steps:
        # narration and quotation spans of the body sentences, each scored on its own words
        spans = quote_spans(body.drop(columns=SCORE_COLUMNS), chunk)
        out["spans"] = score_sentences(spans, cache=False, n_jobs=1)
    if "actors" in steps:
        out["actors"] = actor_mentions(body, actors)
    if "quotes" in steps:
        out["quotes"] = find_quotes(chunk[["doc_id", "text"]], actors=actors)
    if "frames" in steps:
        # without the sentence's text, repeated on every hit (a third of the memory of all
        # the tables on AllSides): join `sentences` on doc_id and sent_id to read it
        out["frame_hits"] = frame_hits(sents).drop(columns="text", errors="ignore")
    return out


class _RowsCache:
    """Any number of rows per key (an article), stored in Parquet shards.

    A key listed in the index (a :class:`FrameCache`, key -> shard) is done, even with no rows
    (its shard then holds none, but the table's columns); its rows are read from that one shard,
    so a key written twice is never read twice. A key whose shard is gone (its namespace
    cleared, a file deleted) is not done: the next run recomputes it.
    """

    def __init__(self, table: str, version: str):
        self.root = cache_dir()
        self.namespace = f"rows-{table}"
        self.dir = self.root / self.namespace / version
        self.index = FrameCache(f"rows-{table}-index", version, root=self.root)

    def get(self, keys: Sequence[str]) -> tuple[pd.DataFrame | None, set[str]]:
        idx = self.index.get(keys)
        if idx.empty:
            return None, set()
        import pyarrow.dataset as ds

        parts = []
        done: set[str] = set()
        for shard, grp in idx.groupby("shard", sort=True):
            path = self.dir / f"{shard}.parquet"
            try:
                if not shard or not path.is_file():
                    continue  # written by an older version without a shard, or cleared
                table = ds.dataset(str(path), format="parquet").to_table(
                    filter=ds.field("_key").isin(list(grp.index))
                )
            except OSError as e:
                self.index.warn_unreadable(e)
                continue
            parts.append(table.to_pandas())
            done.update(grp.index)
        rows = pd.concat(parts, ignore_index=True) if parts else None
        return rows, done

    def put(self, rows: pd.DataFrame, keys: Sequence[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        # a shard even for no rows: it keeps the table's columns for a rerun from the cache
        shard = uuid.uuid4().hex
        tmp = self.dir / f".{shard}.tmp"
        with guarded_write(self.root) as ok:
            if not ok:
                return
            namespace_dir(self.root, self.namespace)
            self.dir.mkdir(parents=True, exist_ok=True)
            try:
                table = pa.Table.from_pandas(rows, preserve_index=False)
                if table.schema.field("_key").type == pa.null():  # no rows: typed for the filter
                    table = table.set_column(
                        table.schema.get_field_index("_key"), "_key", pa.array([], pa.string())
                    )
                pq.write_table(table, tmp)
                os.replace(tmp, self.dir / f"{shard}.parquet")
            finally:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
        if not cache_writable(self.root):
            return
        self.index.put(pd.DataFrame({"shard": shard}, index=pd.Index(list(keys), name="key")))


def _keys(articles: pd.DataFrame, with_raw: bool) -> list[str]:
    # an article's rows depend on its id and cleaned text (the audit also on what was read and
    # on the furniture learned for it); never on its outlet or other columns, which the tables
    # do not hold
    cols = ["doc_id", "title", "text_raw", "rules", "boilerplate"] if with_raw else ["doc_id"]
    cols = [c for c in cols if c in articles.columns]
    out = []
    for vals in zip(*(articles[c].astype(str) for c in cols), articles["text"], strict=True):
        out.append(content_key(*vals))
    return out


def _run_chunks(
    articles: pd.DataFrame,
    positions,
    cols: list[str],
    steps: tuple[str, ...],
    *,
    backend: Backend,
    n_jobs: int,
    chunk_size: int,
    scheduler: str | None,
    progress: bool,
    on_done=None,
    actors: pd.DataFrame | None = None,
) -> list[dict[str, pd.DataFrame]]:
    """Run the articles at ``positions`` in chunks; ``on_done(doc_ids, tables)`` as each ends.

    Chunks are cut from ``articles`` only when a worker is about to take them, so the texts are
    never copied all at once.
    """
    from tqdm.auto import tqdm

    pos_chunks = [positions[i : i + chunk_size] for i in range(0, len(positions), chunk_size)]
    if not pos_chunks:
        return []
    ids = articles["doc_id"].to_numpy()

    def cut(p):
        chunk = articles.iloc[p][cols]
        chunk.attrs = {}  # the load report travels in attrs; the workers need none of it
        return chunk

    def done(p, result):
        if on_done is not None:
            on_done(ids[p], result)
        return result

    shown = [("frame hits" if s == "frames" else s) for s in steps if s != "terms"]
    desc = f"per-article steps ({', '.join(shown)})"
    bar = dict(total=len(pos_chunks), desc=desc, unit="chunk", disable=not progress)
    if backend == "serial" or (backend == "joblib" and (n_jobs == 1 or len(pos_chunks) == 1)):
        return [done(p, _article_tables(cut(p), steps, actors)) for p in tqdm(pos_chunks, **bar)]
    if backend == "joblib":
        from joblib import Parallel, delayed

        par = Parallel(n_jobs=n_jobs, return_as="generator")
        # each worker stops when this process dies, even by SIGKILL (no cleanup runs then)
        me = os.getpid()
        gen = par(delayed(_worker_tables)(cut(p), steps, me, actors) for p in pos_chunks)
        return [done(p, r) for p, r in zip(pos_chunks, tqdm(gen, **bar), strict=True)]
    from distributed import as_completed

    client, close = _dask_client(scheduler, n_jobs)
    try:
        futures = [
            client.submit(_article_tables, cut(p), steps, actors, pure=False) for p in pos_chunks
        ]
        order = {f.key: i for i, f in enumerate(futures)}
        results: list = [None] * len(futures)
        for fut in tqdm(as_completed(futures), **bar):
            i = order[fut.key]
            results[i] = done(pos_chunks[i], fut.result())
            fut.release()
        return results
    finally:
        close()


def _worker_tables(chunk: pd.DataFrame, steps: tuple[str, ...], parent: int, actors=None):
    """:func:`_article_tables` in a joblib worker that exits when ``parent`` dies."""
    _exit_with_parent(parent)
    return _article_tables(chunk, steps, actors)


_WATCHED: set[int] = set()


def _exit_with_parent(parent: int, *, interval: float = 0.2) -> None:
    """In a worker process: exit as soon as ``parent`` (the analysing process) is gone.

    loky keeps idle workers for 300 s, and a parent killed by SIGKILL cannot stop them; its
    resource trackers live as long as a worker holds their pipe. A parent's death re-parents the
    worker, so a changed ``os.getppid()`` says it. Started by the first task a worker runs, not
    by a loky ``initializer``: an initializer would make loky replace the workers that
    ``load_corpus`` started for cleaning (and that this step reuses) with new ones. Linux's
    ``PR_SET_PDEATHSIG`` is not used: it fires when the *thread* that started the worker ends,
    which in loky is not always the main thread.
    """
    import threading

    if parent in _WATCHED:
        return
    _WATCHED.add(parent)
    if os.getppid() != parent:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:  # died while this worker was starting (importing framing)
            os._exit(1)
        except OSError:
            pass
        return  # not started by the analysing process itself: leave it be

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="framing-exit-with-parent", daemon=True).start()


def release_workers() -> None:
    """Stop joblib's worker processes (loky keeps them alive for the next call, each holding
    ~0.4 GiB on a large corpus): the group comparisons of :func:`analyze_corpus` (the peak of
    the main process) and the report's notebooks run with them stopped."""
    try:
        from joblib.externals.loky import reusable_executor
    except ImportError:  # pragma: no cover - joblib without loky
        return
    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True)


def release_memory() -> None:
    """Hand memory freed by this process back to the system: joblib's workers, Python's
    objects, Arrow's pool and the C heap (``malloc_trim``, where glibc has it). A Python process
    keeps much of what it freed (a corpus read and dropped, a table's copies); the report runner
    and every notebook's :func:`analysis` call this, so what they no longer hold does not count
    in the report's memory."""
    import ctypes
    import ctypes.util
    import gc

    release_workers()  # the loading's cleaning workers
    gc.collect()
    with contextlib.suppress(Exception):
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    with contextlib.suppress(Exception):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _dask_client(scheduler: str | None, n_jobs: int):
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        return client, client.close
    workers = (os.cpu_count() or 1) if n_jobs in (-1, None) else max(1, n_jobs)
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)

    def close():
        client.close()
        cluster.close()

    return client, close


def _per_article(
    articles: pd.DataFrame,
    steps: tuple[str, ...],
    *,
    cache: bool,
    progress: bool,
    **run,
) -> dict[str, pd.DataFrame]:
    tables = [t for t in _PER_ARTICLE if t == "sentences" or _table_step(t) in steps]
    # one version for every table: the computing code's; the sentence table with or without
    # its scores is two tables
    scored = "scored" if "sentiment" in steps else ""
    # mentions and speakers depend on the actor table too
    table = _actors_key(run.get("actors"))
    versions = {
        t: content_key(code_version(), t, scored, *([table] if t in ("actors", "quotes") else []))[
            :16
        ]
        for t in tables
    }
    # every table but the audit is keyed by the cleaned article; the audit by its raw text too
    plain = _keys(articles, with_raw=False)
    keys = {t: (_keys(articles, with_raw=True) if t == "audit" else plain) for t in tables}
    found: dict[str, pd.DataFrame | None] = {}
    done: dict[str, set[str]] = {}
    stores = {t: _RowsCache(t, versions[t]) for t in tables} if cache else {}
    for t in tables:
        found[t], done[t] = stores[t].get(keys[t]) if cache else (None, set())
    need = pd.Series(False, index=articles.index)
    for t in tables:
        need |= ~pd.Series(keys[t], index=articles.index).isin(done[t])
    positions = np.flatnonzero(need.to_numpy())
    recomputed = set(articles["doc_id"].to_numpy()[positions])
    cols = ["doc_id", "title", "text_raw", "rules", "boilerplate", "text"]
    cols = [c for c in cols if c in articles]
    if len(positions):
        _say(
            f"per-article steps on {len(positions):,} of {len(articles):,} articles "
            f"({len(articles) - len(positions):,} from the cache)"
        )
    key_of = {t: dict(zip(articles["doc_id"], keys[t], strict=True)) for t in tables}

    def store(doc_ids, result: dict[str, pd.DataFrame]) -> None:
        # written as each chunk finishes, so an interrupted run keeps what it computed
        for t in tables:
            if not cache or t not in result:
                continue
            rows = result[t]
            # the chunk's own keys: mapping through all articles' keys would cost O(corpus)
            # per chunk (pandas turns the dict into a Series each time)
            chunk_keys = [key_of[t][d] for d in doc_ids]
            at = pd.Index(doc_ids).get_indexer(rows["doc_id"])  # ids are unique (load_corpus)
            if len(at) and at.min() < 0:
                raise RuntimeError(f"{t}: rows of an article outside its chunk")  # never seen
            rows = rows.assign(_key=np.asarray(chunk_keys, dtype=object)[at])
            stores[t].put(rows, chunk_keys)

    results = _run_chunks(articles, positions, cols, steps, progress=progress, on_done=store, **run)
    out = {}
    pos = pd.Series(range(len(articles)), index=articles["doc_id"].to_numpy())
    for t in tables:
        fresh = [r.pop(t) for r in results if t in r]  # popped: chunk copies freed after concat
        new = pd.concat(fresh, ignore_index=True) if fresh else None
        parts = []
        if found[t] is not None:
            old = found[t]
            # only rows of articles not recomputed now
            parts.append(old[~old["doc_id"].isin(recomputed)].drop(columns="_key"))
        if new is not None:
            parts.append(new)
        frame = pd.concat(parts, ignore_index=True) if parts else None
        if frame is None:
            continue
        frame = frame.assign(_pos=frame["doc_id"].map(pos).to_numpy())
        sort = ["_pos"] + [c for c in _ORDER[t] if c in frame.columns]
        frame = frame.sort_values(sort, kind="stable").drop(columns="_pos")
        # a chunk with no rows has object columns, and concatenating it turns a string or
        # integer column into object: the dtypes (and Parquet bytes) then depended on the chunking
        # and on which rows came from the cache
        out[t] = frame.reset_index(drop=True).infer_objects()
    return out


_ORDER = {
    "audit": ["line_no"],
    "sentences": ["sent_id"],
    "spans": ["sent_id", "span_id"],
    "actors": ["start", "end", "actor"],
    "quotes": ["start", "end"],
    "frame_hits": ["sent_id", "start", "end", "frame", "term"],
}


def _table_step(table: str) -> str:
    return {"frame_hits": "frames", "spans": "sentiment"}.get(table, table)


# ------------------------------------------------------------------- the whole analysis


def analyze_corpus(
    articles: pd.DataFrame,
    *,
    steps: Sequence[str] | None = None,
    by: str = "outlet",
    outlets: str | Sequence[str] | None = None,
    top_outlets: int | None = 8,
    top_terms: int = 50,
    min_count: int = 5,
    n_boot: int = FRAME_N_BOOT,
    backend: Backend = "joblib",
    n_jobs: int = -1,
    chunk_size: int = 500,
    scheduler: str | None = None,
    cache: bool = True,
    progress: bool = False,
    timings: dict[str, float] | None = None,
    actors: str | Path | pd.DataFrame | None = None,
    hold_tables: bool = True,
) -> MutableMapping[str, pd.DataFrame]:
    """Run every analysis step on an article table and return every table.

    Args:
        articles: from :func:`framing.load_corpus`.
        steps: which of :data:`PIPELINE_STEPS` to run (default all); ``sentences`` always runs.
        by: the column compared by TF-IDF, log-odds and frame rates (``"outlet"`` or e.g.
            ``"bias_text"``).
        outlets, top_outlets: which groups the comparisons keep (see
            :func:`framing.select_outlets`); per-article tables cover every article.
        top_terms: TF-IDF and log-odds terms kept per group (log-odds: highest z).
        min_count: log-odds keeps terms used at least this often in the compared groups.
        n_boot: bootstrap replicates for the frame rates' intervals.
        backend: ``"joblib"`` (processes on this machine), ``"dask"`` (a Dask cluster: a local
            one, or ``scheduler``), or ``"serial"``.
        n_jobs: processes (joblib) or local Dask workers; -1: one per core.
        chunk_size: articles per task.
        scheduler: a Dask scheduler address such as ``"tcp://10.0.0.5:8786"``.
        cache: read and write per-article results in the disk cache (:func:`framing.cache_dir`).
        progress: show tqdm bars.
        timings: a dict to fill with seconds per step.
        actors: the actor table mentions (``actors``) and speakers (``quotes``) are read
            with: a CSV path or a table (:func:`framing.load_actors` reads either); default
            :func:`framing.corpus_actors` of ``articles`` (the shipped table for the case
            study, else one built from the corpus and cached). The table used is returned as
            ``actor_table``.
        hold_tables: False (with ``cache``): each per-article table not read by the group
            comparisons goes to the cache as soon as it is computed and is let go, and the
            tables are returned read back when asked for (a :class:`RunTables`): for a caller
            that only fills the cache (the report's analysis step), which then never holds
            them all at once. The tables are the same.

    Returns:
        The tables by name (a dict; read back from the cache, a :class:`RunTables`, which reads
        each table when it is first asked for): ``articles`` (the input without ``text_raw``),
        ``load_report``,
        ``audit``, ``sentences`` (with ``neg, neu, pos, compound``), ``spans`` (narration and
        quotation spans of the body sentences, scored), ``actors``, ``quotes``, ``frame_hits``,
        ``frames``, ``terms``, ``log_odds`` (those whose step ran). Per-article tables carry
        keys (``doc_id``, and ``sent_id``/``start``/``end`` where they have them), not the
        article's columns: :func:`framing.join_articles` adds ``outlet`` or any other.

    Raises:
        ValueError: an option is not allowed (the message names it and the allowed values).

    Note:
        The tables are the same whatever the backend, ``n_jobs``, ``chunk_size`` or cache state
        (the tests check this): per-article rows are put back in article order, and every
        group comparison runs once on all rows.
    """
    all_steps = tuple(PIPELINE_STEPS)
    steps = tuple(all_steps if steps is None else steps)
    bad = [s for s in steps if s not in all_steps]
    if bad:
        raise ValueError(f"steps={bad!r} are not allowed; use some of {list(all_steps)}")
    check_option("backend", backend, ("joblib", "dask", "serial"))
    ok = isinstance(chunk_size, int) and not isinstance(chunk_size, bool) and chunk_size >= 1
    check_option("chunk_size", chunk_size, "an integer >= 1", ok=ok)
    if "sentences" not in steps:
        steps = ("sentences", *steps)
    timings = {} if timings is None else timings
    tables: dict[str, pd.DataFrame] = {}
    tables["articles"] = articles.drop(columns=["text_raw"], errors="ignore")
    with contextlib.suppress(ValueError):
        tables["load_report"] = load_report(articles)
    actor_long = None
    if "actors" in steps or "quotes" in steps:
        t0 = time.perf_counter()
        if isinstance(actors, str | Path):
            actors = read_actor_table(actors)
        if actors is None:
            actors = corpus_actors(articles, cache=cache, progress=progress)
        actor_long = load_actors(actors)
        if "aliases" not in actors.columns:  # given one row per alias: kept one row per actor
            actors = one_row_per_actor(actor_long)[["actor", "type", "kind", "aliases", "note"]]
        tables["actor_table"] = actors.reset_index(drop=True)
        timings["actor table"] = time.perf_counter() - t0

    # the whole run is cached too, keyed by everything its tables depend on: a rerun (the next
    # notebook of a report, the same command again) reads one file per table
    store = FrameCache("runs", code_version()) if cache else None
    run_key = _run_key(
        articles,
        steps,
        (by, outlets, top_outlets, top_terms, min_count, n_boot, _actors_key(actor_long)),
    )
    if store is not None:
        t0 = time.perf_counter()
        names = store.get_frame(f"{run_key}-names")
        keys = {} if names is None else {n: f"{run_key}-{n}" for n in names["name"]}
        if names is not None and all(store.has_frame(k) for k in keys.values()):
            # read when first asked for: a notebook that uses two tables holds two
            timings["read from the cache"] = time.perf_counter() - t0
            return RunTables(tables, {n: _Stored(store, k) for n, k in keys.items()})
    spill = (store, run_key) if store is not None and not hold_tables else None
    computed = _compute(articles, steps, by=by, outlets=outlets, top_outlets=top_outlets,
                        top_terms=top_terms, min_count=min_count, n_boot=n_boot, backend=backend,
                        n_jobs=n_jobs, chunk_size=chunk_size, scheduler=scheduler, cache=cache,
                        progress=progress, timings=timings, actors=actor_long,
                        spill=spill)  # fmt: skip
    stored = {n for n, frame in computed.items() if frame is None}  # spilled: in the store
    if store is not None:
        for n, frame in computed.items():
            if frame is not None and store.put_frame(f"{run_key}-{n}", frame) is not None:
                stored.add(n)
        store.put_frame(f"{run_key}-names", pd.DataFrame({"name": list(computed)}))
    if spill is not None:
        # read back what the cache holds; a table it could not take is returned as computed
        held = {n: f for n, f in computed.items() if n not in stored}
        pending = {n: _Stored(store, f"{run_key}-{n}") for n in stored}
        return RunTables({**tables, **held}, pending, order=[*tables, *computed])
    tables.update(computed)
    return tables


class _Stored:
    """One table of a cached run: read it, or count its rows without reading it."""

    def __init__(self, store: FrameCache, key: str):
        self.store, self.key = store, key

    def __call__(self) -> pd.DataFrame | None:
        return self.store.get_frame(self.key)

    def rows(self) -> int | None:
        return self.store.frame_rows(self.key)


class RunTables(MutableMapping):
    """The tables of a run read back from the cache, each read the first time it is asked for.

    A dict in every other way (the names are all there from the start, in the run's order).
    :func:`analyze_corpus` returns one when the whole run is in the cache, so a notebook that
    reads two tables of a large corpus holds those two, not all eleven.

    Raises:
        RuntimeError: on reading a table whose cache file went missing after the run was found
            (the cache was cleared meanwhile): the message names the table; run again.
    """

    def __init__(
        self,
        loaded: dict[str, pd.DataFrame],
        pending: dict[str, Callable],
        order: Sequence[str] = (),
    ):
        self._loaded = dict(loaded)
        self._pending = {n: f for n, f in pending.items() if n not in self._loaded}
        # the names in ``order`` first (a run's order, whichever tables are held), then the rest
        self._order = list(dict.fromkeys([*order, *loaded, *pending]))

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self.peek(name)
        if name in self._pending:
            self._loaded[name] = frame
            del self._pending[name]
        return frame

    def peek(self, name: str) -> pd.DataFrame:
        """The table, read (if not held already) without holding it: for a table derived
        from it and then dropped (:attr:`Analysis.body` from ``sentences``)."""
        if name in self._loaded:
            return self._loaded[name]
        if name not in self._pending:
            raise KeyError(name)
        frame = self._pending[name]()
        if frame is None:
            raise RuntimeError(
                f"the table {name!r} of this run is no longer in the cache (cleared while it "
                "was in use?); run the analysis again"
            )
        return frame

    def rows(self, name: str) -> int:
        """The table's number of rows, without reading a table not held yet."""
        if name in self._loaded:
            return len(self._loaded[name])
        counter = getattr(self._pending.get(name), "rows", None)
        found = counter() if counter is not None else None
        return len(self[name]) if found is None else int(found)

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self._pending.pop(name, None)
        self._loaded[name] = frame
        if name not in self._order:
            self._order.append(name)

    def __delitem__(self, name: str) -> None:
        if name not in self._loaded and name not in self._pending:
            raise KeyError(name)
        self._loaded.pop(name, None)
        self._pending.pop(name, None)
        self._order.remove(name)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name) -> bool:
        return name in self._loaded or name in self._pending

    @property
    def read(self) -> list[str]:
        """The names of the tables held in memory now."""
        return [n for n in self._order if n in self._loaded]

    def __repr__(self) -> str:
        return f"RunTables({self._order!r}, read: {self.read!r})"


def _actors_key(actors: pd.DataFrame | None) -> str:
    """What mentions and speakers depend on in an actor table (long, as load_actors gives)."""
    if actors is None:
        return ""
    return content_key("actors", actors[["actor", "type", "kind", "alias"]].to_csv(index=False))


def _run_key(articles: pd.DataFrame, steps: tuple[str, ...], options: tuple) -> str:
    """What a whole run's tables depend on: every article's content (with its raw text for the
    audit) and group column, the steps and the options."""
    parts = [repr(steps), repr(options), *_keys(articles, with_raw="audit" in steps)]
    for col in dict.fromkeys(c for c in (options[0], "outlet") if c in articles.columns):
        parts.append("\n".join(articles[col].astype(str)))
    return content_key("run", *parts)


def _compute(
    articles: pd.DataFrame,
    steps: tuple[str, ...],
    *,
    by: str,
    outlets,
    top_outlets,
    top_terms: int,
    min_count: int,
    n_boot: int,
    backend: Backend,
    n_jobs: int,
    chunk_size: int,
    scheduler: str | None,
    cache: bool,
    progress: bool,
    timings: dict[str, float],
    actors: pd.DataFrame | None = None,
    spill: tuple | None = None,
) -> dict[str, pd.DataFrame | None]:
    """The per-article tables, then the group comparisons, of :func:`analyze_corpus`. With
    ``spill`` (the run's store and key), a per-article table the group comparisons do not read
    is written to the store and let go before they run (its entry here is None)."""
    tables: dict[str, pd.DataFrame] = {}
    t0 = time.perf_counter()
    per = _per_article(
        articles,
        steps,
        cache=cache,
        progress=progress,
        backend=backend,
        n_jobs=n_jobs,
        chunk_size=chunk_size,
        scheduler=scheduler,
        actors=actors,
    )
    timings["per-article steps"] = time.perf_counter() - t0
    tables.update(per)
    del per
    release_workers()  # also those load_corpus started for cleaning, whatever the backend
    if spill is not None:
        store, run_key = spill
        for name in list(tables):
            # (the group comparisons read the sentences and the frame hits; a table the cache
            # cannot take stays held)
            if (
                name not in ("sentences", "frame_hits")
                and store.put_frame(f"{run_key}-{name}", tables[name]) is not None
            ):
                tables[name] = None
        release_memory()

    from tqdm.auto import tqdm

    group_steps = [s for s in ("terms", "frames") if s in steps]
    if not group_steps:
        return tables
    kept = select_outlets(articles, by=by, outlets=outlets, top_outlets=top_outlets)
    sents = tables["sentences"]
    kept_ids = set(kept["doc_id"])
    sents = join_articles(sents[sents["doc_id"].isin(kept_ids)], kept, by)
    # a group comparison is cached whole, keyed by its articles' contents, their groups, the
    # options and the code: a rerun after a cosmetic change reads it back
    kept_keys = _keys(kept, with_raw=False)
    groups = kept[by].astype(str).tolist()
    params = repr((by, top_terms, min_count, n_boot))
    bar = tqdm(group_steps, desc="group comparisons", unit="step", disable=not progress)
    for step in bar:
        bar.set_postfix_str(step)
        t0 = time.perf_counter()
        names = ["terms", "log_odds"] if step == "terms" else ["frames"]
        store = FrameCache("groups", code_version())
        key = content_key(step, params, "\n".join(kept_keys), "\n".join(groups))
        cached = {n: store.get_frame(f"{key}-{n}") for n in names} if cache else {}
        found = bool(cached) and all(v is not None for v in cached.values())
        if found:
            tables.update(cached)
        elif step == "terms":
            # count once, use twice (TF-IDF and log-odds read the same sparse counts)
            # (term_counts, tfidf_terms and log_odds read body sentences only)
            counts = term_counts(sents, by=by)
            tables["terms"] = tfidf_terms(counts, by=by, top=top_terms)
            lo = log_odds(counts, by=by, min_count=min_count)
            del counts
            lo = lo.sort_values([by, "z", "term"], ascending=[True, False, True], kind="stable")
            tables["log_odds"] = lo.groupby(by, sort=False).head(top_terms).reset_index(drop=True)
        else:
            fh = tables.get("frame_hits")
            hits = fh[fh["doc_id"].isin(kept_ids)] if fh is not None else None  # not matched again
            tables["frames"] = frame_scores(sents, by=by, n_boot=n_boot, hits=hits)
        if cache and not found:
            for n in names:
                store.put_frame(f"{key}-{n}", tables[n])
        timings[step] = time.perf_counter() - t0
    return tables


# ------------------------------------------------------------------- what notebooks read


@dataclass
class Analysis:
    """One corpus analysed for one comparison: the articles compared and every table of them.

    Made by :func:`analysis`; the notebooks read their tables from it instead of computing them
    again. Per-article tables (``sentences``, ``spans``, ``quotes``, ``actors``,
    ``frame_hits``, ``audit``) cover the compared articles and carry keys only; :meth:`table`
    adds the group column (or any article column) with :func:`framing.join_articles`.

    Attributes:
        corpus: the corpus as given.
        by: the column compared.
        all_articles: every article loaded (its load report attached).
        articles: the articles of the compared groups.
        tables: the tables of :func:`analyze_corpus` for ``articles``.
        outlets, top_outlets: the selection asked for.
    """

    corpus: str
    by: str
    all_articles: pd.DataFrame
    articles: pd.DataFrame
    tables: MutableMapping[str, pd.DataFrame]
    outlets: str | Sequence[str] | None = None
    top_outlets: int | None = None

    def table(self, name: str, columns: str | Sequence[str] | None = None) -> pd.DataFrame:
        """A table of the analysis with article columns joined (default: the ``by`` column).

        Args:
            name: a key of :attr:`tables` (``"sentences"``, ``"quotes"`` …).
            columns: article columns to add after ``doc_id``; group tables are returned as they
                are.
        """
        if name not in self.tables:
            raise ValueError(f"name={name!r} is not a table here; use one of {list(self.tables)}")
        frame = self.tables[name]
        if "doc_id" not in frame.columns:
            return frame.copy()
        return join_articles(frame, self.articles, self.by if columns is None else columns)

    @property
    def actor_table(self) -> pd.DataFrame:
        """The actor table mentions and speakers were read with, one row per actor: the
        shipped one for the case study, else the one built from this corpus
        (:func:`framing.corpus_actors`), unless one was given. Write it with
        :func:`framing.save_table` to edit it and pass it back (``actors=``)."""
        return self.table("actor_table")

    @property
    def actors(self) -> pd.DataFrame:
        """:attr:`actor_table` as :func:`framing.load_actors` gives it (one row per alias)."""
        return load_actors(self.actor_table)

    @property
    def body(self) -> pd.DataFrame:
        """The body sentences (headings left out) with the ``by`` column, scored. The whole
        sentence table is read for it but not held (unless it was already): a notebook that
        reads only the body holds one copy of the corpus's sentences, not two."""
        tables = self.tables
        sents = tables.peek("sentences") if isinstance(tables, RunTables) else tables["sentences"]
        body = sents[sents["kind"] == "body"]
        del sents
        body = join_articles(body, self.articles, self.by).reset_index(drop=True)
        release_memory()  # the sentence table read and dropped, the join's copies
        return body

    def n_rows(self, name: str) -> int:
        """The rows of a table of the analysis, without reading one not read yet."""
        if name not in self.tables:
            raise ValueError(f"name={name!r} is not a table here; use one of {list(self.tables)}")
        tables = self.tables
        return tables.rows(name) if isinstance(tables, RunTables) else len(tables[name])

    @property
    def groups(self) -> list:
        """The compared groups, sorted."""
        return sorted(self.articles[self.by].dropna().unique())

    def largest(self, limit: int) -> list:
        """The compared groups that figures draw when they can draw ``limit`` (the largest by
        articles), in sorted order."""
        keep = set(largest_groups(self.articles, by=self.by, limit=limit))
        return [g for g in self.groups if str(g) in keep]

    @property
    def selection_note(self) -> str:
        """One sentence: which groups are compared and what is left out."""
        return selection_note(
            self.all_articles, by=self.by, outlets=self.outlets, top_outlets=self.top_outlets
        )


def analysis(
    corpus: str | Path,
    *,
    by: str = "outlet",
    outlets: str | Sequence[str] | None = None,
    top_outlets: int | None = 8,
    steps: Sequence[str] | None = None,
    progress: bool = False,
    cache: bool = True,
    actors: str | Path | pd.DataFrame | None = None,
    hold_tables: bool = True,
    **load,
) -> Analysis:
    """Load a corpus, keep the compared groups and analyse them, once: what every notebook reads.

    Args:
        corpus: anything :func:`framing.load_corpus` reads.
        by, outlets, top_outlets: the comparison (see :func:`framing.select_outlets`).
        steps: the steps of :func:`analyze_corpus` (default all).
        progress: progress bars.
        cache: read and write the disk cache; the first notebook of a report computes, the
            next ones read the same tables back.
        actors: the actor table (a CSV path or a table; see :func:`analyze_corpus`); default
            the shipped one for the case study, else one built from the corpus.
        hold_tables: see :func:`analyze_corpus` (False: the tables are read back when asked
            for, and never all held while they are computed).
        **load: more options for :func:`framing.load_corpus` (``columns``, ``date_formats`` …).

    Returns:
        An :class:`Analysis`.
    """
    from .io.load import load_corpus

    all_articles = load_corpus(corpus, progress=progress, cache=cache, **load)
    articles = select_outlets(all_articles, by=by, outlets=outlets, top_outlets=top_outlets)
    wanted = PIPELINE_STEPS if steps is None else steps
    if actors is None and ("actors" in wanted or "quotes" in wanted):
        # built from the whole corpus, as framing analyze builds it: the same speakers and
        # mentions whichever groups are compared
        actors = corpus_actors(all_articles, cache=cache, progress=progress)
    tables = analyze_corpus(
        articles,
        steps=steps,
        by=by,
        top_outlets=None,
        cache=cache,
        progress=progress,
        actors=actors,
        hold_tables=hold_tables,
    )
    release_memory()  # what loading and keying the corpus read and dropped
    return Analysis(str(corpus), by, all_articles, articles, tables, outlets, top_outlets)


RUN_RECORD = "framing-run.json"
_TMP_PREFIX = ".framing-tmp-"


class OutputError(ValueError):
    """The tables cannot be written or read where asked; the message names the path and why.

    Attributes:
        path: the file or folder at fault.
        problem: the problem in words.
    """

    def __init__(self, problem: str, *, path: str | Path):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


# the only names a run record may list: anything else (``../x``, an absolute path …) is ignored
_TABLE_FILES = frozenset(f"{n}.{ext}" for n in TABLES for ext in ("parquet", "csv"))
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TMP_PID = re.compile(rf"^{re.escape(_TMP_PREFIX)}(\d+)-")


def _entries(value) -> dict[str, dict]:
    """The valid entries of a record's ``files`` or ``previous_files``: table file names only.

    An entry counts only if its name is one of :data:`TABLES` times ``.parquet``/``.csv`` (so a
    plain name inside the folder, never ``..`` or an absolute path) and it gives an integer size
    and a sha256; a value that is not such a mapping (a list, a string …) gives nothing.
    """
    if not isinstance(value, dict):
        return {}
    found = {}
    for name, entry in value.items():
        if not (isinstance(name, str) and name in _TABLE_FILES and isinstance(entry, dict)):
            continue
        size, sha = entry.get("bytes"), entry.get("sha256")
        if type(size) is int and isinstance(sha, str) and _SHA256.match(sha):
            found[name] = {"bytes": size, "sha256": sha}
    return found


def _read_record(out: Path) -> dict | None:
    import json

    path = out / RUN_RECORD
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise OutputError(f"the run record cannot be read ({e})", path=path) from e
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        raise OutputError(
            "not a framing run record (no 'files'); nothing is written or deleted. Choose "
            "another --out folder, or remove the file",
            path=path,
        )
    return {
        **record,
        "files": _entries(record["files"]),
        "previous_files": _entries(record.get("previous_files")),
    }


def _regular_file(path: Path) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)  # a symlink is not framing's file
    except OSError:
        return False


def _owned(out: Path, record: dict | None) -> dict[str, dict]:
    """The files in ``out`` framing wrote and nobody changed since, with their entries.

    A file counts only if the record lists it (an interrupted run's ``previous_files`` too), it
    is a regular file in ``out`` (not a symlink) and its size and sha256 still match the record;
    a framing file edited since is the user's. Only these files are ever overwritten or deleted.
    """
    if record is None:
        return {}
    owned = {}
    for name in sorted(set(record["files"]) | set(record["previous_files"])):
        path = out / name
        if not _regular_file(path):
            continue
        listed = [e for e in (record["files"].get(name), record["previous_files"].get(name)) if e]
        if not any(e["bytes"] == path.stat().st_size for e in listed):
            continue  # cheap first: the size
        entry = _file_entry(path)
        if entry in listed:
            owned[name] = entry
    return owned


def _samefile(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _check_path(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError("is an existing file, not a folder; give --out a folder", path=out)
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot be a folder: {parent} is a file", path=out)
            break


def _check_files(
    out: Path, names: Sequence[str], formats: Sequence[str], inputs: Sequence[str | Path]
) -> dict[str, dict]:
    """Refuse ``out`` if the write would touch an input or a file not framing's; the owned files."""
    targets = [out / f"{n}.{ext}" for n in names for ext in formats]
    owned = _owned(out, _read_record(out)) if out.is_dir() else {}
    removed = [out / n for n in owned if out / n not in targets]
    for src in inputs:
        for t, what in [(t, "overwrite") for t in [*targets, out / RUN_RECORD]] + [
            (t, "delete") for t in removed
        ]:
            if _samefile(Path(src), t):
                raise OutputError(
                    f"is the input ({src}); writing the tables to {out} would {what} it. "
                    "Nothing is written; choose another --out folder",
                    path=t,
                )
    foreign = [t.name for t in targets if os.path.lexists(t) and t.name not in owned]
    if foreign:
        raise OutputError(
            f"holds {', '.join(foreign)}, not written by framing (not in its {RUN_RECORD}, or "
            "changed since framing wrote it); nothing is overwritten. Choose an empty or new "
            "--out folder, or move them",
            path=out,
        )
    return owned


def check_output(
    out: str | Path,
    *,
    names: Sequence[str] | None = None,
    formats: Sequence[str] = ("parquet", "csv"),
    inputs: Sequence[str | Path] = (),
) -> Path:
    """Check that tables can be written to ``out`` without touching anything not framing's.

    Cheap (no table needed), so the command line calls it before any work starts. Only table
    files (``NAME.parquet``/``NAME.csv`` of :data:`TABLES`) that ``framing-run.json`` lists and
    whose size and sha256 still match it are framing's: those are overwritten, or removed when
    the new run does not write them. Any other file in ``out`` is left alone.

    Args:
        out: the output folder (created later if absent).
        names: the tables to be written (default every table in :data:`TABLES`).
        formats: ``"parquet"`` and/or ``"csv"``.
        inputs: the files the tables are computed from; none may be written over or removed.

    Returns:
        ``out`` as a Path.

    Raises:
        OutputError: ``out`` is an existing file (or under one); a file to be written or removed
            is an input; a table file to be written exists there that framing did not write
            (not in its run record, or changed since); or the run record is not one.
    """
    out = Path(out)
    _check_path(out)
    names = list(TABLES if names is None else names)
    _check_files(out, names, formats, inputs)
    return out


@contextlib.contextmanager
def _write_lock(out: Path):
    """Hold an exclusive ``flock`` on the folder ``out``: two writers take turns."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the tmp folders' pids still keep writers apart
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # a file system without locks: go on without
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a pid framing writes: left alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    except OverflowError:
        return False
    return True


def _remove_stale_tmp(out: Path) -> None:
    """Remove temporary folders of writers that are gone (killed); a live writer's stays."""
    import shutil

    for stale in out.glob(f"{_TMP_PREFIX}*"):
        if stale.is_symlink() or not stale.is_dir():
            continue
        m = _TMP_PID.match(stale.name)
        # a name with no pid is from a framing before pids were written: its run is over
        if m is None or not _pid_alive(int(m.group(1))):
            shutil.rmtree(stale, ignore_errors=True)


def write_tables(
    tables: dict[str, pd.DataFrame],
    out: str | Path,
    *,
    formats: Sequence[Literal["parquet", "csv"]] = ("parquet", "csv"),
    inputs: Sequence[str | Path] = (),
    progress: bool = False,
) -> list[Path]:
    """Write each table as ``OUT/NAME.parquet`` and ``OUT/NAME.csv``, all or nothing.

    The tables are written to a temporary folder inside ``out`` (named with the writer's pid)
    and moved into place together; then ``OUT/framing-run.json``, the run record, lists every
    file with its size and sha256 and names the run (a hash of all the files, so the same tables
    give the same record). Tables of an earlier run that this run does not write (e.g. after
    ``steps=["sentiment"]``) are removed: old and new tables never sit side by side; only files
    the record lists whose bytes still match it are removed or overwritten (an edited table is
    the user's and stays). A run killed while writing leaves the previous run's tables and
    record untouched, or, if killed while moving files, a record saying ``"state": "writing"``
    that :func:`read_tables` refuses; the next write cleans up either. Two writers into one
    folder take turns (an ``flock`` on the folder), and a writer removes only temporary folders
    of writers no longer running. The same tables always give the same bytes, Parquet included.

    Args:
        tables: from :func:`analyze_corpus`.
        out: the output folder (created if absent).
        formats: ``"parquet"`` and/or ``"csv"``.
        inputs: files the tables were computed from, never to be written over or removed.
        progress: a tqdm bar over the tables as they are written.

    Returns:
        The table files written (the run record not included).

    Raises:
        OutputError: see :func:`check_output`, or a table could not be written (a full disk):
            nothing in ``out`` is changed then.
    """
    import shutil
    import tempfile

    out = Path(out)
    names = [n for n in TABLES if n in tables]
    _check_path(out)
    out.mkdir(parents=True, exist_ok=True)
    with _write_lock(out):
        owned = _check_files(out, names, formats, inputs)  # under the lock: nobody else writes
        _remove_stale_tmp(out)  # left by a run killed while writing
        tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", dir=out))
        try:
            from tqdm.auto import tqdm

            files: dict[str, dict] = {}
            for name in tqdm(names, desc="writing tables", unit="table", disable=not progress):
                for ext in ("parquet", "csv"):
                    if ext not in formats:
                        continue
                    fname = f"{name}.{ext}"
                    try:
                        _write_table(tables[name], tmp / fname, ext)
                    except OSError as e:  # a full disk, a quota: the folder stays as it was
                        raise OutputError(
                            f"cannot write {fname} ({e.strerror or e}); nothing in the folder "
                            "was changed",
                            path=out,
                        ) from e
                    files[fname] = _file_entry(tmp / fname)
            run = content_key(*(f"{n}:{e['sha256']}" for n, e in files.items()))[:16]
            _write_record(out, {"state": "writing", "run": run, "files": files,
                                "previous_files": owned}, tmp)  # fmt: skip
            for n in owned:
                if n not in files and not any(_samefile(Path(s), out / n) for s in inputs):
                    (out / n).unlink()
            for n in files:
                os.replace(tmp / n, out / n)
            _write_record(out, {"state": "complete", "run": run, "files": files}, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return [out / n for n in files]


def read_tables(out: str | Path, *, format: Literal["parquet", "csv"] = "parquet") -> dict:
    """Read back the tables :func:`write_tables` wrote, checked against its run record.

    Args:
        out: the folder.
        format: which copy to read.

    Returns:
        A dict of DataFrames, in the order of :data:`TABLES`.

    Raises:
        OutputError: the folder has no run record (not written by framing, or by a version
            before run records), the run was interrupted while writing, a file is missing, or a
            file's bytes changed since it was written.
    """
    check_option("format", format, ("parquet", "csv"))
    out = Path(out)
    record = _read_record(out)
    if record is None:
        raise OutputError(
            f"no {RUN_RECORD}: these are not tables of a complete framing run (never written "
            "by framing, or a run was interrupted); run framing analyze again",
            path=out,
        )
    if record.get("state") != "complete":
        raise OutputError(
            f"run {record.get('run')} was interrupted while writing (its {RUN_RECORD} says "
            f"state {record.get('state')!r}): old and new tables may be mixed; run framing "
            "analyze again",
            path=out,
        )
    tables = {}
    for name in TABLES:
        fname = f"{name}.{format}"
        if fname not in record["files"]:
            continue
        path = out / fname
        if not path.is_file():
            raise OutputError(f"missing, though run {record['run']} wrote it", path=path)
        if _file_entry(path) != record["files"][fname]:
            raise OutputError(
                f"changed since run {record['run']} wrote it (size or sha256 differ)", path=path
            )
        tables[name] = pd.read_parquet(path) if format == "parquet" else pd.read_csv(path)
    return tables


def _file_entry(path: Path) -> dict:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


def _write_record(out: Path, record: dict, tmp_dir: Path) -> None:
    import json

    tmp = tmp_dir / RUN_RECORD  # in the writer's own folder: never a file planted in ``out``
    text = json.dumps(record, indent=1, sort_keys=True) + "\n"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out / RUN_RECORD)  # atomic: the record is old or new, never half


def _write_table(frame: pd.DataFrame, path: Path, ext: str) -> None:
    if ext == "parquet":
        # attrs hold the load report (pandas writes attrs into the file's metadata, the report
        # as its one-line summary): dropped, so a table's bytes depend on its rows alone
        plain = frame.copy(deep=False)
        plain.attrs = {}
        plain.to_parquet(path, index=False)
    else:
        _write_csv(frame, path)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    # pyarrow's writer is several times faster than DataFrame.to_csv on million-row tables
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    pcsv.write_csv(table, path, pcsv.WriteOptions(quoting_style="needed"))
