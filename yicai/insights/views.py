from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from yicai.access.scope import has_perm
from yicai.insights.navigation import CHAIN
from yicai.insights.queries import home_figures


@login_required
def home(request):
    figures = home_figures(request.user) if has_perm(request.user, "person.view") else None
    return render(request, "insights/home.html", {"figures": figures})


@login_required
def chain(request, key):
    if key not in CHAIN:
        raise Http404
    label, plans = CHAIN[key]
    return render(request, "insights/chain.html", {"label": label, "plans": plans})
