"""Recruitment plans in the demo district, made through the recruitment services, as Sixian's:
posts by the simplified procedure (clinical medicine, stomatology, imaging) run by the hospital
and by open recruitment run by the district human-resources bureau (clinical medicine, nursing,
laboratory, preventive medicine). Each hospital's plan of last year went through every step on
its real dates; this year the central hospital's is published, the next one's waits for the
commission, another's was returned with a reason, the rest are drafts. The people whose files
say they came by introduction, as returnees or as 三支一扶 volunteers in the last four years
have their introduction recorded, dated from their post.

Applicants (报名), through the same services: to each post of the large hospitals' plans of
last year, after the announcement; some refused by the review (too old, a 专科 education for a
本科 post), a blank education or a major worded otherwise left to an officer, who decided; one
withdrew and one missed the exam; the scores, with a tie at a post's last place settled by an
extra test; the medical and background checks, where one failed the medical and the next in
rank took the place; the public notice (公示) with one objection, found untrue; the hires once
it was over, on file as staff with their appointment, before the plan closed. This year's
published plan has applicants under review and scored, posts ready for the shortlist (one with
a tie at the last place, one waiting for an officer), and two posts further on: candidates in
the checks and one on a notice not over yet.

The partner agreements, with what each party undertakes (共建, 医联体, 专科联盟, 对口帮扶, a
university's for directed students). Four full-time introductions' entitlements (安家补贴 in
two tranches, 科研启动经费): one second tranche fallen due and unpaid (in the payments due),
two people who left early, the clawbacks of one waiting for the commission, of the other
approved. Directed students of both kinds at every stage: studying (enrolled over the last
five years, the district's own students among them), graduated and in residency training,
assigned a township health centre, serving there, one who served the years owed, one who left
early (the breach's repayment waiting for the commission). The central hospital's
名医专家聘请大会 of last spring (the partner hospitals' most senior experts, most of whom came)
and an expert who then brought two colleagues. Deterministic; loaded once (the part after the
plans also into a demo loaded before it)."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from yicai.access import pii
from yicai.access.models import User
from yicai.codes.models import Code
from yicai.demo import region as blueprint
from yicai.demo.generate import (
    COLLEGES,
    TOP_SCHOOLS,
    UNIVERSITIES,
    VOCATIONAL,
    Identity,
    add_years,
)
from yicai.demo.moments import on, restamp
from yicai.demo.names import NameMaker
from yicai.org.models import Department, Institution
from yicai.people.models import GRADE_RANK, Appointment, Person
from yicai.people.services import education_add
from yicai.recruitment import queries, services
from yicai.recruitment.models import (
    Application,
    DirectedContract,
    DirectedKind,
    Entitlement,
    Introduction,
    InvitationEvent,
    PartnerAgreement,
    Post,
    RecruitmentPlan,
    Tranche,
)

SIMPLIFIED, OPEN = Post.Procedure.SIMPLIFIED, Post.Procedure.OPEN
# GB/T 4658: 硕士研究生毕业, 大学本科毕业, 大学专科毕业, 中等专科毕业.
MASTER, BACHELOR, COLLEGE, SECONDARY = "14", "21", "31", "41"
# (post, specialty, department, procedure, places at a large hospital, minimum education)
POSTS = [
    ("临床医师（简易程序）", "临床医学", "急诊医学科", SIMPLIFIED, 12, BACHELOR),
    ("口腔医师", "口腔医学", "口腔科", SIMPLIFIED, 2, BACHELOR),
    ("影像医师", "医学影像学", "医学影像科", SIMPLIFIED, 3, BACHELOR),
    ("临床医师", "临床医学", "", OPEN, 6, BACHELOR),
    ("护士", "护理学", "护理部", OPEN, 8, COLLEGE),
    ("检验技师", "医学检验技术", "检验科", OPEN, 2, BACHELOR),
    ("公共卫生医师", "预防医学", "", OPEN, 1, BACHELOR),
]
RETURNED_BECAUSE = "护理岗位人数超出核定编制，请核减后重新报送。"
# How a person's file says they came (person_source), as an introduction's mode.
MODES = {
    "introduction": Introduction.Mode.FULL_TIME,
    "returnee": Introduction.Mode.RETURNEE,
    "three_supports": Introduction.Mode.THREE_SUPPORTS,
}
CATEGORIES = {
    "high_level": Introduction.Category.HIGH_LEVEL,
    "shortage": Introduction.Category.SHORTAGE,
}
EMPLOYERS = ("外省某三级甲等医院", "市级综合医院", "某医学院附属医院", "民营专科医院", "")


def is_loaded() -> bool:
    return RecruitmentPlan.objects.exists()


class Codes:
    """The education, degree and sex codes the applicants use, loaded once."""

    def __init__(self) -> None:
        rows = Code.objects.filter(table__key__in=("education", "degree", "sex"))
        self.found = {(code.table.key, code.code): code for code in rows.select_related("table")}

    def __call__(self, table: str, code: str) -> Code:
        return self.found[(table, code)]


def _plan(hospital: Institution, year: int, scale: float, codes: Codes) -> RecruitmentPlan:
    plan = services.plan_create(
        by=None,
        institution=hospital,
        year=year,
        title=f"{year}年度卫生专业技术人员招聘计划",
        note="公开招聘由区人力资源和社会保障局统一组织实施。",
    )
    departments = {d.name: d for d in Department.objects.filter(institution=hospital)}
    for name, specialty, department, procedure, places, education in POSTS:
        services.post_add(
            plan=plan,
            name=name,
            specialty=specialty,
            places=max(1, round(places * scale)),
            procedure=procedure,
            organiser=Post.Organiser.HR_BUREAU if procedure == OPEN else Post.Organiser.INSTITUTION,
            department=departments.get(department),
            min_education=codes("education", education),
            # A 本科 post asks for the bachelor's degree that goes with it (学士及以上学位).
            min_degree=codes("degree", "4") if education == BACHELOR else None,
            max_age=35,
        )
    return plan


def load_recruitment(*, today: datetime.date) -> int:
    """The plans, their applicants and the introductions; the partner agreements, the
    introductions' entitlements, the directed students and the expert network; how many
    records were made (none when they were there already)."""
    made = 0
    if not is_loaded():
        made += _plans(today)
    if not attraction_loaded():
        made += _attraction(today)
    return made


def _plans(today: datetime.date) -> int:
    """The plans, their applicants and the introductions."""
    commission = User.objects.filter(username="commission").first()
    hospitals = list(
        Institution.objects.filter(
            relation=Institution.Relation.MANAGED,
            kind__in=[Institution.Kind.GENERAL, Institution.Kind.TCM, Institution.Kind.SPECIALIST],
        ).order_by("-grade", "id")
    )
    last = datetime.date(today.year - 1, 1, 1)
    made = 0
    with transaction.atomic():
        codes = Codes()
        applicants = Applicants(random.Random(today.year), codes)  # noqa: S311 - demo data
        for rank, hospital in enumerate(hospitals):
            scale = 1.0 if rank == 0 else 0.5
            done = _plan(hospital, last.year, scale, codes)
            services.plan_submit(plan=done, on=last.replace(month=2, day=20))
            services.plan_approve(plan=done, by=commission, on=last.replace(month=3, day=3))
            done = services.plan_publish(plan=done, on=last.replace(month=3, day=15))
            # The two large (三级) hospitals, first by grade, had applicants last year.
            if rank < len(LAST_YEAR):
                made += LastYear(done, applicants, today, *LAST_YEAR[rank], central=rank == 0).run()
            services.plan_close(plan=done, on=last.replace(month=11, day=30))
            plan = _plan(hospital, today.year, scale, codes)
            if rank == 0:
                # Published weeks ago (on 1 January at the earliest), so that its applicants
                # have had time to apply and to sit the exams.
                sent = max(today - datetime.timedelta(days=60), today.replace(month=1, day=1))
                services.plan_submit(plan=plan, on=sent)
                services.plan_approve(
                    plan=plan, by=commission, on=min(sent + datetime.timedelta(days=7), today)
                )
                plan = services.plan_publish(
                    plan=plan, on=min(sent + datetime.timedelta(days=14), today)
                )
                made += ThisYear(plan, applicants, today).run()
            elif rank == 1:
                services.plan_submit(plan=plan, on=today)
            elif rank == 2:
                services.plan_submit(plan=plan, on=today)
                services.plan_return(plan=plan, by=commission, reason=RETURNED_BECAUSE, on=today)
            made += 2
        made += _introductions(today)
    return made


# --- Applicants ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a post's applicants studied: the degree a bachelor's of it confers (GB/T 6864),
    a master's, and how many of them are women."""

    bachelor: str
    master: str
    women: float


