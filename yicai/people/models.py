"""Person profiles and what makes up a person's record."""

from typing import TypeAlias

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.access import pii
from yicai.modelkit import AccountKey, CodeKey, Link
from yicai.people.validators import not_before_1900, not_in_future
from yicai.validation import check_period, period_in_order
from yicai.versions import Versioned

PAST = [not_in_future, not_before_1900]


class FirstCharacter(models.Func):
    """The first character of a name: its surname, mostly (王). Written with literal numbers,
    not parameters, so that SQLite recognises the indexed expression in a query."""

    template = "SUBSTR(%(expressions)s, 1, 1)"
    arity = 1
    output_field = models.CharField()


class TitleGrade(models.TextChoices):
    """The title grades of GB/T 8561 as the people records keep them (TitleRecord.grade),
    lowest first: a programme may ask for at least one of them."""

    JUNIOR_ASSISTANT = "junior_assistant", _("初级（士级）")
    JUNIOR_PRACTITIONER = "junior_practitioner", _("初级（师级）")
    INTERMEDIATE = "intermediate", _("中级")
    ASSOCIATE_SENIOR = "associate_senior", _("副高级")
    SENIOR = "senior", _("正高级")


# A grade's rank (higher is more senior); a person without a title ranks 0.
GRADE_RANK = {value: rank for rank, value in enumerate(TitleGrade.values, start=1)}


