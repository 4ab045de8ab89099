"""Records for the scope matrix and the page walks, made through the services.

`OneOfEach` is one of every cultivation record, all of hospital A; `PageRecords` adds what the
pages outside cultivation name. `rolled_back_at_module_end` keeps what a module-scoped fixture
builds for the whole module (each test runs in a savepoint within it)."""

import copy
import datetime
import functools
import importlib
import importlib.util
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from types import ModuleType

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests import factories
from tests.training import helpers
from tests.training.programmes import admitted, cohort, selection
from yicai.org import services as org_services
from yicai.people import services as people_services
from yicai.training.models import CreditClass, EducationEvent, TrainingKind, Visit
from yicai.training.services import careers as careers_services
from yicai.training.services import programmes as programmes_services
from yicai.training.services import teams as teams_services
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.careers import career_plan_create
from yicai.training.services.education import attendance_record, enrolment_create, event_create
from yicai.training.services.evaluations import evaluation_record
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.secondments import (
    monthly_report_submit,
    secondment_create,
    secondment_need_raise,
)
from yicai.training.services.studios import studio_create, studio_funding_record
from yicai.training.services.teams import team_create

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=30)
# Argon2 is the product's hasher; tests make many users and only need a working one.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Strings only hospital A's records carry: none may reach B.
MARKERS = (
    "李心怡",
    "甲院独有技术",
    "甲院工作室",
    "甲院讲座",
    "甲院进修科室",
    "甲院发展方向",
    "甲院引进团队",
)
# People every old-style person choice of A's pages listed: staff of A's cardiology (the
# trainee's department) with no plan, no secondment, no record. None is ever chosen.
UNCHOSEN = ("甲院候选一", "甲院候选二", "甲院候选三")


