"""The import engine, generic over what is imported.

An `Entity` (one per importable thing, defined in its app's imports.py and registered here)
declares its columns and turns located rows into a `Plan`: what would be new, updated,
unchanged or invalid, with every problem tied to its row and column. It does so in three
steps: `prepare` reads what the checks need from the database, `check` checks a run of rows
without the database (so a big sheet is checked by two processes, see checking.py), and
`classify` compares the checked rows with what is on file. Nothing is written until
`Entity.commit(plan)`, which the services run in one transaction.
"""

import gc
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from yicai.exchange import cleaning
from yicai.exchange.reading import FileRefused, Table, check_data_rows

HEADER_SEARCH_ROWS = 20
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|共计|總計)")


class StalePlan(Exception):
    """The database changed between preview and commit in a way the plan cannot absorb; the
    message (Chinese) asks the user to preview again."""


@dataclass(frozen=True)
class Column:
    key: str
    header: StrOrPromise
    synonyms: tuple[str, ...] = ()
    required: bool = False
    note: StrOrPromise = ""
    example: object = ""
    # Values offered as a dropdown in the template (from a code table, say).
    choices: Callable[[], list[str]] | None = None
    is_date: bool = False
    # Identity numbers: masked when a problem report repeats the cell.
    sensitive: bool = False

    def header_keys(self) -> set[str]:
        """The header and its synonyms, in Chinese and in every other interface language."""
        names: set[str] = set()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.update(str(name) for name in (self.header, *self.synonyms))
        return {cleaning.header_key(name) for name in names}


ERROR, WARNING = "error", "warning"
# Headers a roster carries that are nobody's data: left out without a note.
_UNREAD_HEADERS = {"序号", "编号", "no", "no.", "行号"}


@dataclass
class Problem:
    row: int  # the spreadsheet's row number; 0 for the file as a whole
    column: str
    value: str
    reason: str
    # An error makes the row invalid; a warning says what is missing or left out, and the
    # row is imported all the same.
    level: str = ERROR


@dataclass
class Located:
    """The data rows of a sheet, with where each column is."""

    header_row: int
    positions: dict[str, int]  # column key -> index in the row
    headers: dict[str, str]  # column key -> the header as written in the file
    ignored_headers: list[str]
    rows: list[tuple[int, list]]  # (row number, cells), blank and total rows left out
    skipped: list[Problem] = field(default_factory=list)  # told, not errors

    @cached_property
    def cells(self) -> list[list]:
        return [cells for _number, cells in self.rows]

    @cached_property
    def width(self) -> int:
        """The shortest row's length (a spreadsheet's rows are all as wide; a CSV's may not be)."""
        return min(map(len, self.cells), default=0)


@dataclass
class Plan:
    entity: str
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings, and notes on the file
    invalid_rows: set[int] = field(default_factory=set)
    warned_rows: set[int] = field(default_factory=set)
    payload: object = None  # what the entity's commit needs; pickled between steps

    @property
    def invalid(self) -> int:
        return len(self.invalid_rows)

    @property
    def warned(self) -> int:
        """Rows imported with something missing (invalid rows are not counted again)."""
        return len(self.warned_rows - self.invalid_rows)

    def warn(self, row: int, column: str, value: str, reason: str) -> None:
        self.notes.append(Problem(row, column, value, reason, WARNING))
        if row:
            self.warned_rows.add(row)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "warned": self.warned,
        }


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def no_progress(stage: str, done: int, total: int) -> None:
    return None


class Entity:
    key: str = ""
    title: StrOrPromise = ""
    sheet_name: StrOrPromise = ""
    permission: str = ""  # the scope permission an importing user needs
    columns: tuple[Column, ...] = ()

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def tables(self) -> list[str]:
        """The tables commit writes, whose foreign keys are checked after it."""
        return []

    def prepare(self, context) -> object:
        """What checking rows needs from the database (code tables, departments), read before
        the sheet: a process forked to check rows never uses the database connection."""
        return None

    def check(self, located: Located, start: int, end: int, prepared) -> object:
        """Check located.rows[start:end] by the entity's rules, without the database."""
        raise NotImplementedError

    def classify(
        self, located: Located, parts: list[tuple[int, object]], context, prepared, progress
    ) -> Plan:
        """The plan, from the checked parts (each the index of its first row and what check
        returned), compared with what is on file."""
        raise NotImplementedError

    def commit(self, plan: Plan, context, progress: Progress) -> dict[str, int]:
        raise NotImplementedError


_ENTITIES: dict[str, Entity] = {}


def register(entity: Entity) -> Entity:
    _ENTITIES[entity.key] = entity
    return entity


