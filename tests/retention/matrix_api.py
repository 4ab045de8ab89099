"""retention's API cases of the scope matrix (records: `matrix.build`)."""

CASES: dict[str, object] = {}
KWARGS: dict[str, object] = {}
