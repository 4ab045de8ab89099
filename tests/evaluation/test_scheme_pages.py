"""The schemes' pages: drafting a scheme from the list to publication, the ranking and its
export, a subject's sheet whose every number opens the records it counts, reviewers' scores,
appeals filed and resolved, and who sees what (a draft the commission's alone; a subject's
sheet its own person's, institution's and department head's)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.conftest import login
from tests.evaluation.builders import published, visits_scheme
from yicai.evaluation.models import Appeal, Indicator, ManualScore, Scheme, Subject
from yicai.evaluation.services import schemes as services
from yicai.training.models import Visit

pytestmark = pytest.mark.django_db
IN_2025 = datetime.date(2025, 6, 3)


def visits(world, person, times):
    Visit.objects.bulk_create(
        Visit(expert=person, kind="clinic", institution=world.a, held_on=IN_2025)
        for _ in range(times)
    )


@pytest.fixture
def scheme(world):
    scheme, _leaf = visits_scheme(world.a.commission_region, reviewer=world.commission)
    visits(world, world.a_doctor, 12)
    visits(world, world.a_surgeon, 5)
    scheme.doctor, scheme.surgeon = published(
        scheme, world.a_doctor, world.a_surgeon, reviewer=world.commission, scores=("9", "6")
    )
    return scheme


def test_the_commission_drafts_a_scheme_and_publishes_it(client, world):
    login(client, world.commission)
    created = client.post(
        reverse("evaluation:scheme_create"),
        {
            "name": "2025年度专家考核",
            "cycle_start": "2025-01-01",
            "cycle_end": "2025-12-31",
            "subject_type": "expert",
        },
    )
    scheme = Scheme.objects.get(name="2025年度专家考核")
    assert created["Location"] == reverse("evaluation:scheme", args=[scheme.pk])
    add = reverse("evaluation:indicator_add", args=[scheme.pk])
    refused = client.post(
        add,
        {
            "name": "来院次数",
            "weight": "100",
            "position": "0",
            "source": "manual",
            "mode": "basic",
            "scale_max": "10",
            "reviewer": "无此人",
        },
    )
    assert refused.status_code == 400
    assert "没有该账号：无此人。" in refused.content.decode()
    client.post(
        add,
        {
            "name": "来院次数",
            "weight": "100",
            "position": "0",
            "source": "automatic",
            "mode": "basic",
            "metric": "visits_made",
            "target": "10",
        },
    )
    page = client.get(reverse("evaluation:scheme", args=[scheme.pk])).content.decode()
    assert "方案还没有考核对象" not in page and "来院次数" in page
    client.post(reverse("evaluation:subject_add", args=[scheme.pk]), {"person": world.a_surgeon.pk})
    visits(world, world.a_surgeon, 4)
    preview = client.get(reverse("evaluation:scheme_sheets", args=[scheme.pk])).content.decode()
    assert "按当前记录试算" in preview and "40.00" in preview
    client.post(reverse("evaluation:scheme_publish", args=[scheme.pk]))
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.PUBLISHED
    assert scheme.results.get().number == 1


def test_a_draft_is_the_commissions_alone(client, world, scheme):
    draft, _leaf = visits_scheme(world.a.commission_region, name="草稿方案")
    for user in (world.hospital_a, world.trainee):
        login(client, user)
        listed = client.get(reverse("evaluation:schemes")).content.decode()
        assert "草稿方案" not in listed and scheme.name in listed
        assert client.get(reverse("evaluation:scheme", args=[draft.pk])).status_code == 404


def test_the_ranking_shows_and_exports_what_the_user_may_see(client, world, scheme):
    login(client, world.commission)
    page = client.get(reverse("evaluation:scheme_sheets", args=[scheme.pk])).content.decode()
    assert page.index(world.a_doctor.name) < page.index(world.a_surgeon.name)
    assert "97.00" in page and "53.00" in page
    response = client.get(reverse("evaluation:scheme_sheets", args=[scheme.pk]), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["名次", "考核对象", "来院次数（70）", "带教评价（30）", "总分"]
    assert rows[1:] == [
        [1, world.a_doctor.name, "100.00", "90.00", "97.00"],
        [2, world.a_surgeon.name, "50.00", "60.00", "53.00"],
    ]
    # The trainee is A's cardiologist: her own row, her rank among all.
    login(client, world.trainee)
    own = client.get(reverse("evaluation:scheme_sheets", args=[scheme.pk])).content.decode()
    assert world.a_doctor.name in own and world.a_surgeon.name not in own
    assert client.get(reverse("evaluation:subject", args=[scheme.surgeon.pk])).status_code == 404


def test_every_number_opens_the_records_it_counts(client, world, scheme):
    login(client, world.hospital_a)
    leaf = scheme.indicators.get(name="来院次数")
    sheet = client.get(reverse("evaluation:subject", args=[scheme.surgeon.pk])).content.decode()
    cell_url = reverse("evaluation:cell", args=[scheme.surgeon.pk, leaf.pk])
    assert cell_url in sheet
    cell = client.get(cell_url)
    assert cell.context["cell"].figure == 5
    assert len(cell.context["source"].rows) == 5 and cell.context["source"].hidden == 0
    assert {visit.expert_id for visit in cell.context["source"].rows} == {world.a_surgeon.pk}


def test_the_ranking_reads_a_fixed_number_of_queries(client, world, scheme):
    login(client, world.commission)
    url = reverse("evaluation:scheme_sheets", args=[scheme.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [factories.person(world.a, f"专家{n}") for n in range(6)]
    for person in more:
        Subject.objects.create(scheme=scheme, label=person.name, person=person, institution=world.a)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_named_reviewer_alone_scores(client, world, scheme):
    manual = scheme.indicators.get(source=Indicator.Source.MANUAL)
    url = reverse("evaluation:manual_score", args=[scheme.surgeon.pk, manual.pk])
    login(client, world.hospital_a)
    assert client.post(url, {"value": "8"}).status_code == 404
    login(client, world.commission)
    page = client.get(reverse("evaluation:reviews")).content.decode()
    assert manual.name in page and world.a_surgeon.name in page
    refused = client.post(url, {"value": "8"}, follow=True).content.decode()
    assert "考核结果已发布，只能在处理申诉时改分。" in refused


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def test_the_reviewer_attaches_evidence_that_those_who_see_the_sheet_download(client, world):
    draft, _leaf = visits_scheme(world.a.commission_region, reviewer=world.commission)
    subject = services.subject_add(scheme=draft, by=None, person=world.a_doctor)
    manual = draft.indicators.get(source=Indicator.Source.MANUAL)
    url = reverse("evaluation:manual_score", args=[subject.pk, manual.pk])
    evidence = reverse("evaluation:evidence", args=[subject.pk, manual.pk])
    login(client, world.commission)
    assert client.get(evidence).status_code == 404  # nothing attached yet

    # A text file renamed .pdf is refused, naming the field; nothing is written.
    fake = SimpleUploadedFile("评分依据.pdf", b"not a pdf")
    refused = client.post(url, {"value": "8", "evidence": fake})
    assert refused.status_code == 400
    assert "佐证材料须是 PDF、JPG 或 PNG 文件。" in refused.content.decode()
    assert not ManualScore.objects.exists()

    client.post(
        url, {"value": "8", "note": "带教认真", "evidence": SimpleUploadedFile("依据.pdf", PDF)}
    )
    score = ManualScore.objects.get()
    assert (score.value, score.note) == (Decimal(8), "带教认真")
    assert (
        score.evidence.name.startswith("evaluation/evidence/") and "依据" not in score.evidence.name
    )
    page = client.get(reverse("evaluation:reviews")).content.decode()
    assert f'href="{evidence}"' in page
    cell = client.get(reverse("evaluation:cell", args=[subject.pk, manual.pk])).content.decode()
    assert f'href="{evidence}"' in cell
    downloaded = client.get(evidence)
    assert b"".join(downloaded.streaming_content) == PDF
    assert f"evidence-{subject.pk}-{manual.pk}.pdf" in downloaded["Content-Disposition"]

    sheet = client.get(reverse("api-evaluation-subject", args=[subject.pk])).json()
    assert sheet["evidence"] == [{"indicator": manual.pk, "url": evidence}]

    # Scoring again without a file keeps the evidence.
    client.post(url, {"value": "9"})
    score.refresh_from_db()
    assert score.value == Decimal(9) and score.evidence

    # A draft is the commission's: the person assessed and the other hospital see nothing.
    for persona in (world.trainee, world.hospital_b):
        login(client, persona)
        assert client.get(evidence).status_code == 404


def test_an_appeal_is_filed_by_the_person_and_resolved_by_the_commission(client, world, scheme):
    login(client, world.trainee)
    subject_url = reverse("evaluation:subject", args=[scheme.doctor.pk])
    empty = client.post(reverse("evaluation:appeal_file", args=[scheme.doctor.pk]), {})
    assert empty.status_code == 400 and list(empty.context["appeal_form"].errors) == ["reason"]
    filed = client.post(
        reverse("evaluation:appeal_file", args=[scheme.doctor.pk]), {"reason": "带教评价偏低"}
    )
    assert filed["Location"] == subject_url
    appeal = Appeal.objects.get()
    assert (appeal.subject, appeal.indicator, appeal.filed_by) == (
        scheme.doctor,
        None,
        world.trainee,
    )
    resolve = reverse("evaluation:appeal_resolve", args=[appeal.pk])
    assert client.post(resolve, {"upheld": "0", "resolution": "x"}).status_code == 403
    login(client, world.commission)
    listed = client.get(reverse("evaluation:appeals"), {"status": "open"}).content.decode()
    assert world.a_doctor.name in listed
    client.post(resolve, {"upheld": "0", "resolution": "评分有据，维持"})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.resolved_by) == ("rejected", world.commission)
    page = client.get(subject_url).content.decode()
    assert "评分有据，维持" in page and "未采纳" in page
