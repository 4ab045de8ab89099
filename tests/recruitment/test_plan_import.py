"""A sheet of a year's posts through the exchange engine: rows of one institution, year and plan
make one draft plan; colloquial conditions (本科, 学士) read as their codes; a bad row is named by
row and column in the service's words; nothing is written before the commit; a second import
adds nothing; a plan already submitted takes no more posts."""

import pytest

from tests.exchange.importing import commit, xlsx
from tests.recruitment.helpers import plan
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.recruitment import queries, services
from yicai.recruitment.models import Post, RecruitmentPlan

pytestmark = pytest.mark.django_db
HEADERS = [
    "招聘单位",
    "年度",
    "计划名称",
    "岗位",
    "专业",
    "人数",
    "招聘方式",
    "组织实施",
    "科室",
    "学历",
    "学位",
    "年龄上限",
]
TITLE = "2022年度卫生专业技术人员招聘计划"


def _row(post, specialty, places, procedure="简易程序", **cells):
    return {
        "年度": 2022,
        "计划名称": TITLE,
        "岗位": post,
        "专业": specialty,
        "人数": places,
        "招聘方式": procedure,
        **cells,
    }


ROWS = [
    _row(
        "临床医师（简易）", "临床医学", 35, 科室="心血管内科", 学历="本科", 学位="学士", 年龄上限=35
    ),
    _row("口腔医师", "口腔医学", 6, 学历="大学本科毕业"),
    _row("影像医师", "医学影像学", 8),
    _row("临床医师", "临床医学", 12, "公开招聘", 组织实施="县（区）人力资源和社会保障局"),
    _row("护士", "护理学", 10, "公开招聘", 组织实施="县（区）人力资源和社会保障局", 学历="大专"),
]


def preview(user, rows) -> ImportJob:
    upload = xlsx(rows, headers=HEADERS, name="招聘岗位.xlsx")
    job = exchange.import_job_create(user=user, entity="recruitment_plans", upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def problems(job):
    return {(row, column): reason for row, column, _value, reason, _level in job.problems}


def test_a_year_of_posts_becomes_one_draft_plan_once(world):
    job = preview(world.hospital_a, ROWS)
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    assert (job.new, job.invalid) == (5, 0)
    assert not RecruitmentPlan.objects.exists()  # the preview writes nothing
    commit(job)
    (made,) = RecruitmentPlan.objects.all()
    assert (made.institution, made.year, made.title, made.status) == (
        world.a,
        2022,
        TITLE,
        "draft",
    )
    posts = {post.name: post for post in made.posts.select_related("min_education", "min_degree")}
    first = posts["临床医师（简易）"]
    assert (first.places, first.department, first.max_age, first.organiser) == (
        35,
        world.a_cardiology,
        35,
        Post.Organiser.INSTITUTION,
    )
    assert (first.min_education.name, first.min_degree.name) == ("大学本科教育", "学士")
    assert posts["口腔医师"].min_education.name == "大学本科教育"  # the level's group
    assert posts["护士"].organiser == Post.Organiser.HR_BUREAU
    assert sum(post.places for post in posts.values()) == 71
    again = preview(world.hospital_a, ROWS)
    assert (again.new, again.unchanged) == (0, 5)
    # Approved, it counts as the page counts it: 49 simplified, 22 open.
    services.plan_submit(plan=made)
    services.plan_approve(plan=made, by=world.commission)
    figures = queries.plan_figures(world.commission, year=2022)
    assert figures.by_procedure == {"simplified": 49, "open": 22}


def test_a_bad_row_is_named_by_row_and_column_in_the_service_s_words(world):
    rows = [
        ROWS[0],
        _row("", "临床医学", 0, "抽签"),
        _row("检验技师", "医学检验技术", 2, 学历="私塾", 年龄上限=70),
        _row("全科医师", "临床医学", 1, 科室="全科"),  # hospital B's department
        {**_row("年度有误", "临床医学", 1), "年度": 1999},
        _row("越权", "临床医学", 1, 招聘单位="乙社区卫生服务中心"),
    ]
    job = preview(world.hospital_a, [{**row} for row in rows])
    found = problems(job)
    assert found[(3, "岗位")] == "必填。"
    assert found[(3, "人数")] == "招聘人数须为 1–999 的整数。"
    assert found[(3, "招聘方式")].startswith("“抽签”不在")
    assert found[(5, "科室")] == "所选科室不存在或不在您的管辖范围内。"
    assert found[(4, "学历")] == "最低学历“私塾”不在代码表中。"
    assert found[(4, "年龄上限")] == "年龄上限须为 18–65 的整数。"
    assert found[(6, "年度")] == "年度须为 2000–2100 的年份。"
    assert found[(7, "招聘单位")] == "所选机构不存在或不在您的管辖范围内。"
    assert (job.new, job.invalid) == (1, 5)
    assert not RecruitmentPlan.objects.exists()


def test_a_submitted_plan_takes_no_more_posts_from_a_sheet(world):
    sent = plan(world, year=2022, title=TITLE)
    services.plan_submit(plan=sent)
    job = preview(world.hospital_a, ROWS[:1])
    assert problems(job) == {(2, ""): "计划正在等待卫健委审批，不能修改；退回后才能修改。"}
