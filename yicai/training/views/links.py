"""One-time confirmation links for visits and evaluations (case logs have theirs on the case
list), and recording a mentor's evaluation of an apprentice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import require
from yicai.training.forms.evaluations import EvaluationForm
from yicai.training.queries.activity import visit_for
from yicai.training.queries.evaluations import evaluation_for
from yicai.training.queries.mentoring import mentorship_for
from yicai.training.services.evaluations import evaluation_record
from yicai.training.services.mentoring import confirmation_link_create
from yicai.web.views import acted, refusal


def link_page(request, record, back: str, **target):
    """A new one-time confirmation link for `record`, shown once to be sent on; `back` is
    where its page (or a refusal) leads."""
    try:
        token = confirmation_link_create(user=request.user, **target)
    except ValidationError as error:
        messages.error(request, refusal(error))
        return redirect(back)
    url = request.build_absolute_uri(reverse("training:confirm", args=[token]))
    context = {"record": record, "url": url, "back": back}
    return render(request, "training/link_created.html", context)


@login_required
@require_POST
def visit_link(request, pk):
    """A link for the expert to confirm they held the visit."""
    require(request.user, "training.edit")
    visit = visit_for(request.user, pk, "training.edit")
    return link_page(request, visit, reverse("training:visits"), visit=visit)


@login_required
@require_POST
def evaluation_create(request, pk):
    require(request.user, "training.edit")
    mentorship = mentorship_for(request.user, pk, "training.edit")
    form = EvaluationForm(mentorship, request.POST)
    if form.is_valid():
        acted(
            request,
            lambda: evaluation_record(user=request.user, **form.cleaned_data),
            _("已登记带教评价，可生成链接请导师确认。"),
        )
    else:
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
    return redirect("training:mentorship", mentorship.pk)


@login_required
@require_POST
def evaluation_link(request, pk):
    """A link for the mentor to confirm the evaluation recorded in their name."""
    require(request.user, "training.edit")
    evaluation = evaluation_for(request.user, pk, "training.edit")
    back = reverse("training:mentorship", args=[evaluation.apprenticeship.mentorship_id])
    return link_page(request, evaluation, back, evaluation=evaluation)
