"""Run every notebook headless with parameters, render HTML, write an index page.

``python -m framing.report --corpus PATH`` is what ``make report`` calls; ``framing report PATH``
is the same from the command line. Each corpus gets its own folder, ``reports/<corpus-name>/``
by default, built aside and moved into place only when every notebook ran.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import glob
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from .executed import ExecutedStore, environment_key, folder_key, notebook_key

__all__ = [
    "run_report", "report_folder", "corpus_name", "clean_reports", "ReportError"
]  # fmt: skip

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTEBOOKS = PROJECT_ROOT / "notebooks"
DEFAULT_CORPUS = PROJECT_ROOT / "corpus" / "xi-putin-moscow-2023"
DEFAULT_REPORTS = Path("reports")

#: the runner's record of what it wrote in a report folder; files not listed are never touched
MANIFEST = ".framing-report.json"
#: cells with this tag are shown only when the corpus is the case study (see is_case_study)
CASE_STUDY_TAG = "case-study"
# figures drawn with matplotlib's inline backend are embedded in the notebook, so in the page
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_EMBEDDED_FIGURE = re.compile(r"<img\b[^>]*\bsrc=\"data:image/")
_DATA_SUFFIXES = (".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".pq", ".toml")


class ReportError(RuntimeError):
    """The report could not be made: a bad corpus, a failing notebook, a page missing figures."""


def corpus_name(corpus: str | Path) -> str:
    """The folder name a corpus's report gets: a folder's name, a file's name without its
    data suffixes (``articles.jsonl.gz`` → ``articles``, ``allsides.toml`` → ``allsides``), the
    folder's name for a ``manifest.csv``."""
    p = Path(corpus)
    if p.name == "manifest.csv":
        p = p.parent
    name = p.resolve().name if p.name in ("", ".", "..") else p.name
    while not p.is_dir() and name.lower().endswith(_DATA_SUFFIXES):
        name = name[: name.lower().rfind(".")]
    return name or "corpus"


def report_folder(corpus: str | Path, reports: str | Path = DEFAULT_REPORTS) -> Path:
    """Where a corpus's report goes by default: ``reports/<corpus-name>/``."""
    return Path(reports) / corpus_name(corpus)


def _page_of(rel: str) -> str:
    """The notebook a report file belongs to: ``01-terms.code.html`` and ``01-terms/x.csv``
    belong to ``01-terms``."""
    first = Path(rel).parts[0]
    for suffix in (CODE_SUFFIX, ".html", ".ipynb"):
        first = first.removesuffix(suffix)
    return first


