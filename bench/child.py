"""Run one benchmark step as a child process, with a time limit, and measure it.

Each child starts in its own session, so the whole tree it spawns (worker processes
included) can be measured and, past the time limit, killed. Measured:

- wall time, from start to the moment the child is reaped;
- peak RSS of the child from os.wait4's rusage: Linux reports the largest resident set of the
  child and of the descendants it waited for (a maximum over processes, not a sum);
- peak RSS of the tree: the sum of the resident sets of every process in the session, sampled
  every 0.1 s (differs from the above only when the child runs several processes at once).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Child:
    args: list[str]
    returncode: int
    seconds: float
    peak_mb: float  # largest single process (wait4 ru_maxrss)
    tree_mb: float  # largest sampled sum over the process tree
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def _session_rss(session: int) -> int:
    """Bytes resident in every process of a session (0 when it is gone)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            # Fields after the command name, which is in parentheses and may hold spaces.
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) != session:  # field 6 of stat: session id
                continue
            total += int(fields[21]) * PAGE  # field 24: rss in pages
        except (OSError, ValueError, IndexError):
            continue
    return total


def run(args: list[str], *, env: dict[str, str], cwd: Path, timeout: float) -> Child:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            args, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        tree_peak = 0
        done = threading.Event()
        timed_out = threading.Event()

        def sample() -> None:
            nonlocal tree_peak
            while not done.wait(0.1):
                tree_peak = max(tree_peak, _session_rss(process.pid))

        def expire() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the child's own session only

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, expire)
        timer.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            done.set()
        seconds = time.perf_counter() - started
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(
            args=args,
            returncode=process.returncode,
            seconds=seconds,
            peak_mb=usage.ru_maxrss / 1024,
            tree_mb=tree_peak / 2**20,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            timed_out=timed_out.is_set(),
        )
