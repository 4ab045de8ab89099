"""Flexibly introduced teams: introduction, members, end."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from yicai.org.models import Department, Institution
from yicai.people.models import Person
from yicai.training.models import FlexibleTeam, FlexibleTeamMember
from yicai.training.services.rules import assign, department_in, no_patient_data, saved

TEAM_FIELDS = ("name", "lead", "source", "department", "introduced_on", "ended_on", "agreement")


def _team_errors(team: FlexibleTeam) -> dict[str, str]:
    errors: dict[str, str] = {}
    department_in(team.department, team.institution, errors)
    if team.source_id == team.institution_id:
        errors["source"] = _("派出医院不能是引进机构本身。")
    elif team.source.relation != Institution.Relation.PARTNER:
        errors["source"] = _("派出医院须是登记在册的合作医院。")
    if team.lead.institution_id != team.source_id:
        errors["lead"] = _("团队负责人须是派出医院的人员。")
    no_patient_data(errors, agreement=team.agreement)
    return errors


@transaction.atomic
def team_create(
    *,
    name: str,
    lead: Person,
    source: Institution,
    institution: Institution,
    introduced_on: datetime.date,
    department: Department | None = None,
    ended_on: datetime.date | None = None,
    agreement: str = "",
    members: Iterable[Person] = (),
) -> FlexibleTeam:
    """An institution introduces a partner hospital's team (柔性引进): the team stays employed
    there and works here by agreement."""
    team = FlexibleTeam(
        name=(name or "").strip(),
        lead=lead,
        source=source,
        institution=institution,
        department=department,
        introduced_on=introduced_on,
        ended_on=ended_on,
        agreement=(agreement or "").strip(),
    )
    saved(team, _team_errors(team))
    for person in members:
        team_member_add(team=team, person=person)
    return team


@transaction.atomic
def team_update(*, team: FlexibleTeam, **fields: object) -> FlexibleTeam:
    assign(team, fields, TEAM_FIELDS)
    return saved(team, _team_errors(team))


@transaction.atomic
def team_member_add(*, team: FlexibleTeam, person: Person, role: str = "") -> FlexibleTeamMember:
    errors: dict[str, str] = {}
    if person.pk == team.lead_id:
        errors["person"] = _("团队负责人不必再列为成员。")
    elif person.institution_id != team.source_id:
        errors["person"] = _("团队成员须是派出医院的人员。")
    member = FlexibleTeamMember(team=team, person=person, role=(role or "").strip())
    return saved(member, errors)


@transaction.atomic
def team_member_remove(*, member: FlexibleTeamMember) -> None:
    member.delete()
