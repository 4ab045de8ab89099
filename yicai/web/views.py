"""What every app's page views do the same way: a form posted and saved through a service
(its refusal shown on the form), a one-click action, and where to go back to.

A create or edit page:

    form = StudioForm(request.user, request.POST or None, initial=..., studio=studio)
    return form_page(
        request, form, "training/studio_form.html", {"studio": studio},
        save=lambda values: studio_update(studio=studio, **values),
        message=lambda saved: _("已保存名医工作室：%s") % saved.name,
        then=lambda saved: redirect("training:studio", saved.pk),
        reread=studio,
    )
"""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yicai.access.scope import require
from yicai.validation import apply_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")


def refusal(error: ValidationError) -> str:
    """A service's refusal in one line, for a message above the page."""
    return "；".join(error.messages)


def _text(message: "StrOrPromise | Callable[[T], StrOrPromise]", result: T) -> "StrOrPromise":
    return message(result) if callable(message) else message


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    page: str | Callable[[], HttpResponseBase],
    context: Mapping[str, Any] | None = None,
    *,
    save: Callable[[dict[str, Any]], T],
    message: "StrOrPromise | Callable[[T], StrOrPromise]",
    then: Callable[[T], HttpResponseBase],
    reread: models.Model | None = None,
    refused: Callable[[ValidationError], object] | None = None,
) -> HttpResponseBase:
    """A page with a form saved through a service: a valid POST calls `save(values)`, says
    `message` and answers `then(saved)`.

    A service's refusal (ValidationError) shows on the form's fields; `reread` (the record
    the form edits) is read again, since a service may have changed it before refusing and
    the page names it as it is saved; `refused(error)` does what else the page needs. A GET,
    an invalid form or a refusal shows the page: `page` is its template (given the form and
    `context`), or a function that answers it (a detail page holding the form among others)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            if reread is not None:
                reread.refresh_from_db()
            if refused is not None:
                refused(error)
        else:
            messages.success(request, _text(message, saved))
            return then(saved)
    if callable(page):
        return page()
    return render(request, page, {"form": form, **(context or {})})


def page_with_forms(
    template: str, context: Callable[..., Mapping[str, Any]]
) -> Callable[..., HttpResponse]:
    """A detail page that holds forms: `page(request, record, status=200, **forms)` shows
    `template` with `context(request, record, **forms)`, where the forms given (bound, with
    their errors) stand in for fresh ones."""

    def page(request: HttpRequest, record: Any, status: int = 200, **forms: Any) -> HttpResponse:
        return render(request, template, context(request, record, **forms), status=status)

    return page


def acted(
    request: HttpRequest,
    action: Callable[[], T],
    message: "StrOrPromise | Callable[[T], StrOrPromise]",
) -> bool:
    """A one-click action (a button without a form to redisplay): its success said as
    `message`, a service's refusal as an error above the page. Whether it was done."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, refusal(error))
        return False
    messages.success(request, _text(message, result))
    return True


def next_url(request: HttpRequest) -> str:
    """Where to go back to after saving (?next= or the form's `next`): a page of this site
    (the calendar, say), or ''."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target.startswith("/") and allowed else ""


def step_view(
    *,
    permission: str,
    find: Callable[[Any, Any, str], models.Model],
    page: Callable[..., HttpResponse],
    then: str,
) -> Callable[..., Callable[[HttpRequest, int], HttpResponseBase]]:
    """The steps posted from one kind of record's page, each through one of its forms, the
    service doing the step: `step(form_name, form_class, act, message)` is a view that finds
    the record (`find(user, pk, permission)`), calls `act(request, record, values)`, says
    `message` and goes back to `then` (the record's page, by its pk); refused, the page again
    (`page(request, record, status=400, **{form_name: form})`) with the service's words on
    the form."""

    def step(
        form_name: str,
        form_class: type[forms.Form],
        act: Callable[[HttpRequest, Any, dict[str, Any]], Any],
        message: "StrOrPromise | Callable[[Any], StrOrPromise]",
    ) -> Callable[[HttpRequest, int], HttpResponseBase]:
        @login_required
        @require_POST
        def view(request: HttpRequest, pk: int) -> HttpResponseBase:
            require(request.user, permission)
            record = find(request.user, pk, permission)
            form = form_class(request.POST)
            return form_page(
                request,
                form,
                lambda: page(request, record, status=400, **{form_name: form}),
                save=lambda values: act(request, record, values),
                message=message,
                then=lambda _done: redirect(then, record.pk),
                reread=record,
            )

        return view

    return step
