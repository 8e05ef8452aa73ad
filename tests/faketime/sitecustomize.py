"""Imported by every Python process that `make test-future` starts (it puts this folder on PYTHONPATH):
the tests, and the builds, workers and scripts that they start in turn.

libfaketime 0.9.10, with Python's monotonic clock kept (``--exclude-monotonic``), makes ``time.sleep``
fail with EINVAL: its ``clock_nanosleep`` shifts the deadline by the offset. ``subprocess`` sleeps
while it waits for a process with a timeout, and so do the tests' stand-in programs; ``select`` with
a timeout sleeps as well, and libfaketime leaves it alone.
"""
import os

if "libfaketime" in os.environ.get("LD_PRELOAD", ""):
    import select
    import time

    def _sleep(seconds: float) -> None:
        select.select([], [], [], seconds)

    time.sleep = _sleep
