"""The demo accounts, one per persona of the architecture, and their passwords and TOTP keys."""

from __future__ import annotations

import base64
import datetime
import os
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yicai.access import passwords, services
from yicai.access.models import Role, RoleAssignment, Scope, SecurityPolicy, User
from yicai.demo import region as blueprint
from yicai.org.models import Department, Institution, Region
from yicai.people.models import Person

VICE_PRESIDENT = "副院长"
PASSWORD_ENV = "YICAI_DEMO_PASSWORD"  # noqa: S105 - the variable's name, not a password


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str
    description: str


PERSONAS = (
    Persona(
        "commission",
        "区卫健委人才科（演示）",
        Role.COMMISSION_ADMIN,
        "卫健委人才科 / commission talent officer, all of 宝山区",
    ),
    Persona(
        "finance",
        "区卫健委财务审批（演示）",
        Role.COMMISSION_ADMIN,
        "卫健委审批人 / commission approver: approves award runs the talent officer prepares",
    ),
    Persona(
        "hospital",
        "区中心医院人事科（演示）",
        Role.INSTITUTION_ADMIN,
        "医院人事科 / hospital administrator, 区中心医院",
    ),
    Persona(
        "dept",
        "心血管内科主任（演示）",
        Role.DEPARTMENT_HEAD,
        "科室主任 / department head, 心血管内科",
    ),
    Persona(
        "leader",
        "分管副院长（演示）",
        Role.STAFF,
        "分管副院长 / vice-president, linked leader (挂钩领导) of secondees",
    ),
    Persona(
        "mentor",
        "合作医院专家（演示）",
        Role.MENTOR,
        "带教导师 / visiting expert from a partner hospital",
    ),
    Persona("trainee", "青年医师（演示）", Role.STAFF, "青年医师 / young doctor, 心血管内科"),
    Persona("auditor", "审计管理员（演示）", Role.AUDITOR, "审计管理员 / auditor, audit log only"),
    Persona(
        "security",
        "安全管理员（演示）",
        Role.SECURITY_ADMIN,
        "安全管理员 / security administrator, users and policy",
    ),
)


@dataclass
class Account:
    persona: Persona
    user: User
    created: bool
    totp_secret: str | None


def demo_password() -> tuple[str, bool]:
    """The password for every demo account and whether it came from the environment."""
    chosen = os.environ.get(PASSWORD_ENV, "")
    return (chosen, True) if chosen else (passwords.generate(), False)


def _central() -> tuple[Institution | None, Department | None]:
    central = Institution.objects.filter(name=blueprint.CENTRAL.name).first()
    cardiology = (
        Department.objects.filter(institution=central, name=blueprint.TRAINEE_DEPARTMENT).first()
        if central
        else None
    )
    return central, cardiology


def _free(people):
    return people.filter(user__isnull=True).order_by("pk")


def _person_for(username: str, today: datetime.date) -> Person | None:
    _institution, cardiology = _central()
    if username == "dept" and cardiology is not None:
        return _free(Person.objects.filter(department=cardiology, position="科主任")).first()
    if username == "leader" and cardiology is not None:
        # A hospital leader: the secondments of the departments they are in charge of are theirs
        # to follow (院领导挂钩), whatever the leader's own specialty.
        return _free(
            Person.objects.filter(institution_id=cardiology.institution_id, position=VICE_PRESIDENT)
        ).first()
    if username == "trainee" and cardiology is not None:
        young = today - datetime.timedelta(days=35 * 365)
        doctors = _free(
            Person.objects.filter(
                department=cardiology, personnel_category__code="11", category="staff"
            )
        )
        return (
            doctors.filter(birth_date__gte=young, position="医师").first()
            or doctors.order_by("-birth_date", "pk").first()
        )
    if username == "mentor":
        experts = _free(Person.objects.filter(category=Person.Category.EXTERNAL_EXPERT))
        return (
            experts.filter(
                department__name=blueprint.TRAINEE_DEPARTMENT, title_grade="senior"
            ).first()
            or experts.first()
        )
    return None


def _assignment(persona: Persona) -> dict:
    central, cardiology = _central()
    if persona.role == Role.COMMISSION_ADMIN:
        return {"scope": Scope.ALL, "region": Region.objects.get(code=blueprint.COMMISSION_REGION)}
    if persona.role == Role.INSTITUTION_ADMIN:
        return {"institution": central}
    if persona.role == Role.DEPARTMENT_HEAD:
        return {"department": cardiology}
    return {}


@transaction.atomic
def ensure_accounts(password: str) -> list[Account]:
    """Create the demo accounts where missing; reset the password of those that exist."""
    today = timezone.localdate()
    policy = SecurityPolicy.current()
    accounts = []
    encoded = None
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        created = user is None
        if user is None:
            user = services.user_create(
                username=persona.username,
                password=password,
                full_name=persona.full_name,
                person=_person_for(persona.username, today),
                must_change_password=False,
            )
        else:
            # What set_password does, not services.password_change: the demo deliberately
            # reuses its password, which the history validator would refuse. One hash for
            # every account (they share the password anyway): Argon2 takes ~0.3 s a go.
            encoded = encoded or make_password(password)
            user.password = encoded
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.is_active = True
            fields = ["password", "must_change_password", "password_changed_at", "is_active"]
            if user.person_id is None:
                person = _person_for(persona.username, today)
                if person is not None:
                    user.person = person
                    fields.append("person")
            user.save(update_fields=fields)
        if not RoleAssignment.objects.filter(user=user, role=persona.role).exists():
            options = _assignment(persona)
            if any(value is None for value in options.values()):
                raise ValidationError(
                    f"{persona.username}: 演示机构或科室缺失，请先运行 yicai demo"
                )
            services.role_assign(user=user, role=persona.role, **options)
        _reset_lockout(persona.username)
        secret = None
        if services.otp_required(user, policy):
            device = services.totp_device_ensure(user=user)
            secret = base64.b32encode(device.bin_key).decode()
        accounts.append(Account(persona, user, created, secret))
    return accounts


def _reset_lockout(username: str) -> None:
    from axes.utils import reset

    reset(username=username)


def password_problems(password: str) -> list[str]:
    """What the password policy says against a chosen password for any demo account."""
    from django.contrib.auth import password_validation

    problems: list[str] = []
    for persona in PERSONAS:
        probe = User(username=persona.username, first_name=persona.full_name)
        try:
            password_validation.validate_password(password, probe)
        except ValidationError as error:
            problems += [f"{persona.username}: {message}" for message in error.messages]
    return problems