# Links to code tables carry no index (yicai.modelkit.CodeKey says why); nor does
# Person.institution, which the person_institution index covers.
class SealedNumbers(models.Model):
    """Abstract base: a resident identity number and a phone number kept encrypted (sealed by
    people.identity), with a blind index to find the number and the last four digits to
    show; a person's, an applicant's, a directed student's."""

    id_number_cipher = models.TextField(_("身份证号（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, editable=False)
    id_number_last4 = models.CharField(max_length=4, blank=True, editable=False)
    phone_cipher = models.TextField(_("手机号（密文）"), blank=True, editable=False)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def id_number(self) -> str:
        return pii.decrypt(self.id_number_cipher)

    @property
    def phone(self) -> str:
        return pii.decrypt(self.phone_cipher)

    @property
    def id_number_masked(self) -> str:
        return pii.mask_last4(self.id_number_last4, 18)

    @property
    def phone_masked(self) -> str:
        return pii.mask_last4(self.phone_last4, 11)


class Person(Versioned, SealedNumbers):
    # What an edit refused for a stale version names (yicai.versions): search keys are not
    # worth naming, identifiers only by their last four digits.
    version_hidden_fields = ("name_initials", "name_pinyin", "title_grade")
    version_labels = {"id_number_last4": _("身份证号码"), "phone_last4": _("手机号码")}
    version_show = {
        "id_number_last4": lambda last4: pii.mask_last4(last4 or "", 18),
        "phone_last4": lambda last4: pii.mask_last4(last4 or "", 11),
    }

    class Category(models.TextChoices):
        STAFF = "staff", _("在编在岗职工")
        EXTERNAL_EXPERT = "external_expert", _("外聘专家")
        APPLICANT = "applicant", _("应聘人员")
        DIRECTED_STUDENT = "directed_student", _("订单定向医学生")
        # 科创人才 served by the 八个一 package (retention.care): not health staff, kept with
        # only what the service needs and no institution, so no headcount includes them.
        SERVED_TALENT = "served_talent", _("服务人才（科创人才）")

    name = models.CharField(_("姓名"), max_length=50)
    # Pinyin initials of the name ("zsf" for 张三丰), for search.
    name_initials = models.CharField(_("拼音首字母"), max_length=50, editable=False)
    # Full pinyin without tones or spaces ("chennan" for 陈楠): "chen" finds 陈.
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, editable=False)
    sex = CodeKey(_("性别"), "sex")
    birth_date = models.DateField(_("出生日期"), validators=PAST)
    ethnicity = CodeKey(_("民族"), "ethnicity", null=True)
    category = models.CharField(
        _("人员类别"), max_length=20, choices=Category.choices, default=Category.STAFF
    )
    source = CodeKey(_("人才来源"), "person_source", null=True)
    personnel_category = CodeKey(_("从事专业类别"), "personnel_category", null=True)
    # Kept by services from the records below, so lists filter and scope without joins.
    institution = Link(
        "org.Institution", _("所在机构"), related_name="people", null=True, db_index=False
    )
    department = Link("org.Department", _("所在科室"), related_name="people", null=True)
    practice_category = CodeKey(_("执业类别"), "practice_category", null=True)
    political_status = CodeKey(_("政治面貌"), "political_status", null=True)
    staffing = CodeKey(_("编制情况"), "staffing", null=True)
    # 参加工作时间: the start of the working life, which decides 工龄 (not the start at this
    # institution, which is the appointment's).
    work_start_on = models.DateField(_("参加工作时间"), null=True, blank=True, validators=PAST)
    position = models.CharField(_("职务/岗位"), max_length=60, blank=True)
    highest_education = CodeKey(_("最高学历"), null=True)
    current_title = CodeKey(_("现职称"), null=True)
    title_grade = models.CharField(_("职称级别"), max_length=24, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人才档案")
        verbose_name_plural = _("人才档案")
        ordering = ["name_pinyin", "id"]
        # What the person list and the pickers search and sort by, at a province's scale
        # (people.queries): the list's orders end in the id, so each index below gives a
        # page of the name order, or of a search, without reading the rest; the other orders
        # (age, title) sort what they read, as every index costs the 100,000-row import
        # time (bench/README.md: about 0.15 s each on SQLite). Prefixes are searched as
        # ranges, which these plain indexes serve on SQLite and PostgreSQL alike. Columns
        # compared only for equality are indexed here, not with db_index or unique: on
        # PostgreSQL those add a second, LIKE-pattern index that every insert pays for. On
        # PostgreSQL a GIN index on the name's characters (migration 0006) finds a name from
        # any part of it (people.queries.NameHas). The institution ends the pinyin and
        # initials indexes: a district's scope is checked from the index, without reading
        # the rows, when a common prefix is counted or initials are sorted.
        indexes = [
            models.Index(fields=["name_pinyin", "id", "institution"], name="person_name_pinyin"),
            # A surname (王) in list order: its own statistics tell the planner how common.
            models.Index(FirstCharacter("name"), "name_pinyin", "id", name="person_surname"),
            # Initials (zw) are found by range and sorted: the index holds what that needs.
            models.Index(
                fields=["name_initials", "name_pinyin", "id", "institution"],
                name="person_name_initials",
            ),
            models.Index(fields=["id_number_last4"], name="person_id_number_last4"),
            models.Index(fields=["institution"], name="person_institution"),
            models.Index(fields=["title_grade"], name="person_title_grade"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="person_unique_id_number")
        ]

    def __str__(self) -> str:
        return self.name


class Education(Versioned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="educations")
    level = CodeKey(_("学历"), "education")
    degree = CodeKey(_("学位"), "degree", null=True)
    # A roster often gives only the level (本科): school and date may be completed later, and
    # the person page and the incomplete-records list say what is missing.
    school = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    graduated_on = models.DateField(_("毕业时间"), validators=PAST, null=True, blank=True)
    full_time = models.BooleanField(_("全日制"), default=True)

    class Meta:
        verbose_name = _("学历学位")
        verbose_name_plural = _("学历学位")
        ordering = [models.F("graduated_on").desc(nulls_last=True), "-id"]
        # A person's education as of a day (queries.education_on), from the index alone.
        indexes = [
            models.Index(
                fields=["person", "graduated_on", "level"], name="education_person_graduated"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.school}"


class TitleRecord(Versioned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="titles")
    title = CodeKey(_("职称"), limit_choices_to={"table__key": "title", "parent__isnull": False})
    grade = models.CharField(_("级别"), max_length=24, editable=False)
    # Unknown when a roster gives only the title (住院医师): completed later.
    obtained_on = models.DateField(_("取得时间"), validators=PAST, null=True, blank=True)
    appointed_on = models.DateField(_("聘任时间"), validators=PAST, null=True, blank=True)

    class Meta:
        verbose_name = _("专业技术职务")
        verbose_name_plural = _("专业技术职务")
        ordering = [models.F("obtained_on").desc(nulls_last=True), "-id"]
        # A person's title grade as of a day (queries.grade_on), from the index alone.
        indexes = [
            models.Index(fields=["person", "obtained_on", "grade"], name="title_person_obtained")
        ]

    def __str__(self) -> str:
        return str(self.title)


class Licence(Versioned):
    class PracticeCategory(models.TextChoices):
        CLINICAL = "1", _("临床")
        DENTAL = "2", _("口腔")
        PUBLIC_HEALTH = "3", _("公共卫生")
        TCM = "4", _("中医")
        NURSING = "9", _("护士执业")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="licences")
    number = models.CharField(_("执业证书编号"), max_length=40)
    category = models.CharField(_("执业类别"), max_length=1, choices=PracticeCategory.choices)
    scope = models.CharField(_("执业范围"), max_length=100, blank=True)
    registered_institution = Link(
        "org.Institution", _("注册执业机构"), related_name="+", null=True, db_index=False
    )
    issued_on = models.DateField(_("发证日期"), validators=PAST, null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("执业证书")
        verbose_name_plural = _("执业证书")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["category", "number"], name="licence_unique_number")
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        check_period(self, _("有效期不能早于发证日期。"), "issued_on", "expires_on")


class Appointment(Versioned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    institution = Link("org.Institution", _("机构"), related_name="appointments")
    department = Link("org.Department", _("科室"), related_name="appointments", null=True)
    position = models.CharField(_("职务/岗位"), max_length=60, blank=True)
    # 分管科室: the specialties a hospital leader is in charge of on this post (a
    # vice-president in charge of obstetrics); a linked leader (挂钩领导) is chosen by them.
    departments_in_charge = models.ManyToManyField(
        "org.Department",
        blank=True,
        related_name="leader_appointments",
        verbose_name=_("分管科室"),
    )
    # Unknown when a roster gives the post but not 任职起始日期 (来院时间): completed later.
    start_on = models.DateField(_("起始日期"), validators=PAST, null=True, blank=True)
    end_on = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        ordering = [models.F("start_on").desc(nulls_last=True), "-id"]
        constraints = [period_in_order("appointment_dates_in_order")]
        # In post on a day (queries.in_post_on, posts_on), from the index alone.
        indexes = [
            models.Index(
                fields=["person", "start_on", "end_on", "institution", "department"],
                name="appointment_person_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.position}"

    def clean(self):
        check_period(self, _("截止日期不能早于起始日期。"))


class TalentTag(Versioned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    tag = CodeKey(_("人才标签"), "talent_tag")
    valid_from = models.DateField(_("认定日期"), validators=PAST)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人才标签")
        verbose_name_plural = _("人才标签")
        ordering = ["-valid_from"]
        constraints = [period_in_order("tag_dates_in_order", "valid_from", "valid_to")]
        # A tag's holders on a day (queries.tags_held_on: shortage talent on two days).
        indexes = [
            models.Index(fields=["tag", "valid_from", "valid_to", "person"], name="tag_validity")
        ]

    def __str__(self) -> str:
        return str(self.tag)

    def clean(self):
        check_period(self, _("有效期不能早于认定日期。"), "valid_from", "valid_to")


# The records a profile is made of; each belongs to one person.
RECORD_MODELS = (Education, TitleRecord, Licence, Appointment, TalentTag)
Record: TypeAlias = Education | TitleRecord | Licence | Appointment | TalentTag


class CorrectionRequest(models.Model):
    """A person asks for their own record to be corrected (PIPL art. 46); HR of their
    institution accepts it, then corrects the record through its usual pages, or rejects it
    with a reason. Every step is in the audit log."""

    class Topic(models.TextChoices):
        BASIC = "basic", _("基本信息（姓名、性别、出生日期、民族等）")
        IDENTITY = "identity", _("身份证号")
        CONTACT = "contact", _("手机号")
        POSITION = "position", _("工作单位、科室、岗位")
        EDUCATION = "education", _("学历学位")
        TITLE = "title", _("专业技术职称")
        LICENCE = "licence", _("执业证书")
        APPOINTMENT = "appointment", _("任职经历")
        TAG = "tag", _("人才标签")
        TRAINING = "training", _("培养与继续教育记录")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="correction_requests", verbose_name=_("人员")
    )
    requested_by = models.ForeignKey(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("申请人账号"),
    )
    topic = models.CharField(_("更正事项"), max_length=20, choices=Topic.choices)
    wrong = models.TextField(_("有误的内容"), max_length=1000)
    correct = models.TextField(_("应更正为"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    resolution = models.TextField(_("处理意见"), max_length=1000, blank=True)
    resolved_by = AccountKey(_("处理人"), null=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信息更正申请")
        verbose_name_plural = _("信息更正申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_status")]
        constraints = [
            # A resolved request says when; a rejected one says why.
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(resolved_at__isnull=False),
                name="correction_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(resolution=""),
                name="correction_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_topic_display()}"