def entity_for(key: str) -> Entity:
    try:
        return _ENTITIES[key]
    except KeyError:
        raise FileRefused(_("没有名为“%s”的导入类型。") % key) from None


def entities() -> list[Entity]:
    return list(_ENTITIES.values())


def locate(table: Table, entity: Entity) -> Located:
    """Find the header row (title rows above it are skipped), map headers to columns by name
    or synonym, fill merged cells, and drop blank lines, the template's own notes and example
    rows, and total rows at the bottom."""
    wanted = {key: column for column in entity.columns for key in column.header_keys()}
    best: dict[str, int] = {}
    best_row: int | None = None
    for index, cells in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(cells):
            column = wanted.get(cleaning.header_key(cell))
            if column is not None and column.key not in found:
                found[column.key] = position
        if len(found) > len(best):
            best, best_row = found, index
    if best_row is None or len(best) < 2:
        raise FileRefused(
            _("没有找到表头行：请使用导入模板，表头须包含“%s”等列。")
            % "”“".join(str(column.header) for column in entity.columns if column.required)
        )
    missing = [
        str(column.header)
        for column in entity.columns
        if column.required and column.key not in best
    ]
    if missing:
        raise FileRefused(_("缺少必填列：%s。") % "、".join(missing))
    header_cells = table.rows[best_row]
    known = set(best.values())
    ignored = [
        cleaning.text(cell)
        for position, cell in enumerate(header_cells)
        if position not in known
        and cleaning.text(cell)
        and cleaning.header_key(cell) not in _UNREAD_HEADERS
    ]
    _fill_merged(table, best_row)
    located = Located(
        header_row=table.first_row + best_row,
        positions=best,
        headers={key: cleaning.text(header_cells[position]) for key, position in best.items()},
        ignored_headers=ignored,
        rows=[],
    )
    template_rows = _template_rows(entity, best)
    text = cleaning.text
    for index in range(best_row + 1, len(table.rows)):
        cells = table.rows[index]
        if not any(cells):
            continue  # blank (None, "" or zero in every cell)
        texts = [text(cell) for cell in cells] if index <= best_row + 2 else None
        first = ""
        for cell in cells:
            if cell and (first := text(cell)):
                break
        if not first:
            continue  # only spaces or invisible characters
        number = table.first_row + index
        if (
            texts is not None
            and tuple(texts[p] if p < len(texts) else "" for p in best.values()) in template_rows
        ):
            continue
        if first[0] in "合总小共總" and _TOTAL_ROW.match(first):
            filled = sum(1 for cell in cells if cell and text(cell))
            if filled <= max(2, len(best) // 3):
                located.skipped.append(Problem(number, "", first, _("合计行，已忽略。"), WARNING))
                continue
        located.rows.append((number, cells))
    check_data_rows(len(located.rows))
    return located


def _template_rows(entity: Entity, positions: dict[str, int]) -> set[tuple]:
    """The notes and example rows of our own template, to skip if the user left them in."""
    notes, example = [], []
    for key in positions:
        column = entity.column(key)
        notes.append(cleaning.text(note_text(column)))
        example.append(cleaning.text(example_text(column)))
    return {tuple(notes), tuple(example)}


def note_text(column: Column) -> str:
    """The notes row's cell for a column, as the template writes it."""
    note = str(column.note or "")
    if column.required:
        return _("必填") + ("；" + note if note else "")
    return note


def example_text(column: Column) -> str:
    value = column.example
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _fill_merged(table: Table, header_index: int) -> None:
    """A merged cell's value belongs to every cell it covers (a department merged down the
    rows of its staff, say). Only merges below the header: the title above is skipped."""
    for first_row, first_col, last_row, last_col in table.merged:
        row_index = first_row - (table.first_row - 1)
        if row_index <= header_index:
            continue
        source = table.rows[row_index]
        value = source[first_col] if first_col < len(source) else None
        for r in range(row_index, min(last_row - (table.first_row - 1), len(table.rows) - 1) + 1):
            cells = table.rows[r]
            for c in range(first_col, last_col + 1):
                if c < len(cells) and (cells[c] is None or cells[c] == ""):
                    cells[c] = value


@contextmanager
def collector_paused():
    """An import makes millions of objects without reference cycles (cells, rows, checked
    values); Python's cycle collector would walk them all again and again as they are made,
    costing a tenth of the import. It runs again afterwards (and walks them once)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def column_values(located: Located, key: str) -> list | None:
    """One column's raw cells, top to bottom; None when the file has no such column."""
    position = located.positions.get(key)
    if position is None:
        return None
    rows = located.cells
    if position < located.width:
        return list(map(itemgetter(position), rows))
    return [cells[position] if position < len(cells) else None for cells in rows]
