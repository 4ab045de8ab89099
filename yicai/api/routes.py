"""What an app's `api_urls.py` maps its viewsets with (see `yicai.api.urls`)."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from django.urls import URLPattern, path
from rest_framework.viewsets import ViewSetMixin

if TYPE_CHECKING:  # the stubs' type of an @action method; DRF has no such name at run time
    from rest_framework.decorators import ViewSetAction

# The `actions` argument of `ViewSetMixin.as_view`, typed as the stubs type it (dict is
# invariant, so a plain dict[str, str] would not be accepted).
Actions: TypeAlias = "dict[str, str | ViewSetAction[Any]]"
View: TypeAlias = Callable[..., Any]

# Ids are matched loosely ([^/]+) so that a malformed one is the API's JSON 404, not a page.
ID: Final = "<str:pk>"
COLLECTION: Final[Actions] = {"get": "list", "post": "create"}
MEMBER: Final[Actions] = {"get": "retrieve", "put": "update", "patch": "partial_update"}
RECORD: Final[Actions] = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
EDIT: Final[Actions] = {"get": "retrieve", "patch": "partial_update"}
READ: Final[Actions] = {"get": "retrieve"}


def action(viewset: type[ViewSetMixin], name: str, method: str = "post") -> View:
    """The view of one action of `viewset` (a custom one, posted to, by default)."""
    return viewset.as_view({method: name})


class Routes:
    """The paths of one part of the API: each under `prefix`, named `<names>-<name>`."""

    def __init__(self, prefix: str, names: str) -> None:
        self.prefix = prefix
        self.names = names

    def __call__(self, route: str, view: View, name: str) -> URLPattern:
        return path(f"{self.prefix}/{route}", view, name=f"{self.names}-{name}")

    def records(
        self, collection: str, viewset: type[ViewSetMixin], row: str, actions: Actions
    ) -> list[URLPattern]:
        """A collection, listed and added to (`<collection>/`, named as it with "-" for "/"),
        and its rows (`<collection>/<id>/`, named `row`) with the `actions` given."""
        return [
            self(f"{collection}/", viewset.as_view(COLLECTION), collection.replace("/", "-")),
            self(f"{collection}/{ID}/", viewset.as_view(actions), row),
        ]