def _first_lines(nb_path: Path) -> tuple[str, str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"]).strip().splitlines()
            title = src[0].lstrip("# ").strip() if src else nb_path.stem
            rest = next((ln.strip() for ln in src[1:] if ln.strip()), "")
            return title, rest
    return nb_path.stem, ""


def _failure(source: Path, exc: Exception) -> ReportError:
    """Name the failing cell as it is in the source notebook, counted from 1 as in JupyterLab
    (found by its code: papermill's index counts the cells it injected, and the case-study
    cells the runner left out are not there)."""
    import nbformat

    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    code = getattr(exc, "source", None)
    where = "a cell"
    cells = nbformat.read(source, as_version=4).cells
    pos = next((i for i, c in enumerate(cells) if code is not None and c.source == code), None)
    if pos is not None:
        first = next((ln for ln in code.splitlines() if ln.strip()), "")
        where = f"cell {pos + 1} (first line: {first.strip()[:80]!r})"
    return ReportError(f"notebook {source.stem} failed at {where}: {ename}: {evalue}")


def _write_corpus_spec(
    corpus: Path,
    folder: Path,
    columns: Mapping[str, str] | None,
    date_formats: Sequence[str],
    boilerplate=None,
) -> Path:
    """A corpus spec in the report folder saying how the corpus was read (command-line column
    roles, date formats and furniture learning), its path relative to the folder so the page
    shows no local path."""
    lines = [
        "# How this report read its corpus (written by framing report)",
        f"path = {json.dumps(os.path.relpath(corpus, folder))}",
    ]
    if date_formats:
        lines.append(f"date_formats = {json.dumps(list(date_formats))}")
    if isinstance(boilerplate, bool):
        lines.append(f"boilerplate = {json.dumps(boilerplate)}")
    elif boilerplate is not None:
        lines.append("\n[boilerplate]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in dict(boilerplate).items()]
    if columns:
        lines.append("\n[columns]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in columns.items()]
    spec = folder / "corpus.toml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return spec


def _check_corpus(corpus: Path, load: Mapping):
    """Load the corpus once before any notebook starts, so an unreadable corpus is named at once
    (the notebooks load it again, from the load cache where there is one); :func:`run_report`
    has said a missing one is missing before the worker that calls this starts."""
    from .errors import CorpusError
    from .io.load import load_corpus

    try:
        return load_corpus(corpus, **load)
    except (CorpusError, ValueError, OSError) as e:
        raise ReportError(f"cannot read the corpus {corpus}: {e}") from e


def _without_case_study_cells(nb_path: Path, dest: Path) -> Path:
    # read and written as JSON, as nbformat writes a notebook (nbformat itself, with its schema
    # checker, would be ~20 MB more in the runner while the analysis runs beside it)
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    if nb.get("nbformat") != 4:  # an older notebook: nbformat converts it
        import nbformat

        nb = json.loads(nbformat.writes(nbformat.read(nb_path, as_version=4)))
    nb["cells"] = [
        c for c in nb["cells"] if CASE_STUDY_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)
    dest.write_text(text + "\n", encoding="utf-8")
    return dest


def _shown(path: Path, start: Path = PROJECT_ROOT) -> str:
    """How a shared page names a local path: relative to ``start`` when it lies beside the
    project (the project and ``../shared``), else by its name alone, so no page tells where
    on this machine a corpus or a checkout lives."""
    path = Path(path).resolve()
    beside = PROJECT_ROOT.parent
    if beside not in (Path("/"), Path.home()) and path.is_relative_to(beside):
        return os.path.relpath(path, start)
    if path.is_relative_to(PROJECT_ROOT):
        return os.path.relpath(path, start)
    return path.name


def _local_paths(build: Path, final: Path, *paths: Path) -> list[tuple[str, str]]:
    """Absolute paths of this machine and what a shared page shows instead (the build folder
    as the final report folder), longest first so a folder never shadows a file inside it."""
    pairs = {str(build.resolve()): _shown(final)}
    for p in paths:
        p = Path(p).resolve()
        if str(p) in ("/", ""):
            continue
        pairs.setdefault(str(p), _shown(p))
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def _scrub(node, pairs: list[tuple[str, str]], key: str = ""):
    """Replace absolute local paths in every text string of a notebook's JSON: only where a
    path starts (after a quote, white space, ``(``, ``=`` or at the start) and ends (before
    ``/``, a quote, white space, ``)``, ``:`` or the end), never inside images."""
    if isinstance(node, str):
        if key.startswith("image/") or key == "application/pdf":
            return node
        for old, new in pairs:
            if old in node:
                node = re.sub(
                    rf"(?<![^\s\"'(=:])({re.escape(old)})(?=[/\s\"'):,]|$)",
                    lambda m, new=new: new,
                    node,
                )
        return node
    if isinstance(node, list):
        return [_scrub(v, pairs, key) for v in node]
    if isinstance(node, dict):
        return {k: _scrub(v, pairs, k) for k, v in node.items()}
    return node


#: the explorer page each report gets (:mod:`framing.explorer`)
EXPLORER_PAGE = "explorer.html"
#: the shared page of a notebook hides its code; ``NAME.code.html`` beside it shows it
CODE_SUFFIX = ".code.html"


def _nav(name: str, with_code: bool) -> str:
    """The links at the top of a page: the findings page and the page's twin."""
    twin = f"[the page without code]({name}.html)" if with_code else (
        f"[the same page with its code]({name}{CODE_SUFFIX})"
    )  # fmt: skip
    return f"[← Findings and all pages](index.html) · {twin} · [its tables]({name}/)"


def _render(done: Path, build: Path, pairs: list[tuple[str, str]], shown: dict) -> tuple[int, int]:
    """Render an executed notebook to HTML twice, with its injected parameters written as the
    final report's relative paths and no local path anywhere: ``NAME.html`` shows prose,
    figures and tables with the code hidden, ``NAME.code.html`` the same with every cell's
    code. Returns the number of figures each page embeds."""
    import nbformat
    from nbconvert import HTMLExporter

    raw = _scrub(json.loads(done.read_text(encoding="utf-8")), pairs)
    nb = nbformat.reads(json.dumps(raw), as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = "# Parameters set by the report runner\n" + "\n".join(
                f"{k} = {v!r}" for k, v in shown.items()
            )
    nbformat.write(nb, done)
    name = done.stem
    counts = []
    for with_code in (False, True):
        page = nbformat.reads(nbformat.writes(nb), as_version=4)
        page.cells.insert(0, nbformat.v4.new_markdown_cell(_nav(name, with_code)))
        if not with_code:  # the parameters cell says nothing without its code
            page.cells = [c for c in page.cells if not _is_parameters(c)]
        opts = {} if with_code else {"exclude_input": True, "exclude_input_prompt": True,
                                     "exclude_output_prompt": True}  # fmt: skip
        body, _ = HTMLExporter(template_name="lab", **opts).from_notebook_node(page)
        target = build / (f"{name}{CODE_SUFFIX}" if with_code else f"{name}.html")
        target.write_text(body, encoding="utf-8")
        counts.append(len(_EMBEDDED_FIGURE.findall(body)))
    return counts[0], counts[1]


def _is_parameters(cell) -> bool:
    tags = cell.metadata.get("tags", [])
    return cell.cell_type == "code" and ("parameters" in tags or "injected-parameters" in tags)


@functools.cache
def _ipc_kernel_manager() -> type:
    """The kernel manager class: kernels talk to the runner over local sockets (IPC), not TCP:
    nothing listens on the network, and ipykernel has no reason to warn on every run that TCP
    is unencrypted. Made when the first notebook starts: the runner does not import
    jupyter_client while the analysis runs beside it."""
    from jupyter_client.manager import AsyncKernelManager

    class _IPCKernelManager(AsyncKernelManager):
        socket_dir = tempfile.gettempdir()

        def __init__(self, **kw):
            super().__init__(**kw)
            self.transport = "ipc"
            self.ip = str(Path(tempfile.mkdtemp(prefix="k-", dir=self.socket_dir)) / "kernel")

    return _IPCKernelManager


def _after(nb: Path) -> set[str]:
    """The notebooks ``nb`` reads the tables of (its metadata ``framing.after``): it runs after
    them. Notebook 04 reads 01-03's tables."""
    meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {})
    return set(meta.get("framing", {}).get("after", []))


def _run_in_order(books: list[Path], run, jobs: int, may_start=None) -> None:
    """Run ``run(notebook)`` for every notebook, ``jobs`` at a time, each once the notebooks it
    reads (:func:`_after`, among those run now) are done, and another beside a running one only
    when ``may_start()`` says so (memory; checked again whenever one finishes, or every 5 s).
    The first failure stops the rest: nothing new starts, the running ones finish, and its
    error is raised."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    names = {b.stem for b in books}
    needs = {b.stem: _after(b) & names for b in books}
    todo = list(books)
    done: set[str] = set()
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        running: dict = {}
        while todo or running:
            while len(running) < max(1, jobs):
                ready = next((b for b in todo if needs[b.stem] <= done), None)
                if ready is None or (running and may_start is not None and not may_start()):
                    break
                todo.remove(ready)
                running[pool.submit(run, ready)] = ready.stem
            finished, _ = wait(running, timeout=5 if todo else None, return_when=FIRST_COMPLETED)
            for fut in finished:
                name = running.pop(fut)
                exc = fut.exception()
                if exc is not None:
                    todo.clear()
                    wait(running)  # let the others finish; their pages stay in the failed run
                    raise exc
                done.add(name)


def _warm_analysis(corpus: Path, parameters: Mapping, what: str = "analysis", hold: bool = True):
    """Run the analysis every notebook reads, once, before any notebook starts: the notebooks
    then read its tables from the cache instead of racing to compute them."""
    from .pipeline import analysis

    t0 = time.perf_counter()
    print(f"[report] {what} …", file=sys.stderr, flush=True)
    run = analysis(
        corpus,
        by=parameters.get("by", "outlet"),
        outlets=parameters.get("outlets"),
        top_outlets=parameters.get("top_outlets", 8),
        hold_tables=hold,
    )
    print(f"[report] {what} done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return run


def _plain(value):
    """A mapping as a dict, a sequence (not a string) as a list, all the way down: what a
    spawned process can be handed whatever the caller passed (a mapping proxy, a generator)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, str | bytes | Path) or not hasattr(value, "__iter__"):
        return value
    return [_plain(v) for v in value]


def _prepare(corpus: Path, load: Mapping, notebooks: Path) -> tuple[bool, int, str]:
    """In the worker: read the corpus (so a missing or unreadable one is named before any
    notebook starts) and say whether it is the case study, its characters of text and the
    key every notebook's run depends on (:func:`_shared_key`)."""
    from .describe import is_case_study
    from .pipeline import release_memory

    articles = _check_corpus(corpus, load)
    found = (
        bool(is_case_study(articles)),
        int(articles["text"].str.len().sum()),
        _shared_key(articles, corpus, notebooks, load),
    )
    del articles
    release_memory()
    return found


class _Worker:
    """One fresh process (``spawn``) the runner hands the corpus to: :func:`_prepare`, then the
    analysis (:func:`_warm_analysis`), waited for; closed before the notebooks start, so the
    memory the analysis took returns to the system (a Python process keeps much of what it
    freed). Its errors are raised in the runner, as they were there. ``peak.most``: the most
    memory (bytes) it and its own workers held at once."""

    def __init__(self):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"))
        self.peak = _Sampler().__enter__()
        self.open = True

    def call(self, fn, *args):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(fn, *args).result()
        except BrokenProcessPool as e:
            corpus = args[0] if args else ""
            what = "reading the corpus" if fn is _prepare else "the analysis"
            raise ReportError(
                f"the process {what} runs in ended without finishing (killed, or out of "
                f"memory?); run `framing analyze {corpus}` to see where it stops. (A script "
                'that calls run_report must do so under `if __name__ == "__main__":`: the '
                "process starts Python afresh and imports the script.)"
            ) from e

    def close(self, kill: bool = False) -> None:
        """Shut the worker down (``kill``: at once, not after the task it runs: the report
        stopped, by an error or Ctrl-C, while it was reading or analysing)."""
        if not self.open:
            return
        try:
            if kill:  # (shutdown alone waits for a running task to finish)
                for proc in list(getattr(self.pool, "_processes", {}).values()):
                    with contextlib.suppress(Exception):
                        proc.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self.open = False
            self.peak.__exit__(None, None, None)


def _tree_rss(proc) -> int:
    """Resident memory (bytes) of ``proc`` and every process under it; 0 for one gone."""
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


class _Sampler:
    """The most memory the runner's child processes held at once, sampled every 0.2 s while
    the ``with`` block runs (``most``, bytes; 0 without psutil)."""

    def __init__(self):
        import threading

        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:  # pragma: no cover - psutil comes with ipykernel
            return
        me = psutil.Process()
        while not self._stop.wait(0.2):
            kids = sum(_tree_rss(c) for c in me.children())
            self.most = max(self.most, kids)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False


#: a corpus with fewer characters of text is small: its notebooks may always run two at once
#: (every corpus is read and analysed in the worker, whose memory returns to the system before
#: the notebooks start)
SMALL_CORPUS_CHARS = 5_000_000

#: the least memory budget of a report (bytes): below it, two notebooks may always run at once
MEMORY_FLOOR = 2 * 2**30


def _kernels() -> list:
    """The runner's notebook kernels (not, say, joblib's resource tracker, also a child)."""
    import psutil

    found = []
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
    return found


class _MemoryRecord:
    """What an earlier report of the same corpus and parameters measured, kept in the cache (a
    small JSON file, so the runner holds no pandas while notebooks run): the analysis's peak and
    the largest notebook kernel (bytes; 0 where nothing was measured)."""

    NAMESPACE = "report-memory"

    def __init__(self, corpus: Path, parameters: Mapping):
        from .cache import cache_dir, code_version, content_key

        self.root = cache_dir()
        items = sorted((str(k), repr(v)) for k, v in parameters.items())
        key = content_key(str(corpus), repr(items))
        self.file = self.root / self.NAMESPACE / code_version() / f"{key}.json"
        try:
            row = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or unreadable: measured again
            row = {}
        row = row if isinstance(row, dict) else {}
        self.analysis = int(row.get("analysis", 0))
        self.kernel = int(row.get("kernel", 0))

    def keep(self, analysis: int, kernel: int) -> None:
        from .cache import guarded_write, namespace_dir

        analysis, kernel = max(analysis, self.analysis), max(kernel, self.kernel)
        if (analysis, kernel) == (self.analysis, self.kernel):
            return
        with guarded_write(self.root) as ok:
            if ok:
                namespace_dir(self.root, self.NAMESPACE)
                self.file.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps({"analysis": analysis, "kernel": kernel}), "utf-8")
                os.replace(tmp, self.file)


class _MemoryGate:
    """May another notebook start beside the running ones? A small corpus (``small``): yes. A
    large one: only when an earlier report of it recorded its largest kernel (``known``), and
    the runner, the running kernels and one more kernel, each counted at least that large, fit
    in ``budget`` bytes (the analysis's peak). The first report of a large corpus runs its
    notebooks one at a time (a light notebook's kernel says nothing of a heavy one's) and
    records the largest kernel for the next. Without psutil: yes."""

    def __init__(self, budget: int, known_kernel: int, small: bool):
        self.budget = budget
        self.known = known_kernel
        self.small = small
        self.largest = 0
        self.waited = 0

    def sample(self) -> list[int]:
        kernels = [_tree_rss(c) for c in _kernels()]
        self.largest = max(self.largest, *kernels, 0)
        return kernels

    def __call__(self) -> bool:
        try:
            import psutil
        except ImportError:  # pragma: no cover - psutil comes with ipykernel
            return True
        kernels = self.sample()
        size = max(self.largest, self.known)
        if self.small:
            ok = True
        elif not self.known:  # a kernel seen so far may be a light one: wait for a record
            ok = False
        else:
            need = psutil.Process().memory_info().rss + sum(max(k, size) for k in kernels) + size
            ok = need <= self.budget
        self.waited += not ok
        return ok


class _KernelSampler(_Sampler):
    """Samples the gate's kernels every 0.5 s while notebooks run, so the largest kernel is
    known at its peak, not only when the gate is asked."""

    def __init__(self, gate: _MemoryGate):
        super().__init__()
        self.gate = gate

    def _run(self) -> None:
        try:
            import psutil  # noqa: F401
        except ImportError:  # pragma: no cover
            return
        while not self._stop.wait(0.5):
            self.gate.sample()


def _warm_analysis_quiet(corpus: Path, parameters: dict) -> None:
    # the tables go to the cache as they are computed, not to a reply, and are never all held
    _warm_analysis(corpus, parameters, hold=False)


def _run_one(nb: Path, ran: Path, params: dict, timeout: int, cwd: Path) -> None:
    """Run ``nb`` into ``ran`` in a kernel started in ``cwd``. The folder goes to the kernel
    (nbclient's ``resources``), not to papermill's ``cwd=``: that changes the runner's own
    working folder (``os.chdir``) for the whole run, and with two notebooks running at once one
    finishing put back the old folder while the other's kernel was starting, which then started
    in the wrong folder (notebook 05 did not find ``../corpus/allsides-validation``)."""
    import papermill

    papermill.execute_notebook(
        str(nb),
        str(ran),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=timeout,
        kernel_manager_class=_ipc_kernel_manager(),
        resources={"metadata": {"path": str(cwd)}},
    )


def _source(nb: Path, case_study: bool, inputs: Path) -> Path:
    """The notebook as it runs: as written for the case study, else without its case-study
    cells (written once into ``inputs``)."""
    if case_study:
        return nb
    dest = inputs / nb.name
    return dest if dest.is_file() else _without_case_study_cells(nb, dest)


def _shared_key(articles, corpus: Path, notebooks: Path, load: Mapping) -> str:
    """What every notebook's run depends on besides itself (:mod:`framing.executed`): the
    articles and their load report, how they were read, where, and the environment."""
    from .cache import content_key, value_key
    from .io.load_report import load_report

    return content_key(
        value_key(articles),
        value_key(load_report(articles)),
        repr(sorted((k, repr(v)) for k, v in load.items())),
        str(corpus),
        str(PROJECT_ROOT),
        sys.executable,
        sys.version,
        environment_key(),
        folder_key(notebooks.resolve().parent / "corpus"),
    )


def _notebook_keys(
    books: list[Path], case_study: bool, inputs: Path, parameters: Mapping, shared: str
) -> dict[str, str | None]:
    """Each notebook's key in the store (:func:`framing.executed.notebook_key`), in run order;
    None (always run) when the notebook reads tables of one not run now."""
    keys: dict[str, str | None] = {}
    names = {b.stem for b in books}
    for nb in books:  # sorted: a notebook comes after those it reads
        after = _after(nb)
        if not after <= names or any(keys.get(a) is None for a in after):
            keys[nb.stem] = None  # it reads a notebook not run now, or one numbered after it
            continue
        source = _source(nb, case_study, inputs)
        params = {"corpus": "", "progress": False, **parameters}
        before = [keys[a] for a in sorted(after)]
        keys[nb.stem] = notebook_key(nb.stem, source, params, shared, before)
    return keys


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _record(final: Path) -> dict:
    try:
        record = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _owned(final: Path, record: dict) -> dict[str, set[str]]:
    """The files of ``final`` the runner wrote, as its record says and the disk confirms: a
    relative path inside the folder (no ``..``, not absolute, no symlink on the way) to a
    regular file whose sha256 is one the record gives. Anything else is not the runner's."""
    files = record.get("files")
    if not isinstance(files, dict):
        return {}
    out = {}
    for rel, hashes in files.items():
        hashes = {hashes} if isinstance(hashes, str) else set(hashes or [])
        parts = Path(rel).parts
        if not isinstance(rel, str) or not parts or Path(rel).is_absolute() or ".." in parts:
            continue
        target = final / rel
        chain = [final / Path(*parts[: i + 1]) for i in range(len(parts))]
        if any(p.is_symlink() for p in chain) or not target.is_file():
            continue
        if _sha256(target) in hashes:
            out[rel] = hashes
    return out


def _written(build: Path) -> dict[str, str]:
    return {
        str(p.relative_to(build)): _sha256(p)
        for p in sorted(build.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def _write_record(final: Path, record: dict) -> None:
    tmp = final / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, final / MANIFEST)


def _clashes(final: Path, names: list[str], owned: dict) -> list[str]:
    """Names this run would write that stand on a file or folder the runner did not write
    (the name itself, or a file where one of its folders goes)."""
    found = []
    for rel in names:
        parts = Path(rel).parts
        for i in range(len(parts)):
            p = final / Path(*parts[: i + 1])
            last = i == len(parts) - 1
            if p.is_symlink() or (p.exists() and (not p.is_dir() if not last else True)):
                if not (last and str(Path(rel)) in owned):
                    found.append(rel)
                break
    return found


def _remove_dead_builds(final: Path) -> None:
    """Remove the hidden build folders of runs of this report that were killed (their process
    is gone); a live run's build folder stays."""
    for d in final.parent.glob(f".{glob.escape(final.name)}.building-*"):
        pid = d.name.removeprefix(f".{final.name}.building-").split("-")[0]
        if not (d.is_dir() and pid.isdigit()):
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:
            pass  # alive, another user's


@contextlib.contextmanager
def _install_lock(final: Path):
    """Two runs into one report folder install one after the other (the last one wins whole):
    a lock on the folder itself, so no lock file is left beside it."""
    import fcntl

    final.mkdir(parents=True, exist_ok=True)
    fd = os.open(final, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _install(build: Path, final: Path, record: dict, keep: set[str]) -> None:
    """Move a finished build into ``final``. Files the runner wrote before are replaced or,
    when this run did not write them again (and they are not in ``keep``: pages of notebooks
    a ``only=`` run left alone), removed; a file the runner did not write is never touched.
    The record first says ``installing`` with every file it may hold, so an install cut off
    half-way is still the runner's to finish; the index goes last."""
    old = _owned(final, _record(final))
    new = _written(build)
    clash = _clashes(final, list(new), old)
    if clash:
        raise ReportError(
            f"{final} holds files framing did not write: {', '.join(clash[:5])}; move them or "
            "give another --out"
        )
    kept = {f: old[f] for f in keep if f in old and f not in new}
    gone = sorted(set(old) - set(new) - set(kept))
    union = {f: sorted(set(old.get(f, ())) | {h}) for f, h in new.items()}
    union.update({f: sorted(old[f]) for f in [*kept, *gone]})
    final.mkdir(parents=True, exist_ok=True)
    _write_record(final, {**record, "state": "installing", "files": union})
    order = [f for f in new if f != "index.html"] + (["index.html"] if "index.html" in new else [])
    for f in order:
        (final / f).parent.mkdir(parents=True, exist_ok=True)
        os.replace(build / f, final / f)
    for f in gone:
        target = final / f
        target.unlink()
        parent = target.parent
        while parent != final and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    files = {**new, **{f: sorted(h)[0] for f, h in kept.items()}}
    _write_record(final, {**record, "state": "complete", "files": dict(sorted(files.items()))})
    shutil.rmtree(build, ignore_errors=True)


def _keep_failed(build: Path, final: Path) -> Path:
    """Keep a failed run apart, named as failed; the previous failed run of this report (which
    the runner wrote) is replaced."""
    failed = final.with_name(final.name + ".failed")
    if failed.is_dir():
        mine = set(_owned(failed, _record(failed))) | {MANIFEST}
        on_disk = {str(p.relative_to(failed)) for p in failed.rglob("*") if not p.is_dir()}
        if on_disk <= mine:
            shutil.rmtree(failed)
    if failed.exists():  # not all the runner's: leave it, and keep this run where it is
        return build
    os.replace(build, failed)
    _write_record(failed, {"state": "failed", "files": _written(failed)})
    return failed


def run_report(
    corpus: str | Path = DEFAULT_CORPUS,
    out: str | Path | None = None,
    *,
    reports: str | Path = DEFAULT_REPORTS,
    notebooks: str | Path = DEFAULT_NOTEBOOKS,
    parameters: dict | None = None,
    columns: Mapping[str, str] | None = None,
    date_formats: Sequence[str] | None = None,
    timeout: int = 1800,
    only: str | None = None,
    jobs: int | None = None,
    boilerplate=None,
    rerun: bool = False,
) -> Path:
    """Execute every numbered notebook on ``corpus`` and render the HTML report.

    The corpus is loaded first, so a missing or unreadable one fails before any notebook
    starts. Each notebook then runs through papermill with ``corpus``, ``out_dir``
    (``OUT/NAME/``, where it writes its figures and tables) and ``progress=False`` injected
    into its ``parameters`` cell, plus any extra ``parameters``; figures are drawn with
    matplotlib's inline backend whatever ``MPLBACKEND`` says, so every figure a notebook saves
    is embedded in its page (checked: a page with fewer figures than PNG files is an error).
    Cells tagged ``case-study`` are left out unless the corpus is the case study
    (:func:`framing.is_case_study`). The executed notebook is saved as ``OUT/NAME.ipynb`` and
    rendered to ``OUT/NAME.html``; ``OUT/index.html`` links them all. Shared pages show paths
    relative to the project, never this machine's absolute paths.

    The report is built in a hidden folder beside ``OUT`` and moved into place only when every
    notebook succeeded. ``OUT/.framing-report.json`` lists the files the runner wrote: on the
    next run those are replaced (or removed when no longer written); any other file in ``OUT``
    is never deleted or overwritten. A failed or interrupted run leaves ``OUT`` as it was and
    is kept as ``OUT.failed/``.

    Args:
        corpus: anything :func:`framing.load_corpus` reads.
        out: the report folder; default ``reports/<corpus-name>/`` (see :func:`report_folder`).
        reports: the parent folder used when ``out`` is not given.
        notebooks: the folder of numbered notebooks (``NN-name.ipynb``).
        parameters: extra notebook parameters (``by``, ``outlets``, ``top_outlets`` …).
        columns: for a table corpus, which column plays which role (``{"text": "body"}``);
            with ``date_formats``, written to ``OUT/corpus.toml``, which the notebooks read.
        date_formats: accepted date formats, e.g. ``["iso", "%m/%d/%y"]``.
        boilerplate: learning of page furniture, as :func:`framing.load_corpus`'s option
            (``False``, or a mapping of thresholds); None: the corpus's own setting. Written
            to ``OUT/corpus.toml`` like ``columns``.
        timeout: seconds a cell may run.
        only: keep the notebooks whose name starts with it (e.g. ``"01"``).
        jobs: notebooks run at once (default: 2, or 1 on a one-core machine); a notebook
            that reads another's tables (its metadata ``framing.after``) waits for it.
        rerun: run every notebook even where an earlier run of it on exactly these inputs is
            kept in the cache. By default such a run is reused (the notebook, its tables and
            figures; :mod:`framing.executed` says what the key holds), so a report run again
            unchanged re-renders its pages without starting a kernel.

    Raises:
        ReportError: the corpus cannot be read, or a cell failed (the message names the
            notebook and the cell, counted from 1 as in JupyterLab, with its first line; the
            partial notebook is kept as ``OUT.failed/NAME.failed.ipynb``), or a page lacks
            figures its notebook saved.
    """
    import hashlib

    corpus = Path(corpus).resolve()
    final = Path(out if out is not None else report_folder(corpus, reports)).resolve()
    if final.exists() and not final.is_dir():
        raise ReportError(f"--out {final} is a file, not a folder")
    if corpus.is_relative_to(final):
        raise ReportError(f"the corpus {corpus} lies inside the report folder {final}: the "
                          "runner replaces what it wrote there; read the corpus from elsewhere")  # fmt: skip
    parameters = dict(parameters or {})
    reserved = sorted({"corpus", "out_dir", "progress"} & set(parameters))
    if reserved:
        raise ReportError(f"parameters {reserved} are set by the runner; use --corpus / --out")
    all_books = sorted(Path(notebooks).glob("[0-9][0-9]-*.ipynb"))
    books = [b for b in all_books if not only or b.stem.startswith(only)]
    if not books:
        raise ReportError(f"no numbered notebooks in {notebooks}")
    load = {k: v for k, v in {"columns": columns, "date_formats": date_formats}.items() if v}
    if boilerplate is not None:
        load["boilerplate"] = boilerplate
    corpus_id = hashlib.sha256(str(corpus).encode()).hexdigest()[:16]
    previous = _record(final)
    owned = _owned(final, previous)
    if out is None and previous.get("corpus_id") not in (None, corpus_id) and owned:
        raise ReportError(
            f"{final} holds the report of another corpus named {corpus_name(corpus)!r}; "
            "give --out (or OUT=) to choose a folder"
        )
    expected = ["index.html", *(["corpus.toml"] if load else [])]
    expected += [EXPLORER_PAGE]
    expected += [f"{b.stem}{ext}" for b in books for ext in (".html", CODE_SUFFIX, ".ipynb")]
    clash = _clashes(final, expected, owned)
    if clash:  # known before any notebook runs: say so now, not after the whole report
        raise ReportError(
            f"{final} holds files framing did not write: {', '.join(clash[:5])}; move them or "
            "give another --out"
        )
    if not corpus.exists():
        raise ReportError(f"corpus not found: {corpus} (no such file or folder)")
    # the corpus is read, and the analysis run, in a process of its own (the worker), so the
    # runner never holds the corpus, pandas or numba: the report's memory while the analysis
    # runs is the analysis's plus a small runner, and the worker's returns to the system
    # before the notebooks start
    worker = _Worker()
    try:
        # (plain types: what the worker is handed is pickled)
        case_study, n_chars, shared = worker.call(_prepare, corpus, _plain(load), Path(notebooks))
        small = n_chars < SMALL_CORPUS_CHARS
        store = ExecutedStore(reuse=not rerun)  # --rerun: run all, keep the new runs
        # with only=, the pages of the notebooks that did not run stay, listed in the index
        ran_names = {b.stem for b in books}
        left_alone = {b.stem for b in all_books} - ran_names
        keep = {f for f in owned if _page_of(f) in left_alone}
        record = {
            "corpus": corpus_name(corpus),
            "corpus_id": corpus_id,
            "written_by": "framing report",
        }

        final.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_builds(final)
        build = Path(
            tempfile.mkdtemp(prefix=f".{final.name}.building-{os.getpid()}-", dir=final.parent)
        )
        inputs = build / ".framing-input"
        inputs.mkdir()
        data_path = (
            _write_corpus_spec(corpus, build, columns, date_formats or [], boilerplate)
            if load
            else corpus
        )
        shown_corpus = _shown(final / "corpus.toml" if load else corpus, DEFAULT_NOTEBOOKS)
        pairs = _local_paths(build, final, corpus, PROJECT_ROOT, Path.home(), Path.cwd())
        sockets = tempfile.mkdtemp(prefix="framing-kernels-")
        entries = []
        saved_backend = os.environ.get("MPLBACKEND")
        os.environ["MPLBACKEND"] = _INLINE_BACKEND  # the kernels inherit it
        installing = False
        jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    except BaseException:
        worker.close(kill=True)
        raise
    try:
        # computed (and cached) once before any notebook, in the worker: its memory goes back
        # to the system before the notebooks start (each kernel reads what it uses from the
        # cache); the index reads the few tables it needs back at the end
        keys = _notebook_keys(books, case_study, inputs, parameters, shared)
        if all(store.has(keys[b.stem]) for b in books):
            sampled = 0  # every notebook is reused: no kernel reads the analysis
        else:
            worker.call(_warm_analysis_quiet, data_path, parameters)
            sampled = worker.peak.most
        worker.close()
        _ipc_kernel_manager().socket_dir = sockets
        memory = _MemoryRecord(data_path, parameters)
        budget = max(sampled, memory.analysis, MEMORY_FLOOR)
        gate = _MemoryGate(budget, memory.kernel, small)

        def one(nb: Path) -> None:
            name = nb.stem
            source = _source(nb, case_study, inputs)
            params = {"corpus": str(data_path), "out_dir": str(build / name), "progress": False}
            params.update(parameters)
            shown = {
                **params,
                "corpus": shown_corpus,
                "out_dir": str(Path(_shown(final, DEFAULT_NOTEBOOKS)) / name),
            }
            ran = build / f"{name}.failed.ipynb"
            t0 = time.perf_counter()
            key = keys[name]
            if key is not None and store.restore(key, build, name):
                renders.append(render_pool.submit(render, name, build / f"{name}.ipynb", shown))
                print(f"[report] {name}: inputs unchanged, its earlier run reused "
                      "(--rerun runs it again)", file=sys.stderr, flush=True)  # fmt: skip
                return
            print(f"[report] {name} …", file=sys.stderr, flush=True)
            try:
                _run_one(source.resolve(), ran, params, timeout, cwd=nb.parent.resolve())
            except Exception as exc:  # papermill re-raises the cell's error with its location
                raise _failure(nb, exc) from exc
            done = build / f"{name}.ipynb"
            ran.replace(done)
            if key is not None:  # copied into the cache beside the next notebook's run
                slot = f"{final}::{name}"
                renders.append(render_pool.submit(store.keep, key, build, name, slot=slot))
            # its pages are rendered beside the next notebook's run, not before it starts
            renders.append(render_pool.submit(render, name, done, shown))
            secs = time.perf_counter() - t0
            print(f"[report] {name} done in {secs:.1f} s", file=sys.stderr, flush=True)

        def render(name: str, done: Path, shown: dict) -> None:
            figures = _render(done, build, pairs, shown)
            pngs = len(list((build / name).glob("*.png")))
            for shown_n, page in zip(figures, (f"{name}.html", f"{name}{CODE_SUFFIX}"),
                                     strict=True):  # fmt: skip
                if shown_n != pngs:
                    raise ReportError(
                        f"notebook {name} saved {pngs} figures but its page {page} shows "
                        f"{shown_n}: each figure must be both saved (framing.save_figure) and "
                        "shown (plt.show())"
                    )

        from concurrent.futures import ThreadPoolExecutor

        # imported here, once, before threads render and run notebooks at the same time: two
        # threads importing a module for the first time race (an interrupt during one import
        # left the other with KeyError: 'IPython' instead of the KeyboardInterrupt)
        import IPython  # noqa: F401
        import papermill  # noqa: F401
        from nbconvert import HTMLExporter  # noqa: F401

        renders: list = []
        render_pool = ThreadPoolExecutor(1)
        try:
            with _KernelSampler(gate):
                _run_in_order(books, one, jobs, gate)
        finally:
            render_pool.shutdown(wait=True)
        memory.keep(sampled, gate.largest)
        for rendered in renders:
            rendered.result()  # the first page that failed its check, if any
        if gate.waited and gate.largest:  # a kernel ran (reused notebooks start none)
            print(
                f"[report] notebooks ran one at a time where two could have held more than the "
                f"analysis's {gate.budget / 2**30:.1f} GiB (largest kernel "
                f"{gate.largest / 2**30:.1f} GiB; a later report of this corpus pairs those that "
                "fit)",
                file=sys.stderr,
                flush=True,
            )
        shutil.rmtree(inputs)
        pages = ran_names | {Path(f).stem for f in keep if f.endswith(".html")}
        entries = [(b.stem, *_first_lines(b)) for b in all_books if b.stem in pages]
        run = _warm_analysis(data_path, parameters, "tables for the index, from the cache")
        _write_explorer(build, run, corpus_name(corpus))
        _write_index(build, corpus_name(corpus), run, parameters, entries, case_study)
        installing = True
        with _install_lock(final):
            _install(build, final, record, keep)
    except BaseException as exc:
        if (
            installing
            and (final / MANIFEST).exists()
            and _record(final).get("state") == "installing"
        ):
            note = (f"{final} was being updated when it stopped; its record says so and the "
                    "next run finishes or replaces it")  # fmt: skip
        else:
            note = f"{final} is unchanged"
        failed = _keep_failed(build, final) if build.exists() else build
        print(
            f"[report] stopped; {note}; this run is kept in {failed}", file=sys.stderr, flush=True
        )
        if isinstance(exc, ReportError | OSError):
            raise ReportError(f"{exc} ({note}; this run is kept in {failed})") from exc
        raise
    finally:
        worker.close(kill=True)  # (closed already unless the report stopped while it ran)
        shutil.rmtree(sockets, ignore_errors=True)
        if saved_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = saved_backend
    return final / "index.html"


def clean_reports(reports: str | Path = DEFAULT_REPORTS) -> list[Path]:
    """Remove the report folders under ``reports`` that the runner wrote: in each folder with a
    record, the files it lists whose bytes still match (then the record and any folder left
    empty); a file of yours, or one you edited, stays. Returns the folders emptied."""
    emptied = []
    root = Path(reports)
    for record_file in sorted(root.glob(f"*/{MANIFEST}")):
        folder = record_file.parent
        for rel in _owned(folder, _record(folder)):
            (folder / rel).unlink()
        record_file.unlink()
        for d in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(d.iterdir()):
                d.rmdir()
        if not any(folder.iterdir()):
            folder.rmdir()
            emptied.append(folder)
    return emptied


def _write_explorer(build: Path, run, name: str) -> None:
    """The explorer page, from the tables the notebooks just wrote and the analysis's
    sentences (:mod:`framing.explorer`)."""
    from .explorer import write_explorer

    t0 = time.perf_counter()
    write_explorer(build / EXPLORER_PAGE, build, run.body, run.articles, by=run.by, corpus=name)
    size = (build / EXPLORER_PAGE).stat().st_size / 1e6
    secs = time.perf_counter() - t0
    print(f"[report] explorer: {size:.1f} MB in {secs:.1f} s", file=sys.stderr, flush=True)


def _write_index(
    out: Path, name: str, run, parameters: dict, entries: list, case_study: bool
) -> None:
    """The findings page (:func:`framing.findings.write_index`), written from the tables the
    notebooks wrote, linking every page, its with-code twin and the explorer."""
    from .findings import write_index

    write_index(out, name, run.articles, parameters, entries, by=run.by,
                case_study=case_study, explorer=(out / EXPLORER_PAGE).is_file())  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """``python -m framing.report``: what ``make report`` runs."""
    from .cli import (
        RERUN_HELP,
        add_reading_options,
        for_the_shell,
        parse_boilerplate,
        parse_date_formats,
        parse_roles,
    )

    ap = argparse.ArgumentParser(prog="python -m framing.report", description=__doc__)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--out", default=None, help="the report folder (default: REPORTS/<corpus>)")
    ap.add_argument(
        "--reports",
        default=os.environ.get("FRAMING_REPORTS", str(DEFAULT_REPORTS)),
        help="parent folder of the per-corpus report folders (default: reports)",
    )
    ap.add_argument("--notebooks", default=str(DEFAULT_NOTEBOOKS))
    ap.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="extra notebook parameter, value parsed as JSON when it can be",
    )
    add_reading_options(ap)
    ap.add_argument("--only", help="run only notebooks whose name starts with this, e.g. 01")
    ap.add_argument("--rerun", action="store_true", help=RERUN_HELP)
    ap.add_argument(
        "--clean",
        action="store_true",
        help="remove the reports under --reports that the runner wrote (your files stay)",
    )
    args = ap.parse_args(argv)
    if args.clean:
        for folder in clean_reports(args.reports):
            print(f"removed {folder}")
        return 0
    extra: dict = {}
    for item in args.param:
        k, _, v = item.partition("=")
        try:
            extra[k] = json.loads(v)
        except json.JSONDecodeError:
            extra[k] = v
    try:
        index = run_report(
            args.corpus,
            args.out,
            reports=args.reports,
            notebooks=args.notebooks,
            parameters=extra,
            columns=parse_roles(args.columns),
            date_formats=parse_date_formats(args.date_format),
            only=args.only,
            rerun=args.rerun,
            boilerplate=parse_boilerplate(args.boilerplate),
        )
    except (ReportError, ValueError, argparse.ArgumentTypeError) as e:
        print(f"error: {for_the_shell(str(e))}", file=sys.stderr)
        return 1
    print(f"wrote {_shown_to_user(index)}")
    return 0


def _shown_to_user(index: Path) -> Path:
    """The index as the command line says it: relative to the working folder when inside it."""
    return index.relative_to(Path.cwd()) if index.is_relative_to(Path.cwd()) else index


if __name__ == "__main__":
    sys.exit(main())