SUBJECTS = {
    "临床医学": Subject("410", "345", 0.45),
    "口腔医学": Subject("410", "350", 0.55),
    "医学影像学": Subject("410", "310", 0.45),
    "护理学": Subject("407", "", 0.92),
    "医学检验技术": Subject("407", "310", 0.6),
    "预防医学": Subject("410", "351", 0.55),
}
# A major worded otherwise than the post's specialty, which the review leaves to an officer:
# what the officer decided and why.
UNLIKE = {
    "临床医学": ("儿科学", True, "儿科学属临床医学类专业，经核对符合岗位专业要求。"),
    "医学影像学": (
        "医学影像技术",
        False,
        "医学影像技术属医学技术类专业，不符合影像医师岗位（医学影像学）的专业要求。",
    ),
    "护理学": ("助产学", True, "助产学属护理学类专业，经核对符合护士岗位的专业要求。"),
}
CHECKED_ORIGINALS = "已核验毕业证书、学位证书原件：大学本科毕业，{degree}，符合岗位条件。"
TIE_REASON = "与同分考生并列末位，经加试（专业技能操作）成绩较高，确定为体检人选。"
WITHDREW = "笔试前本人书面申请放弃考试。"
ABSENT = "未参加笔试，按缺考处理。"
UNFIT = "体检结论不合格（依据《公务员录用体检通用标准（试行）》复检确认）。"
OBJECTION = "来电反映该考生在校期间曾受纪律处分，报名时未如实说明。"
NOT_UPHELD = "经向毕业院校核实，该考生在校期间无任何处分记录，反映不属实。"


@dataclass(frozen=True)
class Cast:
    """Who applies to a post: `eligible` who meet every rule, and those the review refuses
    (too old, an education below the post's) or leaves to an officer (no education given, a
    major worded otherwise)."""

    eligible: int
    too_old: int = 0
    below: int = 0
    blank: bool = False
    unlike: bool = False


def _half(rng: random.Random, low: int, high: int) -> Decimal:
    """A score as markers give them, to the half point."""
    return Decimal(rng.randint(low * 2, high * 2)) / 2


