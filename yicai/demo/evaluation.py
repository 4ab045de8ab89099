"""The demo's assessment (用): Changtai's "基础任务 + 竞赛激励" for the visiting experts of the
year, with their apprentices' growth linked into each expert's score, scored from the demo's
visits and case logs, a reviewer's teaching marks, published with an appeal waiting; and the
next year's draft copied from it."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from yicai.access.models import User
from yicai.demo import region as blueprint
from yicai.evaluation.models import Indicator, Scheme, Subject
from yicai.evaluation.services import results, schemes
from yicai.org.models import Region
from yicai.training.models import Apprenticeship, Mentorship

EXPERTS_SCHEME = "名医专家年度考核（基础任务 + 竞赛激励）"
AUTO, MANUAL, LINKED = Indicator.Source.AUTOMATIC, Indicator.Source.MANUAL, Indicator.Source.LINKED
BASIC, COMPETITIVE = Indicator.Mode.BASIC, Indicator.Mode.COMPETITIVE
# The reviewer's marks out of 10, in turn.
MARKS = ("9", "8.5", "8", "9.5", "7", "8")


def is_loaded() -> bool:
    return Scheme.objects.filter(name=EXPERTS_SCHEME).exists()


def load_evaluation(*, today: datetime.date) -> int:
    """The experts' and apprentices' schemes of this year, published, and next year's draft;
    how many subjects were assessed (none when they were there already)."""
    region = Region.objects.filter(code=blueprint.COMMISSION_REGION).first()
    reviewer = User.objects.filter(username="commission").first()
    if is_loaded() or region is None or reviewer is None:
        return 0
    mentorships = list(
        Mentorship.objects.filter(visits__isnull=False)
        .distinct()
        .select_related("mentor", "institution", "department")
        .order_by("pk")
    )
    if not mentorships:
        return 0
    cycle = {
        "cycle_start": datetime.date(today.year, 1, 1),
        "cycle_end": datetime.date(today.year, 12, 31),
    }
    with transaction.atomic():
        apprentices = _apprentices_scheme(region, cycle)
        experts, growth, teaching = _experts_scheme(region, cycle, reviewer)
        taken: dict[int, Subject] = {}
        for pair in Apprenticeship.objects.filter(mentorship__in=mentorships).select_related(
            "apprentice"
        ):
            if pair.apprentice_id not in taken:
                taken[pair.apprentice_id] = schemes.subject_add(
                    scheme=apprentices, by=None, person=pair.apprentice
                )
        assessed = len(taken)
        for mentorship in mentorships:
            if experts.subjects.filter(person=mentorship.mentor).exists():
                continue
            expert = schemes.subject_add(scheme=experts, by=None, person=mentorship.mentor)
            assessed += 1
            schemes.manual_score_set(
                subject=expert,
                indicator=teaching,
                value=Decimal(MARKS[assessed % len(MARKS)]),
                by=reviewer,
                note="带教认真，示范规范",
            )
            for pair in mentorship.apprenticeships.all():
                schemes.link_add(
                    subject=expert, indicator=growth, linked=taken[pair.apprentice_id], by=None
                )
        schemes.scheme_publish(scheme=apprentices, by=reviewer)
        schemes.scheme_publish(scheme=experts, by=reviewer)
        lowest = experts.subjects.order_by("label").first()
        if lowest is not None:
            results.appeal_file(
                subject=lowest,
                indicator=None,
                reason="下半年两次坐诊未登记，请核实后重新计分。",
                by=None,
            )
        schemes.scheme_copy(
            scheme=experts,
            cycle_start=datetime.date(today.year + 1, 1, 1),
            cycle_end=datetime.date(today.year + 1, 12, 31),
            by=reviewer,
        )
    return assessed


def _apprentices_scheme(region: Region, cycle: dict) -> Scheme:
    scheme = schemes.scheme_create(
        by=None,
        region=region,
        name="徒弟年度考核",
        subject_type=Scheme.SubjectType.APPRENTICE,
        **cycle,
    )
    schemes.indicator_save(
        scheme=scheme,
        by=None,
        name="经审核的独立完成病例",
        weight=Decimal(100),
        source=AUTO,
        mode=BASIC,
        metric="verified_independent_cases",
        target=Decimal(3),
    )
    return scheme


def _experts_scheme(
    region: Region, cycle: dict, reviewer: User
) -> tuple[Scheme, Indicator, Indicator]:
    scheme = schemes.scheme_create(
        by=None,
        region=region,
        name=EXPERTS_SCHEME,
        subject_type=Scheme.SubjectType.EXPERT,
        **cycle,
    )

    def add(name: str, weight: int, parent: Indicator | None = None, **fields: Any) -> Indicator:
        return schemes.indicator_save(
            scheme=scheme, by=None, parent=parent, name=name, weight=Decimal(weight), **fields
        )

    basic = add("基础任务", 60)
    add(
        "来院次数",
        50,
        basic,
        source=AUTO,
        mode=BASIC,
        metric="visits_made",
        target=Decimal(6),
        pass_line=Decimal(50),
    )
    add("授课次数", 20, basic, source=AUTO, mode=BASIC, metric="lectures", target=Decimal(2))
    teaching = add(
        "带教评价", 30, basic, source=MANUAL, mode=BASIC, scale_max=Decimal(10), reviewer=reviewer
    )
    competitive = add("竞赛激励", 40)
    add("手术指导台次", 50, competitive, source=AUTO, mode=COMPETITIVE, metric="guided_operations")
    growth = add("徒弟成长", 50, competitive, source=LINKED)
    return scheme, growth, teaching
