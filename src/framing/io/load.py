"""Load a corpus into a DataFrame, one row per article, with a report of every row left out.

:func:`load_corpus` is the one way in: it checks the options once, resolves a corpus spec,
picks the reader for the input (:mod:`framing.io.readers`), runs the one row checker
(:mod:`framing.io.rows`) over the records the reader yields, cleans every kept text in one
pass, and returns the articles carrying their load report (:mod:`framing.io.load_report`).
"""

from __future__ import annotations

__all__ = ["load_corpus", "CACHE_MIN_BYTES"]

import datetime as dt
import hashlib
import itertools
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import CorpusError
from ..text.boilerplate import (
    BoilerplateSettings,
    check_boilerplate,
    encode_found,
    learn_boilerplate,
)
from ..text.cleaning import clean_text, load_rules
from .load_report import ReportRows, attach_report
from .readers import COLUMN_ROLES, READERS, Source, corpus_format, read_spec
from .rows import ARTICLE_COLUMNS, MAX_CHARS, RowChecker, bad_row, debris_detail

Format = Literal["auto", "manifest", "folder", "csv", "jsonl", "parquet", "spec"]
OnError = Literal["raise", "drop"]
FORMATS = ("auto", "manifest", "folder", "csv", "jsonl", "parquet", "spec")
ON_ERROR = ("raise", "drop")
RULES = "cleaning_rules.toml"

CHECK_BATCH = 8000  # checked articles turned into a DataFrame at a time (the texts then live
# in Arrow memory, not as Python strings: memory holds each text about once)
CLEAN_CHUNK = 1000  # articles cleaned by one task
PARALLEL_FROM = 4000  # from this many articles, cleaning uses every core unless n_jobs says
CLEANED_COLUMNS = ["text", "has_body", "n_removed", "n_words", "n_headings"]
# ``boilerplate=None``: a spec's setting, else this (learned, default thresholds)
BOILERPLATE_DEFAULT = True

# Loading a large table is cached (framing.cache), keyed by the file's path and a sha256 of
# its bytes (its content, not its size and time: an edit that keeps both is still seen), the
# options, today's date (the latest possible date) and this code: the notebooks each load the
# corpus, and a rerun then reads one Parquet file. ``cache=False`` neither reads nor writes it.
# Only tables that hold their texts are cached: a table naming text files is read afresh, as
# the files may change without the table changing.
CACHE_MIN_BYTES = 5_000_000
CACHED_FORMATS = ("csv", "jsonl", "parquet")


@dataclass(frozen=True)
class LoadOptions:
    """The options of one load, checked; a spec's values merged in (the caller's win)."""

    path: Path
    format: str
    columns: Mapping[str, str] | None
    date_formats: Sequence[str] | None
    on_error: str | None
    limit: int | None
    n_jobs: int | None
    max_chars: int | None
    cache: bool
    progress: bool
    boilerplate: bool | Mapping | BoilerplateSettings | None = None
    rules: Path | None = None

    @property
    def furniture(self) -> BoilerplateSettings | None:
        """The learned-furniture settings (None: off), after a spec is merged."""
        value = BOILERPLATE_DEFAULT if self.boilerplate is None else self.boilerplate
        return check_boilerplate(value)


