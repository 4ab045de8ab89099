"""One page of a list, with the filters carried into the page and export links."""

from django.conf import settings
from django.core.paginator import Paginator


def page_context(request, rows, per_page: int | None = None) -> dict:
    page = Paginator(rows, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    filters.pop("export", None)
    query = filters.urlencode()
    return {
        "page_obj": page,
        "querystring_base": f"{query}&" if query else "",  # for ?{{ base }}page=N
        "export_query": query,
    }
