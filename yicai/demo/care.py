"""The 八个一 service in the demo district: the district's package, 30 innovation talents
(科创人才) enrolled at its community health centres over the last year, each with a guardian
doctor of the centre and its family-doctor team; a year of service tasks generated, most done
within their deadline with a satisfaction score, some left overdue; two green-channel
requests, one answered within the SLA and one late. Deterministic; loaded once."""

import datetime
import random

from django.db import transaction

from yicai.codes.models import Code
from yicai.demo import region as blueprint
from yicai.org.models import Institution, Region
from yicai.people.models import Person
from yicai.retention.models import Enrolment, ServiceTask
from yicai.retention.services import care

TALENTS = 30
NAMES = [
    "顾星辰",
    "陆一鸣",
    "沈若溪",
    "韩知远",
    "秦雨桐",
    "许嘉禾",
    "钱书恒",
    "蒋沐阳",
    "魏清妍",
    "孔德润",
    "曹思源",
    "严可欣",
    "华承泽",
    "金语嫣",
    "陶景行",
    "姜若琳",
    "戚文博",
    "谢婉清",
    "邹启航",
    "喻思彤",
    "柏子墨",
    "水芷若",
    "窦明哲",
    "章雅琪",
    "云天佑",
    "苏映雪",
    "潘浩然",
    "葛书瑶",
    "奚远航",
    "范诗涵",
]
EMPLOYERS = (
    "张江某集成电路公司",
    "某生物医药研究院",
    "某人工智能实验室",
    "某新材料科技公司",
    "某高校科创中心",
)
KINDS = ("高层次人才", "青年科技人才", "产业领军人才", "海外引进人才")
CHANNELS = ("phone", "wechat", "visit", "clinic")


def is_loaded() -> bool:
    return Enrolment.objects.exists()


def load_care(*, today: datetime.date) -> int:
    """The package, the enrolments, their tasks and two green-channel requests; how many
    talents were enrolled (none when they were there already)."""
    if is_loaded():
        return 0
    region = Region.objects.filter(code=blueprint.COMMISSION_REGION).first()
    if region is None:
        return 0
    centres = list(
        Institution.objects.filter(
            commission_region=region, kind=Institution.Kind.COMMUNITY
        ).order_by("name")
    )
    doctors = {
        centre.pk: list(
            Person.objects.filter(institution=centre, category=Person.Category.STAFF).order_by(
                "pk"
            )[:3]
        )
        for centre in centres
    }
    centres = [centre for centre in centres if doctors[centre.pk]]
    if not centres:
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    sexes = {code.code: code for code in Code.objects.filter(table__key="sex", code__in="12")}
    with transaction.atomic():
        package = care.package_defaults_create(region=region)
        enrolments = []
        for n, name in enumerate(NAMES[:TALENTS]):
            centre = centres[n % len(centres)]
            guardian = doctors[centre.pk][n % len(doctors[centre.pk])]
            enrolment = care.enrol(
                by=None,
                package=package,
                institution=centre,
                enrolled_on=today - datetime.timedelta(days=rng.randrange(200, 400)),
                name=name,
                sex=sexes["1" if n % 2 == 0 else "2"],
                birth_date=datetime.date(1975 + rng.randrange(20), 1 + rng.randrange(12), 1)
                + datetime.timedelta(days=rng.randrange(28)),
                phone=f"139{rng.randrange(10**8):08d}",
                guardian=guardian,
                employer=EMPLOYERS[n % len(EMPLOYERS)],
                talent_kind=KINDS[n % len(KINDS)],
                team_name=f"{centre.short_name or centre.name}家庭医生团队",
                team=doctors[centre.pk],
            )
            enrolments.append(enrolment)
        care.tasks_generate(today)
        tasks = ServiceTask.objects.filter(
            enrolment__in=enrolments, due_on__lte=today
        ).select_related("enrolment")
        for task in tasks.order_by("pk"):
            # Left undone: some of the last two months' (overdue ones among them) and every
            # task still within its deadline.
            recent = task.due_on > today - datetime.timedelta(days=60)
            if task.deadline >= today or (recent and task.enrolment_id % 4 == 0):
                continue
            late = rng.random() < 0.1
            done_on = min(
                today,
                task.deadline + datetime.timedelta(days=rng.randrange(1, 10))
                if late
                else task.due_on + datetime.timedelta(days=rng.randrange(0, 5)),
            )
            care.task_complete(
                task=task,
                by=None,
                done_on=min(max(done_on, task.due_on), today),
                channel=CHANNELS[rng.randrange(len(CHANNELS))],
                note="已按服务项目完成并记录",
                satisfaction=rng.choice((5, 5, 5, 4, 4, 3)),
            )
        moment = datetime.datetime.combine(
            today - datetime.timedelta(days=20), datetime.time(9, 30)
        ).astimezone()
        first = care.green_channel_request(
            enrolment=enrolments[0], by=None, need="心内科专家门诊预约", requested_at=moment
        )
        care.green_channel_respond(
            request=first,
            by=None,
            outcome="已预约次日上午专家门诊",
            responded_at=moment + datetime.timedelta(hours=4),
            satisfaction=5,
        )
        second_at = moment + datetime.timedelta(days=7)
        second = care.green_channel_request(
            enrolment=enrolments[1], by=None, need="骨科住院床位协调", requested_at=second_at
        )
        care.green_channel_respond(
            request=second,
            by=None,
            outcome="已协调入院（床位紧张，超出应答时限）",
            responded_at=second_at + datetime.timedelta(hours=36),
            satisfaction=3,
        )
    return len(enrolments)
