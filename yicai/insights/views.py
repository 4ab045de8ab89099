from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from yicai import todo
from yicai.access.models import Role
from yicai.access.scope import roles
from yicai.codes.queries import code_for
from yicai.insights.queries import home_figures
from yicai.menu import CHAIN, lacks_person, menu_for, oversees

# Roles whose work goes through the user's own person (their cases, their apprentices).
PERSONAL_ROLES = {Role.STAFF, Role.MENTOR}


@login_required
def home(request):
    """我的待办 first; the statistics, each figure a link to the list behind it, for the
    roles that oversee people; a page that says what is missing for an account without a
    role, or without the person its role works through."""
    user = request.user
    held = roles(user)
    if not held or lacks_person(user):
        context = {"no_role": not held, "sections": menu_for(user)}
        return render(request, "insights/account_incomplete.html", context)
    items = todo.items_for(user)
    context = {
        "pending": [item for item in items if not item.done],
        "done": [item for item in items if item.done],
        # A role that also works through the person (a mentor who heads a department, say).
        "unlinked": user.person_id is None and bool(held & PERSONAL_ROLES),
        "figures": None,
    }
    if oversees(user):
        figures = home_figures(user)
        context.update(figures=figures, **_dashboard_links(figures))
    return render(request, "insights/home.html", context)


def _people(**query) -> str:
    return f"{reverse('people:list')}?{urlencode(query)}"


def _dashboard_links(figures: dict) -> dict:
    """The person list behind each chart bar (for the charts' clicks and the tables beside
    them) and behind the postgraduate figure."""
    chart = figures["chart"]
    postgraduate = code_for("education", "10")
    return {
        "postgraduate_url": _people(education=postgraduate.pk) if postgraduate else "",
        "charts": {
            "institutions": [
                {"label": label, "count": n, "url": _people(institution=pk)}
                for label, n, pk in zip(
                    chart["institutions"],
                    chart["institution_counts"],
                    chart["institution_ids"],
                    strict=True,
                )
            ],
            "ages": [
                {"label": label, "count": n, "url": _people(age_band=band)}
                for label, n, band in zip(
                    chart["age_bands"], chart["age_counts"], chart["age_band_keys"], strict=True
                )
            ],
        },
    }


@login_required
def chain(request, key):
    if key not in CHAIN:
        raise Http404
    label, plans = CHAIN[key]
    return render(request, "insights/chain.html", {"label": label, "plans": plans})
