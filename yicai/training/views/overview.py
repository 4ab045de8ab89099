"""The cultivation overview page: the figures the commission reports, from the records."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from yicai.access.scope import require
from yicai.params import filter_status
from yicai.training.forms.overview import OverviewForm
from yicai.training.models import StudioTier
from yicai.training.queries.overview import overview as overview_figures


@login_required
def overview(request):
    require(request.user, "training.view")
    form = OverviewForm(request.GET or None)
    status = filter_status(form)
    values = form.cleaned_data if form.is_valid() else {}
    figures = overview_figures(request.user, **values)
    tiers = [(label, figures["studios_by_tier"][tier]) for tier, label in StudioTier.choices]
    money = {
        key: f"{figures[key]:,.0f}" for key in ("studio_subsidy_due", "studio_funding_recorded")
    }
    context = {"form": form, "figures": figures, "tiers": tiers, "money": money}
    return render(request, "training/overview.html", context, status=status)
