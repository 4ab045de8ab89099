"""Read a sheet and check its rows: a big sheet in two processes, one per core.

A process is forked before the sheet is read (while this one is small, so the two share little
memory to copy) and reads the same file. Each locates the same rows; this process checks the
first part and the other the rest, which it sends back. Reading twice costs no time: the
second core would wait otherwise. If the other process fails, this one checks the rest itself.
"""

import logging
import multiprocessing
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from yicai.exchange.engine import Entity, Located, locate
from yicai.exchange.reading import read_table

# From this file size a second process reads the sheet; from this many rows it checks some.
PARALLEL_BYTES = 2 * 2**20
PARALLEL_ROWS = 20000
# The other process also sends its results back: it takes fewer rows.
FIRST_SHARE = 0.55
# A second process that has not answered by then is given up on; this one does its rows.
PATIENCE_SECONDS = 600
log = logging.getLogger(__name__)


def read_and_check(
    entity: Entity, path: Path, kind: str, prepared
) -> tuple[Located, list[tuple[int, object]]]:
    """The located sheet and its checked parts: (index of the part's first row, what
    entity.check returned for it)."""

    def read() -> Located:
        return locate(read_table(path, kind), entity)

    def check(located: Located, start: int, end: int):
        return entity.check(located, start, end, prepared)

    if path.stat().st_size < PARALLEL_BYTES or not _can_fork():
        located = read()
        return located, [(0, check(located, 0, len(located.rows)))]
    return _in_two_processes(read, check)


def _in_two_processes(read, check) -> tuple[Located, list[tuple[int, object]]]:
    def the_rest():
        located = read()
        count = len(located.rows)
        split = _split(count)
        return check(located, split, count) if split < count else None

    with _forked(the_rest) as rest:
        located = read()
        count = len(located.rows)
        split = _split(count)
        parts = [(0, check(located, 0, split))]
        if split < count:
            result = rest()
            parts.append((split, result if result is not None else check(located, split, count)))
    return located, parts


def _split(count: int) -> int:
    return count if count < PARALLEL_ROWS else int(count * FIRST_SHARE)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def _forked(work: Callable[[], object]):
    """Run work() in a forked process; yields a function that waits for its result (None when
    the process failed, could not start or took too long). The process is ended on the way
    out, whatever happened."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_send, args=(sender, work), daemon=True)
    try:
        process.start()
    except OSError:  # no memory or processes left for a fork: one process does it all
        log.exception("could not start a second process to check rows")
        receiver.close()
        sender.close()
        yield lambda: None
        return
    sender.close()

    def result():
        try:
            if receiver.poll(PATIENCE_SECONDS):
                return receiver.recv()
            log.error("the second process checking rows did not answer in time")
        except (EOFError, OSError):
            pass  # it died; its error, if any, is in the log
        return None

    try:
        yield result
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()


def _send(sender, work: Callable[[], object]) -> None:
    try:
        result = work()
    except Exception:  # the parent does the work itself and meets the same error, if any
        log.exception("the second process failed to check its rows")
        result = None
    try:
        sender.send(result)
    except OSError:
        pass  # the parent stopped waiting
    finally:
        sender.close()
