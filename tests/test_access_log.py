"""The production access log (gunicorn, yicai/gunicorn_conf.py) never holds a full identity
or phone number: a search by one puts it in the URL."""

import datetime
import importlib
from types import SimpleNamespace

from gunicorn.config import Config

from yicai import gunicorn_conf

ID_NUMBER = "11010519900307123X"
REQUEST_ID = "53c7de2b1b02fd0d6aa101012256f2fe"  # hex with a run of digits: kept whole


def _logger(tmp_path):
    """gunicorn's logger as `gunicorn -c python:yicai.gunicorn_conf` builds it, writing to a
    file."""
    cfg = Config()
    module = importlib.import_module("yicai.gunicorn_conf")
    for name in ("access_log_format", "logger_class"):
        cfg.set(name, getattr(module, name))
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    return cfg.logger_class(cfg), log_file


def _request(uri: str, referer: str = "-"):
    path, _, query = uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "curl/8.5",
    }
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "10.1.2.3"), ("REFERER", referer)])
    response = SimpleNamespace(
        status="302 Found",
        sent=5_123_456,  # a size is not a number to mask
        headers=[("Location", f"/accounts/login/?next={uri}"), ("X-Request-ID", REQUEST_ID)],
    )
    return response, request, environ


def test_the_configured_logger_masks_identity_numbers_in_the_request_line(tmp_path):
    logger, log_file = _logger(tmp_path)
    assert isinstance(logger, gunicorn_conf.MaskingLogger)
    encoded = "".join(f"%3{digit}" for digit in "110105199003071234")  # %31%31%30...
    for uri in (
        f"/people/?q={ID_NUMBER}&page=2",
        f"/fhir/Practitioner?identifier={encoded}",
        "/people/?q=1101+0519+9003+0712+34",
    ):
        response, request, environ = _request(uri, referer=f"https://yicai.example/people/?q={uri}")
        logger.access(response, request, environ, datetime.timedelta(seconds=12, microseconds=5))

    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    text = "\n".join(lines)
    for secret in (ID_NUMBER, "110105199003071234", "1101050", encoded, "0519+9003"):
        assert secret not in text
    assert "GET /people/?q=**************123X&page=2 HTTP/1.1" in lines[0]
    assert "identifier=**************%31%32%33%34" in lines[1]
    assert "q=**************1234" in lines[2]
    # What the log is for stays: client, status, size, duration, request id.
    assert lines[0].startswith("10.1.2.3 ")
    assert " 302 5123456 12000ms " in lines[0]
    assert lines[0].endswith(f" {REQUEST_ID}")


def test_short_numbers_stay_readable(tmp_path):
    logger, log_file = _logger(tmp_path)
    response, request, environ = _request("/people/123456/?birth=1990-03-07&page=12")
    logger.access(response, request, environ, datetime.timedelta(milliseconds=40))
    assert '"GET /people/123456/?birth=1990-03-07&page=12 HTTP/1.1"' in log_file.read_text()
