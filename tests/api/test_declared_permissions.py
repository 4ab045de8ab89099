"""Every routed API action names the permission it needs (`permissions`, "" for one that
checks by what is posted); an action that names none is refused to everyone, so a new
action cannot go out unchecked."""

from django.urls import URLResolver, get_resolver
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from yicai.api.base import ApiView


def _routed(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _routed(entry.url_patterns, prefix + str(entry.pattern))
        elif getattr(entry.callback, "actions", None) is not None:
            yield prefix + str(entry.pattern), entry.callback


def test_every_routed_action_declares_its_permission():
    undeclared = [
        f"{route} {method.upper()} → {view.cls.__name__}.{action}"
        for route, view in _routed()
        for method, action in view.actions.items()
        if action not in getattr(view.cls, "permissions", {})
    ]
    assert undeclared == []
    assert len(list(_routed())) > 90  # the walk reaches the API (97 routes today)


class _Undeclared(ApiView):
    permissions = {"retrieve": ""}

    def list(self, request):
        return Response({"listed": True})

    def retrieve(self, request, pk=None):
        return Response({"read": pk})


def test_an_action_that_names_no_permission_is_refused_to_everyone(world):
    factory = APIRequestFactory()
    for action, kwargs, expected in (("list", {}, 403), ("retrieve", {"pk": "7"}, 200)):
        view = _Undeclared.as_view({"get": action})
        request = factory.get("/api/v1/undeclared/")
        force_authenticate(request, user=world.commission)
        assert view(request, **kwargs).status_code == expected, action
