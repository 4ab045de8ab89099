"""gunicorn's settings for Yicai in production: `gunicorn -c python:yicai.gunicorn_conf
yicai.wsgi` (docs/operations.md). Each can be changed from the environment.

Sync workers: Yicai's requests are short database work plus a few long exports; a sync worker
handles one request at a time and holds at most one database connection, so the connections
the site can open are simply the number of workers (docs/operations.md, "Connections"). The
usual 2 × cores + 1 keeps the cores busy while some workers wait on PostgreSQL.
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

from yicai.masking import url_last_four_only

bind = os.environ.get("YICAI_BIND") or "127.0.0.1:8000"
workers = int(os.environ.get("YICAI_WEB_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# An export of a province's people (100,000s of rows to Excel) takes minutes: a worker is
# killed only when a request runs past this. The reverse proxy waits as long.
timeout = int(os.environ.get("YICAI_WEB_TIMEOUT") or 300)
graceful_timeout = 60
# Django and every app are loaded once, in the master, before the workers fork: a new worker
# answers its first request at once (not after two seconds of imports), and they share the
# memory. Nothing opens a database connection at start-up, so none is shared by the forks.
preload_app = True
# A worker is replaced after this many requests (with jitter, not all at once), so memory
# an export or an import preview grew does not stay with it.
max_requests = 1000
max_requests_jitter = 100
# systemd starts, reloads and stops gunicorn; no control socket (gunicornc) that could change
# the workers, and none to write under a read-only home (the unit's ProtectSystem=strict).
control_socket_disable = True
# Requests come from the reverse proxy on this machine only.
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = "-"  # stdout: the journal (systemd) keeps it, rotated by journald
errorlog = "-"
# The client as the proxy saw it, the request id the audit log carries, the time in ms.
access_log_format = (
    '%({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" %({x-request-id}o)s'
)
logger_class = "yicai.gunicorn_conf.MaskingLogger"


def when_ready(server):
    """Runs in the master after the preload, before any worker forks: the URLconf (every
    view, the API, FHIR: two seconds of imports) is loaded here once too, rather than on each
    worker's first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading it is the point)


# Atoms that are numbers gunicorn made (time, size, pid), not text a client sent.
_OWN_ATOMS = {"t", "s", "b", "B", "T", "D", "M", "L", "p", "h"}
# A request id (nginx's $request_id, or Yicai's uuid4 hex) is kept whole: it is what ties a
# log line to its audit entries.
_REQUEST_ID = re.compile(r"[0-9a-f]{32}")


class MaskingLogger(Logger):
    """The access log with every run of seven or more digits (an identity or phone number
    someone searched by, in a URL, a referrer or a redirect) kept as its last four."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: _masked(key, value) for key, value in atoms.items()}


def _masked(key: str, value):
    if not isinstance(value, str) or key in _OWN_ATOMS:
        return value
    if key.startswith("{x-request-id}") and _REQUEST_ID.fullmatch(value):
        return value
    return url_last_four_only(value)
