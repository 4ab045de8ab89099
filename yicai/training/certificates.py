"""The completion certificate (结业证书) of a programme member, as a one-page PDF.

Drawn with reportlab and its built-in CJK font STSong-Light (a CID font every PDF reader
has), so no font file ships with Yicai and none is embedded."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from yicai.pdf import cjk_font
from yicai.training.models import CohortMember

RED = HexColor("#9b1c1c")
INK = HexColor("#222222")


def issuer_of(member: CohortMember) -> str:
    """The commission that runs the programme: its region's health commission."""
    return _("%s卫生健康委员会") % member.cohort.programme.region.name


def _date(day) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of Chinese text no wider than `width` (any character may end a line)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def certificate_filename(member: CohortMember) -> str:
    return _("结业证书-%(name)s-%(number)s.pdf") % {
        "name": member.person.name,
        "number": member.certificate_number,
    }


def certificate_pdf(member: CohortMember) -> bytes:
    """The certificate of a completed member: name, programme, cohort, period, number,
    issuer and date of completion."""
    if member.status != CohortMember.Status.COMPLETED or not member.certificate_number:
        raise ValueError("only a completed member has a certificate")
    font = cjk_font()
    cohort = member.cohort
    programme = cohort.programme
    issuer = issuer_of(member)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(_("结业证书"))
    pdf.setAuthor(issuer)
    pdf.setSubject(f"{programme.name} {cohort.name}")

    pdf.setStrokeColor(RED)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    pdf.setFillColor(RED)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 52 * mm, _("结业证书"))

    pdf.setFillColor(INK)
    pdf.setFont(font, 11)
    pdf.drawRightString(
        width - 30 * mm, height - 30 * mm, _("证书编号：%s") % member.certificate_number
    )

    body = _(
        "%(name)s同志于%(start)s至%(end)s参加%(issuer)s%(programme)s（%(cohort)s）培养，"
        "完成规定的培养任务，经考核合格，准予结业。"
    ) % {
        "name": member.person.name,
        "start": _date(member.entered_on),
        "end": _date(member.exited_on),
        "issuer": issuer,
        "programme": programme.name,
        "cohort": cohort.name,
    }
    size, left = 18, 40 * mm
    y = height - 82 * mm
    pdf.setFont(font, size)
    for number, line in enumerate(_wrapped(body, font, size, width - 2 * left - 2 * size)):
        pdf.drawString(left + (2 * size if number == 0 else 0), y, line)
        y -= size * 1.9
    pdf.drawString(left + 2 * size, y, _("特发此证。"))

    pdf.setFont(font, 16)
    pdf.drawRightString(width - 45 * mm, 50 * mm, issuer)
    pdf.drawRightString(width - 45 * mm, 40 * mm, _date(member.exited_on))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
