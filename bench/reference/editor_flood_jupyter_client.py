"""Reference for bench/editor.bench.ts: an output flood under Python jupyter_client alone.

Starts python3, runs the code given on argv[1] once to warm up with a small count, then times
one execute of the flood from the request to execute_reply + iopub idle, reading every iopub
message (as a front end must). Prints {"totalMs": t, "messages": n}.
"""
import json
import sys
import time
from queue import Empty

from jupyter_client.manager import start_new_kernel

CODE = sys.argv[1]


def run(kc, code):
    """Reads iopub until the request's idle. A PUB socket drops messages past its high-water mark
    when the reader is slow, so a missed idle ends the read after 10 s of silence; the time is
    then that of the last message, and `complete` says whether idle was seen."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    count = 0
    last = t0
    complete = False
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=10)
        except Empty:
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        count += 1
        last = time.perf_counter()
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            complete = True
            break
    kc.get_shell_msg(timeout=60)
    return (last - t0) * 1000, count, complete


km, kc = start_new_kernel(kernel_name="python3")
try:
    run(kc, "print(1, flush=True)")
    total, count, complete = run(kc, CODE)
    sys.stdout.write(json.dumps({"totalMs": total, "messages": count, "complete": complete}) + "\n")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
