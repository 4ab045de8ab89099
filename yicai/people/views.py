"""Person pages: the searchable list with export, the record with its timeline, and forms."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from yicai import sensitive, versions
from yicai.access.scope import has_perm, require
from yicai.pagination import keyset_context
from yicai.params import BadParameter
from yicai.people import exports, profile_pdf, queries, records, services
from yicai.people.forms import (
    CorrectionRequestForm,
    CorrectionResolveForm,
    PersonFilterForm,
    PersonForm,
)
from yicai.people.models import CorrectionRequest, Person
from yicai.validation import apply_errors
from yicai.web.listing import Export, ListPermissions, list_page
from yicai.web.views import form_page

PEOPLE = ListPermissions(view="person.view", export="person.export", edit="person.edit")


def _by_key(request, found) -> dict:
    """Pages by key with a bounded count: as quick at page 2,000 and for 王 among a million
    people as for a small hospital (yicai.pagination)."""
    return keyset_context(request, found.rows, found.order, parts=found.parts)


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request):
    require(request.user, "person.view")
    if request.method == "POST":
        # The search form posts: a full identity number is kept in the session and the URL
        # carries a token for it (?qt=), never the number (yicai.sensitive).
        query = sensitive.tokenised(request, request.POST)
        url = reverse("people:list") + (f"?{query.urlencode()}" if query else "")
        return redirect(url)
    params, expired = sensitive.resolved(request, request.GET)
    if expired:
        messages.warning(request, _("查询已过期，请重新输入查询条件。"))
    form = PersonFilterForm(request.user, params or None)
    criteria = form.criteria()

    def found(user, *, permission: str | None = None):
        # The page goes by key with a bounded count (`_by_key`); an export reads every row.
        if permission is None:
            return queries.search(user, criteria)
        return queries.search_people(user, criteria, permission)

    response = list_page(
        request,
        PEOPLE,
        "people/person_list.html",
        form,
        found,
        Export(_("人才档案"), exports.PERSON_HEADERS, exports.person_rows, _("导出人才档案")),
        lambda _listing, _filters: {"can_edit": has_perm(request.user, PEOPLE.edit)},
        filters={},  # the query has the form's criteria
        paginate=_by_key,
    )
    # The filter's own requests get the results fragment (list_page), and the address bar
    # shows this search's link (with its token, if any); the department list refresh selects
    # its part of the whole page.
    page = "Content-Disposition" not in response
    if page and request.htmx and request.htmx.target == "results":
        response["HX-Push-Url"] = request.get_full_path()
    return response


@login_required
def person_detail(request, pk):
    require(request.user, "person.view")
    # The same profile its PDF prints (person_profile_pdf).
    profile = queries.profile_for(request.user, pk)
    person = profile.person
    can_edit = queries.people_for(request.user, "person.edit").filter(pk=pk).exists()
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            # Whether the person has an account, for those who keep their record; accounts
            # themselves are the security administrator's (三员分立).
            "account": getattr(person, "user", None) if can_edit else None,
            "account_request_url": request.build_absolute_uri(
                f"{reverse('access:users')}?person={person.pk}"
            ),
            "events": profile.events,
            "educations": profile.educations,
            "titles": profile.titles,
            "licences": profile.licences,
            "appointments": profile.appointments,
            "tags": profile.tags,
            "missing": profile.missing,
            "can_edit": can_edit,
            "can_reveal": queries.people_for(request.user, "person.reveal").filter(pk=pk).exists(),
            "can_reveal_phone": queries.people_for(request.user, "person.reveal_phone")
            .filter(pk=pk)
            .exists(),
        },
    )


@login_required
def person_profile_pdf(request, pk):
    """The person's record as a PDF (个人档案): whoever may see the page may print it, with
    the numbers masked as the page shows them; every download is in the audit log."""
    require(request.user, "person.view")
    return profile_pdf.download(queries.profile_for(request.user, pk))


def _revealed(request, pk, *, permission: str, reveal, part: str, name: str):
    """The record's `part` with the number in full, as `reveal` gives it (and audits), in the
    context as `name`."""
    require(request.user, permission)
    person = queries.person_for(request.user, pk, permission)
    number = reveal(person=person)
    return render(request, f"people/person_detail.html#{part}", {"person": person, name: number})


@login_required
@require_POST
def person_reveal(request, pk):
    return _revealed(
        request,
        pk,
        permission="person.reveal",
        reveal=services.id_number_reveal,
        part="id_number",
        name="revealed",
    )


@login_required
@require_POST
def person_reveal_phone(request, pk):
    return _revealed(
        request,
        pk,
        permission="person.reveal_phone",
        reveal=services.phone_reveal,
        part="phone",
        name="revealed_phone",
    )


def _form_values(form: PersonForm) -> dict:
    values = dict(form.cleaned_data)
    for name in (
        "sex",
        "ethnicity",
        "source",
        "personnel_category",
        "practice_category",
        "political_status",
        "staffing",
        "department",
    ):
        values[name] = values.get(name) or None
    return values


@login_required
def person_create(request):
    require(request.user, "person.edit")
    form = PersonForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "people/person_form.html",
        {"person": None},
        save=lambda _values: services.person_create(**_form_values(form)),
        message=lambda person: _("已新建人才档案：%s") % person.name,
        then=lambda person: redirect("people:detail", person.pk),
    )


@login_required
def person_edit(request, pk):
    require(request.user, "person.edit")
    person = queries.person_for(request.user, pk, "person.edit")
    initial = {name: getattr(person, name) for name in (*services.PERSON_FIELDS, "version")}
    form = PersonForm(request.user, request.POST or None, initial=initial, editing=True)

    def save(_values: dict[str, Any]) -> Person:
        values = _form_values(form)
        # Blank keeps the stored value: numbers are never sent back to the browser.
        values["id_number"] = values["id_number"] or None
        values["phone"] = values["phone"] or None
        return services.person_update(person=person, **values)

    return form_page(
        request,
        form,
        "people/person_form.html",
        {"person": person},
        save=save,
        message=_("已保存。"),
        then=lambda _saved: redirect("people:detail", person.pk),
        reread=person,
        # Refused for a stale version: the message says what changed; the user's input
        # stays, and saving again (after checking) applies it over the current version.
        refused=lambda error: versions.rebase_form(form, error),
    )


def _person_and_kind(request, pk, kind: str):
    """The person whose records the user edits, and the kind of record the URL names."""
    require(request.user, "person.edit")
    person = queries.person_for(request.user, pk, "person.edit")
    record_kind = records.KINDS.get(kind)
    if record_kind is None:
        raise Http404
    return person, record_kind


@login_required
def record_add(request, pk, kind):
    person, record_kind = _person_and_kind(request, pk, kind)
    form = records.form_for(record_kind, request.user, request.POST or None)

    def save(values: dict[str, Any]) -> object:
        given = {name: values[name] for name in record_kind.fields}
        return record_kind.add(
            person=person,
            **{name: value for name, value in given.items() if value not in ("", None)},
        )

    return form_page(
        request,
        form,
        "people/record_form.html",
        {"person": person, "kind": record_kind},
        save=save,
        message=_("已添加%s。") % record_kind.label,
        then=lambda _record: redirect("people:detail", person.pk),
    )


@login_required
def record_edit(request, pk, kind, record_pk):
    """Change a record: complete what a roster left out (a school, a date), correct a
    mistake."""
    person, record_kind = _person_and_kind(request, pk, kind)
    record = get_object_or_404(record_kind.model, pk=record_pk, person=person)
    # The form works on a copy: a refused change must not leave the record half-changed.
    form = records.form_for(
        record_kind,
        request.user,
        request.POST or None,
        instance=record_kind.model.objects.get(pk=record.pk),
    )
    return form_page(
        request,
        form,
        "people/record_form.html",
        {"person": person, "kind": record_kind, "editing": True},
        save=lambda values: services.record_update(
            record=record,
            version=values["version"],
            **{name: values[name] for name in record_kind.fields},
        ),
        message=_("已保存%s。") % record_kind.label,
        then=lambda _record: redirect("people:detail", person.pk),
        refused=lambda error: versions.rebase_form(form, error),
    )


@login_required
@require_POST
def record_delete(request, pk, kind, record_pk):
    person, record_kind = _person_and_kind(request, pk, kind)
    record = get_object_or_404(record_kind.model, pk=record_pk, person=person)
    services.record_delete(record=record)
    messages.success(request, _("已删除%s。") % record_kind.label)
    return redirect("people:detail", person.pk)


# Correction requests (PIPL art. 46): a person files one about their own record, HR of their
# institution resolves it.
CORRECTION_STATUSES = {"pending", "accepted", "rejected", "all"}


CORRECTION_HEADERS = [
    _lazy("人员"),
    _lazy("所在机构"),
    _lazy("更正事项"),
    _lazy("有误的内容"),
    _lazy("应更正为"),
    _lazy("申请时间"),
    _lazy("状态"),
    _lazy("处理意见"),
    _lazy("处理时间"),
]


def _correction_rows(rows):
    for correction in rows.iterator(chunk_size=2000):
        yield [
            correction.person.name,
            correction.person.institution.name,
            correction.get_topic_display(),
            correction.wrong,
            correction.correct,
            f"{timezone.localtime(correction.created_at):%Y-%m-%d %H:%M}",
            correction.get_status_display(),
            correction.resolution,
            f"{timezone.localtime(correction.resolved_at):%Y-%m-%d %H:%M}"
            if correction.resolved_at
            else "",
        ]


CORRECTIONS = ListPermissions(view="person.edit", export="person.export")
OWN = ListPermissions(view=None)  # one's own requests: whoever has signed in


@login_required
def corrections(request):
    """HR's list: the requests about people they may edit, pending first by default."""
    require(request.user, "person.edit")
    status = request.GET.get("status", "pending")
    if status not in CORRECTION_STATUSES:
        raise BadParameter("status", _("参数 status 只能是 pending、accepted、rejected 或 all。"))

    def rows(user, *, permission: str | None = None):
        # Exported as the page lists them: the requests about people the user may edit.
        return queries.corrections_to_resolve(user, "" if status == "all" else status)

    return list_page(
        request,
        CORRECTIONS,
        "people/corrections.html",
        None,
        rows,
        Export(_("信息更正申请"), CORRECTION_HEADERS, _correction_rows, _("导出信息更正申请")),
        lambda _listing, _filters: {
            "status": status,
            "statuses": CorrectionRequest.Status.choices,
        },
        fragment=None,
    )


