"""evaluation's part of the scope matrix (collected by `tests.builders.app_matrices`): A's
cardiology's interventional procedures of 2023, which A keeps and the cardiology head reads;
the discipline page of A's cardiology."""

from tests.scope_tables import A_INSTITUTION_EDIT, EDITS_INSTITUTIONS, HR, only, rows
from yicai.evaluation.services.disciplines import figure_set

# A's figure, and its department's page: A's keepers and the commission, and A's cardiology
# head reading; B's administrator gets a 404.
_A_READ = rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a")
_API_A_READ = rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", anonymous=401)


def build(records, world) -> None:
    records.figure = figure_set(
        by=None,
        department=world.a_cardiology,
        year=2023,
        measure="interventions",
        value=1200,
    ).figure


PAGE_KWARGS = {
    "evaluation:figure": lambda r: {"pk": r.figure.pk},
    "evaluation:figure_edit": lambda r: {"pk": r.figure.pk},
    "evaluation:figure_delete": lambda r: {"pk": r.figure.pk},
    "evaluation:discipline": lambda r: {"pk": r.figure.department_id},
}
CASES = {
    "evaluation:figures": only(*HR, "dept_head"),
    "evaluation:figure_create": only(*HR),
    "evaluation:figure": _A_READ,
    "evaluation:figure_edit": A_INSTITUTION_EDIT,
    "evaluation:figure_delete": rows(EDITS_INSTITUTIONS, "a", status=302, method="post"),
    "evaluation:discipline": _A_READ,
    "api-evaluation-figures": only(*HR, "dept_head", anonymous=401),
    "api-evaluation-figure": _API_A_READ,
    "api-evaluation-discipline-series": _API_A_READ,
}
KWARGS = {
    "api-evaluation-figure": lambda r: {"pk": r.figure.pk},
    "api-evaluation-discipline-series": lambda r: {"pk": r.figure.department_id},
}
