"""Sheets of 留 through the exchange engine, each row through the service a page uses: a
fund's income and expenses of past years (donations with their donors), a policy's dated
amounts, awards paid before the system, from the finance office's books, the judges'
scores of a competition, and the served talents enrolled in the 八个一 service."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access import pii
from yicai.codes.models import Code
from yicai.exchange.engine import Column
from yicai.exchange.records import (
    NOTE,
    RecordImport,
    RowProblem,
    choice,
    offered,
    past_date,
    person,
    row_institution,
    text,
)
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.people.imports import ID_NUMBER, named_person
from yicai.people.models import Person
from yicai.people.queries import people_for
from yicai.retention.models import (
    AwardLine,
    Competition,
    Enrolment,
    Entry,
    Fund,
    Policy,
    Rule,
    RuleAmount,
    Score,
    ServicePackage,
)
from yicai.retention.queries.care import packages_for
from yicai.retention.queries.competitions import organised_by
from yicai.retention.queries.funds import funds_for
from yicai.retention.queries.policies import policies_for
from yicai.retention.services import awards, care, competitions, funds, policies

if TYPE_CHECKING:
    from yicai.exchange.services import ImportContext

FUND = Column(
    "fund",
    gettext_lazy("资金名称"),
    ("资金", "经费名称"),
    required=True,
    example="区人才发展专项资金",
)
AMOUNT = Column("amount", gettext_lazy("金额（元）"), ("金额",), required=True, example="50000.00")
POLICY = Column(
    "policy",
    gettext_lazy("激励政策"),
    ("政策", "政策名称"),
    required=True,
    example="卫生健康人才激励办法",
)
RULE = Column(
    "rule",
    gettext_lazy("条款名称"),
    ("条款", "奖励项目"),
    required=True,
    example="晋升正高级职称奖励",
)


def _amount(raw: object) -> str:
    # Kept as written: the service reads it to the fen and names what is wrong.
    return str(raw).strip() if raw not in (None, "") else ""


def _fund(context: ImportContext, name: str) -> Fund:
    found = offered(
        context, lambda user: funds_for(user, "retention.ledger"), Fund.objects.all()
    ).filter(name=name)
    fund = found.first()
    if fund is None:
        raise RowProblem("fund", _("没有名为“%s”的资金，或无权登记。") % name)
    return fund


def _rule(context: ImportContext, values: dict[str, Any]) -> Rule:
    """The rule named on a row, of the newest version of the policy of that title."""
    policy = (
        offered(context, lambda user: policies_for(user, "retention.policy"), Policy.objects.all())
        .filter(title=values["policy"])
        .order_by("-version")
        .first()
    )
    if policy is None:
        raise RowProblem("policy", _("没有名为“%s”的激励政策，或无权登记。") % values["policy"])
    rule = policy.rules.filter(name=values["rule"]).first()
    if rule is None:
        raise RowProblem("rule", _("该政策没有名为“%s”的条款。") % values["rule"])
    return rule


class EntryImport(RecordImport):
    key = "retention_entries"
    title = gettext_lazy("资金收支")
    sheet_name = gettext_lazy("收支记录")
    permission = "retention.ledger"
    model = Entry
    columns = (
        FUND,
        Column(
            "on",
            gettext_lazy("入账日期"),
            ("日期",),
            required=True,
            example=datetime.date(2022, 1, 15),
            is_date=True,
        ),
        Column(
            "direction",
            gettext_lazy("收支"),
            ("收入/支出",),
            required=True,
            example=str(Entry.Direction.INCOME.label),
            choices=lambda: [str(label) for label in Entry.Direction.labels],
        ),
        Column(
            "kind",
            gettext_lazy("类别"),
            required=True,
            example=str(Entry.Kind.DONATION.label),
            choices=lambda: [
                str(label) for value, label in Entry.Kind.choices if value != "reversal"
            ],
        ),
        AMOUNT,
        Column(
            "summary", gettext_lazy("摘要"), ("事由", "说明"), required=True, example="某企业捐赠"
        ),
        Column(
            "donor",
            gettext_lazy("捐赠方"),
            ("捐赠单位",),
            note=gettext_lazy("社会捐赠必填"),
            example="某医药集团有限公司",
        ),
        Column("voucher", gettext_lazy("凭证号"), ("凭证",), example="JZ2022-015"),
    )
    converters = {
        "on": past_date(),
        "direction": choice(Entry.Direction.choices),
        "kind": choice([c for c in Entry.Kind.choices if c[0] != "reversal"]),
        "amount": _amount,
        "summary": text(200),
    }
    passed = ("on", "direction", "kind", "amount", "summary", "donor", "voucher")
    same_by = ("fund", "on", "direction", "kind", "summary", "voucher")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        return {"fund": _fund(context, values["fund"])}

    def exists(self, kwargs: dict[str, Any]) -> bool:
        try:
            amount = Decimal(str(kwargs["amount"]).replace(",", ""))
        except ArithmeticError:
            return False
        return (
            super().exists(kwargs)
            and Entry.objects.filter(
                fund=kwargs["fund"], on=kwargs["on"], summary=kwargs["summary"], amount=amount
            ).exists()
        )

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        funds.entry_record(by=context.user, **kwargs)


class AmountImport(RecordImport):
    key = "retention_amounts"
    title = gettext_lazy("奖励标准")
    sheet_name = gettext_lazy("奖励标准")
    permission = "retention.policy"
    model = RuleAmount
    columns = (
        POLICY,
        RULE,
        Column(
            "valid_from",
            gettext_lazy("起始日期"),
            ("执行日期",),
            required=True,
            example=datetime.date(2021, 1, 1),
            is_date=True,
        ),
        AMOUNT,
    )
    converters = {"amount": _amount, "policy": text(200)}
    passed = ("valid_from", "amount")
    same_by = ("rule", "valid_from")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        return {"rule": _rule(context, values)}

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        policies.amount_set(by=context.user, **kwargs)


class PastAwardImport(RecordImport):
    key = "retention_past_awards"
    title = gettext_lazy("历年奖励发放")
    sheet_name = gettext_lazy("奖励发放")
    permission = "retention.policy"
    model = AwardLine
    columns = (
        POLICY,
        RULE,
        Column("person", gettext_lazy("姓名"), ("获奖人员",), required=True, example="张明"),
        ID_NUMBER,
        Column(
            "fact_on",
            gettext_lazy("事项日期"),
            ("取得时间", "引进日期"),
            required=True,
            note=gettext_lazy("职称取得、引进、认定等的日期"),
            example=datetime.date(2021, 9, 1),
            is_date=True,
        ),
        AMOUNT,
        Column(
            "paid_on",
            gettext_lazy("发放日期"),
            required=True,
            example=datetime.date(2022, 1, 20),
            is_date=True,
        ),
        NOTE,
    )
    converters = {
        "policy": text(200),
        "fact_on": past_date(),
        "paid_on": past_date(),
        "amount": _amount,
    }
    passed = ("fact_on", "amount", "paid_on")
    same_by = ("rule", "person", "fact_on")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        rule = _rule(context, values)
        person = named_person(
            context,
            values,
            "person",
            lambda user: people_for(user, "retention.policy"),
            _("没有该人员，或不在您的管理范围内。"),
        )
        return {"rule": rule, "person": person}

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        awards.award_record_past(by=context.user, **kwargs)


class ScoreImport(RecordImport):
    """A competition's scores, a row a judge's score of an entrant (a person or a team by its
    name) in a round; a judge's score given again replaces the first while it is open."""

    key = "retention_scores"
    title = gettext_lazy("竞赛评分")
    sheet_name = gettext_lazy("竞赛评分")
    permission = "retention.edit"
    model = Score
    columns = (
        Column(
            "competition",
            gettext_lazy("竞赛名称"),
            ("竞赛",),
            required=True,
            example="2023年度外科技术比武",
        ),
        Column("round", gettext_lazy("环节"), ("比赛环节",), required=True, example="操作"),
        Column("entrant", gettext_lazy("参赛者"), ("姓名", "队名"), required=True, example="张明"),
        Column("judge", gettext_lazy("评委"), required=True, example="评委1"),
        Column("score", gettext_lazy("分数"), ("得分",), required=True, example="88.5"),
    )
    converters = {"competition": text(200), "score": _amount}
    passed = ("judge", "score")
    same_by = ("round", "entrant", "judge", "score")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        contest = (
            offered(context, organised_by, Competition.objects.all())
            .filter(name=values["competition"], status=Competition.Status.OPEN)
            .order_by("-held_on")
            .first()
        )
        if contest is None:
            raise RowProblem(
                "competition", _("没有进行中的竞赛“%s”，或不由您主办。") % values["competition"]
            )
        round_ = contest.rounds.filter(name=values["round"]).first()
        if round_ is None:
            raise RowProblem("round", _("该竞赛没有“%s”环节。") % values["round"])
        name = values["entrant"]
        entrants = list(contest.entrants.filter(Q(person__name=name) | Q(team_name=name))[:2])
        if not entrants:
            raise RowProblem("entrant", _("该竞赛没有名为“%s”的参赛者。") % name)
        if len(entrants) > 1:
            raise RowProblem("entrant", _("有多名参赛者名为“%s”，请在竞赛页面逐一记分。") % name)
        return {"round": round_, "entrant": entrants[0]}

    def exists(self, kwargs: dict[str, Any]) -> bool:
        try:
            score = Decimal(str(kwargs["score"]))
        except ArithmeticError:
            return False
        return Score.objects.filter(
            round=kwargs["round"], entrant=kwargs["entrant"], judge=kwargs["judge"], score=score
        ).exists()

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        competitions.score_record(by=context.user, **kwargs)


