"""Writes test notebooks with Jupyter's own writer (nbformat), so tests compare against real bytes.

Usage: /usr/bin/python3 notebookFixtures.py OUT_DIR [--execute]
Prints the JSON list of files written. --execute also runs a notebook with nbclient (a real
ipykernel), which is what `jupyter nbconvert --execute` does underneath.
"""
import base64
import json
import os
import random
import sys

import nbformat
from nbformat import v4

out_dir = sys.argv[1]
execute = "--execute" in sys.argv
os.makedirs(out_dir, exist_ok=True)
written = []

# A 1x1 PNG, and a longer one so base64 lines are long.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)).decode("ascii")
LONG_LINE = "x = '" + ("0123456789abcdef" * 8000) + "'\n"


def rich_cells(with_ids):
    def cell(c):
        if not with_ids:
            c.pop("id", None)
        return c

    code = cell(v4.new_code_cell(
        source="# Unicode: naïve café, Ελληνικά, 中文, emoji 🎉👩‍🔬\nprint('héllo / wörld')\nx = 1.0\n",
        execution_count=3,
        metadata={"zeta": 1, "alpha": {"b": 2, "a": [1.0, 1e-07, 1e16, 2.5, -0.0, 12345678901234567890]},
                  "Émile": "é", "\U0001F600": "astral key", "\uff01": "fullwidth key", "tags": ["parameters"]},
    ))
    code.outputs = [
        v4.new_output("stream", name="stdout", text="héllo / wörld\nline two\n"),
        v4.new_output("stream", name="stderr", text="warning: \x1b[31mred\x1b[0m \t tab\r\n"),
        v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"},
                      metadata={"image/png": {"width": 640.0, "height": 480}}),
        v4.new_output("display_data", data={"text/html": "<table>\n<tr><td>1</td></tr>\n</table>", "text/plain": "   a\n0  1"}),
        v4.new_output("execute_result", execution_count=3,
                      data={"text/plain": "{'k': 1.5}", "application/json": {"k": 1.5, "z": [1.0, 2, 3e-10], "a": None}},
                      metadata={}),
        v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                      traceback=["\x1b[0;31m---------\x1b[0m", "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"]),
    ]
    empty_code = cell(v4.new_code_cell(source=""))
    empty_md = cell(v4.new_markdown_cell(source=""))
    md = cell(v4.new_markdown_cell(source="# Title\n\nSome *text* with $x^2$ and a ![img](attachment:a.png)\n",
                                   attachments={"a.png": {"image/png": PNG}}))
    raw = cell(v4.new_raw_cell(source="raw \\ text \"quoted\"\n\u0001\u001f\u007f\u2028end",
                               metadata={"raw_mimetype": "text/x-python"}))
    raw.attachments = {"b.txt": {"text/plain": "line1\nline2\n"}}
    long = cell(v4.new_code_cell(source=LONG_LINE + "y = 2"))
    return [code, empty_code, empty_md, md, raw, long]


def write(name, nb):
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        if nb.nbformat_minor >= 5:
            nbformat.write(nb, f)
        else:
            for cell in nb.cells:  # new_notebook() validated as 4.5 and added ids
                cell.pop("id", None)
            # nbformat.write() would add 4.5 cell ids even to a 4.4 notebook; older Jupyter versions
            # wrote these files with the same JSON writer and no ids.
            f.write(v4.writes(nb) + "\n")
    written.append(path)


meta = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.2", "codemirror_mode": {"name": "ipython", "version": 3}},
        "papermill": {"duration": 1.0, "start_time": "2024-01-01T00:00:00.000001", "exception": None},
        "widgets": {"state": {}, "version_major": 2, "version_minor": 0}}

nb45 = v4.new_notebook(cells=rich_cells(True), metadata=dict(meta))
write("rich-4.5.ipynb", nb45)

nb44 = v4.new_notebook(cells=rich_cells(False), metadata=dict(meta))
nb44.nbformat_minor = 4
write("rich-4.4.ipynb", nb44)

nb40 = v4.new_notebook(cells=[v4.new_markdown_cell("Old notebook")], metadata={})
nb40.nbformat_minor = 0
del nb40.cells[0]["id"]
write("minimal-4.0.ipynb", nb40)

write("empty-4.5.ipynb", v4.new_notebook())

# Numbers of every shape Python writes: the JSON writer must print each one the same way.
random.seed(1234)
floats = [random.uniform(-1, 1) * 10.0 ** random.randint(-320, 300) for _ in range(300)]
floats += [float(i) for i in range(-3, 4)] + [-0.0, 0.1, 1e16, 1e15, 1e-5, 1e-4, 123456789.0, 5e-324,
                                             1.7976931348623157e308, 2.0 ** 53, 2.0 ** 60, 0.30000000000000004]
ints = [0, -1, 2 ** 53 + 1, 12345678901234567890123, -(2 ** 70)]
numbers_nb = v4.new_notebook(metadata={"floats": floats, "ints": ints, "mixed": {"b": 1.0, "a": 1, "c": [1e-07, 1e+22]}})
write("numbers-4.5.ipynb", numbers_nb)

# nbformat 3, as IPython 2 wrote it.
from nbformat import v3

v3nb = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[v3.new_code_cell(input="1 + 1")])])
with open(os.path.join(out_dir, "old-v3.ipynb"), "w", encoding="utf-8") as f:
    f.write(v3.writes_json(v3nb) + "\n")
written.append(os.path.join(out_dir, "old-v3.ipynb"))

if execute:
    from nbclient import NotebookClient

    nb = v4.new_notebook(metadata=dict(meta), cells=[
        v4.new_code_cell("print('hello 🌍')\nimport sys; print('err', file=sys.stderr)"),
        v4.new_code_cell("import pandas as pd\npd.DataFrame({'a': [1.0, 2.5], 'b': ['x', 'é']})"),
        v4.new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"),
        v4.new_code_cell("from IPython.display import display, HTML, JSON\ndisplay(HTML('<b>bold</b>'))\ndisplay(JSON({'x': 1.0, 'y': [0.1, 1e-07]}))"),
        v4.new_code_cell("1 / 0"),
    ])
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120).execute()
    write("executed-4.5.ipynb", nb)

print(json.dumps(written))
