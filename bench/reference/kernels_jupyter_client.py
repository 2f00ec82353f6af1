"""Reference for bench/kernels.bench.ts: the same measurements with Python jupyter_client.

Driven line by line on stdin so trials can interleave with Quire's (same machine load):
  start        -> {"startMs": t}   start_new_kernel (KernelManager + blocking client + wait_for_ready)
  open         -> {"ok": true}     start the kernel used by exec
  exec N       -> {"rtMs": [...]}  N executes of "pass", each until execute_reply AND iopub idle
  quit
Only the operation itself is timed (not Python's import of jupyter_client).
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

KERNEL = sys.argv[1] if len(sys.argv) > 1 else "python3"


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def run_pass(kc):
    t0 = time.perf_counter()
    msg_id = kc.execute("pass")
    got_reply = got_idle = False
    while not got_reply:
        msg = kc.get_shell_msg(timeout=30)
        got_reply = msg["parent_header"].get("msg_id") == msg_id
    while not got_idle:
        msg = kc.get_iopub_msg(timeout=30)
        got_idle = (
            msg["parent_header"].get("msg_id") == msg_id
            and msg["msg_type"] == "status"
            and msg["content"]["execution_state"] == "idle"
        )
    return (time.perf_counter() - t0) * 1000


def main():
    km = kc = None
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "start":
            t0 = time.perf_counter()
            skm, skc = start_new_kernel(kernel_name=KERNEL)
            elapsed = (time.perf_counter() - t0) * 1000
            skc.stop_channels()
            skm.shutdown_kernel(now=True)
            reply({"startMs": elapsed})
        elif cmd[0] == "open":
            km, kc = start_new_kernel(kernel_name=KERNEL)
            reply({"ok": True})
        elif cmd[0] == "exec":
            reply({"rtMs": [run_pass(kc) for _ in range(int(cmd[1]))]})
        elif cmd[0] == "quit":
            break
    if km is not None:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    reply({"bye": True})


if __name__ == "__main__":
    main()