class EnrolmentImport(RecordImport):
    """Served talents enrolled in the 八个一 package, a row a person: only what the service
    needs (a birth date, or the identity number it is read from), the serving institution and
    its guardian doctor; through the enrol service, as the page's form. A person on file with
    the identity number is enrolled as they are; the same person on the same day again adds
    nothing."""

    key = "retention_care_enrolments"
    title = gettext_lazy("“八个一”服务对象")
    sheet_name = gettext_lazy("服务对象")
    permission = "retention.edit"
    model = Enrolment
    columns = (
        Column("name", gettext_lazy("姓名"), required=True, example="钱科创"),
        Column(
            "sex", gettext_lazy("性别"), note=gettext_lazy("填写身份证号码时可不填"), example="男"
        ),
        Column(
            "birth_date",
            gettext_lazy("出生日期"),
            note=gettext_lazy("填写身份证号码时可不填"),
            example=datetime.date(1988, 5, 20),
            is_date=True,
        ),
        Column(
            "id_number",
            gettext_lazy("身份证号码"),
            ("身份证号",),
            sensitive=True,
            example="",
        ),
        Column("phone", gettext_lazy("手机号码"), ("手机", "电话"), sensitive=True, example=""),
        Column("employer", gettext_lazy("工作单位"), example="张江某芯片公司"),
        Column("talent_kind", gettext_lazy("人才类别"), example="高层次人才"),
        Column(
            "institution",
            gettext_lazy("服务机构"),
            ("社区卫生服务中心",),
            required=True,
            example="乙社区卫生服务中心",
        ),
        Column("guardian", gettext_lazy("健康守护医生"), ("守护医生",), example="陈全科"),
        Column(
            "enrolled_on",
            gettext_lazy("入组日期"),
            required=True,
            example=datetime.date(2023, 3, 10),
            is_date=True,
        ),
    )
    converters = {
        "enrolled_on": past_date(),
        "birth_date": past_date(),
        "id_number": text(18),
        "phone": text(20),
    }
    passed = ("name", "birth_date", "employer", "talent_kind", "enrolled_on")
    same_by = ("package", "person", "enrolled_on")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        institution = row_institution(
            context,
            values["institution"],
            lambda user: institutions_for(user, "retention.edit"),
            Institution.objects.all(),
            _("没有该服务机构，或不在您的管理范围内。"),
        )
        package = (
            offered(
                context,
                lambda user: packages_for(user, "retention.edit"),
                ServicePackage.objects.all(),
            )
            .filter(active=True, region=institution.commission_region_id)
            .order_by("pk")
            .first()
        )
        if package is None:
            raise RowProblem("institution", _("该机构所在辖区没有启用的服务包。"))
        sex = None
        if values.get("sex"):
            given = str(values["sex"]).strip()
            sex = (
                Code.objects.filter(table__key="sex")
                .filter(Q(name=given) | Q(name=f"{given}性") | Q(code=given))
                .first()
            )
            if sex is None:
                raise RowProblem("sex", _("性别“%s”无法识别，请填写 男 或 女。") % given)
        guardian = None
        if values.get("guardian"):
            guardian = person(
                institution.people.all(),
                values["guardian"],
                "guardian",
                _("服务机构没有名为“%s”的医生。") % values["guardian"],
            )
        number = (values.get("id_number") or "").strip()
        found = None
        if number:
            found = Person.objects.filter(id_number_index=pii.blind_index(number)).first()
        return {
            "package": package,
            "institution": institution,
            "guardian": guardian,
            "sex": sex,
            "id_number": number,
            "phone": values.get("phone") or "",
            "person": found,
        }

    def exists(self, kwargs: dict[str, Any]) -> bool:
        return kwargs["person"] is not None and super().exists(kwargs)

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        values = dict(kwargs)
        if values["person"] is not None:
            for name in ("name", "sex", "birth_date", "id_number", "phone"):
                values.pop(name)
        care.enrol(by=context.user, **values)