class Applicants:
    """Made-up applicants: realistic names and schools, valid identity numbers that nobody
    on file or applying already has (each is new to the district until hired)."""

    def __init__(self, rng: random.Random, codes: Codes):
        self.rng = rng
        self.codes = codes
        self.names = NameMaker(rng)
        self.identity = Identity(rng)
        self.taken = set(
            Person.objects.exclude(id_number_index=None).values_list("id_number_index", flat=True)
        )

    def apply(
        self,
        post: Post,
        day: datetime.date,
        *,
        age: int,
        education: str | None,
        degree: str = "",
        major: str = "",
    ) -> Application:
        rng = self.rng
        published = post.plan.published_on or day
        male = rng.random() >= SUBJECTS[post.specialty].women
        # Of `age` full years on the announcement's day, which the review counts from.
        birth = published - datetime.timedelta(days=int((age + 0.05 + rng.random() * 0.9) * 365.25))
        area = self.identity.area()
        while True:
            number = self.identity.number(area, birth, male)
            index = pii.blind_index(number)
            if index not in self.taken:
                break
        self.taken.add(index)
        return services.application_create(
            by=None,
            post=post,
            name=self.names.name(male=male, birth_year=birth.year),
            id_number=number,
            phone=self.identity.phone(),
            sex=self.codes("sex", "1" if male else "2"),
            birth_date=birth,
            education=self.codes("education", education) if education else None,
            degree=self.codes("degree", degree) if degree else None,
            school=self._school(education, area) if education else "",
            major=major or post.specialty,
            applied_on=day,
        )

    def _school(self, education: str, area: str) -> str:
        province = "31" if self.rng.random() < 0.35 else area[:2]
        if education == MASTER:
            return self.rng.choice(TOP_SCHOOLS)
        table = {BACHELOR: UNIVERSITIES, COLLEGE: COLLEGES}.get(education, VOCATIONAL)
        return self.rng.choice(table.get(province, table[""]))

    def cast(
        self, post: Post, cast: Cast, first: datetime.date, last: datetime.date
    ) -> list[Application]:
        """The post's applicants, each on a day from `first` to `last`, in the order they
        applied."""
        rng = self.rng
        subject = SUBJECTS[post.specialty]
        bachelor_post = post.min_education is not None and post.min_education.code == BACHELOR
        wanted: list[dict] = []
        for _number in range(cast.eligible):
            if bachelor_post:
                master = bool(subject.master) and rng.random() < 0.2
                wanted.append(
                    {"age": rng.randint(26, 32), "education": MASTER, "degree": subject.master}
                    if master
                    else {
                        "age": rng.randint(22, 30),
                        "education": BACHELOR,
                        "degree": subject.bachelor,
                    }
                )
            elif rng.random() < 0.5:
                wanted.append({"age": rng.randint(20, 28), "education": COLLEGE})
            else:
                wanted.append(
                    {"age": rng.randint(22, 30), "education": BACHELOR, "degree": subject.bachelor}
                )
        for _number in range(cast.too_old):
            wanted.append(
                {"age": rng.randint(37, 42), "education": BACHELOR, "degree": subject.bachelor}
            )
        for _number in range(cast.below):
            # A 专科 for a 本科 post (no degree goes with it); a 中专 for a 专科 one.
            wanted.append(
                {"age": rng.randint(21, 28), "education": COLLEGE if bachelor_post else SECONDARY}
            )
        if cast.blank:
            wanted.append(
                {"age": rng.randint(23, 29), "education": None, "degree": subject.bachelor}
            )
        if cast.unlike:
            wanted.append(
                {
                    "age": rng.randint(22, 29),
                    "education": BACHELOR,
                    "degree": subject.bachelor,
                    "major": UNLIKE[post.specialty][0],
                }
            )
        rng.shuffle(wanted)
        span = max((last - first).days, 0)
        days = sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in wanted)
        return [self.apply(post, day, **details) for day, details in zip(days, wanted, strict=True)]


class Recruiting:
    """One plan's applicants, from the review to the hires, step by step through the
    services; the steps the plans of both years share."""

    def __init__(self, plan: RecruitmentPlan, applicants: Applicants, today: datetime.date):
        self.plan = plan
        self.applicants = applicants
        self.rng = applicants.rng
        self.today = today
        self.posts = {
            post.name: post for post in plan.posts.select_related("plan", "min_education")
        }

    def waiting(self, post: Post, status: str = Application.Status.ELIGIBLE) -> list[Application]:
        return list(post.applications.filter(status=status).order_by("id"))

    def decide(self, post: Post) -> None:
        """The officer decides what the review left: checked the certificates of who gave no
        education; judged a major worded otherwise."""
        for application in self.waiting(post, Application.Status.APPLIED):
            if application.education_id is None:
                degree = application.degree.name if application.degree else ""
                eligible, reason = True, CHECKED_ORIGINALS.format(degree=degree)
            else:
                _major, eligible, reason = UNLIKE[post.specialty]
            services.eligibility_decide(
                application=application, by=None, eligible=eligible, reason=reason
            )

    def scores(self, post: Post, number: int, tie_at: int | None = None) -> None:
        """The exams' scores of the post's eligible applicants, with their exam numbers;
        `tie_at`: the place whose scores the next one shares to the half point."""
        waiting = self.waiting(post)
        drawn = [(_half(self.rng, 58, 92), _half(self.rng, 62, 94)) for _ in waiting]
        if tie_at is not None and tie_at < len(drawn):
            weights = (self.plan.written_weight, self.plan.interview_weight)
            order = sorted(
                range(len(drawn)),
                key=lambda i: (
                    -(drawn[i][0] * weights[0] + drawn[i][1] * weights[1]),
                    -drawn[i][1],
                ),
            )
            drawn[order[tie_at]] = drawn[order[tie_at - 1]]
        for seat, (application, (written, interview)) in enumerate(
            zip(waiting, drawn, strict=True), start=1
        ):
            services.application_scores(
                application=application,
                written_score=written,
                interview_score=interview,
                exam_number=f"{self.plan.year}{number:02d}{seat:03d}",
            )

    def shortlist(self, post: Post) -> None:
        """The medical check's candidates by rank; a tie at the last place settled by an extra
        test, for as many places as are left."""
        found = services.post_shortlist(post=post)
        holding = post.applications.filter(status__in=queries.HOLDING_PLACE).count()
        for application in found.tied[: post.places - holding]:
            services.application_shortlist(application=application, reason=TIE_REASON)

    def check(self, post: Post, status: str, *, unfit: Application | None = None) -> None:
        """The medical (or background) check of the post's candidates at `status`: passed,
        except `unfit`."""
        for application in self.waiting(post, status):
            if application == unfit:
                services.application_check(application=application, passed=False, reason=UNFIT)
            else:
                services.application_check(application=application, passed=True)

    def restamp(self) -> None:
        """Each application registered on the day the applicant applied."""
        for application in Application.objects.filter(post__plan=self.plan).order_by("id"):
            hour = 9 + application.pk % 8
            restamp(application, created_at=on(application.applied_on, self.today, hour))


