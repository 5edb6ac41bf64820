"""Executed notebooks kept in the cache, so a report run again on unchanged inputs reuses them.

A notebook's run is reused only when nothing it could read has changed; the key holds:

- the notebook as it runs (every cell's type, source and metadata after the case-study cells
  are left out or kept, and the notebook's metadata; not cell ids or stale outputs);
- its parameters (``out_dir`` aside: it is the build folder of the run), and where the corpus
  and the project are (paths printed in a page are made relative by them);
- the corpus's content: every column and value of the loaded articles (:func:`framing.cache.value_key`);
- every file of the installed ``framing`` package (code and data: plots and prose too, unlike
  :func:`framing.cache.code_version`) and the name and version of every installed distribution;
- every file under the project's ``corpus/`` folder (notebook 05 reads the coded sample there);
- the keys of the notebooks it runs after (their tables are among its inputs).

What is kept: the executed notebook, with the run's build folder written as a placeholder, and
every file the notebook wrote into its ``out_dir``; one run per notebook and report folder (a
newer run replaces the older). The namespace is ``report-notebooks`` of
the disk cache (``framing cache clear report-notebooks`` forgets them; ``framing report
--rerun`` runs every notebook whatever is kept).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
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


def notebook_key(source: Path, parameters: Mapping, shared: str, before: list[str]) -> str:
    """The key of one notebook's run: its bytes, its parameters, what every notebook of the run
    shares (``shared``: corpus, environment, extra inputs) and the keys of those it runs after."""
    from .cache import content_key

    params = json.dumps(
        {k: v for k, v in parameters.items() if k != "out_dir"}, sort_keys=True, default=repr
    )
    return content_key(_notebook_text(source), params, shared, *sorted(before))


def _notebook_text(source: Path) -> str:
    """The notebook as it runs: every cell's type, source and metadata, and the notebook's
    metadata; not the cells' random ids, nor outputs a run replaces."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    cells = [
        {k: v for k, v in cell.items() if k not in ("id", "outputs", "execution_count")}
        for cell in nb.get("cells", [])
    ]
    return json.dumps({"cells": cells, "metadata": nb.get("metadata", {})}, sort_keys=True)


class ExecutedStore:
    """Executed notebooks and their output folders, by key, in the disk cache."""

    def __init__(self, enabled: bool = True):
        from .cache import cache_dir

        self.root = cache_dir()
        self.enabled = enabled

    def _folder(self, key: str) -> Path:
        return self.root / NAMESPACE / key

    def has(self, key: str | None) -> bool:
        """Whether a complete run of ``key`` is kept."""
        return bool(self.enabled and key and (self._folder(key) / _DONE).is_file())

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
                text.replace(PLACEHOLDER, str(build)), encoding="utf-8"
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
        if not self.enabled:
            return
        from .cache import guarded_write, namespace_dir

        with guarded_write(self.root) as ok:
            if not ok:
                return
            space = namespace_dir(self.root, NAMESPACE)
            final = space / key
            if (final / _DONE).is_file():
                return
            tmp = space / f".{key}.{os.getpid()}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            text = (build / f"{name}.ipynb").read_text(encoding="utf-8")
            (tmp / "notebook.ipynb").write_text(
                text.replace(str(build), PLACEHOLDER), encoding="utf-8"
            )
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
            if done.parent.name == key:
                continue
            try:
                if json.loads(done.read_text(encoding="utf-8")).get("slot") == slot:
                    shutil.rmtree(done.parent, ignore_errors=True)
            except (OSError, ValueError):
                continue
