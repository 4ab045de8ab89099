"""A person's profile (个人档案) on paper: the record the person page shows, as an A4 PDF.

What it holds is `people.queries.Profile`, read through the scope as the page reads it: the
summary with identity and phone numbers masked as the page shows them (a full number is
only ever revealed on the page, one at a time, audited), each kind of record with its dates,
the talent tags with their validity, and the timeline every app adds its events to
(`yicai.people.timeline`), newest first. A value the record lacks says 未登记, as hospital
records are often incomplete. Drawn with reportlab and the CJK font every PDF reader has
(`yicai.pdf`), as the certificates and the annual report are; every page carries the title,
the day it was printed and its number. Every download is in the audit log (`download`)."""

import datetime
import io
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Field
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.pdf import cjk_font
from yicai.people.models import Person, TitleGrade
from yicai.people.queries import Profile
from yicai.xlsx import attachment

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
PDF = "application/pdf"


def _unrecorded() -> str:
    return _("未登记")


def _text(value: object) -> str:
    """A value as printed: a day as YYYY-MM-DD, nothing as 未登记."""
    if value is None or value == "":
        return _unrecorded()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _name(code: Any) -> str:
    """A code's (or a related row's) name, or 未登记."""
    return _text(getattr(code, "name", None) if code is not None else None)


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=18, leading=26, alignment=1),
        "subtitle": ParagraphStyle("subtitle", base, alignment=1, textColor=colors.grey),
        "heading": ParagraphStyle("heading", base, fontSize=13, leading=20, spaceBefore=8),
        "body": base,
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=12.5),
        "label": ParagraphStyle("label", base, fontSize=9, leading=12.5, textColor=colors.grey),
        "warning": ParagraphStyle("warning", base, fontSize=9, leading=13, textColor=colors.brown),
    }


def _paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    """Plain text, never markup: a name or a note with "<" or "&" prints as written."""
    return Paragraph(escape(str(text)), style)


