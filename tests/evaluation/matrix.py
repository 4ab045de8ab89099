"""evaluation's part of the scope matrix (collected by `tests.builders.app_matrices`)."""


def build(records, world) -> None:
    """evaluation's records of hospital A (none yet: its pages come with them)."""


PAGE_KWARGS: dict = {}
CASES: dict = {}
KWARGS: dict = {}