# Last year's plans of the large hospitals, in their order: the notice's first day and the
# hires' (after the notice and before the plan closes on 30 November).
LAST_YEAR = [((8, 3), (9, 1)), ((7, 20), (8, 10))]
NOTICE_DAYS = 7  # 公示期


class LastYear(Recruiting):
    """A plan of last year, every step on its day."""

    def __init__(
        self,
        plan: RecruitmentPlan,
        applicants: Applicants,
        today: datetime.date,
        notice: tuple[int, int],
        hire: tuple[int, int],
        *,
        central: bool,
    ):
        super().__init__(plan, applicants, today)
        # The central hospital's plan holds the story's turns (a withdrawal, an absence, a
        # tie, a failed medical check, an objection); the other one runs plainly.
        self.central = central
        year = plan.year
        self.notice_on = datetime.date(year, *notice)
        self.hire_on = datetime.date(year, *hire)

    def run(self) -> int:
        published = self.plan.published_on or self.notice_on
        first, last = (
            published + datetime.timedelta(days=1),
            published + datetime.timedelta(days=26),
        )
        posts = list(self.posts.values())
        for number, post in enumerate(posts):
            # A few more qualified applicants than places; fewer for a post of many places,
            # which the year's figures then show filled short of the plan.
            eligible = post.places + 2 if post.places < 10 else post.places - 3
            cast = Cast(
                eligible,
                too_old=number % 2 == 0,
                below=number % 3 == 1,
                blank=number == 0,
                unlike=post.specialty in UNLIKE and number > 0,
            )
            self.applicants.cast(post, cast, first, last)
            self.decide(post)
        if self.central:
            clinician, nurse = self.posts["临床医师"], self.posts["护士"]
            services.application_out(
                application=self.waiting(clinician)[-1], withdrawn=True, reason=WITHDREW
            )
            services.application_out(
                application=self.waiting(nurse)[0], withdrawn=False, reason=ABSENT
            )
        for number, post in enumerate(posts, start=1):
            tie = self.central and post.name == "影像医师"
            self.scores(post, number, tie_at=post.places if tie else None)
            self.shortlist(post)
            unfit = None
            if self.central and post.name == "护士":
                # The third in rank fails the medical check; the next in rank takes the place.
                unfit = queries.post_ranking(post)[2].application
            self.check(post, Application.Status.MEDICAL, unfit=unfit)
            if unfit is not None:
                self.shortlist(post)
                self.check(post, Application.Status.MEDICAL)
            self.check(post, Application.Status.BACKGROUND)
        ends = self.notice_on + datetime.timedelta(days=NOTICE_DAYS - 1)
        notice = services.notice_publish(
            plan=self.plan,
            by=None,
            starts_on=self.notice_on,
            ends_on=ends,
            title=f"{self.plan.institution.name}{self.plan.year}年度拟聘用人员公示",
        )
        restamp(notice, created_at=on(self.notice_on, self.today, 9))
        if self.central:
            top = queries.post_ranking(posts[0])[0].application
            objection = services.objection_record(
                application=top,
                received_on=self.notice_on + datetime.timedelta(days=2),
                content=OBJECTION,
            )
            services.objection_resolve(
                objection=objection,
                by=None,
                upheld=False,
                resolution=NOT_UPHELD,
                on=self.notice_on + datetime.timedelta(days=4),
            )
        for application in notice.applications.order_by("post", "id"):
            services.application_hire(application=application, on=self.hire_on)
        self.restamp()
        return Application.objects.filter(post__plan=self.plan).count()


