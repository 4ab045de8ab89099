"""The same row given to the import and to the API is accepted by both or refused by both, with
the same Chinese message, for every training import kind (issue 10, point 4): the import names
by name what the API names by id, among the same rows, and both go through the same service.

Each row is tried on its own against the same database: the import's preview (a dry run) and
the API call inside a transaction rolled back."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.exchange.importing import commit, xlsx
from tests.training import helpers
from tests.training.api import API, signed_in
from yicai.access.models import Role
from yicai.access.scope import PERMISSIONS
from yicai.exchange import engine
from yicai.exchange import services as exchange
from yicai.training.declarations import BACKFILL
from yicai.training.models import Programme, Technique
from yicai.training.services.programmes import cohort_create, programme_create, selection_round_open
from yicai.training.services.secondments import secondment_batch_create, secondment_create
from yicai.training.services.studios import studio_create

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
UNKNOWN = 999999  # an id nobody has

EXPERT = "所选专家不存在或不在您的管辖范围内。"
DEPARTMENT = "所选科室不存在或不在您的管辖范围内。"
INSTITUTION = "所选机构不存在或不在您的管辖范围内。"
SUPERVISOR = "指导/审核人须是记录人的导师或同科室人员。"
APPRENTICE = "记录人不存在或不在您可以代录的人员中。"
TECHNIQUE = "记录人所在机构没有登记这项技术，请先在新技术新项目中登记。"
PERSON = "所选进修人员不存在或不在您的管辖范围内。"
HOST = "所选进修医院不存在或不在您的管辖范围内。"
BATCH = "所选进修批次不存在或不在您的管辖范围内。"
LEADER = "所选挂钩领导不存在或不在您的管辖范围内。"
PATIENT = "不能填写身份证号、手机号等患者信息。"
NOMINEE = "所选被提名人不存在或不在您的管辖范围内。"


class Place:
    """What the rows name: 孙名医 mentors 李心怡; A has a technique and a studio led by
    周外科, B a technique; a partner hospital of another district has an expert; 赵护士 is
    away on a 2024 secondment; A organises a 2023 batch."""

    def __init__(self, world):
        w = self.w = world
        helpers.mentorship(world)
        self.technique = helpers.technique(world, name="腹腔镜胆囊切除术")
        self.b_technique = helpers.technique(world, name="胃镜下息肉切除术", institution=w.b)
        self.studio = studio_create(
            name="心内工作室",
            lead=w.a_surgeon,
            tier="district",
            institution=w.a,
            founded_on=D(2020, 1, 1),
        )
        elsewhere = factories.institution("外区合作医院", relation="partner", commission="310104")
        self.far_expert = factories.person(elsewhere, "钱外区", category="external_expert")
        secondment_create(
            person=w.a_ward_nurse,
            host=w.partner,
            host_department="护理部",
            start_on=D(2024, 1, 1),
            end_on=D(2024, 12, 31),
        )
        self.batch = secondment_batch_create(
            name="2023年甲院赴沪进修", year=2023, region=w.a.commission_region, institution=w.a
        )
        programme = programme_create(
            region=w.a.commission_region,
            name="英才计划",
            kind=Programme.Kind.ELITE,
            duration_years=3,
            quota=3,
        )
        cohort = cohort_create(
            programme=programme, year=2022, name="2022年", start_on=D(2022, 4, 1)
        )
        self.round = selection_round_open(
            cohort=cohort,
            name="2022年英才计划遴选",
            opens_on=D(2022, 1, 1),
            closes_on=D(2022, 2, 28),
        )

    def id(self, value):
        """A row's cell as the API names it: a persona or record by id, else as it is."""
        if isinstance(value, str) and hasattr(self.w, value):
            return getattr(self.w, value).pk
        if isinstance(value, str) and hasattr(self, value):
            return getattr(self, value).pk
        return value.isoformat() if isinstance(value, datetime.date) else value


