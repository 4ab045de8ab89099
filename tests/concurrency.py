"""Two real connections at once, for the races that only show between them.

Each thread opens its own connection to the test database. On PostgreSQL that is the test
database itself. On SQLite the test database lives in memory with a shared cache, where a
second writer fails at once instead of waiting; so the committed test data is copied to a
file and, while the block runs, new connections open that file, as the embedded default does.
"""

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from django.db import connection, connections


@contextlib.contextmanager
def real_connections(tmp_path: Path, *, init_command: str | None = None):
    """While inside, `run_in_thread` and `together` reach a database shared by real
    connections. `init_command` replaces SQLite's connection PRAGMAs (a short busy timeout)."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")  # as the embedded database is kept
    # The dict is shared with this thread's open in-memory connection, which stays open (it
    # is not reconnected inside the block): only new connections see the file.
    settings_dict = connections.settings["default"]
    saved = settings_dict["NAME"], dict(settings_dict.get("OPTIONS", {}))
    settings_dict["NAME"] = str(path)
    if init_command is not None:
        settings_dict.setdefault("OPTIONS", {})["init_command"] = init_command
    try:
        yield
    finally:
        settings_dict["NAME"], settings_dict["OPTIONS"] = saved


def run_in_thread(work: Callable, *args, **kwargs):
    """`work` on its own connection (closed after); its exception re-raised here."""
    return together([lambda: work(*args, **kwargs)])[0]


def together(works: list[Callable], *, timeout: float = 60) -> list:
    """Run each callable in its own thread and connection, all at once; return their results
    in order (an exception it raised is returned, not raised)."""
    results: list = [None] * len(works)

    def runner(index: int, work: Callable) -> None:
        try:
            results[index] = work()
        except Exception as error:  # handed back to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=pair) for pair in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    for result in results:
        if isinstance(result, BaseException) and len(works) == 1:
            raise result
    return results