@contextmanager
def rolled_back_at_module_end(django_db_blocker) -> Iterator[None]:
    """Rows written inside stay for the whole module and are rolled back at its end, as
    Django's setUpTestData does; tests (with `db`) run in savepoints within it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def once_per_module(build: Callable) -> tuple:
    """The `records` fixture: each test of a module gets what `build(world)` made once for the
    module.

    Assign both in the module: `_built, records = once_per_module(build)`. Each test gets a
    copy (its in-memory changes stay in it) and runs in a savepoint (its writes are undone)."""

    @pytest.fixture(scope="module", name="_records_built_once")
    def built(module_world, django_db_blocker):
        with rolled_back_at_module_end(django_db_blocker):
            yield build(module_world)

    # Named as a parameter, the module's rows are built before the test's own transaction.
    @pytest.fixture(name="records")
    def copied(_records_built_once, shared_world):
        return copy.deepcopy(_records_built_once)

    return built, copied


def partner_colleague(world):
    return factories.person(world.partner, "钱团队", category="external_expert")


class OneOfEach:
    """One of each cultivation record, all of hospital A."""

    def __init__(self, world):
        w = world
        self.mentorship = mentorship_create(
            mentor=w.partner_expert, apprentices=[w.a_doctor], institution=w.a, start_on=DAY
        )
        self.technique = helpers.technique(w, name="甲院独有技术")
        self.spare_technique = helpers.technique(w, name="甲院独有技术二")
        self.case_log = helpers.case(w, self.technique, on=DAY)
        self.studio = studio_create(
            name="甲院工作室",
            lead=w.partner_expert,
            tier="district",
            institution=w.a,
            founded_on=DAY,
            members=[w.a_doctor],
        )
        self.member = self.studio.members.get()
        self.funding = studio_funding_record(studio=self.studio, year=TODAY.year)
        self.visit = visit_record(
            expert=w.partner_expert, kind=Visit.Kind.CLINIC, institution=w.a, held_on=DAY
        )
        self.consultation = consultation_record(
            expert=w.partner_expert,
            requester=w.a_doctor,
            institution=w.a,
            held_on=DAY,
            summary="甲院会诊",
        )
        self.secondment = secondment_create(
            person=w.a_doctor,
            host=w.partner,
            host_department="甲院进修科室",
            start_on=DAY.replace(day=1),
            linked_leader=w.a_surgeon,
        )
        self.report = monthly_report_submit(
            secondment=self.secondment, person=w.a_doctor, month=DAY, content="甲院月报"
        )
        self.need = secondment_need_raise(secondment=self.secondment, content="甲院需求")
        self.event = event_create(
            kind=EducationEvent.Kind.LECTURE,
            title="甲院讲座",
            institution=w.a,
            held_on=DAY,
            hours=Decimal(1),
            credit_class=CreditClass.CLASS_II,
            credits=Decimal(1),
            speaker=w.a_surgeon,
        )
        (self.attendance,) = attendance_record(event=self.event, people=[w.a_doctor])
        self.enrolment = enrolment_create(
            person=w.a_doctor,
            kind=TrainingKind.SHORT_COURSE,
            provider="上海市医学会",
            programme="甲院短训",
            start_on=DAY,
        )
        (self.cohort_member,) = admitted(w, w.a_doctor)
        self.cohort = self.cohort_member.cohort
        self.programme = self.cohort.programme
        self.round = self.cohort.rounds.get()
        self.nomination = self.round.nominations.get()
        self.member_goal = programmes_services.member_goal_add(
            member=self.cohort_member, year=TODAY.year, text="甲院培养目标"
        )
        self.plan = career_plan_create(person=w.a_doctor, direction="甲院发展方向")
        self.evaluation = evaluation_record(
            apprenticeship=self.mentorship.apprenticeships.get(),
            period="甲院评价期间",
            rating="good",
            user=w.hospital_a,
        )
        self.team = team_create(
            name="甲院引进团队",
            lead=w.partner_expert,
            source=w.partner,
            institution=w.a,
            introduced_on=DAY,
        )
        self.team_member = teams_services.team_member_add(
            team=self.team, person=partner_colleague(w)
        )
        self.career_goal = careers_services.career_goal_add(
            plan=self.plan, year=TODAY.year, kind="research", text="甲院科研目标"
        )


def _pk(name):
    return lambda r: {"pk": getattr(r, name).pk}


# URL name -> the kwargs naming one of A's records (None: a page without a record).
RECORD_URLS = {
    "case_verify": _pk("case_log"),
    "case_link": _pk("case_log"),
    "case_paper": _pk("case_log"),
    "case_scan": _pk("case_log"),
    "visit_edit": _pk("visit"),
    "visit_delete": _pk("visit"),
    "consultation_edit": _pk("consultation"),
    "mentorship": _pk("mentorship"),
    "mentorship_edit": _pk("mentorship"),
    "technique_edit": _pk("technique"),
    "technique_delete": _pk("spare_technique"),
    "studio": _pk("studio"),
    "studio_edit": _pk("studio"),
    "studio_member_add": _pk("studio"),
    "studio_member_remove": lambda r: {"pk": r.studio.pk, "member_pk": r.member.pk},
    "studio_funding": _pk("studio"),
    "studio_funding_edit": lambda r: {"pk": r.studio.pk, "funding_pk": r.funding.pk},
    "secondment": _pk("secondment"),
    "secondment_edit": _pk("secondment"),
    "report_submit": _pk("secondment"),
    "need_raise": _pk("secondment"),
    "complete": _pk("secondment"),
    "withdraw": _pk("secondment"),
    "report_comment": _pk("report"),
    "need_resolve": _pk("need"),
    "education_event": _pk("event"),
    "education_event_delete": _pk("event"),
    "education_attendance": _pk("event"),
    "education_attendance_remove": _pk("attendance"),
    "education_enrolment_edit": _pk("enrolment"),
    "member": _pk("cohort_member"),
    "member_goal_add": _pk("cohort_member"),
    "member_goal_delete": _pk("member_goal"),
    "member_review": _pk("cohort_member"),
    "member_complete": _pk("cohort_member"),
    "member_withdraw": _pk("cohort_member"),
    "certificate": _pk("cohort_member"),
    "nomination_score": _pk("nomination"),
    "nomination_decide": _pk("nomination"),
    "career": _pk("plan"),
    "career_edit": _pk("plan"),
    "career_goal_add": _pk("plan"),
    "career_goal_delete": _pk("career_goal"),
    "career_goal_done": _pk("career_goal"),
    "career_goal_reopen": _pk("career_goal"),
    "visit_link": _pk("visit"),
    "evaluation_create": _pk("mentorship"),
    "evaluation_link": _pk("evaluation"),
    "team": _pk("team"),
    "team_edit": _pk("team"),
    "team_member_add": _pk("team"),
    "team_member_remove": lambda r: {"pk": r.team.pk, "member_pk": r.team_member.pk},
}
# Records of the region as a whole (programmes, their cohorts and rounds): B may see these
# pages, but not A's people on them.
REGION_URLS = {
    "programme": _pk("programme"),
    "programme_edit": _pk("programme"),
    "cohort_create": _pk("programme"),
    "cohort": _pk("cohort"),
    "cohort_finish": _pk("cohort"),
    "round_create": _pk("cohort"),
    "round": _pk("round"),
    "round_nominate": _pk("round"),
    "round_review": _pk("round"),
    "round_approve": _pk("round"),
}


@functools.cache
def app_matrices() -> tuple[ModuleType, ...]:
    """Each installed app's part of the scope matrix, from its tests folder: the module
    `tests/<app>/matrix.py` with `build(records, world)` (its records of hospital A, set on the
    page records), `PAGE_KWARGS` (the ids of its pages), `CASES` (what each persona gets, as in
    tests/access/test_scope_matrix.py) and `KWARGS` (the ids of its other URLs)."""
    found = []
    for config in apps.get_app_configs():
        folder = f"tests.{config.name.removeprefix('yicai.')}"
        if not config.name.startswith("yicai.") or not importlib.util.find_spec(folder):
            continue
        if importlib.util.find_spec(f"{folder}.matrix"):
            found.append(importlib.import_module(f"{folder}.matrix"))
    return tuple(found)


class PageRecords(OneOfEach):
    """One of each record, and the rest the pages outside cultivation name."""

    def __init__(self, world):
        super().__init__(world)
        self.designation = org_services.designation_save(
            department=world.a_cardiology,
            name="甲院重点专科",
            kind="key_specialty",
            level="district",
            year_from=2024,
            lead=world.a_surgeon,
        )
        # A round still open shows its nomination form.
        self.open_round = selection(cohort(world, of=self.programme, name="第二期"))
        self.institution = world.a
        self.department = world.a_cardiology
        self.person = world.a_doctor
        self.user = world.trainee
        # A request the hospital resolves: its page shows the resolution form.
        self.correction = people_services.correction_request_file(
            user=world.trainee, topic="title", wrong="主治医师", correct="副主任医师"
        )
        for matrix in app_matrices():
            matrix.build(self, world)
        for name in UNCHOSEN:
            factories.person(
                world.a, name, department=world.a_cardiology, birth=datetime.date(1990, 1, 1)
            )


# "namespace:name" -> the kwargs of one page (of A's records), for pages with parameters.
PAGE_KWARGS = {
    **{f"training:{name}": kwargs for name, kwargs in {**RECORD_URLS, **REGION_URLS}.items()},
    "training:confirm": lambda r: {"token": "not-a-token"},
    "insights:chain": lambda r: {"key": "cultivate"},
    "access:user": lambda r: {"pk": r.user.pk},
    "access:user_disable": lambda r: {"pk": r.user.pk},
    "access:user_enable": lambda r: {"pk": r.user.pk},
    "access:user_bind": lambda r: {"pk": r.user.pk},
    "access:user_unbind": lambda r: {"pk": r.user.pk},
    "access:user_password_reset": lambda r: {"pk": r.user.pk},
    "access:user_otp_reset": lambda r: {"pk": r.user.pk},
    "access:role_revoke": lambda r: {"pk": r.user.pk, "role": "staff"},
    "org:detail": lambda r: {"pk": r.institution.pk},
    "org:edit": lambda r: {"pk": r.institution.pk},
    "org:department_create": lambda r: {"institution_pk": r.institution.pk},
    "org:department_edit": lambda r: {"institution_pk": r.institution.pk, "pk": r.department.pk},
    "org:designation_create": lambda r: {"institution_pk": r.institution.pk},
    "org:designation_edit": lambda r: {
        "institution_pk": r.institution.pk,
        "pk": r.designation.pk,
    },
    "people:detail": lambda r: {"pk": r.person.pk},
    "people:edit": lambda r: {"pk": r.person.pk},
    "people:reveal": lambda r: {"pk": r.person.pk},
    "people:reveal_phone": lambda r: {"pk": r.person.pk},
    "people:record_edit": lambda r: {
        "pk": r.person.pk,
        "kind": "appointment",
        "record_pk": r.person.appointments.first().pk,
    },
    "people:record_add": lambda r: {"pk": r.person.pk, "kind": "appointment"},
    "people:correction": lambda r: {"pk": r.correction.pk},
    "people:record_delete": lambda r: {"pk": r.person.pk, "kind": "title", "record_pk": 1},
    "codes:detail": lambda r: {"key": "title"},
    "codes:toggle": lambda r: {"key": "title", "pk": 1},
    "codes:synonym_delete": lambda r: {"key": "title", "pk": 1},
    "exchange:job": lambda r: {"token": uuid.uuid4()},
    "exchange:commit": lambda r: {"token": uuid.uuid4()},
    "exchange:cancel": lambda r: {"token": uuid.uuid4()},
    "exchange:report": lambda r: {"token": uuid.uuid4()},
    "exchange:template": lambda r: {"entity": "people"},
    **{key: kwargs for matrix in app_matrices() for key, kwargs in matrix.PAGE_KWARGS.items()},
}
