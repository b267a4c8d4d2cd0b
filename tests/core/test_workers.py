"""Worker processes never outlive the process that started them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT = r"""
import os, sys, time
from emendo.core.workers import map_chunks

def slow(chunk):
    (Path(sys.argv[1]) / str(os.getpid())).write_text("")
    time.sleep(300)
    return chunk

from pathlib import Path
for _ in map_chunks(slow, list(range(8)), chunk=1, workers=2):
    pass
"""


def _gone(pid: int) -> bool:
    """True when the process has ended (a zombie waiting to be reaped has ended too)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)])
    try:
        deadline = time.monotonic() + 60
        while len(os.listdir(tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = [int(name) for name in os.listdir(tmp_path)]
        assert len(pids) == 2, "the workers did not start"
        assert not any(_gone(p) for p in pids)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    # Waiting, not timing: the kernel's death signal is immediate, the watcher's poll is
    # twice a second; a minute means they were left running.
    deadline = time.monotonic() + 60
    while not all(_gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [p for p in pids if not _gone(p)]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    assert alive == [], "worker processes outlived their killed parent"
