"""Business actions on users, roles and the security policy."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yicai.access import audit, passwords
from yicai.access.models import (
    AuditEntry,
    PasswordHistory,
    Role,
    RoleAssignment,
    Scope,
    SecurityPolicy,
    User,
)
from yicai.access.scope import OVERSIGHT_ROLES, SEPARATED_ROLES, roles

# A people.Person, or org's Region, Institution or Department: access stands below both apps
# and imports neither (.importlinter), so it names them by what they are to it.
Related = Any

# The scopes each role may be given; the first is its default.
ROLE_SCOPES: dict[str, list[str]] = {
    Role.COMMISSION_ADMIN: [Scope.ALL, Scope.INSTITUTIONS],
    Role.INSTITUTION_ADMIN: [Scope.OWN_INSTITUTION, Scope.INSTITUTIONS],
    Role.DEPARTMENT_HEAD: [Scope.OWN_DEPARTMENT],
    Role.MENTOR: [Scope.SELF, Scope.OWN_DEPARTMENT],
    Role.STAFF: [Scope.SELF],
    Role.AUDITOR: [Scope.NONE],
    Role.SECURITY_ADMIN: [Scope.NONE],
}


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    person: Related | None = None,
    must_change_password: bool = True,
) -> User:
    if person is not None:
        _refuse_bound(person)
    user = User(
        username=username,
        first_name=full_name or (person.name if person is not None else ""),
        person=person,
        must_change_password=must_change_password,
    )
    user.full_clean(exclude=["password"])
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit.record(AuditEntry.Event.USER_CHANGE, obj=user, summary=_("创建用户 %s") % username)
    return user


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    scope: str | None = None,
    region: Related | None = None,
    institution: Related | None = None,
    department: Related | None = None,
    institutions: Iterable[Related] = (),
) -> RoleAssignment:
    # Check-then-write holds only while nobody else writes this user's roles: lock the user's
    # row first (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), so a
    # second grant waits and then sees the first one.
    User.objects.select_for_update().filter(pk=user.pk).first()
    held = set(user.role_assignments.values_list("role", flat=True)) - {role}
    if role in SEPARATED_ROLES and held & SEPARATED_ROLES:
        raise ValidationError(
            {"role": _("三员分立：卫健委管理员、安全管理员、审计管理员不能由同一账号兼任。")}
        )
    # The security administrator and the auditor hold nothing else: neither may reach
    # person data through a second role.
    if (role in OVERSIGHT_ROLES and held) or (held & OVERSIGHT_ROLES):
        raise ValidationError({"role": _("三员分立：安全管理员、审计管理员不能兼任其他角色。")})
    scope = scope or ROLE_SCOPES[role][0]
    if scope not in ROLE_SCOPES[role]:
        raise ValidationError({"scope": _("该角色不能使用此数据范围。")})
    if scope == Scope.OWN_INSTITUTION and institution is None:
        raise ValidationError({"institution": _("请选择机构。")})
    if scope == Scope.OWN_DEPARTMENT and department is None:
        raise ValidationError({"department": _("请选择科室。")})
    if department is not None and institution is None:
        institution = department.institution
    assignment, _created = RoleAssignment.objects.update_or_create(
        user=user,
        role=role,
        defaults={
            "scope": scope,
            "region": region,
            "institution": institution,
            "department": department,
        },
    )
    assignment.institutions.set(institutions)
    user.__dict__.pop("_yicai_assignments", None)
    audit.record(
        AuditEntry.Event.ROLE_CHANGE,
        obj=user,
        summary=_("授予角色 %(role)s（%(scope)s）")
        % {"role": assignment.get_role_display(), "scope": assignment.get_scope_display()},
        data={
            "role": role,
            "scope": scope,
            "region": region.code if region else None,
            "institution": str(institution) if institution else None,
            "department": str(department) if department else None,
            "institutions": [str(item) for item in institutions],
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: str) -> None:
    deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
    if deleted:
        audit.record(
            AuditEntry.Event.ROLE_CHANGE,
            obj=user,
            summary=_("撤销角色 %s") % Role(role).label,
            data={"revoked": role},
        )


def _password_set(user: User, password: str, *, must_change: bool) -> None:
    """The new password, the old one kept in the history (the validators refuse reusing it)."""
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    _password_set(user, new_password, must_change=False)
    audit.record(AuditEntry.Event.PASSWORD_CHANGE, obj=user, actor=user)


def _end_sessions(user: User) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def user_disable(*, user: User) -> None:
    """Disable an account and end its sessions at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    audit.record(AuditEntry.Event.USER_CHANGE, obj=user, summary=_("停用用户 %s") % user)


