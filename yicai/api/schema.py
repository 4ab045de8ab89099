"""The OpenAPI schema's shared pieces: the error answers an action declares (`errors`), the
parameters API modules share, and the schema of a custom action on one row (`row_action`)."""

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status

if TYPE_CHECKING:  # django-stubs' type of a string or a lazy translation
    from django_stubs_ext import StrOrPromise

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}

ERROR_RESPONSES = {
    400: OpenApiResponse(
        response={
            "type": "object",
            "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
            },
        },
        description=_("输入有误：按字段给出中文错误信息"),
    ),
    401: OpenApiResponse(response=_DETAIL, description=_("未登录或令牌无效")),
    403: OpenApiResponse(response=_DETAIL, description=_("没有该操作的权限")),
    404: OpenApiResponse(
        response=_DETAIL,
        description=_("不存在，或不在您的管辖范围内；列表的分页游标无效时亦然"),
    ),
    409: OpenApiResponse(
        response={
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "version": {"type": "integer"},
                "changes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "label": {"type": "string"},
                            "before": {"type": "string"},
                            "current": {"type": "string"},
                        },
                    },
                },
            },
        },
        description=_(
            "记录已被他人修改（版本已过期）：列出变更的字段及当前值，核对后按新版本重新提交"
        ),
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The schema's error answers of an action: 401 and 403 always, then `codes`."""
    return {code: ERROR_RESPONSES[code] for code in (401, 403, *codes)}


ROW_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
INSTITUTION_PARAMETER = OpenApiParameter("institution", int, description=_("机构 id"))
SINCE = OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日期（含）"))
UNTIL = OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日期（含）"))


def row_action(request: Any, answer: Any, code: int = status.HTTP_200_OK) -> Any:
    """The schema of a custom action on one row (its id in the path): its input, its answer
    (with `code`), and the 400 a refused input and the 404 a row out of reach give."""
    return extend_schema(
        parameters=[ROW_ID], request=request, responses={code: answer, **errors(400, 404)}
    )


def as_of_parameter(what: "StrOrPromise") -> OpenApiParameter:
    """The `as_of` date parameter, described as what it counts."""
    return OpenApiParameter("as_of", OpenApiTypes.DATE, description=what)
