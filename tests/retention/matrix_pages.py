"""retention's pages' cases of the scope matrix (records: `matrix.build`)."""

CASES: dict[str, object] = {}
PAGE_KWARGS: dict[str, object] = {}
