"""The national health-workforce table over the API (/api/v1/insights/national-table/): the
check of a day's table as JSON (`check/`: how many lack each required column, and who), and
the table itself as an Excel file (`export/`), read with the page's form. The API gives no
identity or phone number in full (docs/security.md): the file holds them masked; the page's
export gives them in full to those who may read them."""

from typing import Any

from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yicai import exports
from yicai.access import audit
from yicai.api.base import ApiView, form_filters
from yicai.api.schema import INSTITUTION_PARAMETER, as_of_parameter, errors
from yicai.insights.national import queries, table
from yicai.insights.national.forms import NationalTableForm
from yicai.xlsx import XLSX_CONTENT_TYPE

AS_OF = as_of_parameter(_("统计日：列出这一天在岗的人员，默认今天；如 2024-12-31"))


class NationalColumnOut(serializers.Serializer):
    key = serializers.CharField(read_only=True, help_text=_("栏目标识"))
    heading = serializers.CharField(read_only=True, help_text=_("调查表中的栏目名称"))
    lacking = serializers.IntegerField(read_only=True, help_text=_("缺少该项的人数"))


class NationalLackingOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("人员 id"))
    name = serializers.CharField(read_only=True)
    institution = serializers.CharField(read_only=True, help_text=_("统计日任职的机构"))
    department = serializers.CharField(read_only=True, help_text=_("统计日任职的科室"))
    missing = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("缺少的必填项（栏目标识）")
    )
    edit_url = serializers.CharField(read_only=True, help_text=_("补全档案的页面"))


class NationalCheckOut(serializers.Serializer):
    as_of = serializers.DateField(read_only=True, help_text=_("统计日"))
    on_file = serializers.IntegerField(read_only=True, help_text=_("统计日在岗人数"))
    complete = serializers.IntegerField(read_only=True, help_text=_("必填项齐全的人数"))
    lacking_any = serializers.IntegerField(read_only=True, help_text=_("缺少必填项的人数"))
    columns = NationalColumnOut(many=True, read_only=True)
    unrecorded_required = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("本系统不记录、导出时留空的必填项（栏目名称）"),
    )
    people = NationalLackingOut(many=True, read_only=True)


def _lacking(row: table.Row) -> dict[str, Any]:
    post = row.held.post
    return {
        "id": row.person.pk,
        "name": row.person.name,
        "institution": post.institution.name,
        "department": post.department.name if post.department else "",
        "missing": [column.key for column in row.missing],
        "edit_url": reverse("people:edit", args=[row.person.pk]),
    }


@extend_schema(tags=["insights"])
class NationalTableViewSet(ApiView):
    """The national health-workforce table (卫生人力基本信息调查表) of the people on file on a
    day, as the page makes it: its check and its export."""

    permissions = {"check": queries.PERMISSION, "export": queries.PERMISSION}
    pagination_class = None

    def _filters(self, request: Request) -> dict[str, Any]:
        form = NationalTableForm(request.user, request.query_params)
        form_filters(form)  # a 400 by field for a wrong one
        return form.values()

    @extend_schema(
        parameters=[
            AS_OF,
            INSTITUTION_PARAMETER,
            OpenApiParameter(
                "column", str, description=_("只列出缺少这一项的人员（栏目标识，如 degree）")
            ),
        ],
        responses={200: NationalCheckOut, **errors(400)},
    )
    def check(self, request: Request) -> Response:
        """How many people on file lack each required column, and who lacks any (or the
        column asked), each with the page where their record is completed."""
        result = queries.check(request.user, **self._filters(request))
        return Response(
            NationalCheckOut(
                {
                    "as_of": result.as_of,
                    "on_file": result.on_file,
                    "complete": result.complete,
                    "lacking_any": result.lacking_any,
                    "columns": [
                        {"key": column.key, "heading": column.heading, "lacking": count}
                        for column, count in result.figures()
                    ],
                    "unrecorded_required": [c.heading for c in table.UNRECORDED_REQUIRED],
                    "people": [_lacking(row) for row in result.lacking],
                }
            ).data
        )

    @extend_schema(
        parameters=[AS_OF, INSTITUTION_PARAMETER],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY, **errors(400)},
    )
    def export(self, request: Request) -> HttpResponseBase:
        """The table as an Excel file, in the national columns and codes; identity and phone
        numbers masked."""
        filters = self._filters(request)
        rows = queries.rows(
            request.user, as_of=filters["as_of"], institution=filters["institution"]
        )
        summary = _("导出卫生人力基本信息调查表（API）")
        audit.record_export(f"{summary}（Excel）", request.query_params.dict())
        name = table.file_name(filters["as_of"])
        return exports.export_response(
            "xlsx", name, name, table.HEADINGS, (row.values for row in rows)
        )