def _lockout_clear(user: User) -> int:
    """Forget the failed logins that lock the account (django-axes), so it can log in now."""
    from axes.utils import reset

    cleared: int = reset(username=user.username)  # axes ships no type information
    return cleared


@transaction.atomic
def user_enable(*, user: User) -> None:
    """Re-enable a disabled account and lift a lockout after failed logins."""
    was_active = user.is_active
    user.is_active = True
    user.save(update_fields=["is_active"])
    cleared = _lockout_clear(user)
    if was_active and not cleared:
        return
    audit.record(
        AuditEntry.Event.USER_CHANGE,
        obj=user,
        summary=_("启用用户 %s") % user if not was_active else _("解除用户 %s 的登录锁定") % user,
        data={"enabled": not was_active, "failed_logins_cleared": cleared},
    )


def _refuse_bound(person: Related, user: User | None = None) -> None:
    holders = User.objects.filter(person=person)
    if user is not None and user.pk is not None:
        holders = holders.exclude(pk=user.pk)
    holder = holders.first()
    if holder is not None:
        raise ValidationError(
            {
                "person": _("%(person)s 已绑定账号 %(username)s，一人只能对应一个账号。")
                % {"person": person.name, "username": holder.username}
            }
        )


def _save_binding(user: User, fields: list[str], summary: str, data: dict[str, Any]) -> None:
    """Save a change of the person an account belongs to, audited. The account's cached role
    assignments go: its scopes follow the person."""
    user.save(update_fields=fields)
    user.__dict__.pop("_yicai_assignments", None)
    audit.record(AuditEntry.Event.USER_CHANGE, obj=user, summary=summary, data=data)


@transaction.atomic
def user_bind(*, user: User, person: Related) -> None:
    """Bind an account to the person it belongs to: the account then sees that person's own
    records (scope 本人) and what they oversee."""
    _refuse_bound(person, user)
    previous = user.person if user.person_id else None
    if previous == person:
        return
    user.person = person
    fields = ["person"]
    if not user.first_name:
        user.first_name = person.name
        fields.append("first_name")
    _save_binding(
        user,
        fields,
        _("将用户 %(username)s 绑定到人员 %(person)s")
        % {"username": user.username, "person": person.name},
        {"person": person.pk, "previous": previous.pk if previous else None},
    )


@transaction.atomic
def user_unbind(*, user: User) -> None:
    person = user.person
    if person is None:
        return
    user.person = None
    _save_binding(
        user,
        ["person"],
        _("解除用户 %(username)s 与人员 %(person)s 的绑定")
        % {"username": user.username, "person": person.name},
        {"previous": person.pk},
    )


@transaction.atomic
def password_reset(*, user: User) -> str:
    """Give the account a temporary password, to be told to its owner once; they must change
    it at their next login. Their sessions end and a lockout is lifted, so the new password
    is the only way in and works at once."""
    temporary = passwords.generate()
    password_validation.validate_password(temporary, user)
    _password_set(user, temporary, must_change=True)
    _end_sessions(user)
    _lockout_clear(user)
    audit.record(AuditEntry.Event.PASSWORD_RESET, obj=user, summary=_("重置用户 %s 的密码") % user)
    return temporary


@transaction.atomic
def otp_reset(*, user: User) -> int:
    """Remove the account's second-factor devices: at the next login its owner enrols a new
    one (a lost or replaced phone). Its sessions end, so none keeps the old factor."""
    removed: int  # django-otp ships no type information
    removed, _rows = TOTPDevice.objects.filter(user=user).delete()
    _end_sessions(user)
    audit.record(
        AuditEntry.Event.OTP_RESET,
        obj=user,
        summary=_("重置用户 %s 的二次验证") % user,
        data={"devices_removed": removed},
    )
    return removed


def password_change_due(user: User, policy: SecurityPolicy) -> bool:
    if user.must_change_password or user.password_changed_at is None:
        return True
    return timezone.now() - user.password_changed_at > timedelta(days=policy.max_age_days)


def otp_required(user: User, policy: SecurityPolicy) -> bool:
    return bool(roles(user) & set(policy.otp_roles))


@transaction.atomic
def totp_device_ensure(*, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


@transaction.atomic
def policy_update(*, policy: SecurityPolicy, **values: Any) -> SecurityPolicy:
    before = {name: getattr(policy, name) for name in values}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit.record(
        AuditEntry.Event.POLICY_CHANGE,
        obj=policy,
        summary=_("修改安全策略"),
        data={"before": before, "after": values},
    )
    return policy
