"""Expert studios: founding, members, yearly money and the subsidy table."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yicai.training.models import ExpertStudio, StudioFunding, StudioMember, StudioSubsidy
from yicai.training.services.rules import department_in, raise_errors, saved


@transaction.atomic
def studio_create(
    *,
    name: str,
    lead,
    tier: str,
    institution,
    founded_on: datetime.date,
    department=None,
    members=(),
) -> ExpertStudio:
    errors: dict[str, str] = {}
    department_in(department, institution, errors)
    members = list(members)
    if any(person.pk == lead.pk for person in members):
        errors["members"] = _("领衔专家不必再列为成员。")
    raise_errors(errors)
    studio = ExpertStudio(
        name=(name or "").strip(),
        lead=lead,
        tier=tier,
        institution=institution,
        department=department,
        founded_on=founded_on,
    )
    studio.full_clean()
    studio.save()
    for person in members:
        studio_member_add(studio=studio, person=person, joined_on=founded_on)
    return studio


@transaction.atomic
def studio_member_add(*, studio: ExpertStudio, person, joined_on: datetime.date) -> StudioMember:
    member = StudioMember(studio=studio, person=person, joined_on=joined_on)
    return saved(member)


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
    if studio.founded_on.year > year or (studio.closed_on and studio.closed_on.year < year):
        raise ValidationError({"year": _("该年度工作室不在运行期内。")})
    funding = StudioFunding(studio=studio, year=year, amount=amount, note=(note or "").strip())
    return saved(funding)


@transaction.atomic
def studio_subsidy_set(*, tier: str, yearly_amount: Decimal) -> StudioSubsidy:
    """The commission changes a tier's yearly subsidy (recorded years keep their amounts)."""
    subsidy, _created = StudioSubsidy.objects.get_or_create(
        tier=tier, defaults={"yearly_amount": yearly_amount}
    )
    subsidy.yearly_amount = yearly_amount
    return saved(subsidy)
