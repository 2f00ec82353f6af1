"""Reference for bench/runs.bench.ts: papermill's work done with Debian's nbclient (papermill
itself is not installable here). Parameterize (inject a cell after the 'parameters' cell), record
papermill's metadata, execute with nbclient (record_timing on, stdin off), and write the output
notebook. With --save-every-cell it also writes the notebook at every cell start and end, as
papermill does by default (request_save_on_cell_execute=True).

Usage: runs_nbclient.py INPUT OUTPUT [--save-every-cell] [-p NAME VALUE]...
Prints one JSON line: {"seconds": <time from after imports to output written>,
"cells_seconds": <first cell start to last cell complete>}.
"""
import datetime
import json
import sys
import time

import nbformat
from nbclient import NotebookClient


def main(argv):
    started = time.perf_counter()
    input_path, output_path = argv[0], argv[1]
    save_every_cell = "--save-every-cell" in argv
    params = {}
    i = 2
    while i < len(argv):
        if argv[i] == "-p":
            name, value = argv[i + 1], argv[i + 2]
            try:
                params[name] = int(value)
            except ValueError:
                params[name] = value
            i += 3
        else:
            i += 1

    nb = nbformat.read(input_path, as_version=4)
    nb.metadata["papermill"] = {"default_parameters": {}, "parameters": params, "environment_variables": {}, "version": "reference"}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata["papermill"] = {}
    if params:
        source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in params.items())
        injected = nbformat.v4.new_code_cell(source=source)
        injected.metadata["tags"] = ["injected-parameters"]
        index = next((n for n, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), -1)
        nb.cells.insert(index + 1, injected)
    nb.metadata.papermill["input_path"] = input_path
    nb.metadata.papermill["output_path"] = output_path

    def now():
        return datetime.datetime.utcnow().isoformat()

    def save():
        if save_every_cell:
            nbformat.write(nb, output_path)

    marks = {}

    def on_cell_start(cell, cell_index):
        marks.setdefault("first", time.perf_counter())
        cell.metadata.setdefault("papermill", {}).update(start_time=now(), status="running", exception=False)
        save()

    def on_cell_complete(cell, cell_index):
        marks["last"] = time.perf_counter()
        cell.metadata.setdefault("papermill", {}).update(end_time=now(), status="completed")
        save()

    nb.metadata.papermill["start_time"] = now()
    save()
    client = NotebookClient(nb, kernel_name="python3", timeout=None, on_cell_start=on_cell_start, on_cell_complete=on_cell_complete)
    client.execute()
    nb.metadata.papermill["end_time"] = now()
    nbformat.write(nb, output_path)
    print(json.dumps({"seconds": time.perf_counter() - started, "cells_seconds": marks["last"] - marks["first"]}))


if __name__ == "__main__":
    main(sys.argv[1:])
