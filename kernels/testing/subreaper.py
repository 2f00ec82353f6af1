"""Runs argv[1:] under a child subreaper (Linux prctl), as a systemd user session does: orphaned
descendants are reparented to this process, not to PID 1, so a kernel's "parent became PID 1"
check never fires. Prints {"subreaperPid", "hostPid"} first, then reaps every descendant (so a
killed kernel does not linger as a zombie that still answers kill -0) and exits when none is left.
"""
import ctypes
import json
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed: errno %d" % ctypes.get_errno())
host = subprocess.Popen(sys.argv[1:])
print(json.dumps({"subreaperPid": os.getpid(), "hostPid": host.pid}), flush=True)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
