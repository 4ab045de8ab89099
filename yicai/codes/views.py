"""Code tables: everyone signed in may read them; the commission extends them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.forms import bootstrap
from yicai.access.scope import has_perm, require
from yicai.codes import services
from yicai.codes.models import Code, CodeTable, Synonym
from yicai.web.listing import Export, ListPermissions, exported
from yicai.web.views import form_page


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("代码"), max_length=40)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=80)
    parent: "forms.ModelChoiceField[Code]" = forms.ModelChoiceField(
        label=gettext_lazy("上级代码"), queryset=None, required=False
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, table, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = table.codes.filter(parent__isnull=True)
        bootstrap(self)


class SynonymForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("写法"), max_length=80)
    code: "forms.ModelChoiceField[Code]" = forms.ModelChoiceField(
        label=gettext_lazy("对应代码"), queryset=None
    )
    personnel_category: "forms.ModelChoiceField[Code]" = forms.ModelChoiceField(
        label=gettext_lazy("仅限从事专业类别"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("同一写法因从事专业类别而异时选择，如“副主任”对护士是副主任护师。"),
    )

    def __init__(self, table, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = table.codes.filter(active=True).order_by("sort", "code")
        self.fields["code"].label_from_instance = lambda code: f"{code.code} {code.name}"
        self.fields["personnel_category"].queryset = Code.objects.filter(
            table__key="personnel_category", active=True
        )
        self.fields["personnel_category"].label_from_instance = lambda code: code.name
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


# The code tables are national standards and shared dictionaries: whoever may read them may
# export them.
CODES = ListPermissions(view="org.view")


@login_required
def table_detail(request, key):
    require(request.user, "org.view")
    table = get_object_or_404(CodeTable, key=key)
    codes = table.codes.select_related("parent").order_by("sort", "code")
    export = Export(
        _("代码表-%s") % table.name, CODE_HEADERS, code_rows, _("导出代码表：%s") % table.name
    )
    if response := exported(request, CODES, export, lambda _permission: codes):
        return response
    can_manage = has_perm(request.user, "codes.manage")
    posted = request.POST if request.method == "POST" else None
    adding_synonym = posted is not None and "synonym-text" in posted
    form = CodeForm(table, None if adding_synonym else posted)
    synonym_form = SynonymForm(table, posted if adding_synonym else None, prefix="synonym")

    def page() -> HttpResponse:
        context = {
            "table": table,
            "codes": codes,
            "form": form,
            "synonyms": table.synonyms.select_related("code", "personnel_category"),
            "synonym_form": synonym_form,
            "can_manage": can_manage,
        }
        return render(request, "codes/table_detail.html", context)

    if request.method != "POST":
        return page()
    require(request.user, "codes.manage")
    if adding_synonym:
        posted_form, add, done = synonym_form, services.synonym_add, _("已添加同义写法。")
    else:
        posted_form, add, done = form, services.code_add, _("已添加代码。")
    return form_page(
        request,
        posted_form,
        page,
        save=lambda values: add(table=table, **values),
        message=done,
        then=lambda _added: redirect("codes:detail", table.key),
    )


@login_required
@require_POST
def synonym_delete(request, key, pk):
    require(request.user, "codes.manage")
    synonym = get_object_or_404(Synonym, table__key=key, pk=pk)
    services.synonym_delete(synonym=synonym)
    messages.success(request, _("已删除同义写法“%s”。") % synonym.text)
    return redirect("codes:detail", key)


@login_required
@require_POST
def code_toggle(request, key, pk):
    require(request.user, "codes.manage")
    code = get_object_or_404(Code, table__key=key, pk=pk)
    services.code_set_active(code=code, active=not code.active)
    return redirect("codes:detail", key)
