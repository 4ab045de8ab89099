"""Expert studios: founding, members, yearly money and the subsidy table."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yicai.org.models import Department, Institution
from yicai.people.models import Person
from yicai.training.models import (
    ExpertStudio,
    StudioFunding,
    StudioMember,
    StudioSubsidy,
    StudioTier,
)
from yicai.training.services.rules import assign, department_in, raise_errors, saved

STUDIO_FIELDS = ("name", "lead", "tier", "institution", "department", "founded_on", "closed_on")


@transaction.atomic
def studio_create(
    *,
    name: str,
    lead: Person,
    tier: str,
    institution: Institution,
    founded_on: datetime.date,
    department: Department | None = None,
    members: Iterable[Person] = (),
) -> ExpertStudio:
    errors: dict[str, str] = {}
    department_in(department, institution, errors)
    members = list(members)  # walked twice
    if any(person.pk == lead.pk for person in members):
        errors["members"] = _("领衔专家不必再列为成员。")
    studio = ExpertStudio(
        name=(name or "").strip(),
        lead=lead,
        tier=tier,
        institution=institution,
        department=department,
        founded_on=founded_on,
    )
    saved(studio, errors)
    for person in members:
        studio_member_add(studio=studio, person=person, joined_on=founded_on)
    return studio


@transaction.atomic
def studio_update(*, studio: ExpertStudio, **fields: object) -> ExpertStudio:
    """Change a studio (its name, lead, tier, host, dates). A studio with visits keeps its
    institution (they were held there); the years of its recorded funding stay within its
    run; a member made lead leaves the members first."""
    before = ExpertStudio.objects.select_for_update().get(pk=studio.pk)
    assign(studio, fields, STUDIO_FIELDS)
    studio.name = (studio.name or "").strip()
    errors: dict[str, str] = {}
    department_in(studio.department, studio.institution, errors)
    if studio.members.filter(person_id=studio.lead_id).exists():
        errors["lead"] = _("该专家已是工作室成员，请先将其移出成员再设为领衔专家。")
    if studio.institution_id != before.institution_id and studio.visits.exists():
        errors["institution"] = _("工作室已有专家活动记录，不能更换依托机构。")
    years = list(studio.fundings.values_list("year", flat=True))
    if years and studio.founded_on and studio.founded_on.year > min(years):
        errors["founded_on"] = _("已登记 %d 年度经费，成立日期不能晚于该年度。") % min(years)
    in_order = not (studio.closed_on and studio.founded_on and studio.closed_on < studio.founded_on)
    if years and studio.closed_on and in_order and studio.closed_on.year < max(years):
        errors["closed_on"] = _("已登记 %d 年度经费，撤销日期不能早于该年度。") % max(years)
    return saved(studio, errors)


@transaction.atomic
def studio_member_add(
    *, studio: ExpertStudio, person: Person, joined_on: datetime.date
) -> StudioMember:
    errors: dict[str, str] = {}
    if person.pk == studio.lead_id:
        errors["person"] = _("领衔专家不必再列为成员。")
    elif studio.members.filter(person=person).exists():
        errors["person"] = _("该人员已是工作室成员。")
    if joined_on and joined_on < studio.founded_on:
        errors["joined_on"] = _("加入日期不能早于工作室成立日期。")
    elif joined_on and studio.closed_on and joined_on > studio.closed_on:
        errors["joined_on"] = _("加入日期不能晚于工作室撤销日期。")
    member = StudioMember(studio=studio, person=person, joined_on=joined_on)
    return saved(member, errors)


@transaction.atomic
def studio_member_remove(*, member: StudioMember) -> None:
    """A member leaves the studio (the visits they made for it stay as they were)."""
    member.delete()


@transaction.atomic
def studio_funding_record(
    *, studio: ExpertStudio, year: int, amount: Decimal | None = None, note: str = ""
) -> StudioFunding:
    """A year's money for a studio: by default the subsidy its tier has in the table."""
    if amount is None:
        subsidy = StudioSubsidy.objects.filter(tier=studio.tier).first()
        if subsidy is None:
            raise ValidationError({"amount": _("该级别没有经费标准，请填写金额。")})
        amount = subsidy.yearly_amount
    errors: dict[str, str] = {}
    if studio.founded_on.year > year or (studio.closed_on and studio.closed_on.year < year):
        errors["year"] = _("该年度工作室不在运行期内。")
    elif studio.fundings.filter(year=year).exists():
        errors["year"] = _("该工作室本年度经费已登记。")
    funding = StudioFunding(studio=studio, year=year, amount=amount, note=(note or "").strip())
    return saved(funding, errors)


@transaction.atomic
def studio_funding_update(
    *, funding: StudioFunding, amount: Decimal, note: str | None = None
) -> StudioFunding:
    """Correct the amount (and note) recorded for a year; the year itself stays."""
    funding.amount = amount
    if note is not None:
        funding.note = note.strip()
    return saved(funding)


@transaction.atomic
def studio_subsidy_set(*, tier: str, yearly_amount: Decimal) -> StudioSubsidy:
    """The commission changes a tier's yearly subsidy (recorded years keep their amounts)."""
    subsidy = StudioSubsidy.objects.filter(tier=tier).first() or StudioSubsidy(tier=tier)
    subsidy.yearly_amount = yearly_amount
    return saved(subsidy)


@transaction.atomic
def studio_subsidies_set(*, amounts: dict[str, Decimal]) -> list[StudioSubsidy]:
    """The whole subsidy table at once: every tier's amount is checked before any is saved.
    Errors name the tier's field (`amount_<tier>`)."""
    errors: dict[str, str] = {}
    for tier, amount in amounts.items():
        if tier not in StudioTier.values:
            errors[f"amount_{tier}"] = _("没有这个工作室级别。")
        elif amount is None or amount < 0:
            errors[f"amount_{tier}"] = _("年度经费补助不能为负数。")
    raise_errors(errors)
    return [studio_subsidy_set(tier=tier, yearly_amount=amount) for tier, amount in amounts.items()]
