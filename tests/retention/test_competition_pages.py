"""The competition pages: the organiser sets up a competition, its rounds and entrants, the
judges' scores by form and by sheet, and finishes it; the standings read as computed; another
institution reads them and runs nothing."""

from decimal import Decimal

from tests.conftest import login
from tests.exchange.importing import commit, xlsx
from yicai.exchange import services as exchange
from yicai.retention.models import Competition, Score


def test_an_organiser_runs_a_competition_and_others_read_it(client, world):
    login(client, world.hospital_a)
    answer = client.post(
        "/retention/competitions/new/",
        {
            "name": "甲院心内技术比武",
            "specialty": "心血管内科",
            "level": "institution",
            "held_on": "2024-05-20",
            "institution": world.a.pk,
        },
    )
    contest = Competition.objects.get()
    page = f"/retention/competitions/{contest.pk}/"
    assert answer["Location"] == page
    for name, weight in (("理论", "40"), ("操作", "60")):
        assert (
            client.post(
                f"{page}rounds/", {"name": name, "weight": weight, "full_marks": "100"}
            ).status_code
            == 302
        )
    too_much = client.post(f"{page}rounds/", {"name": "加试", "weight": "5", "full_marks": "100"})
    assert too_much.status_code == 400
    assert "各环节权重之和不能超过 100%（已有 100%）。" in too_much.content.decode()
    for person in (world.a_doctor, world.a_ward_nurse):
        assert client.post(f"{page}entrants/", {"person": person.pk}).status_code == 302
    theory, _skill = contest.rounds.order_by("order")
    doctor, _nurse = contest.entrants.order_by("id")
    form = {"round": theory.pk, "entrant": doctor.pk, "judge": "评委1", "score": "90"}
    assert client.post(f"{page}scores/", form).status_code == 302
    bad = client.post(f"{page}scores/", {**form, "score": "120"})
    assert "分数须在 0 到 100 之间。" in bad.content.decode()
    rows = [
        {
            "竞赛名称": contest.name,
            "环节": "操作",
            "参赛者": "李心怡",
            "评委": "评委1",
            "分数": "80",
        },
        {
            "竞赛名称": contest.name,
            "环节": "理论",
            "参赛者": "赵护士",
            "评委": "评委1",
            "分数": "70",
        },
        {
            "竞赛名称": contest.name,
            "环节": "操作",
            "参赛者": "赵护士",
            "评委": "评委1",
            "分数": "75",
        },
        {
            "竞赛名称": contest.name,
            "环节": "笔试",
            "参赛者": "赵护士",
            "评委": "评委1",
            "分数": "75",
        },
    ]
    job = exchange.import_job_create(
        user=world.hospital_a, entity="retention_scores", upload=xlsx(rows, headers=list(rows[0]))
    )
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    assert (job.new, job.invalid) == (3, 1)
    commit(job, skip_invalid=True)
    assert Score.objects.count() == 4
    finished = client.post(f"{page}finish/", {"honours": "一等奖:1 二等奖:1"})
    assert finished.status_code == 302
    assert list(contest.entrants.order_by("rank").values_list("rank", "final_score", "honour")) == [
        (1, Decimal("84.00"), "一等奖"),
        (2, Decimal("73.00"), "二等奖"),
    ]
    # Hospital B reads the results; it runs nothing of A's.
    login(client, world.hospital_b)
    text = client.get(page).content.decode()
    assert "84.00" in text and "一等奖" in text and "结束竞赛" not in text
    assert client.post(f"{page}scores/", form).status_code == 403
