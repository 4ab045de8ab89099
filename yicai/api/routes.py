"""What an app's `api_urls.py` maps its viewsets with (see `yicai.api.urls`)."""

# Ids are matched loosely ([^/]+) so that a malformed one is the API's JSON 404, not a page.
ID = "<str:pk>"
COLLECTION = {"get": "list", "post": "create"}
MEMBER = {"get": "retrieve", "put": "update", "patch": "partial_update"}
RECORDS = {"get": "list", "post": "create"}
RECORD = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
READ = {"get": "retrieve"}