def _grid(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], styles
) -> Table:
    data = [[_paragraph(header, styles["label"]) for header in headers]]
    data += [[_paragraph(value, styles["cell"]) for value in row] for row in rows]
    table = Table(data, colWidths=[WIDTH * share for share in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF3F8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _summary(profile: Profile, printed_on: datetime.date, styles) -> Table:
    """The person's card, two facts a line, as the page's header and card have them."""
    person = profile.person

    def label(name: str) -> str:  # the field's own label, as the forms have it
        field = Person._meta.get_field(name)
        return str(field.verbose_name) if isinstance(field, Field) else name

    born = _("%(day)s（%(age)d 岁）") % {
        "day": person.birth_date.isoformat(),
        "age": _age(person.birth_date, printed_on),
    }
    grade = (
        TitleGrade(person.title_grade).label
        if person.title_grade in TitleGrade.values
        else _unrecorded()
    )
    facts = [
        (label("name"), person.name),
        (label("sex"), _name(person.sex)),
        (label("birth_date"), born),
        (_("身份证号码"), _text(person.id_number_masked)),
        (_("手机号码"), _text(person.phone_masked)),
        (label("ethnicity"), _name(person.ethnicity)),
        (label("institution"), _name(person.institution)),
        (label("department"), _name(person.department)),
        (label("position"), _text(person.position)),
        (label("category"), person.get_category_display()),
        (label("current_title"), _name(person.current_title)),
        (label("title_grade"), str(grade)),
        (label("highest_education"), _name(person.highest_education)),
        (label("source"), _name(person.source)),
        (label("personnel_category"), _name(person.personnel_category)),
        (label("practice_category"), _name(person.practice_category)),
        (label("political_status"), _name(person.political_status)),
        (label("staffing"), _name(person.staffing)),
        (label("work_start_on"), _text(person.work_start_on)),
    ]
    if len(facts) % 2:
        facts.append(("", ""))
    rows = [
        [
            _paragraph(facts[i][0], styles["label"]),
            _paragraph(facts[i][1], styles["cell"]),
            _paragraph(facts[i + 1][0], styles["label"]),
            _paragraph(facts[i + 1][1], styles["cell"]),
        ]
        for i in range(0, len(facts), 2)
    ]
    table = Table(rows, colWidths=[WIDTH * share for share in (0.16, 0.34, 0.16, 0.34)])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF3F8")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#EEF3F8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _with_note(text: str, note: object) -> str:
    return f"{text}（{note}）" if note else text


def _sections(profile: Profile) -> list[tuple[str, list[str], list[float], list[list[str]]]]:
    """Each kind of record: its heading, columns, their widths and rows, as the page lists
    them (latest first)."""
    educations = [
        [
            _text(item.graduated_on),
            _text(item.school),
            _text(item.major),
            _name(item.level),
            _name(item.degree),
            _("全日制") if item.full_time else _("在职"),
        ]
        for item in profile.educations
    ]
    titles = [
        [
            _name(item.title),
            str(TitleGrade(item.grade).label) if item.grade in TitleGrade.values else _text(None),
            _text(item.obtained_on),
            _text(item.appointed_on),
        ]
        for item in profile.titles
    ]
    licences = [
        [
            _text(item.number),
            item.get_category_display(),
            _text(item.scope),
            _name(item.registered_institution),
            _text(item.issued_on),
            _text(item.expires_on),
        ]
        for item in profile.licences
    ]
    appointments = [
        [
            _text(item.start_on),
            _text(item.end_on) if item.end_on else _("至今"),
            _name(item.institution),
            _name(item.department),
            _with_note(
                _text(item.position),
                _("分管 %s") % "、".join(str(d) for d in item.departments_in_charge.all())
                if item.departments_in_charge.all()
                else "",
            ),
        ]
        for item in profile.appointments
    ]
    tags = [
        [
            _with_note(_name(item.tag), item.note),
            _text(item.valid_from),
            _text(item.valid_to) if item.valid_to else _("长期有效"),
        ]
        for item in profile.tags
    ]
    return [
        (
            _("学历学位"),
            [_("毕业时间"), _("毕业院校"), _("专业"), _("学历"), _("学位"), _("学习形式")],
            [0.14, 0.26, 0.2, 0.14, 0.13, 0.13],
            educations,
        ),
        (
            _("专业技术职务"),
            [_("职称"), _("级别"), _("取得时间"), _("聘任时间")],
            [0.34, 0.22, 0.22, 0.22],
            titles,
        ),
        (
            _("执业证书"),
            [
                _("执业证书编号"),
                _("执业类别"),
                _("执业范围"),
                _("注册执业机构"),
                _("发证日期"),
                _("有效期至"),
            ],
            [0.2, 0.12, 0.18, 0.22, 0.14, 0.14],
            licences,
        ),
        (
            _("任职经历"),
            [_("起始日期"), _("截止日期"), _("机构"), _("科室"), _("职务/岗位")],
            [0.14, 0.14, 0.26, 0.18, 0.28],
            appointments,
        ),
        (
            _("人才标签"),
            [_("人才标签"), _("认定日期"), _("有效期至")],
            [0.5, 0.25, 0.25],
            tags,
        ),
    ]


def _timeline(profile: Profile, styles) -> Flowable:
    rows = [
        [
            _text(event.date),
            str(event.kind),
            f"{event.title}\n{event.detail}" if event.detail else str(event.title),
        ]
        for event in profile.events
    ]
    if not rows:
        return _paragraph(_("暂无动态。"), styles["body"])
    data = [[_paragraph(h, styles["label"]) for h in (_("日期"), _("类别"), _("事项"))]]
    data += [
        [
            _paragraph(day, styles["cell"]),
            _paragraph(kind, styles["cell"]),
            Paragraph("<br/>".join(escape(line) for line in what.split("\n")), styles["cell"]),
        ]
        for day, kind, what in rows
    ]
    table = Table(data, colWidths=[WIDTH * share for share in (0.15, 0.17, 0.68)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF3F8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


class _NumberedCanvas(canvas.Canvas):
    """A canvas that holds its pages until the end, then writes on each its footer with
    "page n of N"."""

    def __init__(self, *args: Any, footer: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self.setFont(cjk_font(), 8)
            self.setFillColor(colors.grey)
            self.drawString(MARGIN, 10 * mm, self._footer)
            self.drawRightString(
                A4[0] - MARGIN,
                10 * mm,
                _("第 %(page)d 页，共 %(pages)d 页") % {"page": number, "pages": total},
            )
            super().showPage()
        super().save()


def title(person: Person) -> str:
    return _("个人档案 — %s") % person.name


def filename(person: Person) -> str:
    return _("个人档案-%s.pdf") % person.name


def draw(profile: Profile, printed_on: datetime.date) -> bytes:
    """The profile as an A4 PDF, printed on `printed_on` (the same profile and day give the
    same bytes)."""
    styles = _styles()
    person = profile.person
    printed = _("打印日期：%s") % printed_on.isoformat()
    story: list[Flowable] = [
        _paragraph(title(person), styles["title"]),
        _paragraph(printed, styles["subtitle"]),
        Spacer(1, 5 * mm),
        _summary(profile, printed_on, styles),
    ]
    if profile.missing:
        story += [
            Spacer(1, 2 * mm),
            _paragraph(f"{_('档案不完整')}：{'；'.join(profile.missing)}", styles["warning"]),
        ]
    for heading, headers, widths, rows in _sections(profile):
        story.append(_paragraph(heading, styles["heading"]))
        if rows:
            story.append(_grid(headers, rows, widths, styles))
        else:
            story.append(_paragraph(_("暂无记录"), styles["body"]))
    story.append(_paragraph(_("个人动态时间线"), styles["heading"]))
    story.append(_timeline(profile, styles))
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title(person),
        author=_name(person.institution),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        invariant=1,  # no creation time or random id: the same profile, the same bytes
    )
    maker: Callable[..., canvas.Canvas] = partial(
        _NumberedCanvas, footer=f"{title(person)}　{printed}"
    )
    document.build(story, canvasmaker=maker)
    return out.getvalue()


def download(profile: Profile) -> HttpResponse:
    """The profile as a PDF to download, printed today; the audit log says who printed
    whose profile."""
    person = profile.person
    content = draw(profile, timezone.localdate())
    audit.record(
        AuditEntry.Event.EXPORT,
        obj=person,
        summary=_("打印 %s 的个人档案（PDF）") % person.name,
        data={"format": "pdf"},
    )
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = attachment(filename(person))
    return response
