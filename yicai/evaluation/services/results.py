"""Published results and appeals: a scheme's scores are kept as a version at publication and
again each time an appeal is upheld, so every score's history stays; an appeal is resolved
with a reason, and a manual score changes after publication only while an appeal is open."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser, account_of
from yicai.evaluation.models import Appeal, Indicator, Result, ResultLine, Scheme, Subject
from yicai.evaluation.scoring import scheme_sheets


def result_take(*, scheme: Scheme, reason: str, by: RequestUser | None) -> Result:
    """A new version of the scheme's scores: every subject's total and rank and every cell."""
    latest = scheme.results.aggregate(number=Max("number"))["number"] or 0
    result = Result.objects.create(
        scheme=scheme, number=latest + 1, reason=reason, by=account_of(by)
    )
    lines = []
    for sheet in scheme_sheets(scheme):
        subject = sheet.subject
        lines.append(ResultLine(result=result, subject=subject, score=sheet.total, rank=sheet.rank))
        lines.extend(
            ResultLine(
                result=result,
                subject=subject,
                indicator=cell.indicator,
                figure=cell.figure,
                score=cell.score,
                rank=cell.rank,
            )
            for cell in sheet.cells.values()
        )
    ResultLine.objects.bulk_create(lines, batch_size=1000)
    return result


def open_appeal(subject: Subject, indicator: Indicator | None) -> Appeal | None:
    """The appeal waiting on this cell of a subject's sheet (or on its total), if any."""
    return Appeal.objects.filter(
        subject=subject, indicator=indicator, status=Appeal.Status.OPEN
    ).first()


@transaction.atomic
def appeal_file(
    *, subject: Subject, indicator: Indicator | None, reason: str, by: RequestUser | None
) -> Appeal:
    problems = {}
    status = Scheme.objects.filter(pk=subject.scheme_id).values_list("status", flat=True).get()
    if status != Scheme.Status.PUBLISHED:
        problems["subject"] = _("考核结果尚未发布，不能申诉。")
    if indicator is not None and indicator.scheme_id != subject.scheme_id:
        problems["indicator"] = _("请选择本方案中的指标。")
    elif open_appeal(subject, indicator) is not None:
        problems["indicator"] = _("该项已有待处理的申诉。")
    if not reason.strip():
        problems["reason"] = _("请填写申诉理由。")
    if problems:
        raise ValidationError(problems)
    return Appeal.objects.create(
        subject=subject, indicator=indicator, reason=reason.strip(), filed_by=account_of(by)
    )


@transaction.atomic
def appeal_resolve(
    *, appeal: Appeal, upheld: bool, resolution: str, by: RequestUser | None
) -> Appeal:
    """Upheld, the scores are taken again (a new version, the old ones kept); rejected, they
    stay. Either way with the reason given."""
    appeal = Appeal.objects.select_for_update().select_related("subject__scheme").get(pk=appeal.pk)
    problems = {}
    if appeal.status != Appeal.Status.OPEN:
        problems["status"] = _("该申诉已处理。")
    if not resolution.strip():
        problems["resolution"] = _("请填写处理意见。")
    if problems:
        raise ValidationError(problems)
    if upheld:
        what = appeal.indicator.name if appeal.indicator else _("总分")
        appeal.result = result_take(
            scheme=appeal.subject.scheme,
            reason=_("采纳申诉：%(subject)s · %(what)s")
            % {"subject": appeal.subject.label, "what": what},
            by=by,
        )
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
    appeal.resolution = resolution.strip()
    appeal.resolved_by = account_of(by)
    appeal.resolved_at = timezone.now()
    appeal.save()
    return appeal
