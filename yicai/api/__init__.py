"""The project's REST API layer, shared by every app that has an API: the base view, service
calls and base serializers (`base`), the serializer fields (`fields`), the schema's shared
pieces (`schema`), the record viewset a domain declares its records on (`records`), the route
helpers an app's `api_urls.py` uses (`routes`) and the URLconf that collects them (`urls`).
It imports `access`, the project's helpers, DRF and drf-spectacular, never a domain app."""
