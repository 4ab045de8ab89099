"""Users, roles with data scopes, the security policy and the audit log."""

from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class User(AbstractUser):
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("对应人员"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


# Whoever a request carries (`request.user`): a signed-in account, or an anonymous visitor, who
# holds no roles and so is scoped to nothing. Reads accept either; writes take a `User`.
RequestUser: TypeAlias = User | AnonymousUser


def account_of(by: "RequestUser | None") -> "User | None":
    """The account to record as having acted: none for an anonymous visitor or a job."""
    return by if isinstance(by, User) and by.is_authenticated else None


class SignedInRequest(HttpRequest):
    """A request behind `login_required`, whose user is an account: an annotation for the
    views that act as that user (Django builds the request; nothing instantiates this)."""

    user: User


class Role(models.TextChoices):
    COMMISSION_ADMIN = "commission_admin", _("卫健委管理员")
    INSTITUTION_ADMIN = "institution_admin", _("机构管理员")
    DEPARTMENT_HEAD = "department_head", _("科室主任")
    MENTOR = "mentor", _("导师/专家")
    STAFF = "staff", _("职工")
    AUDITOR = "auditor", _("审计管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")


class Scope(models.TextChoices):
    ALL = "all", _("辖区全部")
    INSTITUTIONS = "institutions", _("指定机构")
    OWN_INSTITUTION = "own_institution", _("本机构")
    OWN_DEPARTMENT = "own_department", _("本科室及下级")
    SELF = "self", _("本人")
    NONE = "none", _("无业务数据")


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    scope = models.CharField(_("数据范围"), max_length=20, choices=Scope.choices)
    region = Link("org.Region", _("辖区"), null=True)
    institution = Link("org.Institution", _("机构"), related_name="+", null=True)
    institutions = models.ManyToManyField(
        "org.Institution", blank=True, related_name="+", verbose_name=_("指定机构")
    )
    department = Link("org.Department", _("科室"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} ({self.get_scope_display()})"


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


def policy_number(
    verbose_name: "StrOrPromise", *, default: int, between: tuple[int, int]
) -> "models.PositiveSmallIntegerField[int, int]":
    """A parameter of the policy: its default, and the range the administrator may set."""
    low, high = between
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MinValueValidator(low), MaxValueValidator(high)]
    )


class SecurityPolicy(models.Model):
    """等保 2.0 level-3 parameters; one row, editable by the security administrator."""

    min_length = policy_number(_("密码最小长度"), default=10, between=(8, 64))
    min_classes = policy_number(_("至少包含字符类别数"), default=3, between=(1, 4))
    history_count = policy_number(_("不得重复最近密码次数"), default=5, between=(0, 24))
    max_age_days = policy_number(_("密码有效期（天）"), default=90, between=(1, 365))
    lockout_failures = policy_number(_("登录失败锁定次数"), default=5, between=(1, 20))
    lockout_minutes = policy_number(_("锁定时长（分钟）"), default=15, between=(1, 1440))
    idle_minutes = policy_number(_("空闲超时（分钟）"), default=30, between=(1, 120))
    session_hours = policy_number(_("会话最长时长（小时）"), default=8, between=(1, 24))
    otp_roles = models.JSONField(
        _("须二次验证的角色"),
        default=list,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    DEFAULT_OTP_ROLES = (Role.COMMISSION_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "SecurityPolicy":
        policy = cls.objects.order_by("pk").first()
        if policy is None:
            policy = cls.objects.create(otp_roles=list(cls.DEFAULT_OTP_ROLES))
        return policy


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise PermissionDenied("audit entries are append-only")

    def _raw_delete(self, using: str | None) -> NoReturn:
        raise PermissionDenied("audit entries are append-only")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("audit entries are written one by one, into the hash chain")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("audit entries are append-only")


class AuditEntry(AbstractLogEntry):  # type: ignore[misc]  # auditlog ships no type information
    """django-auditlog's entry, plus event kind, institution, a sequence number and a keyed
    hash chain (yicai.access.audit).

    Entries are append-only: saving an existing row or deleting raises, and database triggers
    refuse UPDATE, DELETE and TRUNCATE unless our own purge or re-key command holds a permit
    inside its transaction (AuditPermit).
    """

    class Event(models.TextChoices):
        CHANGE = "change", _("数据变更")
        REVEAL = "reveal", _("查看完整证件号")
        REVEAL_PHONE = "reveal_phone", _("查看完整手机号")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        CONFIRM = "confirm", _("链接确认")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        OTP_RESET = "otp_reset", _("重置二次验证")
        ROLE_CHANGE = "role_change", _("角色变更")
        USER_CHANGE = "user_change", _("用户变更")
        POLICY_CHANGE = "policy_change", _("安全策略变更")
        PURGE = "purge", _("日志清理")
        RESEAL = "reseal", _("日志重新封存")
        REKEY = "rekey", _("审计密钥轮换")
        RESTORE = "restore", _("从备份恢复")

    # Deleting a content type must not cascade into the log: no constraint, no cascade; null
    # so that joins are outer and an entry whose type is gone still shows.
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    # Deleting a user or an institution must not rewrite (and so break) the chain.
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    event = models.CharField(_("事件"), max_length=20, choices=Event.choices, default="change")
    actor_institution = models.ForeignKey(
        "org.Institution",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("操作人机构"),
    )
    # Previous + 1 under the chain lock: primary keys may have gaps (PostgreSQL sequences),
    # sequence numbers may not, so verify names exactly which entries are missing.
    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = LogEntryManager.from_queryset(AuditEntryQuerySet)()

    class Meta(AbstractLogEntry.Meta):  # type: ignore[misc]  # auditlog: untyped, as above
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["event", "timestamp"])]
        # Django's internal paths (related access, deletion) use the append-only manager too.
        base_manager_name = "objects"

    ACTION_LABELS = {0: _("新增"), 1: _("修改"), 2: _("删除"), 3: _("访问")}

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    def save(self, *args: Any, **kwargs: Any) -> None:
        from yicai.access import audit

        if self.pk is not None:
            raise PermissionDenied("audit entries are append-only")
        with transaction.atomic():
            audit.chain(self)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("audit entries are append-only")


class AuditPermit(models.Model):
    """While a row exists here, the triggers on the audit table let UPDATE and DELETE through.
    Only `yicai audit purge` and `rekey` insert one, and remove it in the same transaction, so
    no other connection ever sees it; a row left behind is reported by `audit verify`."""

    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reason