# Each kind: a valid row as the import reads it and as the API takes it; then rows that each
# change both alike: (what the row is, cells changed, fields changed, the message both give,
# or None when both accept).
VISIT = {"日期": D(2022, 3, 1), "专家": "孙名医", "形式": "坐诊"}
VISIT_API = {"held_on": D(2022, 3, 1), "expert": "partner_expert", "visit_kind": "clinic"}
VISITS = [
    (
        "a past visit",
        {"科室": "心血管内科", "诊疗人次": 30},
        {"department": "a_cardiology", "patients": 30},
        None,
    ),
    (
        "a planned visit",
        {"日期": TOMORROW, "形式": "授课"},
        {"held_on": TOMORROW, "visit_kind": "lecture"},
        None,
    ),
    ("an expert of another district", {"专家": "钱外区"}, {"expert": "far_expert"}, EXPERT),
    ("another hospital", {"机构": "乙社区卫生服务中心"}, {"institution": "b"}, INSTITUTION),
    ("another hospital's department", {"科室": "全科"}, {"department": "b_medicine"}, DEPARTMENT),
    (
        "a studio the expert is not in",
        {"名医工作室": "心内工作室"},
        {"studio": "studio"},
        "专家不属于该机构的这个工作室。",
    ),
    (
        "too many patients for a day",
        {"诊疗人次": 200000},
        {"patients": 200000},
        "请填写 0 至 100000 的整数。",
    ),
    (
        "a patient's number in the note",
        {"说明": "患者 13800138000"},
        {"note": "患者 13800138000"},
        PATIENT,
    ),
    (
        "a date before 1900",
        {"日期": "1899-12-31"},
        {"held_on": D(1899, 12, 31)},
        "日期不能早于 1900 年。",
    ),
]

CASE = {
    "日期": D(2021, 4, 1),
    "记录人": "李心怡",
    "技术": "腹腔镜胆囊切除术",
    "参与程度": "独立完成",
}
CASE |= {"指导/审核人": "孙名医"}
CASE_API = {"performed_on": D(2021, 4, 1), "apprentice": "a_doctor", "technique": "technique"}
CASE_API |= {"role": "independent", "supervisor": "partner_expert"}
CASE_LOGS = [
    ("a past case", {}, {}, None),
    (
        "a case verified on paper",
        {"纸质审核凭证": "病例本第3页"},
        {"paper_reference": "病例本第3页"},
        None,
    ),
    (
        "a supervisor not allowed",
        {"指导/审核人": "周外科"},
        {"supervisor": "a_surgeon"},
        SUPERVISOR,
    ),
    ("an unknown supervisor", {"指导/审核人": "无此人"}, {"supervisor": UNKNOWN}, SUPERVISOR),
    (
        "a person of another institution",
        {"记录人": "陈全科"},
        {"apprentice": "b_doctor"},
        APPRENTICE,
    ),
    ("a future date", {"日期": TOMORROW}, {"performed_on": TOMORROW}, "日期不能晚于今天。"),
    ("an unknown technique", {"技术": "不存在的技术"}, {"technique": UNKNOWN}, TECHNIQUE),
    (
        "another hospital's technique",
        {"技术": "胃镜下息肉切除术"},
        {"technique": "b_technique"},
        TECHNIQUE,
    ),
    (
        "a patient's number in the note",
        {"说明": "310101199001011234"},
        {"note": "310101199001011234"},
        PATIENT,
    ),
]

AWAY = {"姓名": "李心怡", "进修批次": "2023年甲院赴沪进修", "进修医院": "沪上合作医院"}
AWAY |= {"进修科室": "超声科", "开始日期": D(2023, 2, 27), "挂钩领导": "周外科"}
AWAY_API = {"person": "a_doctor", "batch": "batch", "host": "partner", "host_department": "超声科"}
AWAY_API |= {"start_on": D(2023, 2, 27), "linked_leader": "a_surgeon"}
OWN_HOST = "进修医院不能是本人所在机构。"
SECONDMENTS = [
    ("a past secondment", {}, {}, None),
    (
        "dates out of order",
        {"结束日期": D(2022, 12, 31)},
        {"end_on": D(2022, 12, 31)},
        "结束日期不能早于开始日期。",
    ),
    ("a person of another institution", {"姓名": "陈全科"}, {"person": "b_doctor"}, PERSON),
    ("an unknown host", {"进修医院": "无此医院"}, {"host": UNKNOWN}, HOST),
    ("the person's own hospital", {"进修医院": "甲区中心医院"}, {"host": "a"}, OWN_HOST),
    (
        "overlapping a secondment on file",
        {"姓名": "赵护士", "开始日期": D(2024, 2, 1), "挂钩领导": None},
        {"person": "a_ward_nurse", "start_on": D(2024, 2, 1), "linked_leader": None},
        "该人员在这段时间已有进修安排。",
    ),
    ("an unknown batch", {"进修批次": "无此批次"}, {"batch": UNKNOWN}, BATCH),
    ("a leader of another hospital", {"挂钩领导": "陈全科"}, {"linked_leader": "b_doctor"}, LEADER),
]