class ThisYear(Recruiting):
    """This year's published plan, for a visitor to carry on: applicants under review (one
    with no education given, one with a major worded otherwise, both waiting for an officer)
    and refused; posts scored and ready for the shortlist (口腔医师 with a tie at its last
    place; 临床医师（简易程序） once the officer has decided and scored the one waiting), posts
    still waiting for their scores (a sheet to import); 影像医师 in the checks and 公共卫生医师
    on a notice that is not over yet."""

    CASTS = {
        "临床医师（简易程序）": Cast(13, below=1, blank=True),
        "口腔医师": Cast(4, too_old=1),
        "影像医师": Cast(5, unlike=True),
        "临床医师": Cast(6, too_old=1),
        "护士": Cast(8, below=1, unlike=True),
        "检验技师": Cast(3),
        "公共卫生医师": Cast(3),
    }
    # The posts whose exams are over, and the place a tie is at.
    SCORED = {"临床医师（简易程序）": None, "口腔医师": 2, "影像医师": None, "公共卫生医师": None}

    def run(self) -> int:
        published = self.plan.published_on or self.today
        last = min(published + datetime.timedelta(days=12), self.today)
        for name, cast in self.CASTS.items():
            self.applicants.cast(self.posts[name], cast, published, last)
        imaging, public_health = self.posts["影像医师"], self.posts["公共卫生医师"]
        self.decide(imaging)
        for number, post in enumerate(self.posts.values(), start=1):
            if post.name in self.SCORED:
                self.scores(post, number, tie_at=self.SCORED[post.name])
        self.shortlist(public_health)
        self.check(public_health, Application.Status.MEDICAL)
        self.check(public_health, Application.Status.BACKGROUND)
        starts = max(published, self.today - datetime.timedelta(days=2))
        notice = services.notice_publish(
            plan=self.plan,
            by=None,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=NOTICE_DAYS - 1),
            title=f"{self.plan.institution.name}{self.plan.year}年度拟聘用人员公示（第一批）",
        )
        restamp(notice, created_at=on(starts, self.today, 9))
        # 影像医师: the first in rank passed both checks, the second the medical one, the
        # third waits for the medical check's result.
        self.shortlist(imaging)
        first, second = (line.application for line in queries.post_ranking(imaging)[:2])
        services.application_check(application=first, passed=True)
        services.application_check(application=first, passed=True)
        services.application_check(application=second, passed=True)
        self.restamp()
        return Application.objects.filter(post__plan=self.plan).count()


def _introductions(today: datetime.date) -> int:
    """An introduction for each person who came so in the last four years, from their post."""
    since = today.replace(year=today.year - 4)
    posts = (
        Appointment.objects.filter(
            end_on__isnull=True,
            start_on__gte=since,
            person__source__code__in=MODES,
            institution__relation=Institution.Relation.MANAGED,
        )
        .select_related("person__source", "institution", "department")
        .order_by("person_id", "id")
    )
    made, seen = 0, set()
    for post in posts:
        person, source = post.person, post.person.source
        if person.pk in seen or source is None or post.start_on is None:
            continue
        seen.add(person.pk)
        mode = MODES[source.code]
        tags = set(person.tags.values_list("tag__code", flat=True))
        category = next(
            (CATEGORIES[tag] for tag in ("high_level", "shortage") if tag in tags),
            Introduction.Category.OTHER,
        )
        services.introduction_create(
            by=None,
            person=person,
            institution=post.institution,
            department=post.department,
            introduced_on=post.start_on,
            mode=mode,
            category=category,
            previous_employer=EMPLOYERS[person.pk % len(EMPLOYERS)],
            service_years=5 if mode == Introduction.Mode.FULL_TIME else None,
        )
        made += 1
    return made


# --- Partner agreements, entitlements, directed students and the expert network ------------


def attraction_loaded() -> bool:
    """Whether what came after the plans is there (a demo loaded before it was not)."""
    return (
        PartnerAgreement.objects.exists()
        or Entitlement.objects.exists()
        or DirectedContract.objects.exists()
        or InvitationEvent.objects.exists()
    )


def _attraction(today: datetime.date) -> int:
    commission = User.objects.filter(username="commission").first()
    with transaction.atomic():
        made = _agreements(today)
        made += _entitlements(today, commission)
        made += _directed(today)
        made += _network(today)
    return made


def _institution(key: str) -> Institution | None:
    unit = next(unit for unit in (*blueprint.MANAGED, *blueprint.PARTNERS) if unit.key == key)
    return Institution.objects.filter(name=unit.name).first()


AgreementKind = PartnerAgreement.Kind
# (institution, department, partner hospital or None, partner named instead, kind, title,
# signed, starts, ends: (years from this year, month, day)), and what the parties undertake.
AGREEMENTS = [
    (
        (
            "central",
            "心血管内科",
            "zhongshan",
            "",
            AgreementKind.CO_BUILDING,
            "心血管内科专科共建协议",
        ),
        ((-4, 3, 20), (-4, 4, 1), (1, 3, 31)),
        "中山医院心血管内科每周派驻副主任医师及以上专家 1 名坐诊、查房；每年接收本院心血管内科"
        "医师 2 名免费进修；共同建设胸痛中心，带教冠状动脉介入诊疗技术；联合申报区级以上科研课题。",
    ),
    (
        ("integrated", "", "yangpu", "", AgreementKind.ALLIANCE, "同济杨浦医院医联体合作协议"),
        ((-3, 6, 10), (-3, 7, 1), None),
        "建立双向转诊绿色通道；骨科、神经内科专家每月下沉坐诊不少于 4 次；检查检验结果互认；"
        "本院医护人员优先参加对方举办的继续医学教育项目。",
    ),
    (
        ("central", "病理科", "pumch", "", AgreementKind.SPECIALTY_ALLIANCE, "病理专科联盟协议"),
        ((-2, 8, 25), (-2, 9, 1), (1, 8, 31)),
        "加入协和医院牵头的病理专科联盟：疑难病例远程病理会诊，术中冰冻切片远程诊断；统一质控"
        "标准，每年参加室间质评；每年接收本院病理医师 1 名短期进修。",
    ),
    (
        ("maternity", "儿科", "pku1", "", AgreementKind.PAIRED_ASSISTANCE, "儿科对口帮扶协议"),
        ((-5, 2, 15), (-5, 3, 1), (-2, 2, 28)),
        "北大医院儿科每季度派驻专家驻点帮扶 1 个月；指导新生儿复苏与儿童重症救治；帮助建立儿科"
        "常见病规范化诊疗流程。",
    ),
    (
        (
            "central",
            "",
            None,
            "复旦大学上海医学院",
            AgreementKind.COOPERATION,
            "订单定向医学生培养与实习基地合作协议",
        ),
        ((-6, 7, 1), (-6, 9, 1), None),
        "学院为本区培养农村订单定向医学生，本院为临床实习基地和住院医师规范化培训协同单位；"
        "毕业生按协议到本区社区卫生服务中心、镇卫生院服务；双方共同开展全科医学师资培训。",
    ),
]


