"""What an app's `api_urls.py` maps its viewsets with (see `yicai.api.urls`)."""

from typing import TYPE_CHECKING, Any, Final, TypeAlias

if TYPE_CHECKING:  # the stubs' type of an @action method; DRF has no such name at run time
    from rest_framework.decorators import ViewSetAction

# The `actions` argument of `ViewSetMixin.as_view`, typed as the stubs type it (dict is
# invariant, so a plain dict[str, str] would not be accepted).
Actions: TypeAlias = "dict[str, str | ViewSetAction[Any]]"

# Ids are matched loosely ([^/]+) so that a malformed one is the API's JSON 404, not a page.
ID: Final = "<str:pk>"
COLLECTION: Final[Actions] = {"get": "list", "post": "create"}
MEMBER: Final[Actions] = {"get": "retrieve", "put": "update", "patch": "partial_update"}
RECORDS: Final[Actions] = {"get": "list", "post": "create"}
RECORD: Final[Actions] = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
READ: Final[Actions] = {"get": "retrieve"}
