"""The two sheets the import hands out: the blank template and the problem report."""

import datetime
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from yicai.exchange.engine import ERROR, WARNING, Entity, Plan, note_text
from yicai.xlsx import safe_cell

TEMPLATE_ROWS = 10000  # rows the dropdowns and formats cover


def write_problems(path: Path, plan: Plan) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )
    sheet = workbook.add_worksheet(_("问题清单"))
    bold = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    headers = [_("行号"), _("列"), _("单元格内容"), _("问题说明"), _("类别")]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    levels = {ERROR: _("错误（该行不导入）"), WARNING: _("提示（照常导入）")}
    line = 0
    for line, problem in enumerate([*plan.problems, *plan.notes], start=1):
        sheet.write_number(line, 0, problem.row)
        sheet.write_string(line, 1, safe_cell(problem.column))
        sheet.write_string(line, 2, safe_cell(problem.value))
        sheet.write_string(line, 3, safe_cell(problem.reason))
        sheet.write_string(line, 4, levels.get(problem.level, ""))
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 20)
    sheet.set_column(3, 3, 60)
    sheet.set_column(4, 4, 16)
    sheet.autofilter(0, 0, max(line, 1), 4)
    workbook.close()


def write_template(handle, entity: Entity) -> None:
    """Chinese headers (required ones in red), a notes row, an example row, dropdowns from the
    code tables, text format for identifiers and date format for dates. Always in Chinese, the
    language of the data, whatever the interface language of who downloads it."""
    with translation.override(settings.LANGUAGE_CODE):
        _write_template(handle, entity)


def _write_template(handle, entity: Entity) -> None:
    workbook = xlsxwriter.Workbook(
        handle, {"strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet(str(entity.sheet_name))
    lists = workbook.add_worksheet(_("代码"))
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000"}
    )
    note = workbook.add_format({"italic": True, "font_color": "#7F7F7F", "text_wrap": True})
    as_text = workbook.add_format({"num_format": "@"})
    as_date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    last = TEMPLATE_ROWS + 2
    list_column = 0
    for position, column in enumerate(entity.columns):
        sheet.write_string(0, position, str(column.header), required if column.required else header)
        sheet.write_string(1, position, note_text(column), note)
        if column.is_date:
            sheet.set_column(position, position, 14, as_date)
            if column.example:
                sheet.write_datetime(2, position, _as_datetime(column.example), as_date)
        else:
            sheet.set_column(position, position, max(12, len(str(column.header)) * 2 + 4), as_text)
            sheet.write_string(2, position, str(column.example or ""))
        if column.choices is not None:
            values = column.choices()
            if values:
                lists.write_string(0, list_column, str(column.header))
                for offset, value in enumerate(values, start=1):
                    lists.write_string(offset, list_column, value)
                letter = xlsxwriter.utility.xl_col_to_name(list_column)
                sheet.data_validation(
                    3,
                    position,
                    last,
                    position,
                    {
                        "validate": "list",
                        "source": f"='{lists.name}'!${letter}$2:${letter}${len(values) + 1}",
                        "error_type": "warning",
                        "error_message": _("请从下拉列表中选择。"),
                    },
                )
                list_column += 1
    sheet.freeze_panes(1, 0)
    sheet.set_row(1, 30)
    lists.hide()
    workbook.close()


def _as_datetime(value) -> datetime.datetime:
    return datetime.datetime.combine(value, datetime.time())
