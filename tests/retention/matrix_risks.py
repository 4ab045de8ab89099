"""The attrition-risk page's cases of the scope matrix: the commission's and the institutions'
administrators, each over the people they keep; a department head and everyone else 403."""

from tests.scope_tables import HR, only

CASES = {"retention:risks": only(*HR)}
PAGE_KWARGS: dict[str, object] = {}
KWARGS: dict[str, object] = {}