def _on(today: datetime.date, offset: tuple[int, int, int]) -> datetime.date:
    years, month, day = offset
    return datetime.date(today.year + years, month, day)


def _agreements(today: datetime.date) -> int:
    """The district's partner agreements, each with what the parties undertake."""
    made = 0
    for (unit, department, partner, partner_name, kind, title), days, terms in AGREEMENTS:
        institution = _institution(unit)
        signed, starts, ends = days
        if institution is None:
            continue
        agreement = services.agreement_create(
            by=None,
            institution=institution,
            department=Department.objects.filter(institution=institution, name=department).first()
            if department
            else None,
            partner=_institution(partner) if partner else None,
            partner_name=partner_name,
            kind=kind,
            title=title,
            signed_on=_on(today, signed),
            starts_on=_on(today, starts),
            ends_on=_on(today, ends) if ends else None,
            terms=terms,
        )
        restamp(agreement, created_at=on(agreement.signed_on, today, 15))
        made += 1
    return made


# --- Entitlements ------------------------------------------------------------------------

SETTLEMENT, RESEARCH = Decimal("200000"), Decimal("100000")
FIRST_YEAR = "首年考核合格后"
LEFT_BECAUSE = ("调往外省三级医院工作", "因家庭原因辞职")
DECIDED = "经审核，按引进协议约定比例退还安家补贴、全额退还科研启动经费。"


def _grant(introduction: Introduction) -> tuple[Entitlement, Entitlement]:
    """安家补贴 in two tranches (on arrival, after the first year's review), repaid pro rata;
    科研启动经费 at once, repaid in full: as the district's policy for introduced talent."""
    day = introduction.introduced_on
    settlement = services.entitlement_add(
        introduction=introduction,
        kind=Entitlement.Kind.SETTLEMENT,
        amount=SETTLEMENT,
        tranches=[
            (SETTLEMENT / 2, day + datetime.timedelta(days=30), "到岗后一个月内"),
            (SETTLEMENT / 2, services.add_months(day, 12), FIRST_YEAR),
        ],
        note="按引进人才安家补贴政策分两期发放。",
    )
    research = services.entitlement_add(
        introduction=introduction,
        kind=Entitlement.Kind.RESEARCH,
        amount=RESEARCH,
        tranches=[(RESEARCH, day + datetime.timedelta(days=90), "科研项目立项后")],
        repayment=Entitlement.Repayment.FULL,
    )
    return settlement, research


def _pay(tranche: Tranche, today: datetime.date) -> None:
    """Paid twelve days after it fell due, as the finance office does."""
    paid_on = min(tranche.due_on + datetime.timedelta(days=12), today)
    services.tranche_pay(
        tranche=tranche, by=None, paid_on=paid_on, voucher=f"财{paid_on:%Y%m}{tranche.pk:04d}"
    )


def _entitlements(today: datetime.date, commission: User | None) -> int:
    """Four full-time introductions' entitlements (of people on no demo account and in no
    mentorship or secondment): the latest whose first year is over, its second 安家补贴
    tranche fallen due lately and waiting to be paid; the latest of all, paid so far as due;
    the two earliest, who left early, the clawbacks of one waiting for the commission, of the
    other approved."""
    introductions = list(
        Introduction.objects.filter(
            mode=Introduction.Mode.FULL_TIME,
            service_years__isnull=False,
            person__user__isnull=True,
            person__mentorships_led__isnull=True,
            person__apprenticeships__isnull=True,
            person__secondments__isnull=True,
        )
        .select_related("person", "institution")
        .order_by("introduced_on", "id")
    )
    # Arrived a year and a half ago or more: time to have left since.
    leaving = [i for i in introductions if i.introduced_on <= today - datetime.timedelta(days=550)]
    leaving = leaving[:2]
    year_over = [
        i
        for i in introductions
        if services.add_months(i.introduced_on, 12) <= today - datetime.timedelta(days=14)
        and i not in leaving
    ]
    if len(leaving) < 2 or not year_over or introductions[-1] in (*leaving, year_over[-1]):
        return 0  # a district too small for the story
    due, latest = year_over[-1], introductions[-1]
    # The leavers' day: some fourteen months in, before the five years owed were served.
    left = {
        introduction.pk: min(
            services.add_months(introduction.introduced_on, 14 + number),
            today - datetime.timedelta(days=40),
        )
        for number, introduction in enumerate(leaving)
    }
    made = 0
    for introduction in (due, latest, *leaving):
        until = left.get(introduction.pk, today)
        for entitlement in _grant(introduction):
            made += 1
            for tranche in entitlement.tranches.order_by("number"):
                if tranche.due_on + datetime.timedelta(days=12) > until:
                    continue  # not due yet (or not before they left)
                if introduction is due and tranche.condition == FIRST_YEAR:
                    continue  # fallen due, waiting for the finance office: payments due
                _pay(tranche, today)
    for number, introduction in enumerate(leaving):
        left_on = left[introduction.pk]
        clawbacks = services.introduction_leave(
            introduction=introduction, left_on=left_on, reason=LEFT_BECAUSE[number]
        )
        for clawback in clawbacks:
            restamp(clawback, created_at=on(left_on, today, 16))
            if number == 1:
                services.clawback_decide(
                    clawback=clawback,
                    by=commission,
                    approve=True,
                    reason=DECIDED,
                    on=left_on + datetime.timedelta(days=21),
                )
    return made