NOMINATION = {"遴选": "2022年英才计划遴选", "姓名": "李心怡", "提名机构": "甲区中心医院"}
NOMINATION |= {"推荐理由": "能独立完成腹腔镜胆囊切除术", "提名日期": D(2022, 2, 1)}
NOMINATION_API = {"institution": "a", "person": "a_doctor", "reason": "能独立完成腹腔镜胆囊切除术"}
NOMINATION_API |= {"nominated_on": D(2022, 2, 1)}
NOMINATIONS = [
    ("a nomination of a past round", {}, {}, None),
    (
        "a day outside the call",
        {"提名日期": D(2022, 3, 15)},
        {"nominated_on": D(2022, 3, 15)},
        "不在提名期内（2022-01-01 至 2022-02-28）。",
    ),
    ("a future day", {"提名日期": TOMORROW}, {"nominated_on": TOMORROW}, "提名日期不能晚于今天。"),
    ("a person of another institution", {"姓名": "陈全科"}, {"person": "b_doctor"}, NOMINEE),
    ("an unknown person", {"姓名": "无此人"}, {"person": UNKNOWN}, NOMINEE),
    (
        "an institution out of scope",
        {"提名机构": "乙社区卫生服务中心"},
        {"institution": "b"},
        INSTITUTION,
    ),
    ("no reason", {"推荐理由": None}, {"reason": ""}, "请填写推荐理由。"),
    (
        "a patient's number in the reason",
        {"推荐理由": "患者 13800138000"},
        {"reason": "患者 13800138000"},
        PATIENT,
    ),
]

KINDS = {  # the import kind: the API's collection, its valid row both ways, the rows
    "training_visits": ("visits/", VISIT, VISIT_API, VISITS),
    "training_case_logs": ("case-logs/", CASE, CASE_API, CASE_LOGS),
    "training_secondments": ("secondments/", AWAY, AWAY_API, SECONDMENTS),
    "training_nominations": (
        "rounds/{round}/nominations/",
        NOMINATION,
        NOMINATION_API,
        NOMINATIONS,
    ),
}
ROWS = [
    pytest.param(kind, {**cells, **changed}, {**payload, **fields}, message, id=f"{kind}: {what}")
    for kind, (_path, cells, payload, rows) in KINDS.items()
    for what, changed, fields, message in rows
]