def load_corpus(
    path: str | Path,
    *,
    format: Format = "auto",
    columns: Mapping[str, str] | None = None,
    date_formats: Sequence[str] | None = None,
    on_error: OnError | None = None,
    limit: int | None = None,
    n_jobs: int | None = None,
    max_chars: int | None = MAX_CHARS,
    cache: bool = True,
    progress: bool = False,
    boilerplate: bool | Mapping | BoilerplateSettings | None = None,
) -> pd.DataFrame:
    """Load a corpus: a manifest folder, a folder of text files, a CSV, JSON Lines or Parquet file.

    Args:
        path: one of
            - a corpus folder with ``manifest.csv`` (or the manifest itself): one row per article
              with ``doc_id, path, outlet, title, published`` and optionally ``url, byline,
              provenance``; ``path`` is relative to the folder;
            - a folder of ``.txt`` files without a manifest: ``doc_id`` is the file's path
              without ``.txt``, ``outlet`` the first sub-folder (``(unknown)`` for files at the
              top), no title or date;
            - a ``.csv``/``.tsv`` (optionally ``.gz``), ``.jsonl``/``.ndjson`` (plain or ``.gz``)
              or ``.parquet`` file, one article per row, read through ``columns``;
            - a ``.toml`` corpus spec naming such a file and how to read it (``path``,
              ``format``, ``columns``, ``date_formats``, ``on_error``, ``rules``); the AllSides
              corpus is the worked example, ``corpus/allsides.toml``.
            A ``cleaning_rules.toml`` beside the manifest or data file (in the folder) adds
            corpus-specific debris rules to the generic ones.
        format: the reader; ``"auto"`` decides from the path (see
            :func:`framing.io.readers.corpus_format`).
        columns: for tables, which column plays which role: ``{"text": ..., "outlet": ...,
            "date": ..., "title": ..., "id": ..., "url": ..., "byline": ...}`` (or ``"path"``
            instead of ``"text"``: text files relative to the table). Roles not named are found
            by usual names (:data:`framing.COLUMN_ROLES`); only the text is required. Other
            columns are kept as extra columns (e.g. AllSides' ``bias_text``). A manifest's and
            a folder's columns are fixed; ``columns`` is not used for them.
        date_formats: accepted date formats, tried in order: ``"iso"`` (``YYYY-MM-DD``, with an
            optional time) or ``strptime`` patterns such as ``"%m/%d/%y"``. Default ``["iso"]``:
            a US-style ``9/6/17`` is then reported as an unparseable date, because ``9/6`` is
            ambiguous unless the source documents its convention.
        on_error: ``"raise"`` (default) raises :class:`CorpusError` at the first bad row, naming
            file, row and problem; ``"drop"`` drops bad rows and keeps the report, which
            :func:`framing.load_report` returns. A corpus spec may set it.
        limit: read only the first ``limit`` rows (samples, tests, benchmarks).
        n_jobs: processes for cleaning large corpora (joblib; default: all cores from 4,000
            articles).
        max_chars: the longest article accepted, in characters of the text as read (default
            5,000,000; ``None``: no limit). A longer one is never truncated: it raises, or is
            dropped and reported as ``too_long`` with its size.
        cache: read and write the load cache (tables of 5 MB or more that hold their texts; see
            Note). ``False`` neither reads nor writes it (the CLI's ``--no-cache``).
        progress: tqdm bars over the rows read and the articles cleaned.
        boilerplate: page furniture learned from the corpus, removed as rule
            ``repeated_boilerplate`` (:mod:`framing.text.boilerplate`): lines, and sentences
            inside lines, that recur near-verbatim in many articles of one outlet over time and
            are concentrated in it. ``None`` (the default) is a corpus spec's ``boilerplate``
            setting, else ``True``. ``True`` learns with the default thresholds of
            :class:`framing.text.boilerplate.BoilerplateSettings` (at least 5 articles and 0.5%
            of the outlet's, 10 times as common as in the other outlets, over at least 60
            days); a mapping such as ``{"min_articles": 10}`` changes some; ``False`` learns
            nothing. Learning needs several articles per outlet: a corpus of one article per
            outlet is cleaned by the rules alone.

    Returns:
        One row per article, in input order: ``doc_id, outlet, title, published`` (pandas
        Timestamp; NaT when a table gives no date), ``url, byline, provenance`` (for tables: file
        and row), ``path`` (absolute), ``rules`` (the corpus rule file, or ""), ``boilerplate``
        (the learned furniture the article holds, as keys and article counts, "" for none:
        :func:`framing.cleaning_audit` re-runs cleaning with it), ``text_raw`` (as read),
        ``text`` (cleaned: kept paragraphs separated by a blank line) and ``n_words``, then a
        table's extra columns. The load report travels with it (in ``attrs``):
        :func:`framing.load_report` reads it from this frame or any frame derived from it.

    Raises:
        CorpusError: with the file, the row (1 = first row after the header; JSON Lines: the line
            number) and the problem: a bad row (a reason of :data:`framing.BAD_ROW_REASONS`:
            a path escaping the folder, empty text, unparseable or impossible date, duplicate
            id, duplicate text, too long, a manifest row without outlet or date, …), or a file
            that cannot be used at all (missing, unknown or repeated columns, a truncated or
            damaged ``.gz``, a bad spec). When no row is usable, the error's ``report``
            attribute holds the load report.
        ValueError: an option has a value that is not allowed.

    Note:
        Every reader's rows go through the same row checker, in the order of
        :data:`framing.BAD_ROW_REASONS`. A UTF-8 byte-order mark and CRLF line endings are
        accepted; ``text_raw`` has them removed (LF endings) and is otherwise the text
        unchanged. Rows that are kept but noteworthy (missing date or outlet, a date read with
        a non-ISO format) are in the report with ``action = "kept"``. Dates must lie between
        1800-01-01 and today, else they are impossible; a time must be a real time; a
        time-zone timestamp gives its local date (as written). A text file named by a
        manifest, a table's ``path`` column or a folder (also through a symlink) must lie
        inside that manifest's, table's or folder's own folder; symlinked sub-folders are not
        followed but reported; a text that is a list, object, bytes or number is refused,
        never turned into its repr; a repeated text is ``duplicate_text``. Relative paths are
        taken from the working directory. The load cache of a large table is keyed by the
        file's bytes (a sha256), not its size and time; a cache folder that cannot be written
        is skipped with one warning.
    """
    _check_options(format, columns, date_formats, on_error, limit, max_chars, boilerplate)
    options = LoadOptions(
        Path(path).absolute(),  # relative paths: from the working directory, once
        format, columns, date_formats, on_error, limit, n_jobs, max_chars, cache, progress,
        boilerplate,
    )  # fmt: skip
    options = _resolved(options)
    key = _cache_key(options)
    cached = _cache_get(key) if key is not None else None
    if cached is not None:
        return cached
    source = READERS[options.format](options.path, options.columns, options.limit)
    articles, report = _read_corpus(source, options)
    if key is not None and source.layout.texts_inside:
        _cache_put(key, articles, report)
    return attach_report(articles, report)


