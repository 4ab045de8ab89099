"""Assessment schemes: the indicator tree checked before publication, links between subjects
without cycles, reviewers' manual scores, and a scheme copied to the next cycle."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yicai.access.models import RequestUser, account_of
from yicai.documents import checked_suffix
from yicai.evaluation.metrics import METRICS
from yicai.evaluation.models import (
    BOUND_TO,
    Indicator,
    ManualScore,
    Scheme,
    Subject,
    SubjectLink,
)
from yicai.evaluation.services.results import open_appeal, result_take
from yicai.org.models import Department, Institution, Region
from yicai.people.models import Person
from yicai.training.models import Mentorship
from yicai.validation import full_clean_or_raise

HUNDRED = Decimal(100)


def scheme_problems(scheme: Scheme) -> list[str]:
    """What keeps a scheme from being published, each naming its indicator, in Chinese."""
    indicators = list(scheme.indicators.all())
    if not indicators:
        return [_("方案还没有指标。")]
    siblings: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        siblings[indicator.parent_id].append(indicator)
    names = {indicator.pk: indicator.name for indicator in indicators}
    problems = []
    for parent_id, group in siblings.items():
        total = sum((indicator.weight for indicator in group), Decimal(0))
        if total != HUNDRED:
            where = names[parent_id] if parent_id else _("一级指标")
            problems.append(
                _("“%(where)s”下各指标权重合计为 %(total)s，应为 100。")
                % {"where": where, "total": f"{total.normalize():f}"}
            )
    for indicator in indicators:
        if indicator.pk not in siblings:  # a leaf
            problems.extend(_leaf_problems(scheme, indicator))
    return problems


def _leaf_problems(scheme: Scheme, leaf: Indicator) -> list[str]:
    name = {"name": leaf.name}
    if not leaf.source:
        return [_("指标“%(name)s”须选择计分来源。") % name]
    if leaf.source == Indicator.Source.LINKED and leaf.mode == Indicator.Mode.COMPETITIVE:
        return [_("关联得分指标“%(name)s”按完成度计分，不能设为竞赛激励。") % name]
    if not leaf.mode and leaf.source != Indicator.Source.LINKED:
        return [_("指标“%(name)s”须选择基础任务或竞赛激励。") % name]
    problems = []
    if leaf.source == Indicator.Source.AUTOMATIC:
        metric = METRICS.get(leaf.metric)
        if metric is None:
            problems.append(_("指标“%(name)s”须选择自动指标。") % name)
        elif scheme.subject_type not in metric.subject_types:
            problems.append(
                _("自动指标“%(metric)s”不适用于该方案的考核对象。") % {"metric": metric.label}
            )
        if leaf.mode == Indicator.Mode.BASIC and leaf.target is None:
            problems.append(_("基础任务“%(name)s”须填写目标值。") % name)
    if leaf.source == Indicator.Source.MANUAL:
        if leaf.scale_max is None:
            problems.append(_("人工评分指标“%(name)s”须填写满分。") % name)
        if leaf.reviewer_id is None:
            problems.append(_("人工评分指标“%(name)s”须指定评分人。") % name)
    return problems


@transaction.atomic
def scheme_publish(*, scheme: Scheme, by: RequestUser | None) -> Scheme:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != Scheme.Status.DRAFT:
        raise ValidationError({"status": _("该方案已发布。")})
    problems = scheme_problems(scheme)
    if problems:
        raise ValidationError({"status": " ".join(problems)})
    scheme.status = Scheme.Status.PUBLISHED
    scheme.published_at = timezone.now()
    scheme.save(update_fields=["status", "published_at"])
    result_take(scheme=scheme, reason=_("发布"), by=by)
    return scheme


def _reaches(start: Subject, goal: Subject) -> list[Subject] | None:
    """The chain of links from `start` to `goal`, if any (a walk over the links, one query a
    step of depth)."""
    seen = {start.pk}
    paths: dict[int, list[Subject]] = {start.pk: [start]}
    frontier = [start.pk]
    while frontier:
        step = SubjectLink.objects.filter(subject_id__in=frontier).select_related("linked")
        frontier = []
        for link in step:
            if link.linked_id in seen:
                continue
            path = [*paths[link.subject_id], link.linked]
            if link.linked_id == goal.pk:
                return path
            seen.add(link.linked_id)
            paths[link.linked_id] = path
            frontier.append(link.linked_id)
    return None


@transaction.atomic
def link_add(
    *,
    subject: Subject,
    indicator: Indicator,
    linked: Subject,
    weight: Decimal = HUNDRED,
    by: RequestUser | None,
) -> SubjectLink:
    """The linked subject's score counts in `subject`'s linked indicator; a link that would
    make a score depend on itself is refused, naming the chain."""
    _draft_only(subject.scheme)
    if indicator.scheme_id != subject.scheme_id or indicator.source != Indicator.Source.LINKED:
        raise ValidationError({"indicator": _("请选择本方案中的关联得分指标。")})
    if linked.pk == subject.pk:
        raise ValidationError({"linked": _("考核对象不能关联自己。")})
    chain = _reaches(linked, subject)
    if chain is not None:
        names = " → ".join(item.label for item in [subject, *chain])
        raise ValidationError({"linked": _("关联会形成循环：%(chain)s。") % {"chain": names}})
    link = SubjectLink(subject=subject, indicator=indicator, linked=linked, weight=weight)
    full_clean_or_raise(link)
    link.save()
    return link


@transaction.atomic
def manual_score_set(
    *,
    subject: Subject,
    indicator: Indicator,
    value: Decimal,
    by: RequestUser | None,
    note: str = "",
    evidence: File[bytes] | None = None,
) -> ManualScore:
    """A reviewer scores a manual indicator (only the indicator's named reviewer), with the
    evidence attached (a PDF, JPG or PNG); scoring again without one keeps the earlier."""
    if indicator.source != Indicator.Source.MANUAL or indicator.scheme_id != subject.scheme_id:
        raise ValidationError({"indicator": _("请选择本方案中的人工评分指标。")})
    reviewer = account_of(by)
    if reviewer is None or reviewer.pk != indicator.reviewer_id:
        raise ValidationError({"indicator": _("只有该指标指定的评分人可以评分。")})
    status = Scheme.objects.filter(pk=subject.scheme_id).values_list("status", flat=True).get()
    published = status == Scheme.Status.PUBLISHED
    if published and not (open_appeal(subject, indicator) or open_appeal(subject, None)):
        raise ValidationError({"value": _("考核结果已发布，只能在处理申诉时改分。")})
    top = indicator.scale_max or Decimal(0)
    if not Decimal(0) <= value <= top:
        raise ValidationError(
            {"value": _("评分须在 0 至 %(top)s 之间。") % {"top": f"{top.normalize():f}"}}
        )
    errors: dict[str, str] = {}
    suffix = checked_suffix(evidence, "evidence", _("佐证材料"), errors) if evidence else ""
    if errors:
        raise ValidationError(errors)
    score, _created = ManualScore.objects.update_or_create(
        subject=subject,
        indicator=indicator,
        defaults={"value": value, "reviewer": reviewer, "note": note},
    )
    if evidence is not None:  # under a random name, its suffix by its content
        score.evidence.save(f"evidence{suffix}", evidence, save=True)
    return score


@transaction.atomic
def scheme_copy(
    *, scheme: Scheme, cycle_start: datetime.date, cycle_end: datetime.date, by: RequestUser | None
) -> Scheme:
    """The next cycle's draft: the same indicators, subjects and links among them; no scores
    and no appeals."""
    copy = Scheme(
        region_id=scheme.region_id,
        name=scheme.name,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        subject_type=scheme.subject_type,
        renormalise=scheme.renormalise,
        copied_from=scheme,
    )
    full_clean_or_raise(copy)
    copy.save()
    indicators: dict[int, Indicator] = {}
    # Parents first: their ids are smaller only if created first, so walk the tree.
    pending = list(scheme.indicators.all())
    while pending:
        ready = [i for i in pending if i.parent_id is None or i.parent_id in indicators]
        for old in ready:
            old_pk = old.pk
            new = Indicator.objects.create(
                scheme=copy,
                parent=indicators.get(old.parent_id) if old.parent_id else None,
                **{
                    name: getattr(old, name)
                    for name in (
                        "name",
                        "weight",
                        "source",
                        "mode",
                        "metric",
                        "target",
                        "pass_line",
                        "scale_max",
                        "reviewer_id",
                        "position",
                    )
                },
            )
            indicators[old_pk] = new
        pending = [i for i in pending if i.pk not in indicators]
    subjects = {
        old.pk: Subject.objects.create(
            scheme=copy,
            label=old.label,
            person_id=old.person_id,
            mentorship_id=old.mentorship_id,
            department_id=old.department_id,
            institution_id=old.institution_id,
        )
        for old in scheme.subjects.all()
    }
    # Links among the scheme's own subjects come along; a link into another scheme (the
    # apprentices' of the cycle) reaches that scheme's copy for the same new cycle, found by
    # its label, or is left out until it is copied: never a score of the old cycle.
    copies = {
        later.copied_from_id: later
        for later in Scheme.objects.filter(
            copied_from__isnull=False, cycle_start=cycle_start, cycle_end=cycle_end
        )
    }
    SubjectLink.objects.bulk_create(
        SubjectLink(
            subject=subjects[link.subject_id],
            indicator=indicators[link.indicator_id],
            linked=linked,
            weight=link.weight,
        )
        for link in SubjectLink.objects.filter(subject__scheme=scheme).select_related("linked")
        if (linked := _carried(link.linked, subjects, copies)) is not None
    )
    return copy


def _carried(
    linked: Subject, subjects: dict[int, Subject], copies: dict[int | None, Scheme]
) -> Subject | None:
    """Where a copied link points in the new cycle (see scheme_copy)."""
    if linked.pk in subjects:
        return subjects[linked.pk]
    later = copies.get(linked.scheme_id)
    return later.subjects.filter(label=linked.label).first() if later else None


# --- Drafting a scheme: its fields, indicators and subjects (a draft's only) ---------------

SCHEME_FIELDS = ("name", "cycle_start", "cycle_end", "subject_type", "renormalise")
INDICATOR_FIELDS = (
    "parent",
    "name",
    "weight",
    "source",
    "mode",
    "metric",
    "target",
    "pass_line",
    "scale_max",
    "reviewer",
    "position",
)
# The names of what a subject is bound to, as its fields are labelled.
BOUND_LABELS = {
    "person": gettext_noop("人员"),
    "mentorship": gettext_noop("师带徒关系"),
    "department": gettext_noop("科室"),
    "institution": gettext_noop("机构"),
}


def _draft_only(scheme: Scheme) -> None:
    # Read again: the caller's copy may predate a publication.
    if Scheme.objects.filter(pk=scheme.pk, status=Scheme.Status.DRAFT).exists() is False:
        raise ValidationError({"status": _("方案已发布，不能再修改；可复制为下一周期的方案。")})


@transaction.atomic
def scheme_create(*, by: RequestUser | None, region: Region, **values: object) -> Scheme:
    scheme = Scheme(region=region, **values)
    full_clean_or_raise(scheme)
    scheme.save()
    return scheme


@transaction.atomic
def scheme_update(*, scheme: Scheme, by: RequestUser | None, **values: object) -> Scheme:
    _draft_only(scheme)
    for name, value in values.items():
        setattr(scheme, name, value)
    full_clean_or_raise(scheme)
    scheme.save()
    return scheme


def _indicator_problems(indicator: Indicator) -> dict[str, str]:
    problems = {}
    parent = indicator.parent
    if parent is not None:
        if parent.scheme_id != indicator.scheme_id:
            problems["parent"] = _("请选择本方案中的指标。")
        elif parent.source:
            problems["parent"] = _("上级指标“%(name)s”已设置计分来源，不能再有下级指标。") % {
                "name": parent.name
            }
        else:
            node: Indicator | None = parent
            while node is not None:
                if indicator.pk is not None and node.pk == indicator.pk:
                    problems["parent"] = _("上级指标不能是本指标或其下级。")
                    break
                node = node.parent
    if indicator.pk is not None and indicator.source and indicator.children.exists():
        problems["source"] = _("该指标有下级指标，是分组，不能设置计分来源。")
    if indicator.metric and indicator.metric not in METRICS:
        problems["metric"] = _("没有这项自动指标。")
    elif indicator.metric and indicator.scheme.subject_type not in METRICS[indicator.metric].by:
        problems["metric"] = _("自动指标“%(metric)s”不适用于该方案的考核对象。") % {
            "metric": METRICS[indicator.metric].label
        }
    return problems


@transaction.atomic
def indicator_save(
    *,
    scheme: Scheme,
    by: RequestUser | None,
    indicator: Indicator | None = None,
    **values: object,
) -> Indicator:
    """Add an indicator to a draft's tree, or change one; weights are checked at publication
    (siblings are entered one at a time)."""
    _draft_only(scheme)
    indicator = indicator or Indicator(scheme=scheme)
    for name, value in values.items():
        setattr(indicator, name, value)
    if indicator.source != Indicator.Source.AUTOMATIC:
        indicator.metric = ""
    full_clean_or_raise(indicator, _indicator_problems(indicator))
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: RequestUser | None) -> None:
    """A draft's indicator goes with those under it."""
    _draft_only(indicator.scheme)
    indicator.delete()


@transaction.atomic
def subject_add(
    *,
    scheme: Scheme,
    by: RequestUser | None,
    label: str = "",
    person: Person | None = None,
    mentorship: Mentorship | None = None,
    department: Department | None = None,
    institution: Institution | None = None,
) -> Subject:
    """A subject bound to what its scheme scores (a person, a mentorship, a department or an
    institution); its institution, the scope it is seen in, follows from that."""
    _draft_only(scheme)
    subject = Subject(
        scheme=scheme,
        label=label.strip(),
        person=person,
        mentorship=mentorship,
        department=department,
        institution=institution,
    )
    bound = BOUND_TO[Scheme.SubjectType(scheme.subject_type)]
    target = getattr(subject, bound)
    problems = {}
    if target is None:
        problems[bound] = _("该方案的考核对象须选择%(what)s。") % {"what": _(BOUND_LABELS[bound])}
    else:
        subject.label = subject.label or str(target)
        subject.institution = (
            target if bound == "institution" else getattr(target, "institution", None)
        )
        # A department head sees the subjects of their department.
        if bound in ("person", "mentorship") and subject.department is None:
            subject.department = target.department
    full_clean_or_raise(subject, problems)
    subject.save()
    return subject


@transaction.atomic
def subject_delete(*, subject: Subject, by: RequestUser | None) -> None:
    _draft_only(subject.scheme)
    subject.delete()


@transaction.atomic
def link_delete(*, link: SubjectLink, by: RequestUser | None) -> None:
    _draft_only(link.subject.scheme)
    link.delete()