# --- Directed students -------------------------------------------------------------------

ORDER, RURAL = "order_directed", "rural_doctor"
Status = DirectedContract.Status


@dataclass(frozen=True)
class Terms:
    """A kind's contracts as the district signs them: where they study, for how long, the
    fees the sponsor covers, what a breach repays, the penalty."""

    schools: tuple[str, ...]
    major: str
    years: int  # of study
    education: str  # GB/T 4658, once graduated
    degree: str
    fees: Decimal
    repayment: str
    penalty: Decimal


TERMS = {
    ORDER: Terms(
        ("复旦大学上海医学院", "上海交通大学医学院", "上海中医药大学"),
        "临床医学",
        5,
        BACHELOR,
        "410",
        Decimal("60000"),
        DirectedContract.Repayment.FULL,
        Decimal("20000"),
    ),
    RURAL: Terms(
        ("上海健康医学院", "上海医药高等专科学校"),
        "临床医学（乡村医生方向）",
        3,
        COLLEGE,
        "",
        Decimal("24000"),
        DirectedContract.Repayment.PRO_RATA,
        Decimal("0"),
    ),
}
# (kind, years before the last graduation they enrolled, how many, where they are now)
COHORTS = [
    (ORDER, 4, 4, Status.STUDYING),  # 2021, 2022 and 2023 for a demo of the first half of 2026
    (ORDER, 3, 3, Status.STUDYING),
    (ORDER, 2, 2, Status.STUDYING),
    (RURAL, 2, 2, Status.STUDYING),
    (RURAL, 1, 3, Status.STUDYING),
    (RURAL, 0, 3, Status.STUDYING),
    (ORDER, 5, 2, Status.GRADUATED),  # in residency training (规培) since
    (RURAL, 3, 1, Status.PLACED),
    (ORDER, 8, 1, Status.PLACED),  # residency training done
    (RURAL, 5, 1, Status.IN_SERVICE),
    (ORDER, 9, 1, Status.IN_SERVICE),
    (ORDER, 10, 1, Status.IN_SERVICE),
    (RURAL, 6, 1, Status.BREACHED),
    (ORDER, 16, 1, Status.FULFILLED),
]
RESIDENCY = 3  # years of standardised residency training before an order-directed start
BREACH_REASON = "考取全日制硕士研究生，申请离岗"
TOWNSHIPS = ("township_luojing", "township_luodian", "township_gucun")


def last_graduation(today: datetime.date) -> int:
    """The year of the last graduation day (30 June) on or before `today`: a class graduating
    after it is still studying."""
    return today.year if today >= datetime.date(today.year, 6, 30) else today.year - 1


class NewStudents:
    """Made-up students with valid identity numbers nobody on file, applying or under
    contract has."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names = NameMaker(rng)
        self.identity = Identity(rng)
        self.taken = {
            *Person.objects.exclude(id_number_index=None).values_list("id_number_index", flat=True),
            *Application.objects.exclude(id_number_index=None).values_list(
                "id_number_index", flat=True
            ),
        }

    def one(self, enrolled: int) -> tuple[str, str, str]:
        """A name, an identity number and a phone, of someone who enrolled at 18."""
        male = self.rng.random() < 0.5
        birth = datetime.date(enrolled - 18, self.rng.randint(1, 8), self.rng.randint(1, 28))
        area = self.rng.choice(("310113", "310113", "310230", "341324", "320583"))
        while pii.blind_index(number := self.identity.number(area, birth, male)) in self.taken:
            pass
        self.taken.add(pii.blind_index(number))
        return self.names.name(male=male, birth_year=birth.year), number, self.identity.phone()


def _directed(today: datetime.date) -> int:
    """Directed students of both kinds at every stage: studying (the district's own students
    among them), graduated and in residency training, assigned a place, serving at a township
    health centre, one who served the years owed, one who left early (a breach, its repayment
    waiting for the commission)."""
    central = _institution("central")
    places = [place for key in TOWNSHIPS if (place := _institution(key)) is not None]
    if central is None or not places:
        return 0
    kinds = {kind.code: kind for kind in DirectedKind.objects.all()}
    codes = Codes()
    students = NewStudents(random.Random(today.year * 31 + 7))  # noqa: S311 - demo data
    made = 0
    for kind, back, count, status in COHORTS:
        terms = TERMS[kind]
        enrolled = last_graduation(today) - back
        for number in range(count):
            name, id_number, phone = students.one(enrolled)
            place = places[(made + number) % len(places)]
            contract = services.directed_contract_create(
                by=None,
                kind=kinds[kind],
                name=name,
                id_number=id_number,
                phone=phone,
                school=terms.schools[(made + number) % len(terms.schools)],
                major=terms.major,
                enrolled_year=enrolled,
                graduation_year=enrolled + terms.years,
                # A rural doctor is the township health centre's; an order-directed student
                # the district's, signed by the central hospital.
                sponsor=place if kind == RURAL else central,
                fees_covered=terms.fees,
                repayment=terms.repayment,
                penalty=terms.penalty,
            )
            restamp(contract, created_at=on(datetime.date(enrolled, 9, 10), today, 10))
            if status != Status.STUDYING:
                _carried(contract, status, place, terms, codes, today)
        made += count
    return made + _own_students(today, central, kinds[ORDER])


def _carried(
    contract: DirectedContract,
    status: str,
    place: Institution,
    terms: Terms,
    codes: Codes,
    today: datetime.date,
) -> None:
    """A contract carried through the services to `status`, each step on its day; the
    graduate's file completed with their education."""
    graduated_on = datetime.date(contract.graduation_year, 6, 30)
    contract = services.directed_graduate(contract=contract, on=graduated_on)
    person = contract.person
    assert person is not None  # noqa: S101 - the graduation put them on file
    education_add(
        person=person,
        level=codes("education", terms.education),
        degree=codes("degree", terms.degree) if terms.degree else None,
        school=contract.school,
        major=contract.major,
        graduated_on=graduated_on,
    )
    if status == Status.GRADUATED:
        return
    contract = services.directed_assign(contract=contract, service_place=place)
    if status == Status.PLACED:
        return
    residency = RESIDENCY if terms.years == 5 else 0
    started = datetime.date(contract.graduation_year + residency, 8, 1)
    department = Department.objects.filter(institution=place, name="全科医学科").first()
    contract = services.directed_start(
        contract=contract, on=started, service_place=place, department=department
    )
    if status == Status.FULFILLED:
        last_day = services.service_last_day(contract)
        assert last_day is not None  # noqa: S101 - started
        services.directed_fulfil(contract=contract, on=last_day)
    elif status == Status.BREACHED:
        left_on = min(add_years(started, 1.6), today - datetime.timedelta(days=60))
        breach = services.directed_leave(contract=contract, on=left_on, reason=BREACH_REASON).breach
        restamp(breach, created_at=on(left_on, today, 16))


