"""Executed notebooks kept in the cache, so a report run again on unchanged inputs reuses them.

A notebook's run is reused only when nothing it could read has changed; the key holds:

- the notebook as it runs (every cell's type, source and metadata after the case-study cells
  are left out or kept, and the notebook's metadata; not cell ids or stale outputs);
- its name, its parameters (``out_dir`` aside: it is the build folder of the run) and the
  contents of any file or folder a parameter names, and where the corpus and the project are
  (paths printed in a page are made relative by them);
- the corpus's content: every column and value of the loaded articles and their load report
  (:func:`framing.cache.value_key`), and how they were read (``columns=`` …);
- the Python that runs (its path and version);
- every file of the installed ``framing`` package (code and data: plots and prose too, unlike
  :func:`framing.cache.code_version`) and the name and version of every installed distribution;
- every file under the project's ``corpus/`` folder (notebook 05 reads the coded sample there);
- the keys of the notebooks it runs after (their tables are among its inputs).

What is kept: the executed notebook, with the run's build folder written as a placeholder, and
every file the notebook wrote into its ``out_dir``; one run per notebook and report folder (a
newer run replaces the older). The namespace is ``report-notebooks`` of
the disk cache (``framing cache clear report-notebooks`` forgets them; ``framing report
--rerun`` runs every notebook whatever is kept, and keeps the new runs).

Not seen by the key: a file a notebook reads that no parameter names and that lies outside the
project's ``corpus/`` folder, the network, the clock. The shipped notebooks read none of these.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path

NAMESPACE = "report-notebooks"
#: stands for the run's build folder in a kept notebook
PLACEHOLDER = "\u241fFRAMING-BUILD\u241f"
_DONE = "complete.json"


def _files_digest(folder: Path, h) -> None:
    for path in sorted(
        p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        if path.suffix == ".pyc":
            continue
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def environment_key() -> str:
    """The installed ``framing`` (every file) and every distribution's name and version."""
    from importlib import metadata, resources

    h = hashlib.sha256()
    _files_digest(Path(str(resources.files("framing"))), h)
    dists = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})
    h.update("\n".join(dists).encode())
    return h.hexdigest()


def folder_key(folder: Path) -> str:
    """Every file under ``folder`` (names and bytes); empty when there is no such folder."""
    h = hashlib.sha256()
    if folder.is_dir():
        _files_digest(folder, h)
    return h.hexdigest()


def notebook_key(
    name: str, source: Path, parameters: Mapping, shared: str, before: list[str]
) -> str:
    """The key of one notebook's run: its name and cells, its parameters (and the contents of
    any file or folder a parameter names), what every notebook of the run shares (``shared``:
    corpus, environment, extra inputs) and the keys of those it runs after."""
    from .cache import content_key

    params = {k: v for k, v in parameters.items() if k != "out_dir"}
    named = [f"{k}={_path_key(v)}" for k, v in sorted(params.items()) if isinstance(v, str | Path)]
    text = json.dumps(params, sort_keys=True, default=repr)
    return content_key(name, _notebook_text(source), text, *named, shared, *sorted(before))


def _path_key(value) -> str:
    """The contents of the file or folder ``value`` names, or "" when it names none."""
    try:
        path = Path(value).expanduser()
        if not str(value) or len(str(value)) > 4096 or not path.exists():
            return ""
        if path.is_dir():
            return folder_key(path)
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (OSError, ValueError):
        return ""


def _notebook_text(source: Path) -> str:
    """The notebook as it runs: every cell's type, source and metadata, and the notebook's
    metadata; not the cells' random ids, nor outputs a run replaces."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    cells = [
        {k: v for k, v in cell.items() if k not in ("id", "outputs", "execution_count")}
        for cell in nb.get("cells", [])
    ]
    return json.dumps({"cells": cells, "metadata": nb.get("metadata", {})}, sort_keys=True)


def _forms(build: Path) -> list[str]:
    """How the build folder's path is written in a notebook's JSON: as is, and escaped as a
    JSON string (a path with a backslash or a quote)."""
    plain = str(build)
    escaped = json.dumps(plain)[1:-1]
    return [plain] if escaped == plain else [escaped, plain]


class ExecutedStore:
    """Executed notebooks and their output folders, by key, in the disk cache."""

    def __init__(self, reuse: bool = True):
        from .cache import cache_dir

        self.root = cache_dir()
        self.reuse = reuse  # kept runs put back (not with --rerun: runs are kept all the same)

    def _folder(self, key: str) -> Path:
        return self.root / NAMESPACE / key

    def has(self, key: str | None) -> bool:
        """Whether a complete run of ``key`` is kept (and may be reused)."""
        return bool(self.reuse and key and (self._folder(key) / _DONE).is_file())

    def restore(self, key: str, build: Path, name: str) -> bool:
        """Put the kept run of ``key`` in ``build`` as ``NAME.ipynb`` and ``NAME/``; False when
        none is kept (or it cannot be read: then the notebook runs)."""
        if not self.has(key):
            return False
        folder = self._folder(key)
        out = build / name
        try:
            text = (folder / "notebook.ipynb").read_text(encoding="utf-8")
            if out.exists():
                shutil.rmtree(out)
            if (folder / "out").is_dir():
                shutil.copytree(folder / "out", out)
            (build / f"{name}.ipynb").write_text(
                text.replace(PLACEHOLDER, _forms(build)[0]), encoding="utf-8"
            )
        except OSError:
            shutil.rmtree(out, ignore_errors=True)
            (build / f"{name}.ipynb").unlink(missing_ok=True)
            return False
        return True

    def keep(self, key: str, build: Path, name: str, slot: str = "") -> None:
        """Keep ``build/NAME.ipynb`` and ``build/NAME/`` under ``key`` (written aside, then moved
        in whole; a cache that cannot be written is skipped with the cache's one warning).

        ``slot`` names what the run is of (a notebook of one report folder): a newer run of the
        same slot replaces the older, so the store holds one run per notebook and report."""
        from .cache import guarded_write, namespace_dir

        with guarded_write(self.root) as ok:
            if not ok:
                return
            space = namespace_dir(self.root, NAMESPACE)
            final = space / key
            if (final / _DONE).is_file() and self.reuse:  # kept already (--rerun replaces it)
                if slot:
                    self._forget_older(space, slot, key)
                return
            tmp = space / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            text = (build / f"{name}.ipynb").read_text(encoding="utf-8")
            for form in _forms(build):
                text = text.replace(form, PLACEHOLDER)
            (tmp / "notebook.ipynb").write_text(text, encoding="utf-8")
            if (build / name).is_dir():
                shutil.copytree(build / name, tmp / "out")
            (tmp / _DONE).write_text(json.dumps({"notebook": name, "slot": slot}), encoding="utf-8")
            shutil.rmtree(final, ignore_errors=True)
            try:
                tmp.rename(final)
            except OSError:  # another run kept the same key first
                shutil.rmtree(tmp, ignore_errors=True)
            if slot:
                self._forget_older(space, slot, key)

    @staticmethod
    def _forget_older(space: Path, slot: str, key: str) -> None:
        """Remove the kept runs of ``slot`` other than ``key``."""
        for done in space.glob(f"*/{_DONE}"):
            if done.parent.name == key or done.parent.name.startswith("."):
                continue  # this run, or one being written
            try:
                if json.loads(done.read_text(encoding="utf-8")).get("slot") == slot:
                    shutil.rmtree(done.parent, ignore_errors=True)
            except (OSError, ValueError):
                continue
