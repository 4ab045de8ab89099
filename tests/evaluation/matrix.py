"""evaluation's part of the scope matrix (collected by `tests.builders.app_matrices`).

The commission's region holds a draft (its weights sum to 50, so publishing it is refused)
and a published scheme that assesses A's cardiologist (hospital A's, its cardiology head's
and her own to see), with an appeal open on her total. The commission's account is the
manual indicator's reviewer, and has scored it with a PDF as evidence. Deletions are posted
to the published scheme's rows, so they are refused alike (302 with the message) for
whoever reaches them and change nothing.

A's cardiology's interventional procedures of 2023, which A keeps and the cardiology head
reads; the discipline page of A's cardiology."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.evaluation.builders import appealed, published, visits_scheme
from tests.scope_tables import A_INSTITUTION_EDIT, EDITS_INSTITUTIONS, HR, SEES_PEOPLE, only, rows
from yicai.evaluation.models import Indicator
from yicai.evaluation.services import schemes as services
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
    region = world.a.commission_region
    draft, records.draft_indicator = visits_scheme(region, name="草稿方案")
    services.indicator_save(
        scheme=draft, by=None, indicator=records.draft_indicator, weight=Decimal(50)
    )
    records.draft = draft
    growth = services.indicator_save(
        scheme=draft, by=None, name="徒弟成长", weight=Decimal(20), source=Indicator.Source.LINKED
    )
    surgeon = services.subject_add(scheme=draft, by=None, person=world.a_surgeon)
    scheme, records.indicator = visits_scheme(region, reviewer=world.commission)
    records.manual = scheme.indicators.get(source=Indicator.Source.MANUAL)
    [records.subject] = published(scheme, world.a_doctor)
    records.scheme = scheme
    records.appeal = appealed(records.subject)
    # The reviewer rescores under the open appeal, with a PDF as evidence.
    services.manual_score_set(
        subject=records.subject,
        indicator=records.manual,
        value=Decimal(8),
        by=world.commission,
        evidence=SimpleUploadedFile("评分依据.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    records.link = services.link_add(
        subject=surgeon, indicator=growth, linked=records.subject, by=None
    )


_VIEWERS = ("commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee")
# A's cardiologist's subject: the commission, A, A's cardiology head and herself.
_SUBJECT = rows(SEES_PEOPLE, "a_doctor")
_SUBJECT_POST = rows(SEES_PEOPLE, "a_doctor", status=400, method="post")
_REFUSED = only("commission", status=302, method="post")

PAGE_KWARGS = {
    "api-evaluation-figure": lambda r: {"pk": r.figure.pk},
    "api-evaluation-discipline-series": lambda r: {"pk": r.figure.department_id},
    "evaluation:figure": lambda r: {"pk": r.figure.pk},
    "evaluation:figure_edit": lambda r: {"pk": r.figure.pk},
    "evaluation:figure_delete": lambda r: {"pk": r.figure.pk},
    "evaluation:discipline": lambda r: {"pk": r.figure.department_id},
    "evaluation:scheme": lambda r: {"pk": r.scheme.pk},
    "evaluation:scheme_edit": lambda r: {"pk": r.draft.pk},
    "evaluation:scheme_sheets": lambda r: {"pk": r.scheme.pk},
    "evaluation:scheme_publish": lambda r: {"pk": r.draft.pk},
    "evaluation:scheme_copy": lambda r: {"pk": r.scheme.pk},
    "evaluation:indicator_add": lambda r: {"pk": r.draft.pk},
    "evaluation:subject_add": lambda r: {"pk": r.draft.pk},
    "evaluation:link_add": lambda r: {"pk": r.draft.pk},
    "evaluation:link_delete": lambda r: {"pk": r.link.pk},
    "evaluation:indicator_edit": lambda r: {"pk": r.draft_indicator.pk},
    "evaluation:indicator_delete": lambda r: {"pk": r.indicator.pk},
    "evaluation:subject": lambda r: {"pk": r.subject.pk},
    "evaluation:subject_delete": lambda r: {"pk": r.subject.pk},
    "evaluation:appeal_file": lambda r: {"pk": r.subject.pk},
    "evaluation:cell": lambda r: {"pk": r.subject.pk, "indicator": r.indicator.pk},
    "evaluation:manual_score": lambda r: {"pk": r.subject.pk, "indicator": r.manual.pk},
    "evaluation:evidence": lambda r: {"pk": r.subject.pk, "indicator": r.manual.pk},
    "evaluation:appeal_resolve": lambda r: {"pk": r.appeal.pk},
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
    "evaluation:schemes": only(*_VIEWERS),
    "evaluation:scheme_create": only("commission"),
    "evaluation:scheme_edit": only("commission"),
    "evaluation:scheme": only(*_VIEWERS),
    "evaluation:scheme_sheets": only(*_VIEWERS),
    "evaluation:indicator_edit": only("commission"),
    "evaluation:subject": _SUBJECT,
    "evaluation:cell": _SUBJECT,
    # The evidence: whoever sees the subject's sheet (the commission is also its reviewer).
    "evaluation:evidence": _SUBJECT,
    "evaluation:reviews": only(*_VIEWERS, "auditor", "security", "nobody"),
    "evaluation:appeals": only(*_VIEWERS),
    # Posted empty: the forms come back with their errors (400); publishing a draft whose
    # weights do not add up, deleting from a published scheme: refused with a message (302).
    "evaluation:indicator_add": only("commission", status=400, method="post"),
    "evaluation:subject_add": only("commission", status=400, method="post"),
    "evaluation:scheme_copy": only("commission", status=400, method="post"),
    "evaluation:scheme_publish": _REFUSED,
    "evaluation:indicator_delete": _REFUSED,
    "evaluation:subject_delete": _REFUSED,
    "evaluation:link_add": only("commission", status=400, method="post"),
    "evaluation:link_delete": only("commission", status=302, method="post"),
    "evaluation:appeal_file": _SUBJECT_POST,
    "evaluation:appeal_resolve": only("commission", status=400, method="post"),
    # Only the manual indicator's named reviewer reaches it: every other account a 404.
    "evaluation:manual_score": only("commission", status=400, method="post", others=404),
}
_API_VIEWERS = only(*_VIEWERS, anonymous=401)
_API_SUBJECT = rows(SEES_PEOPLE, "a_doctor", anonymous=401)
CASES.update(
    {
        "api-evaluation-schemes": _API_VIEWERS,
        "api-evaluation-scheme": _API_VIEWERS,
        "api-evaluation-scheme-sheets": _API_VIEWERS,
        # The draft's weights do not add up: refused, 400, with the problems said.
        "api-evaluation-scheme-publish": only(
            "commission", status=400, method="post", anonymous=401
        ),
        "api-evaluation-subject": _API_SUBJECT,
        # An empty appeal (no reason): 400 for whoever sees the subject.
        "api-evaluation-subject-appeal": rows(
            SEES_PEOPLE, "a_doctor", status=400, method="post", anonymous=401
        ),
        "api-evaluation-appeals": _API_VIEWERS,
        "api-evaluation-appeal": _API_SUBJECT,
        "api-evaluation-appeal-resolve": only(
            "commission", status=400, method="post", anonymous=401
        ),
    }
)
KWARGS = {
    "api-evaluation-figure": lambda r: {"pk": r.figure.pk},
    "api-evaluation-discipline-series": lambda r: {"pk": r.figure.department_id},
    "api-evaluation-scheme": lambda r: {"pk": r.scheme.pk},
    "api-evaluation-scheme-sheets": lambda r: {"pk": r.scheme.pk},
    "api-evaluation-scheme-publish": lambda r: {"pk": r.draft.pk},
    "api-evaluation-subject": lambda r: {"pk": r.subject.pk},
    "api-evaluation-subject-appeal": lambda r: {"pk": r.subject.pk},
    "api-evaluation-appeal": lambda r: {"pk": r.appeal.pk},
    "api-evaluation-appeal-resolve": lambda r: {"pk": r.appeal.pk},
}
