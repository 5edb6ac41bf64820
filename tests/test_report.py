"""The report runner: executes notebooks with parameters, fails loudly naming notebook and cell."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

import framing
from framing.report import ReportError, main, run_report


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny\nA test notebook.")]
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'corpus = "x"\nout_dir = "y"\nprogress = True', metadata={"tags": ["parameters"]}
        )
    )
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def test_failing_cell_is_named_and_exit_is_nonzero(tmp_path, capsys):
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(books / "01-ok.ipynb", "x = 1")
    _notebook(books / "02-bad.ipynb", "y = 2", "raise RuntimeError('boom in cell')")
    with pytest.raises(ReportError) as info:
        run_report(tmp_path, tmp_path / "out", notebooks=books)
    msg = str(info.value)
    assert "02-bad" in msg and "boom in cell" in msg
    # the fourth cell of the source notebook: markdown, parameters, y = 2, raise
    assert "cell 4 (first line: \"raise RuntimeError('boom in cell')\")" in msg
    assert (tmp_path / "out" / "02-bad.failed.ipynb").exists()
    assert not (tmp_path / "out" / "index.html").exists()
    code = main(
        ["--corpus", str(tmp_path), "--out", str(tmp_path / "out2"), "--notebooks", str(books)]
    )
    assert code == 1
    assert "02-bad" in capsys.readouterr().err


def test_parameters_are_injected_and_index_written(tmp_path):
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(
        books / "00-params.ipynb",
        "import pathlib\npathlib.Path(out_dir).mkdir(parents=True)\n"
        "pathlib.Path(out_dir, 'seen.txt').write_text(f'{corpus}|{progress}|{extra}')",
    )
    index = run_report(
        tmp_path / "corp", tmp_path / "out", notebooks=books, parameters={"extra": 7}
    )
    seen = (tmp_path / "out" / "00-params" / "seen.txt").read_text()
    assert seen == f"{(tmp_path / 'corp').resolve()}|False|7"
    page = index.read_text()
    assert '<a href="00-params.html">Tiny</a>' in page
    assert (tmp_path / "out" / "00-params.html").read_text().count("<html") == 1


def test_save_figure_writes_png_and_csv(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    table = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    png = framing.save_figure(fig, table, "bars", out_dir=tmp_path / "f")
    first = png.read_bytes()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert pd.read_csv(tmp_path / "f" / "bars.csv").equals(table)
    framing.save_figure(fig, table, "bars", out_dir=tmp_path / "f")
    assert png.read_bytes() == first  # deterministic bytes
    plt.close(fig)