@login_required
def corrections_mine(request):
    """The requests about the user's own record, with their outcome."""
    return list_page(
        request,
        OWN,
        "people/corrections_mine.html",
        None,
        queries.corrections_of_own,
        extra=lambda _listing, _filters: {"has_person": request.user.person_id is not None},
        fragment=None,
    )


@login_required
def correction_create(request):
    has_person = request.user.person_id is not None
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST" and has_person and form.is_valid():
        try:
            services.correction_request_file(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("更正申请已提交，人事部门处理后您可以在这里看到结果。"))
            return redirect("people:corrections_mine")
    return render(request, "people/correction_form.html", {"form": form, "has_person": has_person})


@login_required
def correction_detail(request, pk):
    correction = queries.correction_for(request.user, pk)
    can_resolve = (
        correction.status == CorrectionRequest.Status.PENDING
        and correction.person_id != request.user.person_id
        and queries.corrections_to_resolve(request.user).filter(pk=pk).exists()
    )
    form = CorrectionResolveForm(request.POST or None)
    if request.method == "POST":
        if not can_resolve:
            raise PermissionDenied
        if form.is_valid():
            accept = request.POST.get("decision") == "accept"
            try:
                services.correction_request_resolve(
                    user=request.user,
                    correction=correction,
                    accept=accept,
                    resolution=form.cleaned_data["resolution"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if accept:
                    messages.success(request, _("已采纳。请在档案中更正相应内容。"))
                else:
                    messages.success(request, _("已回复申请人：未采纳。"))
                return redirect("people:correction", pk)
    return render(
        request,
        "people/correction_detail.html",
        {
            "correction": correction,
            "form": form,
            "can_resolve": can_resolve,
            "can_edit_person": can_resolve
            or queries.people_for(request.user, "person.edit")
            .filter(pk=correction.person_id)
            .exists(),
        },
    )
