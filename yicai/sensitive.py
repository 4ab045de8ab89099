"""Full identity numbers stay out of URLs and logs.

A URL ends up in access logs, proxies' logs, browser history and Referer headers, so a search
by a full number is posted, never sent as `?q=`: the page keeps the term in the session under
a short random token and redirects to `?qt=<token>` (paging, filters and export links carry
the token). Short terms (a name, the last four digits) stay in `?q=`. Every log line Yicai
writes goes through `MaskNumbers`, which keeps only the last four digits of a long number.
"""

import logging
import secrets
from collections.abc import Container

from django.http import HttpRequest, QueryDict

from yicai.masking import has_long_number, last_four_only

TERM_PARAM = "qt"
_SESSION_KEY = "yicai_search_terms"
_KEPT = 20  # tokens a session keeps: the latest searches' links keep working


def keep(request: HttpRequest, term: str) -> str:
    """Keep a search term in the session; the token stands for it in URLs."""
    terms = dict(request.session.get(_SESSION_KEY, {}))
    for token, kept in terms.items():
        if kept == term:
            return str(token)
    token = secrets.token_urlsafe(9)
    terms[token] = term
    request.session[_SESSION_KEY] = dict(list(terms.items())[-_KEPT:])
    return token


def recall(request: HttpRequest, token: str) -> str | None:
    kept: str | None = request.session.get(_SESSION_KEY, {}).get(token)
    return kept


def tokenised(
    request: HttpRequest,
    data: QueryDict,
    field: str = "q",
    drop: Container[str] = ("csrfmiddlewaretoken",),
) -> QueryDict:
    """The posted search as a query string's parameters: empty values left out, and `field`
    replaced by a token when it holds a long number."""
    query = QueryDict(mutable=True)
    for name, values in data.lists():
        if name in drop or name == TERM_PARAM:
            continue
        values = [value for value in values if value.strip()]
        if values:
            query.setlist(name, values)
    term = query.get(field, "").strip()
    if has_long_number(term):
        del query[field]
        query[TERM_PARAM] = keep(request, term)
    return query


def resolved(request: HttpRequest, params: QueryDict, field: str = "q") -> tuple[QueryDict, bool]:
    """The request's parameters with a token turned back into its term, for the form; and
    whether a token was given that the session no longer knows (the search must be typed
    again)."""
    token = params.get(TERM_PARAM)
    if not token:
        return params, False
    result = params.copy()
    del result[TERM_PARAM]
    term = recall(request, token)
    if term is not None:
        result[field] = term
    return result, term is None


class MaskNumbers(logging.Filter):
    """A log filter: long digit runs in the message (a URL's query string, an error) keep only
    their last four digits. Installed on every handler (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logged as it is
            return True
        masked = last_four_only(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
