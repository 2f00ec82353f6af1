"""For each SRC DST pair: nbformat.read(SRC, NO_CONVERT) then nbformat.write(nb, DST), as Jupyter
saves a notebook. Prints one JSON object: {SRC: {"ok": bool, "warnings": [...], "logged": [...],
"error": str|null}}, so tests compare Quire's output with real nbformat's, file by file."""
import json
import logging
import sys
import warnings

import nbformat
from traitlets.log import get_logger


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage().splitlines()[0])


handler = Collect()
get_logger().addHandler(handler)
get_logger().propagate = False
results = {}
args = sys.argv[1:]
for src, dst in zip(args[::2], args[1::2]):
    handler.records = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nb = nbformat.read(src, as_version=nbformat.NO_CONVERT)
            nbformat.write(nb, dst)
            error = None
        except Exception as e:  # noqa: BLE001 - any failure is the answer
            error = f"{type(e).__name__}: {e}"
    results[src] = {
        "ok": error is None,
        "error": error,
        "warnings": [f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught],
        "logged": handler.records,
    }
print(json.dumps(results))
