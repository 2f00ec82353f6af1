"""Generator for bench/bigNotebookOpen.bench.ts: a ~12 MB, 2,000-cell notebook whose outputs are
made by the real libraries, as a run of such a notebook would leave them: pandas DataFrames
(`_repr_html_` tables plus their text/plain), matplotlib figures (PNG, base64, with the
`<Figure ...>` text/plain), printed text (stream), plain results, and IPython's own coloured
tracebacks of real exceptions. Written with nbformat's writer (Jupyter's bytes).

Usage: big_notebook.py OUTPUT [CELLS]
Prints one JSON line: {"cells": N, "bytes": B, "images": I, "tables": T, "errors": E}.
"""
import base64
import io
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.core.ultratb import AutoFormattedTB  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402


def figure_png(seed):
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=(6, 4), dpi=80)
    x = np.linspace(0, 10, 400)
    for k in range(3):
        ax.plot(x, np.sin(x * (k + 1) + seed) + rng.normal(0, 0.15, x.size), label=f"series {k}")
    ax.scatter(rng.uniform(0, 10, 120), rng.normal(0, 1, 120), s=6, alpha=0.6)
    ax.set_title(f"Experiment {seed}")
    ax.legend(loc="upper right")
    ax.grid(True, alpha=0.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii"), "<Figure size 480x320 with 1 Axes>"


def frame(seed, rows):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "city": rng.choice(["Lisbon", "Oslo", "Quito", "Hanoi", "Perth", "Accra"], rows),
        "value": rng.normal(100, 15, rows).round(3),
        "count": rng.integers(0, 1000, rows),
        "ratio": rng.uniform(0, 1, rows),
        "when": pd.date_range("2024-01-01", periods=rows, freq="h"),
    })
    return df


def traceback_of(seed):
    formatter = AutoFormattedTB(mode="Context", color_scheme="Linux")
    try:
        data = {"a": 1, "b": 2}
        key = f"missing_{seed}"
        return data[key]
    except KeyError:
        etype, evalue, tb = sys.exc_info()
        lines = formatter.structured_traceback(etype, evalue, tb)
        return "KeyError", repr(evalue.args[0]), lines


def main(argv):
    out = argv[0]
    cells_wanted = int(argv[1]) if len(argv) > 1 else 2000
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.2", "mimetype": "text/x-python", "file_extension": ".py"},
    }
    # Every 10th code cell is a figure (~20-50 kB base64 each), every 8th a DataFrame of 28 rows:
    # about 12 MB for 2,000 cells.
    images = tables = errors = 0
    png_cache = {}
    rows = 28
    count = 0
    for i in range(cells_wanted):
        if i % 5 == 0:
            nb.cells.append(new_markdown_cell(f"## Step {i // 5}\n\nWe look at *experiment {i}*: the `value` column against "
                                              f"its moving average, and what the tables below say.\n\n- one\n- two"))
            continue
        count += 1
        n = count
        if n % 10 == 0:
            seed = n % 180
            if seed not in png_cache:
                png_cache[seed] = figure_png(seed)
            png, text = png_cache[seed]
            images += 1
            cell = new_code_cell(f"fig, ax = plt.subplots()\nfor k in range(3):\n    ax.plot(x, np.sin(x * (k + 1) + {seed}))\nax.set_title('Experiment {seed}')\nplt.show()",
                                 execution_count=n,
                                 outputs=[new_output("display_data", data={"image/png": png, "text/plain": text}, metadata={})])
        elif n % 8 == 0:
            df = frame(n, rows)
            tables += 1
            cell = new_code_cell(f"df_{n} = load_frame({n}, rows={rows})\ndf_{n}", execution_count=n,
                                 outputs=[new_output("execute_result", execution_count=n,
                                                     data={"text/html": df._repr_html_(), "text/plain": repr(df)}, metadata={})])
        elif n % 97 == 0:
            ename, evalue, lines = traceback_of(n)
            errors += 1
            cell = new_code_cell(f"data = {{'a': 1, 'b': 2}}\ndata['missing_{n}']", execution_count=n,
                                 outputs=[new_output("error", ename=ename, evalue=evalue, traceback=lines)])
        elif n % 3 == 0:
            text = "".join(f"epoch {k:3d}  loss={1 / (k + 1 + n % 7):.6f}  acc={k / (k + 3):.4f}\n" for k in range(12))
            cell = new_code_cell(f"for k in range(12):\n    train_step(model_{n}, k)", execution_count=n,
                                 outputs=[new_output("stream", name="stdout", text=text)])
        else:
            cell = new_code_cell(f"result_{n} = summarize(data, column='value', window={n % 30 + 2})\nresult_{n}", execution_count=n,
                                 outputs=[new_output("execute_result", execution_count=n, data={"text/plain": f"{{'mean': {100 + n % 13 * 0.37:.4f}, 'n': {n * 11}}}"}, metadata={})])
        nb.cells.append(cell)
    nbformat.write(nb, out)
    size = os.path.getsize(out)
    print(json.dumps({"cells": len(nb.cells), "bytes": size, "images": images, "tables": tables, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1:])
