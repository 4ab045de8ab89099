"""The annual report as files: a PDF with a table of contents, its tables and bar charts
(reportlab, with the CJK font every PDF reader has, as the certificates), and a workbook with
the report's text on its first sheet and one sheet per section's tables."""

import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from yicai.insights.annual import Chart, Report
from yicai.insights.annual import Table as ReportTable
from yicai.pdf import cjk_font
from yicai.xlsx import safe_cell

WIDTH = A4[0] - 40 * mm


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=20, leading=28, alignment=1),
        "subtitle": ParagraphStyle("subtitle", base, alignment=1, textColor=colors.grey),
        "heading": ParagraphStyle("heading", base, fontSize=14, leading=22, spaceBefore=10),
        "caption": ParagraphStyle("caption", base, fontSize=9.5, textColor=colors.grey),
        "body": base,
        "toc": ParagraphStyle("toc", base, leftIndent=8 * mm),
    }


class _Document(SimpleDocTemplate):
    """Each section heading enters the table of contents with its page."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "heading":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    return str(value)


def _table(table: ReportTable, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [[Paragraph(_cell(v), styles["body"]) for v in row] for row in table.rows]
    header = [Paragraph(str(h), styles["body"]) for h in table.headers]
    drawn = Table([header, *rows], repeatRows=1, hAlign="LEFT")
    drawn.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return drawn


def _chart(chart: Chart) -> Drawing:
    font = cjk_font()
    drawing = Drawing(WIDTH, 62 * mm)
    bars = VerticalBarChart()
    bars.x, bars.y = 12 * mm, 12 * mm
    bars.width, bars.height = WIDTH - 20 * mm, 42 * mm
    bars.data = [chart.values or [0]]
    bars.categoryAxis.categoryNames = chart.labels or [""]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 8
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = colors.HexColor("#2f6fb0")
    # The figure on each bar: the chart reads without its table.
    bars.barLabelFormat = "%d"
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = 8
    bars.barLabels.nudge = 6
    drawing.add(bars)
    drawing.add(String(0, 58 * mm, chart.title, fontName=font, fontSize=10))
    return drawing


def report_pdf(report: Report) -> bytes:
    styles = _styles()
    contents = TableOfContents()
    contents.levelStyles = [styles["toc"]]
    story: list[Flowable] = [
        Spacer(1, 40 * mm),
        Paragraph(report.title, styles["title"]),
        Paragraph(
            _("统计期：%(since)s 至 %(until)s")
            % {"since": report.since.isoformat(), "until": report.until.isoformat()},
            styles["subtitle"],
        ),
        Spacer(1, 20 * mm),
        Paragraph(_("目录"), styles["subtitle"]),
        contents,
        PageBreak(),
    ]
    for section in report.sections:
        story.append(Paragraph(section.title, styles["heading"]))
        story.extend(Paragraph(sentence, styles["body"]) for sentence in section.sentences)
        for chart in section.charts:
            story.append(_chart(chart))
        for table in section.tables:
            story.append(Spacer(1, 3 * mm))
            story.append(Paragraph(table.title, styles["caption"]))
            story.append(_table(table, styles))
    out = io.BytesIO()
    document = _Document(
        out,
        pagesize=A4,
        title=report.title,
        author=report.scope,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    document.multiBuild(story)  # twice at least: the contents learn their pages
    return out.getvalue()


def report_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = workbook.add_worksheet(_("报告正文"))
    text.set_column(0, 0, 120)
    text.write_string(0, 0, str(safe_cell(report.title)), bold)
    line = 1
    for section in report.sections:
        line += 1
        text.write_string(line, 0, str(safe_cell(section.title)), bold)
        for sentence in section.sentences:
            line += 1
            text.write_string(line, 0, str(safe_cell(sentence)))
    for section in report.sections:
        if not section.tables:
            continue
        sheet = workbook.add_worksheet(section.title.split("、", 1)[-1][:31])
        row = 0
        for table in section.tables:
            sheet.write_string(row, 0, str(safe_cell(table.title)), bold)
            sheet.write_row(row + 1, 0, [str(h) for h in table.headers], bold)
            for offset, values in enumerate(table.rows, start=row + 2):
                for column, value in enumerate(values):
                    cell = safe_cell(value)
                    if isinstance(cell, int | float | Decimal):
                        sheet.write_number(offset, column, float(cell))
                    else:
                        sheet.write_string(offset, column, str(cell))
            row += len(table.rows) + 3
        sheet.set_column(0, 8, 16)
    workbook.close()
    return out.getvalue()
