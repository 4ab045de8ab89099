"""FHIR R4 read and search (JSON) for Practitioner, PractitionerRole and Organization.

Authentication is DRF's Token and Session authenticators (token first, so a 401 names the
Token scheme). Every row comes through the scope module: people and appointments with
"person.view", institutions with "org.view"; a user whose roles carry no such permission gets
403, an id outside the user's scope 404, as if it did not exist. Errors are OperationOutcomes.

Search: parameters not listed in the CapabilityStatement are refused with 400 (strict handling)
rather than silently ignored; each parameter may appear once. Results are ordered by id;
`_count` (default 20, at most 100; 0 returns the total only) and `_offset` page through them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from yicai.access import pii
from yicai.access.permissions import READY
from yicai.access.scope import has_perm, scoped
from yicai.fhir import resources as fhir
from yicai.masking import has_long_number
from yicai.org.queries import institutions_for
from yicai.people.identity import identity_errors, normalise
from yicai.people.models import Appointment, Licence
from yicai.people.queries import name_match, people_for, person_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_COUNT = 20
MAX_COUNT = 100
CAPABILITY_DATE = "2026-11-22"
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_JSON_FORMATS = {"json", "application/json", "application/fhir+json"}


class BadRequest(Exception):
    """A search the server cannot run: 400 with this message."""


# --- Rendering and errors -----------------------------------------------------------------


class FhirJSONRenderer(JSONRenderer):
    media_type = fhir.MEDIA_TYPE
    format = "fhir"


class FhirNegotiation(DefaultContentNegotiation):
    """`_format` (FHIR's override of Accept) may only ask for JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = request.query_params.get("_format", "").strip()
        if requested:
            if requested.split(";")[0].strip() not in _JSON_FORMATS:
                raise exceptions.NotAcceptable
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def _outcome(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    return Response(
        fhir.operation_outcome(code, message),
        status=status,
        headers=headers,
        content_type=fhir.MEDIA_TYPE,
    )


class FhirView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = READY
    renderer_classes = [FhirJSONRenderer, JSONRenderer]
    content_negotiation_class = FhirNegotiation
    schema = None  # not part of the OpenAPI document: the CapabilityStatement describes it

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            header = self.get_authenticate_header(self.request)
            return _outcome(
                401,
                "login",
                _("请先登录或提供有效的访问令牌（Authorization: Token …）。"),
                {"WWW-Authenticate": header} if header else None,
            )
        if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
            # A refusal that says why (AccountReady) keeps its reason.
            custom = getattr(exc, "detail", None) != exceptions.PermissionDenied.default_detail
            reason = str(exc.detail) if isinstance(exc, exceptions.APIException) and custom else ""
            return _outcome(403, "forbidden", reason or _("您的角色无权查看此类资源。"))
        if isinstance(exc, Http404 | exceptions.NotFound):
            return _outcome(404, "not-found", _("资源不存在，或不在您的数据范围内。"))
        if isinstance(exc, BadRequest):
            return _outcome(400, "invalid", str(exc))
        if isinstance(exc, exceptions.MethodNotAllowed):
            return _outcome(405, "not-supported", _("只支持读取和检索（GET）。"))
        if isinstance(exc, exceptions.NotAcceptable):
            return _outcome(406, "not-supported", _("只提供 JSON 格式（application/fhir+json）。"))
        return super().handle_exception(exc)

    def resource(self, data: dict, status: int = 200) -> Response:
        return Response(data, status=status, content_type=fhir.MEDIA_TYPE)


# --- Search machinery ---------------------------------------------------------------------


@dataclass
class SearchType:
    """One resource type's read and search: how to load rows and what each parameter does."""

    resource_type: str
    permission: str
    rows: Callable  # user -> scoped QuerySet, with what `to_resource` needs loaded
    to_resource: Callable
    parameters: dict[str, "Param"] = field(default_factory=dict)


class Param(NamedTuple):
    kind: str  # the FHIR search parameter type
    match: Callable[[str], Q]
    documentation: "StrOrPromise"
    # How the value is written back into the Bundle's links; None: as sent.
    in_links: Callable[[str], str] | None = None


_PAGING = {"_count", "_offset", "_format"}


# Values are never quoted back in a diagnostic: a client may have put an identity number in
# the wrong parameter. Ids beyond a 32-bit key cannot exist, so they match nothing.
_LARGEST_ID = 2**31 - 1
_LARGEST_OFFSET = 10**9


def _digits(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _parse_int(name: str, value: str, *, largest: int) -> int:
    number = _digits(value)
    if number is None or number > largest:
        raise BadRequest(
            _("参数 %(name)s 应为 0 到 %(largest)d 之间的整数。")
            % {"name": name, "largest": largest}
        )
    return number


def _id_match(number: int | None) -> Q:
    return Q(pk=number) if number is not None and number <= _LARGEST_ID else Q(pk__in=[])


def _parse_reference(name: str, value: str, resource_type: str) -> int:
    """`5`, `Organization/5` or a full URL ending in `Organization/5`: the id as int."""
    tail = value.rstrip("/").split("/")
    if len(tail) >= 2 and tail[-2] != resource_type:
        raise BadRequest(
            _("参数 %(name)s 应引用 %(type)s 资源。") % {"name": name, "type": resource_type}
        )
    number = _digits(tail[-1])
    if number is None:
        raise BadRequest(_("参数 %(name)s 的资源 id 无效。") % {"name": name})
    return number


def _reference_q(column: str, name: str, value: str, resource_type: str) -> Q:
    number = _parse_reference(name, value, resource_type)
    return Q(**{column: number}) if number <= _LARGEST_ID else Q(pk__in=[])


def _reference(
    column: str, name: str, resource_type: str, documentation: "StrOrPromise"
) -> "Param":
    """A reference parameter `name`: a `resource_type` by id, matched on `column`."""
    return Param(
        "reference",
        lambda value: _reference_q(column, name, value, resource_type),
        documentation,
    )


def _parse_token(value: str) -> tuple[str | None, str]:
    """`system|value` or `value`; a leading `|` means "no system", treated as any."""
    if "|" in value:
        system, code = value.split("|", 1)
        return (system or None), code
    return None, value


def _id_q(value: str) -> Q:
    if not _FHIR_ID.fullmatch(value):
        raise BadRequest(_("参数 _id 不是有效的资源 id。"))
    return _id_match(_digits(value))


def search(view: FhirView, request, spec: SearchType) -> Response:
    user = request.user
    if not has_perm(user, spec.permission):
        raise PermissionDenied
    params = request.query_params
    for name in params:
        if name not in spec.parameters and name not in _PAGING:
            raise BadRequest(_("不支持的检索参数：%(name)s。") % {"name": name[:40]})
        if len(params.getlist(name)) > 1:
            raise BadRequest(_("检索参数 %(name)s 只能出现一次。") % {"name": name[:40]})
    count = min(
        _parse_int("_count", params.get("_count") or str(DEFAULT_COUNT), largest=_LARGEST_OFFSET),
        MAX_COUNT,
    )
    offset = _parse_int("_offset", params.get("_offset") or "0", largest=_LARGEST_OFFSET)

    rows = spec.rows(user)
    criteria = {}
    for name, value in params.items():
        value = value.strip()
        if name in _PAGING or not value:
            continue
        param = spec.parameters[name]
        rows = rows.filter(param.match(value))
        criteria[name] = param.in_links(value) if param.in_links else value
    total = rows.count()
    page = list(rows.order_by("pk")[offset : offset + count]) if count else []

    base = request.build_absolute_uri(request.path)
    service_base = base.rsplit("/", 1)[0]  # .../fhir

    def link(at: int) -> str:
        return f"{base}?{urlencode({**criteria, '_count': count, '_offset': at})}"

    links = {"self": link(offset)}
    if count:
        last = max((total - 1) // count * count, 0)
        links["first"] = link(0)
        if offset > 0:
            links["previous"] = link(max(offset - count, 0))
        if offset + count < total:
            links["next"] = link(offset + count)
        links["last"] = link(last)
    entries = [
        (f"{service_base}/{spec.resource_type}/{row.pk}", spec.to_resource(row)) for row in page
    ]
    return view.resource(fhir.searchset(total=total, entries=entries, links=links))


# --- Practitioner -------------------------------------------------------------------------

_PERSON_RECORDS = (
    "titles__title",
    "educations__level",
    "educations__degree",
    "licences",
)


def _practitioners(user) -> QuerySet:
    return people_for(user).select_related("sex").prefetch_related(*_PERSON_RECORDS)


def _resident_number(value: str) -> str | None:
    """The normalised full identity number a token asks for, None when it asks for something
    else; 400 for a number that cannot be one."""
    system, code = _parse_token(value)
    code = code.strip()
    if not code:
        raise BadRequest(_("参数 identifier 缺少标识值。"))
    if "*" in code:
        raise BadRequest(_("不能按脱敏后的身份证号检索，请提供完整的 18 位号码。"))
    if system not in (None, fhir.RESIDENT_ID_SYSTEM):
        return None
    number = normalise(code)
    looks_like_id = len(number) == 18 and number[:17].isascii() and number[:17].isdigit()
    if system is None and not looks_like_id:
        return None
    errors = identity_errors(number, None, None)
    if errors or len(number) != 18:
        raise BadRequest(errors.get("id_number") or _("请填写 18 位居民身份证号码。"))
    return number


_INDEX = re.compile(r"[0-9a-f]{64}")


def _person_identifier_q(value: str, person: str = "") -> Q:
    """A person's identifier: a full resident identity number (matched by blind index), the
    blind index itself (as written in paging links), or a practising licence number. `person`
    is the path from the searched rows to the person ("person__" from an appointment), so the
    match joins the rows already scoped instead of reading people on its own."""
    number = _resident_number(value)
    if number:
        return Q(**{f"{person}id_number_index": pii.blind_index(number)})
    system, code = _parse_token(value)
    code = code.strip()
    if system == fhir.RESIDENT_ID_INDEX_SYSTEM:
        if not _INDEX.fullmatch(code.lower()):
            raise BadRequest(_("身份证号索引格式不正确。"))
        return Q(**{f"{person}id_number_index": code.lower()})
    if system in (None, fhir.LICENCE_SYSTEM):
        return Q(**{f"{person}pk__in": Licence.objects.filter(number=code).values("person_id")})
    return Q(pk__in=[])  # an identifier system Yicai does not hold: no match


def _person_identifier_in_links(value: str) -> str:
    """A full number never goes back to the client, not even in a link: links carry the
    keyed blind index instead, which finds the same person and reveals nothing."""
    number = _resident_number(value)
    if number:
        return f"{fhir.RESIDENT_ID_INDEX_SYSTEM}|{pii.blind_index(number)}"
    return value


def _name_q(value: str) -> Q:
    return name_match(value)  # the person list's own name search


PRACTITIONER = SearchType(
    resource_type="Practitioner",
    permission="person.view",
    rows=_practitioners,
    to_resource=fhir.practitioner,
    parameters={
        "_id": Param("token", _id_q, _lazy("资源 id")),
        "identifier": Param(
            "token",
            _person_identifier_q,
            _lazy(
                "完整的 18 位居民身份证号（须以 POST _search 表单提交，经盲索引匹配，不回显）"
                "或执业证书编号；分页链接中以身份证号索引代替号码"
            ),
            _person_identifier_in_links,
        ),
        "name": Param(
            "string", _name_q, _lazy("姓名包含该文字，或拼音首字母、全拼以其开头（chen 找到陈）")
        ),
        "organization": _reference(
            "institution_id", "organization", "Organization", _lazy("现所在机构（Organization/id）")
        ),
    },
)


# --- PractitionerRole ---------------------------------------------------------------------


def _roles(user) -> QuerySet:
    return scoped(
        user,
        Appointment.objects.select_related("person", "institution", "department"),
        "person.view",
    )


def _appointment_identifier_q(value: str) -> Q:
    system, code = _parse_token(value)
    if system not in (None, fhir.APPOINTMENT_SYSTEM):
        return Q(pk__in=[])
    number = _digits(code.strip())
    if number is None:
        raise BadRequest(_("任职标识应为数字。"))
    return _id_match(number)


def _role_person_identifier_q(value: str) -> Q:
    return _person_identifier_q(value, person="person__")


PRACTITIONER_ROLE = SearchType(
    resource_type="PractitionerRole",
    permission="person.view",
    rows=_roles,
    to_resource=fhir.practitioner_role,
    parameters={
        "_id": Param("token", _id_q, _lazy("资源 id")),
        "identifier": Param("token", _appointment_identifier_q, _lazy("任职记录标识（system|id）")),
        "practitioner": _reference(
            "person_id", "practitioner", "Practitioner", _lazy("人员（Practitioner/id）")
        ),
        "practitioner.identifier": Param(
            "token",
            _role_person_identifier_q,
            _lazy("人员的完整 18 位身份证号（须以 POST _search 表单提交，不回显）或执业证书编号"),
            _person_identifier_in_links,
        ),
        "organization": _reference(
            "institution_id", "organization", "Organization", _lazy("任职机构（Organization/id）")
        ),
    },
)


# --- Organization -------------------------------------------------------------------------


def _organizations(user) -> QuerySet:
    return institutions_for(user).select_related("region__parent__parent")


def _institution_identifier_q(value: str) -> Q:
    system, code = _parse_token(value)
    if system not in (None, fhir.INSTITUTION_CODE_SYSTEM):
        return Q(pk__in=[])
    if not code.strip():
        raise BadRequest(_("参数 identifier 缺少标识值。"))
    return Q(code=code.strip())


ORGANIZATION = SearchType(
    resource_type="Organization",
    permission="org.view",
    rows=_organizations,
    to_resource=fhir.organization,
    parameters={
        "_id": Param("token", _id_q, _lazy("资源 id")),
        "identifier": Param("token", _institution_identifier_q, _lazy("机构代码")),
        "name": Param(
            "string",
            lambda value: Q(name__icontains=value) | Q(short_name__icontains=value),
            _lazy("机构名称或简称包含该文字"),
        ),
    },
)

SEARCH_TYPES = (PRACTITIONER, PRACTITIONER_ROLE, ORGANIZATION)


# --- Views --------------------------------------------------------------------------------


class Search(FhirView):
    """GET [base]/<type>: the type's search."""

    spec: SearchType

    def get(self, request):
        _refuse_numbers_in_url(request, self.spec)
        return search(self, request, self.spec)


class Read(FhirView):
    """GET [base]/<type>/<id>: one resource in the user's scope; 404 outside it."""

    spec: SearchType

    def get(self, request, pk: str):
        _require(request.user, self.spec.permission)
        return self.resource(self.spec.to_resource(self.load(request.user, _numeric(pk))))

    def load(self, user, pk: int):
        return get_object_or_404(self.spec.rows(user), pk=pk)


class PractitionerSearch(Search):
    spec = PRACTITIONER


class PractitionerRead(Read):
    spec = PRACTITIONER

    def load(self, user, pk: int):
        person = person_for(user, pk)  # with all that the record page shows
        prefetch_related_objects([person], *_PERSON_RECORDS)
        return person


class PractitionerRoleSearch(Search):
    spec = PRACTITIONER_ROLE


class PractitionerRoleRead(Read):
    spec = PRACTITIONER_ROLE


class OrganizationSearch(Search):
    spec = ORGANIZATION


class OrganizationRead(Read):
    spec = ORGANIZATION


# --- POST [base]/<type>/_search: identity numbers in the body, never in a URL -------------

# Parameters whose value may be a full identity number.
_NUMBER_PARAMS = ("identifier", "practitioner.identifier")


def _refuse_numbers_in_url(request, spec: SearchType) -> None:
    """A full identity number in the query string would be written to every access log on
    its way (proxy, server): refused, pointing to POST _search, which carries it in the body."""
    if spec not in (PRACTITIONER, PRACTITIONER_ROLE):
        return
    for name in _NUMBER_PARAMS:
        for value in request.query_params.getlist(name):
            if name in spec.parameters and _is_identity_number(value):
                raise BadRequest(
                    _(
                        "完整的身份证号码不能放在 URL 中（会被记入访问日志）：请改用 "
                        "POST [base]/%(type)s/_search，以 application/x-www-form-urlencoded "
                        "表单提交检索参数。"
                    )
                    % {"type": spec.resource_type}
                )


def _is_identity_number(value: str) -> bool:
    """Whether a token names a resident identity number, valid or not (a licence number,
    15 digits, is not one)."""
    system, code = _parse_token(value)
    if system not in (None, fhir.RESIDENT_ID_SYSTEM):
        return False
    number = normalise(code.strip())
    if system == fhir.RESIDENT_ID_SYSTEM:
        return has_long_number(number)
    return len(number) == 18 and number[:17].isascii() and number[:17].isdigit()


class _PostedSearch:
    """A POST _search seen as the GET search it stands for: the form body and the query
    string are its parameters, and its links point at the type's search URL (they carry the
    blind index, never the number)."""

    def __init__(self, request, params):
        self._request = request
        self.query_params = params
        self.path = request.path.removesuffix("/_search")

    def __getattr__(self, name):
        return getattr(self._request, name)


class PostedSearch(FhirView):
    """POST [base]/<type>/_search with an application/x-www-form-urlencoded body (FHIR's
    search by POST): how a client searches by a full identity number."""

    parser_classes = [FormParser]
    spec: SearchType

    def post(self, request):
        _refuse_numbers_in_url(request, self.spec)
        params = request.query_params.copy()
        for name, values in request.data.lists():
            params.setlist(name, params.getlist(name) + values)
        return search(self, _PostedSearch(request, params), self.spec)

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.UnsupportedMediaType | exceptions.ParseError):
            return _outcome(
                415,
                "not-supported",
                _("检索请求体须为 application/x-www-form-urlencoded 表单。"),
            )
        if isinstance(exc, exceptions.MethodNotAllowed):
            return _outcome(405, "not-supported", _("_search 只接受 POST（表单）检索。"))
        return super().handle_exception(exc)


class PractitionerPostSearch(PostedSearch):
    spec = PRACTITIONER


class PractitionerRolePostSearch(PostedSearch):
    spec = PRACTITIONER_ROLE


class OrganizationPostSearch(PostedSearch):
    spec = ORGANIZATION


class UnknownResource(FhirView):
    def get(self, request, *args, **kwargs):
        return _outcome(404, "not-supported", _("不支持的资源类型或接口。"))


class Capability(FhirView):
    """GET /fhir/metadata: open without login, as FHIR clients read it before they
    authenticate; it holds no data."""

    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        return self.resource(capability_statement(request.build_absolute_uri("/fhir")))


def _numeric(pk: str) -> int:
    number = _digits(pk)
    if number is None or number > _LARGEST_ID:
        raise Http404
    return number


def _require(user, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


# --- CapabilityStatement ------------------------------------------------------------------


def capability_statement(base_url: str) -> dict:
    resources = []
    for spec in SEARCH_TYPES:
        resources.append(
            {
                "type": spec.resource_type,
                "profile": f"http://hl7.org/fhir/StructureDefinition/{spec.resource_type}",
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "versioning": "no-version",
                "readHistory": False,
                "updateCreate": False,
                "searchParam": [
                    {"name": name, "type": kind, "documentation": str(documentation)}
                    for name, (kind, _match, documentation, _links) in spec.parameters.items()
                ],
            }
        )
    return {
        "resourceType": "CapabilityStatement",
        "id": "yicai",
        "name": "YicaiFhirServer",
        "title": "医才 FHIR 接口",
        "status": "active",
        "experimental": False,
        "date": CAPABILITY_DATE,
        "publisher": "Yicai",
        "description": _(
            "人员（Practitioner）、任职（PractitionerRole）与机构（Organization）的只读接口，"
            "按用户的数据范围返回；身份证号只以脱敏形式出现。"
        ),
        "kind": "instance",
        "software": {"name": "Yicai"},
        "implementation": {"description": "Yicai FHIR R4", "url": base_url},
        "fhirVersion": fhir.FHIR_VERSION,
        "format": [fhir.MEDIA_TYPE, "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": _(
                    "检索结果按 id 排序，_count 默认 %(default)d、最大 %(max)d，"
                    "_offset 为起始位置；不支持的参数返回 400。"
                )
                % {"default": DEFAULT_COUNT, "max": MAX_COUNT},
                "security": {
                    "cors": False,
                    "description": _(
                        "会话登录（含第二因素）或 DRF 访问令牌：Authorization: Token <令牌>。"
                    ),
                },
                "resource": resources,
            }
        ],
    }
