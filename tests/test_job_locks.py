"""Job locks (one sync, one digest run, one delivery at a time) across processes, both stores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from paperwire.store import StoreLocation, open_store_at
from paperwire.store.locks import JobBusy

HOLDER = """
import sys, time
from paperwire.store import open_store_at
store = open_store_at(sys.argv[1])
with store.job_lock("sync"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_lock_held_by_another_process_is_busy_until_it_dies(
    store_location: StoreLocation,
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store_location)], stdout=subprocess.PIPE, text=True
    )
    store = open_store_at(store_location)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(JobBusy, match="another sync is running"), store.job_lock("sync"):
            pass
        with store.job_lock("digest run"):
            pass  # another kind of job is not held up
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        # The server ends a dead client's session (and its advisory locks) at once,
        # the kernel a dead process's file locks: no stale lock is left behind.
        deadline = time.monotonic() + 10
        while True:
            try:
                with store.job_lock("sync"):
                    break
            except JobBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        holder.kill()
        holder.communicate()
        store.close()
