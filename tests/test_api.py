"""The flat public API: every name reachable, imported only when first used, indexed."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import framing
from tests.conftest import ROOT


def test_every_public_name_resolves_to_the_object_in_its_module():
    assert sorted(framing._MODULE_OF) == sorted(framing.__all__)
    for name in framing.__all__:
        module = importlib.import_module(framing._MODULE_OF[name], "framing")
        assert getattr(framing, name) is getattr(module, name), name
    assert set(framing.__all__) <= set(dir(framing))
    # a submodule is reached by attribute, as when the package imported everything
    assert framing.evaluate is importlib.import_module("framing.evaluate")
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        framing.no_such_name  # noqa: B018


def _imported(code: str) -> list[str]:
    probe = "import sys\nprint([m for m in ('pandas', 'numpy', 'numba', 'matplotlib', 'pyarrow') if m in sys.modules])"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{probe}"], capture_output=True, text=True, check=True
    )
    return eval(done.stdout)  # noqa: S307 - our own printed list


def test_importing_framing_imports_no_heavy_library_until_a_name_needs_it():
    # the report runner imports framing.report (so the package): it stays small while the
    # analysis runs beside it
    light = "import framing, framing.report, framing.executed\nframing.executed.ExecutedStore()"
    assert _imported(light) == []
    assert "pandas" in _imported("import framing\nframing.load_corpus")


def test_the_api_index_is_the_one_the_tool_writes():
    made = subprocess.run(
        [sys.executable, "tools/api_index.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert made == (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
