"""The national planning parameters every installation starts with, each with its source
(docs/planning.md). The national health plan's targets for 2025 (《"十四五"国民健康规划》,
国办发〔2022〕11号) are not among them: their text could not be read to check the figures, so
the commission enters them, with their source, on the parameters page."""

import datetime
from decimal import Decimal

from django.db import migrations

# Before the 2024 decision the ages had no start that matters here: the placeholder day only
# says "before 2025" (docs/planning.md).
BEFORE = datetime.date(1900, 1, 1)
REFORM = datetime.date(2025, 1, 1)
DECISION = (
    "《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》"
    "（2024年9月13日第十四届全国人民代表大会常务委员会第十一次会议通过）"
)
MEASURES = f"{DECISION}批准的《国务院关于渐进式延迟法定退休年龄的办法》第一条及附件1—3"
ORIGINAL = (
    f"原法定退休年龄：男职工六十周岁，女干部五十五周岁，女工人五十周岁（{DECISION}第一条所称"
    "“原法定退休年龄”）。起始日期为占位，仅表示2025年1月1日以前。"
)

SEEDS = [
    (
        "health_worker_density",
        Decimal("4.45"),
        datetime.date(2016, 1, 1),
        "WHO, Global strategy on human resources for health: Workforce 2030 (2016)："
        "可持续发展目标（SDG）指数阈值，每千人口 4.45 名医生、护士和助产士"
        "（SDG index threshold of 4.45 doctors, nurses and midwives per 1000 population）。"
        "起始日期按发布年度记为 2016-01-01。",
    ),
    ("retirement_age_male", Decimal(60), BEFORE, ORIGINAL),
    ("retirement_age_female_cadre", Decimal(55), BEFORE, ORIGINAL),
    ("retirement_age_female_worker", Decimal(50), BEFORE, ORIGINAL),
    (
        "retirement_age_male",
        Decimal(63),
        REFORM,
        f"从2025年1月1日起，男职工法定退休年龄逐步延迟至六十三周岁：{MEASURES}。",
    ),
    (
        "retirement_age_female_cadre",
        Decimal(58),
        REFORM,
        f"从2025年1月1日起，原法定退休年龄为五十五周岁的女职工逐步延迟至五十八周岁：{MEASURES}。",
    ),
    (
        "retirement_age_female_worker",
        Decimal(55),
        REFORM,
        f"从2025年1月1日起，原法定退休年龄为五十周岁的女职工逐步延迟至五十五周岁：{MEASURES}。",
    ),
    (
        "retirement_step_male",
        Decimal(4),
        REFORM,
        f"男职工法定退休年龄每四个月延迟一个月：{MEASURES}。",
    ),
    (
        "retirement_step_female_cadre",
        Decimal(4),
        REFORM,
        f"原法定退休年龄为五十五周岁的女职工，法定退休年龄每四个月延迟一个月：{MEASURES}。",
    ),
    (
        "retirement_step_female_worker",
        Decimal(2),
        REFORM,
        f"原法定退休年龄为五十周岁的女职工，法定退休年龄每二个月延迟一个月：{MEASURES}。",
    ),
]


def seed(apps, schema_editor):
    parameter = apps.get_model("insights", "PlanningParameter")
    for key, value, valid_from, source in SEEDS:
        parameter.objects.get_or_create(
            key=key,
            region=None,
            valid_from=valid_from,
            defaults={"value": value, "source": source},
        )


def unseed(apps, schema_editor):
    parameter = apps.get_model("insights", "PlanningParameter")
    for key, _value, valid_from, _source in SEEDS:
        parameter.objects.filter(key=key, region=None, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_planning_parameters_and_population")]

    operations = [migrations.RunPython(seed, unseed)]
