"""The database task queue (django_tasks_db) worked from a browser test's own thread, when the
test says so: the page is caught while its job waits, with its progress bar, and updates
itself once the worker has run (the import's preview, the annual report's file)."""

import re

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page


class TaskQueue:
    """The database task queue, worked from the test thread when the test says so.

    While it works, the page's htmx polls are held in the browser (a route that does not
    answer until the test thread is back in Playwright) and none is left at the server: on
    in-memory SQLite the live server shares the test thread's connection, and a request run
    in the middle of the worker's transaction would run inside it."""

    def __init__(self, page: Page, polled: re.Pattern[str]):
        """`polled`: the URL of the page's status polls (a job's page)."""
        self.page = page
        self.holding = False
        self.held = []
        self.at_server = set()
        page.route(polled, self._route)
        page.on("requestfinished", self._answered)
        page.on("requestfailed", self._answered)

    def _route(self, route):
        if self.holding:
            self.held.append(route)
        else:
            self._send(route)

    def _answered(self, request):
        self.at_server.discard(request)

    def _send(self, route):
        self.at_server.add(route.request)
        route.continue_()

    def run(self) -> list:
        """Run every queued task (the worker exits when the queue is empty); return them."""
        self.holding = True
        for _ in range(200):  # a poll already sent is answered first
            if not self.at_server:
                break
            self.page.wait_for_timeout(25)
        assert not self.at_server, "a status poll did not come back"
        queued = list(DBTaskResult.objects.ready().values_list("pk", flat=True))
        try:
            # The management command would install SIGINT/SIGTERM handlers for pytest's
            # process; the worker itself does not, and --batch is batch=True: stop when empty.
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        finally:
            self.holding = False
            held, self.held = self.held, []
            for route in held:
                self._send(route)
        results = list(DBTaskResult.objects.filter(pk__in=queued))
        failures = [(r.task_path, r.traceback) for r in results if r.status != "SUCCESSFUL"]
        assert not failures, failures
        return results