def _by_import(user, kind, cells) -> str | None:
    """The import's answer to one row: None when it would be written, else its problems."""
    headers = [str(column.header) for column in engine.entity_for(kind).columns]
    upload = xlsx([cells], headers=headers)
    job = exchange.import_job_create(user=user, entity=kind, upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    if job.new == 1:
        return None
    assert job.invalid == 1, (job.status, job.message)
    return "；".join(reason for _row, _column, _value, reason, *_level in job.problems)


def _by_api(user, path, payload) -> str | None:
    """The API's answer to the same row: None when created, else its messages. Rolled back."""
    with transaction.atomic():
        response = signed_in(user).post(f"{API}/{path}", payload, format="json")
        transaction.set_rollback(True)
    if response.status_code == 201:
        return None
    assert response.status_code == 400, response.content
    return "；".join(message for messages in response.json().values() for message in messages)


@pytest.mark.parametrize(("kind", "cells", "payload", "message"), ROWS)
def test_the_import_and_the_api_give_the_same_answer(world, kind, cells, payload, message):
    place = Place(world)
    path = KINDS[kind][0].format(round=place.round.pk)
    api_payload = {name: place.id(value) for name, value in payload.items()}
    if kind == "training_visits":  # the import's default: the user's own hospital
        api_payload.setdefault("institution", world.a.pk)
    by_import = _by_import(world.hospital_a, kind, cells)
    by_api = _by_api(world.hospital_a, path, api_payload)
    assert by_import == by_api == message


def test_every_import_kind_of_training_is_compared():
    kinds = {entity.key for entity in engine.entities() if entity.key.startswith("training")}
    assert kinds == set(KINDS)


def test_a_valid_row_written_by_either_is_the_same_record(world):
    """The rows both accept become the same case log, whichever door they came through."""
    place = Place(world)
    response = signed_in(world.hospital_a).post(
        f"{API}/case-logs/",
        {name: place.id(value) for name, value in {**CASE_API, "paper_reference": "纸1"}.items()},
        format="json",
    )
    assert response.status_code == 201
    headers = [str(c.header) for c in engine.entity_for("training_case_logs").columns]
    row = {**CASE, "日期": D(2021, 4, 2), "纸质审核凭证": "纸1"}
    job = exchange.import_job_create(
        user=world.hospital_a, entity="training_case_logs", upload=xlsx([row], headers=headers)
    )
    exchange.import_job_analyse(job=job)
    commit(job)
    first, second = Technique.objects.get(pk=place.technique.pk).case_logs.order_by("pk")
    fields = ("apprentice", "technique", "role", "supervisor", "entered_by", "verified_on_paper")
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert (first.paper_reference, second.paper_reference) == ("纸1", "纸1")


def _nominations_import(user, rows):
    headers = [str(c.header) for c in engine.entity_for("training_nominations").columns]
    job = exchange.import_job_create(
        user=user, entity="training_nominations", upload=xlsx(rows, headers=headers)
    )
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def test_a_past_rounds_nominations_are_imported_with_their_days_and_once(world):
    """A commission back-filling 2022 imports the institution's list with the day of each
    nomination; the same file again changes nothing; the round then goes on on its page."""
    place = Place(world)
    rows = [
        {
            "遴选": "2022年英才计划遴选",
            "姓名": "李心怡",
            "推荐理由": "骨干",
            "提名日期": D(2022, 1, 20),
        },
        {
            "遴选": "2022年英才计划遴选",
            "姓名": "周外科",
            "推荐理由": "带头人",
            "提名日期": D(2022, 2, 8),
        },
    ]
    job = _nominations_import(world.commission, rows)
    assert (job.new, job.invalid) == (2, 0), job.problems
    commit(job)
    nominations = place.round.nominations.order_by("nominated_on")
    assert [(n.person, n.institution, n.nominated_on) for n in nominations] == [
        (world.a_doctor, world.a, D(2022, 1, 20)),  # no institution given: the person's own
        (world.a_surgeon, world.a, D(2022, 2, 8)),
    ]
    again = _nominations_import(world.commission, rows)
    assert (again.new, again.unchanged, again.invalid) == (0, 2, 0)


def test_a_past_day_in_the_nominations_import_needs_the_backfill_permission(world, monkeypatch):
    monkeypatch.setitem(
        PERMISSIONS, Role.INSTITUTION_ADMIN, PERMISSIONS[Role.INSTITUTION_ADMIN] - {BACKFILL}
    )
    Place(world)
    row = {
        "遴选": "2022年英才计划遴选",
        "姓名": "李心怡",
        "推荐理由": "骨干",
        "提名日期": D(2022, 1, 20),
    }
    job = _nominations_import(world.hospital_a, [row])
    assert job.invalid == 1
    assert [reason for _r, _c, _v, reason, _l in job.problems] == [
        "只有可以补录历史记录的管理员可以填写以往的日期。"
    ]


def test_an_open_rounds_page_leads_to_the_nominations_import_chosen(world, client):
    place = Place(world)
    login(client, world.hospital_a)
    page = client.get(reverse("training:round", args=[place.round.pk])).content.decode()
    link = f"{reverse('exchange:imports')}?entity=training_nominations"
    assert f'id="import-nominations" href="{link}"' in page
    upload = client.get(link).content.decode()
    assert '<option value="training_nominations" selected>' in upload
