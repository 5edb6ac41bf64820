"""The explorer page, hand-written against the same view written with Bokeh and with Plotly:
file size and time to interactive in headless Chromium (issue #18.4).

Reads the data embedded in a report's ``explorer.html`` (the tables and the lines, as
framing.explorer wrote them), writes the same scatter of terms per group with a search box, a
term list and the KWIC panel with Bokeh (``file_html`` with INLINE resources: self-contained)
and with Plotly (``write_html(include_plotlyjs=True)``), each with the same lines block
embedded, and opens each page in headless Chromium (Selenium, chromium-driver) several times:
time to interactive is from navigation start to the moment the page's plot exists and its
handlers are attached (the hand-written page sets ``window.__explorerReady``; Bokeh's when
``Bokeh.documents`` holds the document and its canvas is drawn; Plotly's when the plot div
carries ``_fullLayout``).

Bokeh and Plotly are not project dependencies; run this in an environment that has them::

    python3.11 -m venv /tmp/bench && /tmp/bench/bin/pip install bokeh plotly selenium
    /tmp/bench/bin/python benchmarks/bench_explorer.py reports/allsides/explorer.html
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _blocks(page: str) -> dict[str, str]:
    found = re.findall(r'<script type="application/json" id="(\w+)">(.*?)</script>', page, re.S)
    return dict(found)


def bokeh_page(tables: dict, lines_json: str, out: Path) -> Path:
    from bokeh.embed import file_html
    from bokeh.layouts import column, row
    from bokeh.models import (
        ColumnDataSource,
        CustomJS,
        DataTable,
        Div,
        Select,
        TableColumn,
        TextInput,
    )
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    groups = tables["groups"]
    first = next(g for g in groups if tables["terms"].get(g))
    all_rows = {g: tables["terms"].get(g, []) for g in groups}

    def cols(rows):
        return {"term": [r[0] for r in rows], "uses": [r[1] for r in rows],
                "freq": [r[2] for r in rows], "z": [r[3] for r in rows]}  # fmt: skip

    src = ColumnDataSource(cols(all_rows[first]))
    shown = ColumnDataSource(cols(all_rows[first]))
    p = figure(width=700, height=380, x_axis_type="log", tools="tap,pan,wheel_zoom,reset",
               x_axis_label="uses in the whole corpus (log)", y_axis_label="z")  # fmt: skip
    p.scatter("freq", "z", source=shown, size=4, alpha=0.5)
    table = DataTable(source=shown, columns=[TableColumn(field=c, title=c) for c in
                                             ("term", "uses", "freq", "z")], width=700,
                      height=300)  # fmt: skip
    search = TextInput(placeholder="search terms")
    pick = Select(options=groups, value=first)
    kwic = Div(text="", width=600)
    data = ColumnDataSource({"rows": [json.dumps(all_rows)]})
    filt = CustomJS(args={"src": src, "shown": shown, "search": search, "pick": pick,
                          "data": data}, code="""
        const all = JSON.parse(data.data.rows[0])[pick.value] || [];
        const q = search.value.trim().toLowerCase();
        const r = q ? all.filter(x => x[0].includes(q)) : all;
        shown.data = {term: r.map(x => x[0]), uses: r.map(x => x[1]), freq: r.map(x => x[2]),
                      z: r.map(x => x[3])};
    """)  # fmt: skip
    search.js_on_change("value", filt)
    pick.js_on_change("value", filt)
    show = CustomJS(args={"shown": shown, "kwic": kwic}, code="""
        const i = shown.selected.indices[0]; if (i === undefined) return;
        const t = shown.data.term[i];
        const L = JSON.parse(document.getElementById("lines").textContent);
        const per = L.lines.terms[t] || {}; const out = [];
        for (const g in per) { for (const x of per[g]) { const s = L.sents[x[0]][2];
            out.push(g + ": " + s.slice(Math.max(0, x[1] - 60), x[2] + 60)); } }
        kwic.text = out.map(s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;")).join("<br>");
    """)  # fmt: skip
    shown.selected.js_on_change("indices", show)
    page = file_html(row(column(pick, p, search, table), kwic), resources=INLINE,
                     title="explorer (Bokeh)")  # fmt: skip
    # ready: the document is built and its views exist (Bokeh 3 draws inside shadow roots)
    ready = ("<script>(function w(){if(window.Bokeh&&Bokeh.documents.length&&Bokeh.index&&"
             "(Bokeh.index.size||Object.keys(Bokeh.index).length)){window.__explorerReady="
             "performance.now();}else{setTimeout(w,5);}})();</script>")  # fmt: skip
    block = f'<script type="application/json" id="lines">{lines_json}</script>'
    head, _, tail = page.rpartition("</body>")  # the last one: the bundles hold the string too
    out.write_text(head + block + ready + "</body>" + tail, encoding="utf-8")
    return out


def plotly_page(tables: dict, lines_json: str, out: Path) -> Path:
    import plotly.graph_objects as go

    groups = tables["groups"]
    fig = go.Figure()
    for g in groups:
        rows = tables["terms"].get(g, [])
        fig.add_trace(go.Scattergl(x=[r[2] for r in rows], y=[r[3] for r in rows],
                                   text=[r[0] for r in rows], mode="markers", name=g,
                                   visible=g == groups[0]))  # fmt: skip
    fig.update_xaxes(type="log", title="uses in the whole corpus (log)")
    fig.update_yaxes(title="z")
    html = fig.to_html(include_plotlyjs=True, full_html=True, div_id="plot")
    ready = ("<script>(function w(){var d=document.getElementById('plot');if(d&&d._fullLayout)"
             "{window.__explorerReady=performance.now();}else{setTimeout(w,5);}})();</script>")  # fmt: skip
    block = f'<script type="application/json" id="lines">{lines_json}</script>'
    head, _, tail = html.rpartition("</body>")
    out.write_text(head + block + ready + "</body>" + tail, encoding="utf-8")
    return out


def time_to_interactive(pages: dict[str, Path], repeat: int) -> dict[str, list[float]]:
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or ""
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        opts.add_argument(arg)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    out: dict[str, list[float]] = {k: [] for k in pages}
    try:
        for _ in range(repeat):
            for name, path in pages.items():
                driver.get("about:blank")
                driver.get(path.resolve().as_uri())
                t0 = time.perf_counter()
                while driver.execute_script("return window.__explorerReady") is None:
                    if time.perf_counter() - t0 > 60:
                        raise TimeoutError(name)
                    time.sleep(0.01)
                out[name].append(driver.execute_script("return window.__explorerReady") / 1000)
    finally:
        driver.quit()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("explorer", help="a report's explorer.html")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    page = Path(args.explorer).read_text(encoding="utf-8")
    blocks = _blocks(page)
    tables = json.loads(blocks["tables"])
    tmp = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    pages = {"hand-written": Path(args.explorer)}
    t = time.perf_counter()
    pages["bokeh"] = bokeh_page(tables, blocks["lines"], tmp / "bokeh.html")
    print(f"bokeh page written in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    pages["plotly"] = plotly_page(tables, blocks["lines"], tmp / "plotly.html")
    print(f"plotly page written in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    times = time_to_interactive(pages, args.repeat)
    print(f"| page | size | time to interactive (median of {args.repeat}, min–max) |")
    print("|---|---:|---|")
    for name, path in pages.items():
        ts = times[name]
        print(f"| {name} | {path.stat().st_size / 1e6:.2f} MB | {statistics.median(ts):.2f} s "
              f"({min(ts):.2f}–{max(ts):.2f}) |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
