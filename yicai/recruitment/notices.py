"""The public notice (公示) of the candidates for hire, as the page lists it, as a sheet and as
a PDF to post: identity numbers masked to their last four digits, no phone numbers.

The PDF is drawn with reportlab and its built-in CJK font STSong-Light (as the completion
certificate is), so no font ships with Yicai and none is embedded."""

import io
from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yicai.pdf import cjk_font
from yicai.recruitment import queries
from yicai.recruitment.models import Application, PublicNotice


def lines(notice: PublicNotice) -> "QuerySet[Application]":
    """Everyone the notice named, by post, as published (a later outcome does not remove a
    name from a notice that was posted)."""
    return notice.applications.select_related("post__department", "sex", "education").order_by(
        "post", "id"
    )


def headers() -> list[str]:
    return [
        _("序号"),
        _("姓名"),
        _("性别"),
        _("出生年月"),
        _("身份证号码"),
        _("学历"),
        _("毕业院校"),
        _("所学专业"),
        _("拟聘岗位"),
        _("用人科室"),
        _("综合成绩"),
    ]


def rows(notice: PublicNotice) -> Iterator[list[object]]:
    plan = notice.plan
    for number, item in enumerate(lines(notice), start=1):
        combined = queries.combined_score(item, plan)
        department = item.post.department
        yield [
            number,
            item.name,
            item.sex.name if item.sex else "",
            item.birth_date.strftime("%Y.%m") if item.birth_date else "",
            item.id_number_masked,
            item.education.name if item.education else "",
            item.school,
            item.major,
            item.post.name,
            department.name if department else "",
            combined if combined is not None else "",
        ]


def table(notice: PublicNotice) -> tuple[list[str], Iterator[list[object]]]:
    return headers(), rows(notice)


def _wrapped(value: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (a name with "&" or "<" is no markup)."""
    return Paragraph(escape(str(value)), style)


def pdf(notice: PublicNotice) -> bytes:
    """One A4 landscape document: the title, the list, the period and where to object."""
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    plan = notice.plan
    data: list[Sequence[object]] = [[_wrapped(header, cell) for header in headers()]]
    data += [[_wrapped(value, cell) for value in row] for row in rows(notice)]
    widths = [10, 18, 10, 18, 38, 24, 34, 30, 30, 24, 18]
    grid = Table(data, colWidths=[width * mm for width in widths], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    period = _(
        "公示期：%(start)s 至 %(end)s。公示期间，如对公示人员有异议，请以书面形式向"
        "%(institution)s反映，并提供具体事实和联系方式。"
    ) % {
        "start": notice.starts_on.isoformat(),
        "end": notice.ends_on.isoformat(),
        "institution": plan.institution.name,
    }
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=notice.title,
    )
    document.build(
        [
            _wrapped(notice.title, title),
            Spacer(1, 6 * mm),
            _wrapped(_("根据%s公开招聘有关规定，现将拟聘用人员名单公示如下：") % plan, body),
            Spacer(1, 4 * mm),
            grid,
            Spacer(1, 6 * mm),
            _wrapped(period, body),
            Spacer(1, 4 * mm),
            _wrapped(f"{plan.institution.name}　{notice.starts_on.isoformat()}", body),
        ]
    )
    return buffer.getvalue()