def _check_options(
    fmt, columns, date_formats, on_error, limit, max_chars, boilerplate=None
) -> None:
    """Raise ValueError for an option whose value is not allowed, naming it and the choices."""
    check_boilerplate(boilerplate)
    if fmt not in FORMATS:
        raise ValueError(f"format={fmt!r} is not allowed; use one of {FORMATS}")
    if on_error is not None and on_error not in ON_ERROR:
        raise ValueError(f"on_error={on_error!r} is not allowed; use one of {ON_ERROR}")
    if columns is not None:
        bad = sorted(set(columns) - set(COLUMN_ROLES))
        if bad:
            raise ValueError(
                f"columns has unknown roles {bad}; allowed roles are {list(COLUMN_ROLES)}"
            )
    if date_formats is not None and (isinstance(date_formats, str) or not date_formats):
        raise ValueError(
            f"date_formats={date_formats!r} is not allowed; give a non-empty list such as "
            "['iso', '%m/%d/%y']"
        )
    if max_chars is not None and (
        isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1
    ):
        raise ValueError(
            f"max_chars={max_chars!r} is not allowed; give a positive int (default "
            f"{MAX_CHARS:,}) or None for no limit"
        )
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit={limit!r} is not allowed; give a positive int or None")


def _resolved(options: LoadOptions) -> LoadOptions:
    """The options with the reader decided, a spec's path and options merged, and defaults
    filled in (``on_error="raise"``, ``date_formats=("iso",)``)."""
    fmt = corpus_format(options.path) if options.format == "auto" else options.format
    if fmt == "spec":
        options = _with_spec(options)
        fmt = corpus_format(options.path) if options.format == "auto" else options.format
        if fmt == "spec":
            problem = "a corpus spec must name a data file, not another spec"
            raise CorpusError(problem, file=options.path)
    return replace(
        options,
        format=fmt,
        on_error=options.on_error or "raise",
        date_formats=tuple(options.date_formats or ("iso",)),
    )


def _with_spec(options: LoadOptions) -> LoadOptions:
    """The options a corpus spec gives: its data path, format and rules, and its columns, date
    formats and on_error where the caller gave none. A bad value is a CorpusError naming the
    spec file."""
    spec = read_spec(options.path)
    try:
        _check_options(
            spec.get("format", "auto"), spec.get("columns"), spec.get("date_formats"),
            spec.get("on_error"), None, None, spec.get("boilerplate"),
        )  # fmt: skip
    except ValueError as e:
        raise CorpusError(str(e), file=options.path) from None
    return replace(
        options,
        path=spec["path"],
        format=spec.get("format", "auto"),
        columns=_caller_or_spec(options.columns, spec, "columns"),
        date_formats=_caller_or_spec(options.date_formats, spec, "date_formats"),
        on_error=_caller_or_spec(options.on_error, spec, "on_error"),
        boilerplate=_caller_or_spec(options.boilerplate, spec, "boilerplate"),
        rules=spec.get("rules"),
    )


def _caller_or_spec(value, spec: Mapping, key: str):
    return value if value is not None else spec.get(key)


# ---------------------------------------------------------------- read, check, clean, build


