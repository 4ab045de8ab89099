"""Request parameters: one rule for what a request may carry, for pages, the API and FHIR.

- A parameter naming a record or a number is parsed by `int_param` / `id_param`: ASCII digits
  only ("²" and "９" pass `str.isdigit()` but are no number here) within the database's signed
  64-bit range, else `BadParameter`, a 400 naming the parameter in Chinese.
- `HostileInputMiddleware` refuses, before any view runs, a request whose query string holds
  a control character, whose form fields or JSON hold a NUL byte (PostgreSQL
  can neither store nor compare one), or whose parameters hold a whole number beyond the
  64-bit range (SQLite cannot bind one, and no field of Yicai holds one).
- `JSONParser` answers a body nested too deep for Python's parser (a RecursionError) with a
  400, as any other malformed body.

- A page's filter form bound to the query string and invalid answers 400 (`filter_status`):
  the same page, with the form's Chinese error under its field and above the results, and
  no export (an export would hold the rows of no filter at all).

Pages answer a Chinese 400 page, the API a JSON body keyed by the parameter or field (else
{"detail": …}), FHIR an OperationOutcome (application/fhir+json); never a 500.
"""

import json
import re
from collections.abc import Callable, Mapping
from typing import IO, Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.response import Response

MAX_INT = 2**63 - 1  # the largest value a BigAutoField, SQLite and PostgreSQL all hold
MIN_INT = -(2**63)
_INTEGER = re.compile(r"-?[0-9]+")
# C0 control characters and DEL; a query string has no use for any of them, tab included.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A JSON string escape for NUL (not itself escaped): "\u0000".
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadParameter(BadRequest):
    """A parameter the server cannot read: 400 with a Chinese message naming it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def is_int(value: object) -> bool:
    """Whether `value` (a string) is a whole number of ASCII digits in the 64-bit range."""
    text = str(value)
    # Length first: int() refuses more than 4,300 digits with a ValueError of its own.
    return len(text) <= 20 and bool(_INTEGER.fullmatch(text)) and MIN_INT <= int(text) <= MAX_INT


def is_id(value: object) -> bool:
    """Whether `value` can name a row: a positive ASCII whole number in the 64-bit range."""
    text = str(value)
    return len(text) <= 19 and text.isascii() and text.isdigit() and 0 < int(text) <= MAX_INT


def int_param(
    params: Mapping[str, Any], name: str, *, minimum: int = MIN_INT, maximum: int = MAX_INT
) -> int | None:
    """The whole number in `params[name]`; None when absent or empty; BadParameter otherwise."""
    value = str(params.get(name) or "").strip()
    if not value:
        return None
    if not is_int(value) or not minimum <= int(value) <= maximum:
        raise BadParameter(
            name,
            _("参数“%(name)s”须为 %(minimum)d 至 %(maximum)d 之间的整数。")
            % {"name": name, "minimum": minimum, "maximum": maximum},
        )
    return int(value)


def filter_status(form: forms.BaseForm) -> int:
    """A page's status for its filter form: 400 when bound and invalid, else 200."""
    return 400 if form.is_bound and not form.is_valid() else 200


def id_param(params: Mapping[str, Any], name: str) -> int | None:
    """The record id in `params[name]`; None when absent or empty; BadParameter otherwise."""
    value = str(params.get(name) or "").strip()
    if not value:
        return None
    if not is_id(value):
        raise BadParameter(name, _("参数“%(name)s”须为有效的记录编号。") % {"name": name})
    return int(value)


# --- one answer per kind of endpoint --------------------------------------------------------


def _outcome(message: str) -> JsonResponse:
    """FHIR's error resource, built here so that the shared layer needs no FHIR import."""
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "diagnostics": message}],
    }
    response = JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/fhir+json; charset=utf-8"
    return response


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """The 400 for this request's kind of endpoint."""
    if request.path.startswith("/fhir/"):
        return _outcome(message)
    if request.path.startswith(("/api/", "/pick/")):
        return JsonResponse(
            {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponseBadRequest(
        render_to_string("400.html", {"message": message}, request=request)
    )


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a BadParameter raised by a page (or any other BadRequest) in Chinese."""
    message = getattr(exception, "message", None) or _("请求有误，无法处理。")
    return bad_request(request, message)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, and a BadParameter as a 400 keyed by the parameter's name."""
    from rest_framework.views import exception_handler  # its APIView reads our parser

    if isinstance(exc, BadParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    return exception_handler(exc, context)


# --- the middleware ------------------------------------------------------------------------


def _refusal(name: str, value: str) -> str | None:
    if _CONTROL.search(name) or _CONTROL.search(value):
        return _("参数“%(name)s”含有不允许的控制字符。") % {"name": _printable(name)}
    return _out_of_range(name, value)


def _out_of_range(name: str, value: str) -> str | None:
    text = value.strip()
    if len(text) >= 19 and _INTEGER.fullmatch(text) and not is_int(text):
        return _("参数“%(name)s”的数值超出范围。") % {"name": _printable(name)}
    return None


def _printable(name: str) -> str:
    return _CONTROL.sub("?", name)[:50]


def _nul_field(body: bytes) -> str:
    """The top-level field of a JSON body that holds a NUL, for the API's field-keyed 400."""
    try:
        data = loads(body)
    except ValueError:
        return "non_field_errors"
    if isinstance(data, dict):
        for key, value in data.items():
            if "\x00" in key or _holds_nul(value):
                return _printable(key)
    return "non_field_errors"


def _holds_nul(value: object, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 50:  # deeper than any field of ours: the body is refused as a whole anyway
        return False
    if isinstance(value, dict):
        return any(_holds_nul(k, depth + 1) or _holds_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item, depth + 1) for item in value)
    return False


class HostileInputMiddleware:
    """Refuses what no view can take (see the module's docstring) with a 400 in the words of
    the endpoint's kind, before the view parses anything.

    The API's own query parameters and form bodies are left to its serializers and parsers,
    which already answer them field by field (and its schema documents which codes each
    operation answers); its JSON bodies are checked here, since a NUL reaching PostgreSQL
    through any field (not only text fields, which refuse it) fails there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self.problem(request)
        if problem:
            name, message = problem
            if name and request.path.startswith("/api/"):
                return JsonResponse(
                    {name: [message]}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return bad_request(request, message)
        return self.get_response(request)

    def problem(self, request: HttpRequest) -> tuple[str | None, str] | None:
        api = request.path.startswith("/api/")
        if not api:
            for name, values in request.GET.lists():
                for value in values:
                    if refused := _refusal(name, value):
                        return name, refused
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = request.content_type or ""
        if content_type in _FORM_TYPES and not api:
            for name, values in request.POST.lists():
                for value in values:
                    if "\x00" in name or "\x00" in value:
                        message = _("字段“%(name)s”含有不允许的空字符（NUL）。")
                        return name, message % {"name": _printable(name)}
                    if refused := _out_of_range(name, value):
                        return name, refused
        elif content_type.endswith("json"):
            body = request.body
            if b"\x00" in body or _JSON_NUL.search(body):
                return _nul_field(body), _("请求体含有不允许的空字符（NUL）。")
        return None


# --- the API's JSON parser -------------------------------------------------------------------


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than Python's parser reaches (100,000 "[") is
    a 400 like any other malformed JSON, not a RecursionError."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("请求体不是有效的 JSON。")) from None


def loads(text: str | bytes) -> Any:
    """json.loads for what a request carries: ValueError also for nesting too deep."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deep") from None
