"""Institution pages: the list (filter, export) and one institution with its departments."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.access.scope import require
from yicai.exchange.xlsx import xlsx_response
from yicai.org import queries
from yicai.org.models import Institution


@login_required
def institution_list(request):
    require(request.user, "org.view")
    relation = request.GET.get("relation", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    institutions = queries.institution_list(request.user, relation=relation, kind=kind, q=q)
    if request.GET.get("export") == "xlsx":
        require(request.user, "org.export")
        audit.record(
            AuditEntry.Event.EXPORT,
            summary=_("导出医疗机构列表"),
            data={"filters": request.GET.dict()},
        )
        headers = [
            _("机构名称"),
            _("机构类别"),
            _("等级"),
            _("隶属关系"),
            _("所在地"),
            _("科室数"),
            _("人员数"),
        ]
        rows = (
            [
                i.name,
                i.get_kind_display(),
                i.get_grade_display(),
                i.get_relation_display(),
                i.region.full_name if i.region.parent_id is None else str(i.region),
                i.department_count,
                i.staff_count,
            ]
            for i in institutions
        )
        return xlsx_response("医疗机构.xlsx", _("医疗机构"), headers, rows)
    page = Paginator(institutions, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "org/institution_list.html",
        {
            "page_obj": page,
            "relation": relation,
            "kind": kind,
            "q": q,
            "relations": Institution.Relation.choices,
            "kinds": Institution.Kind.choices,
            "querystring_base": querystring.urlencode() + "&" if querystring else "",
            "export_query": querystring.urlencode(),
        },
    )


@login_required
def institution_detail(request, pk):
    require(request.user, "org.view")
    institution = queries.institution_for(request.user, pk)
    return render(
        request,
        "org/institution_detail.html",
        {
            "institution": institution,
            "departments": queries.departments_of(request.user, institution),
            "designations": queries.designations_of(request.user, institution),
        },
    )
