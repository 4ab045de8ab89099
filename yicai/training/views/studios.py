"""Expert studios: the list with the year's figures, one studio with its members and yearly
money, and the commission's subsidy table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.training.exports.studios import STUDIO_HEADERS, studio_rows
from yicai.training.forms.studios import (
    StudioFilterForm,
    StudioForm,
    StudioFundingForm,
    StudioMemberForm,
    SubsidyForm,
)
from yicai.training.models import StudioTier
from yicai.training.queries import studios as studios_queries
from yicai.training.queries.studios import (
    studio_figures,
    studio_for,
    studio_funding_for,
    studio_fundings,
    studio_member_for,
    studio_members,
    studios_for,
    subsidy_table,
)
from yicai.training.services import studios as studios_services
from yicai.training.services.studios import (
    STUDIO_FIELDS,
    studio_create,
    studio_funding_record,
    studio_funding_update,
    studio_subsidies_set,
    studio_update,
)
from yicai.training.views import TRAINING
from yicai.validation import apply_errors
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import form_page


@login_required
def studio_list(request):
    def extra(_listing, _filters):
        figures = studio_figures(request.user, timezone.localdate().year)
        return {
            "figures": figures,
            "tier_counts": [(label, figures["by_tier"][t]) for t, label in StudioTier.choices],
            "money": {
                "due": f"{figures['subsidy_due']:,.0f}",
                "recorded": f"{figures['funding_recorded']:,.0f}",
            },
            "can_edit": has_perm(request.user, "training.edit"),
        }

    export = Export(_("名医工作室"), STUDIO_HEADERS, studio_rows, _("导出名医工作室"))
    form = StudioFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/studio_list.html",
        form,
        studios_queries.studio_list,
        export,
        extra,
    )


def _money(amount) -> str | None:
    """An amount in yuan as the pages show money: 80,000 or 75,000.50."""
    if amount is None:
        return None
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


@login_required
def studio_detail(request, pk):
    require(request.user, "training.view")
    studio = studio_for(request.user, pk)
    context = {
        "studio": studio,
        "members": studio_members(studio),
        "fundings": [(item, _money(item.amount)) for item in studio_fundings(studio)],
        "subsidy": next(
            (_money(row["amount"]) for row in subsidy_table() if row["tier"] == studio.tier),
            None,
        ),
        "can_edit": may(request.user, "training.edit", studios_for, studio.pk),
    }
    return render(request, "training/studio_detail.html", context)


@login_required
def studio_edit(request, pk=None):
    require(request.user, "training.edit")
    studio = studio_for(request.user, pk, "training.edit") if pk else None
    initial = initial_from(studio, STUDIO_FIELDS) if studio else None
    form = StudioForm(request.user, request.POST or None, initial=initial, studio=studio)
    return form_page(
        request,
        form,
        "training/studio_form.html",
        {"studio": studio},
        save=lambda values: (
            studio_update(studio=studio, **values) if studio else studio_create(**values)
        ),
        message=lambda saved: _("已保存名医工作室：%s") % saved.name,
        then=lambda saved: redirect("training:studio", saved.pk),
        reread=studio,
    )


@login_required
def studio_member_add(request, pk):
    require(request.user, "training.edit")
    studio = studio_for(request.user, pk, "training.edit")
    form = StudioMemberForm(
        request.user, request.POST or None, initial={"joined_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        "training/studio_member_form.html",
        {"studio": studio},
        save=lambda values: studios_services.studio_member_add(studio=studio, **values),
        message=lambda member: _("已加入工作室：%s") % member.person.name,
        then=lambda _member: redirect("training:studio", studio.pk),
    )


@login_required
@require_POST
def studio_member_remove(request, pk, member_pk):
    require(request.user, "training.edit")
    member = studio_member_for(request.user, pk, member_pk, "training.edit")
    studios_services.studio_member_remove(member=member)
    messages.success(request, _("已移出工作室：%s") % member.person.name)
    return redirect("training:studio", pk)


@login_required
def studio_funding_edit(request, pk, funding_pk=None):
    """Record a year's money for a studio (by default its tier's subsidy), or correct the
    amount recorded."""
    require(request.user, "training.edit")
    studio = studio_for(request.user, pk, "training.edit")
    funding = None
    if funding_pk is not None:
        funding = studio_funding_for(request.user, pk, funding_pk, "training.edit")
    form = StudioFundingForm(
        request.POST or None,
        initial={"amount": funding.amount, "note": funding.note} if funding else None,
        funding=funding,
    )
    return form_page(
        request,
        form,
        "training/studio_funding_form.html",
        {"studio": studio, "funding": funding},
        save=lambda values: (
            studio_funding_update(funding=funding, **values)
            if funding
            else studio_funding_record(studio=studio, **values)
        ),
        message=lambda saved: _("已保存 %(year)d 年度经费。") % {"year": saved.year},
        then=lambda _saved: redirect("training:studio", studio.pk),
    )


@login_required
def studio_subsidies(request):
    """The yearly subsidy per tier: everyone who sees studios reads it; the commission sets
    it, all tiers at once."""
    require(request.user, "training.view")
    can_configure = has_perm(request.user, "training.configure")
    if request.method == "POST":
        require(request.user, "training.configure")
    table = subsidy_table()
    form = None
    if can_configure:
        initial = {f"amount_{row['tier']}": row["amount"] for row in table}
        form = SubsidyForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                studio_subsidies_set(amounts=form.amounts())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("已保存名医工作室经费标准。"))
                return redirect("training:studio_subsidies")
    rows = [{**row, "display": _money(row["amount"])} for row in table]
    context = {"table": rows, "form": form}
    return render(request, "training/studio_subsidies.html", context)