def _read_corpus(source: Source, options: LoadOptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles of a source and its load report: read all records, check each row, clean
    each kept text, build the table."""
    rules_file = options.rules or source.layout.folder / RULES
    rules = load_rules(rules_file)
    checker = RowChecker(
        source.layout,
        date_formats=options.date_formats,
        max_chars=options.max_chars,
        rules_name=str(rules_file.resolve()) if rules_file.is_file() else "",
        latest=dt.date.today(),
    )
    report = ReportRows(options.on_error)
    raw = _checked_articles(source, checker, report, options.progress)
    _require_articles(raw, report, source)
    # Corpus-level learning, between checking and cleaning: each outlet's page furniture, from
    # all kept raw texts at once; each article's cleaning then removes the furniture it holds
    raw["boilerplate"] = _learned_furniture(raw, options.furniture)
    cleaned = _cleaned_texts(raw, rules, options, source.layout.name)
    articles = _without_debris(raw, cleaned, report)
    _require_articles(articles, report, source)
    return _article_table(articles), report.frame()


def _checked_articles(
    source: Source, checker: RowChecker, report: ReportRows, progress: bool
) -> pd.DataFrame:
    """The kept rows' articles as read (``text_raw``, not yet cleaned), in input order; bad
    rows go to the report (or raise) and kept rows' notes to the report."""
    from tqdm.auto import tqdm

    name = source.layout.name
    rows = tqdm(source.rows, desc=f"loading {name}", unit="row", disable=not progress)
    parts: list[pd.DataFrame] = []
    batch: list[dict] = []
    for row, record in rows:
        if isinstance(record, CorpusError):  # a row the reader could not read as a record
            report.bad(record)
            continue
        try:
            article, notes = checker.check(row, record)
        except CorpusError as e:
            report.bad(e)
            continue
        report.kept(notes)
        batch.append(article)
        if len(batch) >= CHECK_BATCH:
            parts.append(pd.DataFrame.from_records(batch))
            batch = []
    if batch:
        parts.append(pd.DataFrame.from_records(batch))
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _require_articles(articles: pd.DataFrame, report: ReportRows, source: Source) -> None:
    """Raise when no article is left; the error carries the report."""
    if len(articles):
        return
    if report.rows:
        problem = (
            f"no usable articles ({len(report.rows)} rows reported; the report is this error's "
            "`.report`)"
        )
    else:
        problem = "lists no articles"
    err = CorpusError(problem, file=source.layout.file)
    err.report = report.frame()
    raise err


def learn_furniture(
    texts: Sequence[str], outlets: Sequence[str], dates, settings: BoilerplateSettings | None
) -> list[list]:
    """Where each article's learned furniture is (:func:`framing.text.boilerplate.
    find_boilerplate`'s lists), or empty lists when ``settings`` is None (learning off)."""
    if settings is None:
        return [[] for _ in texts]
    return learn_boilerplate(texts, outlets, dates, settings=settings).found


def _learned_furniture(raw: pd.DataFrame, settings: BoilerplateSettings | None) -> list[str]:
    """The ``boilerplate`` column: each article's learned furniture, encoded ("" for none)."""
    found = learn_furniture(
        raw["text_raw"].tolist(), raw["outlet"].tolist(), raw["published"].tolist(), settings
    )
    return [encode_found(f) for f in found]


def _cleaned_texts(
    raw: pd.DataFrame, rules: tuple, options: LoadOptions, name: str
) -> pd.DataFrame:
    """Each article cleaned (:data:`CLEANED_COLUMNS`), indexed like ``raw``."""
    from tqdm.auto import tqdm

    jobs = options.n_jobs
    if jobs is None:
        jobs = -1 if len(raw) >= PARALLEL_FROM else 1
    items = zip(raw["doc_id"], raw["text_raw"], raw["title"], raw["boilerplate"], strict=True)
    parts = []
    bar = tqdm(
        total=len(raw), desc=f"cleaning {name}", unit="article", disable=not options.progress
    )
    with bar:
        for done in _clean_chunks(_chunks(items, CLEAN_CHUNK), rules, jobs):
            parts.append(pd.DataFrame(done, columns=CLEANED_COLUMNS))
            bar.update(len(done))
    cleaned = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    cleaned.index = raw.index
    return cleaned


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _clean_chunks(chunks: Iterator[list], rules: tuple, n_jobs: int) -> Iterator[list]:
    """The cleaned chunks, in order: in this process, or in joblib workers (a few chunks in
    flight at a time, so the texts are not all copied out at once)."""
    if n_jobs != 1:
        from joblib import Parallel, delayed, effective_n_jobs

        workers = effective_n_jobs(n_jobs)
        if workers > 1:
            run = Parallel(n_jobs=workers, return_as="generator")
            return run(delayed(_clean_chunk)(chunk, rules) for chunk in chunks)
    return (_clean_chunk(chunk, rules) for chunk in chunks)


def _clean_chunk(items: list[tuple[str, str, str, str]], rules: tuple) -> list[tuple]:
    """``(text, has_body, n_removed, n_words, n_headings)`` per ``(doc_id, text_raw, title,
    boilerplate)`` (the article's learned furniture, encoded)."""
    from ..text.boilerplate import decode_found
    from ..text.words import count_words_many

    done = [
        clean_text(raw, rules, doc_id=doc_id, title=title, boilerplate=decode_found(found))
        for doc_id, raw, title, found in items
    ]
    words = count_words_many(c.text for c in done).tolist()
    return [
        (
            c.text,
            any(not heading for _, _, heading, _ in c.paragraphs),
            len(c.removed),
            n,
            sum(1 for _, _, heading, _ in c.paragraphs if heading),
        )
        for c, n in zip(done, words, strict=True)
    ]


def _without_debris(raw: pd.DataFrame, cleaned: pd.DataFrame, report: ReportRows) -> pd.DataFrame:
    """The articles with their cleaned text; those left without body text (``debris_only``)
    go to the report (or raise)."""
    has_body = cleaned["has_body"].to_numpy()
    for i in np.flatnonzero(~has_body):
        detail = debris_detail(cleaned["n_removed"].iat[i], cleaned["n_headings"].iat[i])
        doc_id, path, row = raw["doc_id"].iat[i], raw["path"].iat[i], int(raw["_row"].iat[i])
        report.bad(bad_row("debris_only", detail, file=path, row=row, doc_id=doc_id))
    articles = raw.assign(text=cleaned["text"], n_words=cleaned["n_words"])
    return articles if has_body.all() else _rows_where(articles, has_body)


def _rows_where(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``frame[keep]``, joined from slices of the runs of kept rows: the Arrow string columns
    (the texts) are then shared, where a boolean filter would copy them (twice, as Arrow first
    joins their chunks)."""
    if not keep.any():
        return frame.iloc[:0]
    edges = np.flatnonzero(np.diff(np.concatenate(([False], keep, [False]))))
    return pd.concat([frame.iloc[start:end] for start, end in edges.reshape(-1, 2)])


def _article_table(articles: pd.DataFrame) -> pd.DataFrame:
    """The columns in order (:data:`ARTICLE_COLUMNS`, then a table's other columns) and
    ``published`` as dates (``datetime64[s]``)."""
    out = articles.assign(published=pd.to_datetime(articles["published"]).astype("datetime64[s]"))
    extras = [c for c in out.columns if c not in ARTICLE_COLUMNS and c != "_row"]
    return out[ARTICLE_COLUMNS + extras].reset_index(drop=True)


# ---------------------------------------------------------------- the load cache


def _cache_key(options: LoadOptions) -> str | None:
    """The load cache's key for a large table, or None (no cache, a small file, not a table)."""
    if not options.cache or options.format not in CACHED_FORMATS:
        return None
    path = options.path.resolve()
    try:
        if path.stat().st_size < CACHE_MIN_BYTES:
            return None
        digest = _file_digest(path)
    except OSError:
        return None  # the reader names the problem
    from ..cache import content_key

    rules_file = options.rules or path.parent / RULES
    rules_text = rules_file.read_text(encoding="utf-8") if rules_file.is_file() else ""
    return content_key(
        str(path),
        digest,
        options.format,
        repr(sorted((options.columns or {}).items())),
        repr(options.date_formats),
        str(options.on_error),
        str(options.limit),
        str(options.max_chars),
        rules_text,
        options.furniture.key() if options.furniture is not None else "no-boilerplate",
        dt.date.today().isoformat(),
    )


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _load_store():
    from ..cache import FrameCache, code_version

    return FrameCache("corpus", code_version())


def _cache_get(key: str) -> pd.DataFrame | None:
    """The cached articles, carrying their cached report, or None."""
    import pyarrow as pa

    store = _load_store()
    try:
        articles = store.get_frame(key)
        report = store.get_frame(f"{key}-report")
    except (OSError, pa.ArrowException) as e:  # a damaged cache file is a miss, said once
        warnings.warn(
            f"the load cache {store.path} cannot be read ({e}); loading from the file",
            RuntimeWarning,
            stacklevel=4,
        )
        return None
    if articles is None or report is None:
        return None
    # Parquet stores dates in ms at least
    articles["published"] = articles["published"].astype("datetime64[s]")
    return attach_report(articles, report)


def _cache_put(key: str, articles: pd.DataFrame, report: pd.DataFrame) -> None:
    # a read-only or full cache folder: FrameCache says so once (CacheWarning) and goes on
    store = _load_store()
    store.put_frame(key, articles)
    store.put_frame(f"{key}-report", report)