def _own_students(today: datetime.date, central: Institution, kind: DirectedKind) -> int:
    """The contracts of the order-directed students the district's files already hold (在读):
    bound for the health centre their file names, enrolled the year they left school."""
    made = 0
    students = Person.objects.filter(
        category=Person.Category.DIRECTED_STUDENT, directed_contracts__isnull=True
    )
    for person in students.order_by("pk"):
        school = person.educations.order_by("-graduated_on").first()
        left_school = school.graduated_on if school and school.graduated_on else None
        enrolled = left_school.year if left_school else person.birth_date.year + 18
        enrolled = max(enrolled, last_graduation(today) - 4)  # still studying
        terms = TERMS[ORDER]
        contract = services.directed_contract_create(
            by=None,
            kind=kind,
            name=person.name,
            id_number=person.id_number,
            school=terms.schools[person.pk % len(terms.schools)],
            major=terms.major,
            enrolled_year=enrolled,
            sponsor=central,
            service_place=person.institution,
            fees_covered=terms.fees,
            repayment=terms.repayment,
            penalty=terms.penalty,
        )
        restamp(contract, created_at=on(datetime.date(enrolled, 9, 10), today, 10))
        made += 1
    return made


# --- The expert network ------------------------------------------------------------------

EVENT_NOTE = "聘请合作医院名医专家为我院特聘专家，颁发聘书并座谈工作计划。"
ABSENT_NOTE = "因手术安排未能到场，会后补发聘书"
REFERRED_NOTE = "经{name}引荐来院坐诊、会诊，并带教本院骨干"


def _network(today: datetime.date) -> int:
    """The central hospital's 名医专家聘请大会 of last spring, inviting the partner hospitals'
    most senior experts, most of whom came; and one who came and then brought two colleagues
    of their hospital (as Changtai's urologist brought a hepatobiliary surgeon and a
    respiratory specialist)."""
    central = _institution("central")
    experts = list(
        Person.objects.filter(
            category=Person.Category.EXTERNAL_EXPERT,
            institution__relation=Institution.Relation.PARTNER,
        )
        .select_related("institution", "department")
        .order_by("institution_id", "pk")
    )
    if central is None or len(experts) < 3:
        return 0
    by_hospital: dict[int | None, list[Person]] = {}
    for expert in experts:
        by_hospital.setdefault(expert.institution_id, []).append(expert)
    # The two most senior of each hospital, in turn: eight at most.
    ranked = {
        key: sorted(people, key=lambda p: (-GRADE_RANK.get(p.title_grade, 0), p.pk))
        for key, people in by_hospital.items()
    }
    invited = [people[i] for i in range(2) for people in ranked.values() if i < len(people)][:8]
    held_on = min(datetime.date(today.year - 1, 4, 18), today)
    event = services.event_create(
        by=None,
        institution=central,
        title=f"{held_on.year}年名医专家聘请大会",
        held_on=held_on,
        note=EVENT_NOTE,
    )
    restamp(event, created_at=on(held_on - datetime.timedelta(days=10), today, 11))
    absent = max(1, len(invited) // 4)
    for number, expert in enumerate(invited):
        came = number < len(invited) - absent
        services.invitee_add(
            by=None, event=event, person=expert, attended=came, note="" if came else ABSENT_NOTE
        )
    # The first who came brings two colleagues of their hospital (of others when it has none).
    referrer = invited[0]
    colleagues = [p for p in ranked[referrer.institution_id] if p not in invited]
    others = [p for p in experts if p not in invited and p not in colleagues]
    referred = (colleagues + others + [p for p in invited if p != referrer])[:2]
    for number, person in enumerate(referred):
        referral = services.referral_create(
            by=None,
            institution=central,
            referrer=referrer,
            referred=person,
            referred_on=min(held_on + datetime.timedelta(days=40 + 20 * number), today),
            note=REFERRED_NOTE.format(name=referrer.name),
        )
        restamp(referral, created_at=on(referral.referred_on, today, 14))
    return 1 + len(invited) + len(referred)
