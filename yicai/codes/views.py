"""Code tables: everyone signed in may read them; the commission extends them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.forms import bootstrap
from yicai.access.scope import has_perm, require
from yicai.codes import services
from yicai.codes.models import Code, CodeTable
from yicai.exchange import exports
from yicai.validation import apply_errors


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("代码"), max_length=40)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=80)
    parent = forms.ModelChoiceField(label=gettext_lazy("上级代码"), queryset=None, required=False)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, table, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = table.codes.filter(parent__isnull=True)
        bootstrap(self)


@login_required
def table_list(request):
    require(request.user, "org.view")
    tables = CodeTable.objects.annotate(size=Count("codes")).order_by("key")
    return render(request, "codes/table_list.html", {"tables": tables})


CODE_HEADERS = [
    gettext_lazy("代码"),
    gettext_lazy("名称"),
    gettext_lazy("上级代码"),
    gettext_lazy("上级名称"),
    gettext_lazy("备注"),
    gettext_lazy("状态"),
]


def code_rows(codes):
    for code in codes.iterator(chunk_size=2000):
        yield [
            code.code,
            code.name,
            code.parent.code if code.parent else "",
            code.parent.name if code.parent else "",
            code.note,
            _("启用") if code.active else _("停用"),
        ]


@login_required
def table_detail(request, key):
    require(request.user, "org.view")
    table = get_object_or_404(CodeTable, key=key)
    codes = table.codes.select_related("parent").order_by("sort", "code")
    if request.method == "GET" and (fmt := exports.requested_format(request)):
        # The code tables are national standards and shared dictionaries: whoever may read
        # them may export them.
        return exports.list_export(
            request,
            fmt,
            _("代码表-%s") % table.name,
            CODE_HEADERS,
            code_rows(codes),
            summary=_("导出代码表：%s") % table.name,
        )
    can_manage = has_perm(request.user, "codes.manage")
    form = CodeForm(table, request.POST or None)
    if request.method == "POST":
        require(request.user, "codes.manage")
        if form.is_valid():
            try:
                services.code_add(table=table, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("已添加代码。"))
                return redirect("codes:detail", table.key)
    return render(
        request,
        "codes/table_detail.html",
        {"table": table, "codes": codes, "form": form, "can_manage": can_manage},
    )


@login_required
@require_POST
def code_toggle(request, key, pk):
    require(request.user, "codes.manage")
    code = get_object_or_404(Code, table__key=key, pk=pk)
    services.code_set_active(code=code, active=not code.active)
    return redirect("codes:detail", key)
