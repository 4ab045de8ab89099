"""Sheets whose rows each become one record through a service (expert visits, case logs, a
round's nominations; exam scores and award lines in the apps to come), and the cell converters
every import reads its cells with.

A `RecordImport` declares its columns and converters, and says how a row's names become rows on
file (`resolve`), whether the record is on file already (`exists`) and how it is written
(`apply`): each row goes through the same service a page and the API use, so it is refused for
the same reasons, in the same words, tied to its row and column. The preview runs every valid
row through its service inside a transaction it then rolls back, so rules across rows (two
secondments of one person overlapping) are met as the commit would meet them.

Converters read a cell without the database (rows may be checked in a second process) and raise
`cleaning.CellError` with the message the user reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access import pii
from yicai.codes.models import Code, Synonym
from yicai.exchange import cleaning
from yicai.exchange.engine import Column, Entity, Located, Plan, Problem, Progress, StalePlan

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from yicai.exchange.services import ImportContext

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
Converter = Callable[[object], Any]
Choices = Iterable[tuple[Any, "_StrOrPromise"]]


# The remark a sheet's rows may end with, in every import that keeps one.
NOTE = Column("note", gettext_lazy("说明"), ("备注",), example="")


# -- cell converters ------------------------------------------------------------------------------


def text(limit: int | None = None) -> Callable[[object], str]:
    """A cell as trimmed text, at most `limit` characters ("" when blank)."""

    def convert(raw: object) -> str:
        value = cleaning.text(raw)
        if limit and len(value) > limit:
            raise cleaning.CellError(_("不能超过 %s 个字。") % limit)
        return value

    return convert


def date(raw: object) -> datetime.date | None:
    """A date in any form people write one, not before 1900 (a typo for a year)."""
    value = cleaning.date(raw)
    if value is not None and value.year < 1900:
        raise cleaning.CellError(_("日期不能早于 1900 年。"))
    return value


def past_date() -> Callable[[object], datetime.date | None]:
    """A date that has happened: not after today (today as of the call, once a sheet)."""
    today = timezone.localdate()

    def convert(raw: object) -> datetime.date | None:
        value = date(raw)
        if value is not None and value > today:
            raise cleaning.CellError(_("日期不能晚于今天。"))
        return value

    return convert


def count(maximum: int, rule: _StrOrPromise) -> Callable[[object], int]:
    """A whole number from 0 to `maximum`, 0 when blank; else `rule` (the model's words)."""

    def convert(raw: object) -> int:
        value = cleaning.text(raw)
        if not value:
            return 0
        try:
            number = float(value)
        except ValueError:
            raise cleaning.CellError(str(rule)) from None
        if number < 0 or not number.is_integer() or number > maximum:
            raise cleaning.CellError(str(rule))
        return int(number)

    return convert


def whole_number(minimum: int, maximum: int, rule: _StrOrPromise) -> Callable[[object], int | None]:
    """A whole number from `minimum` to `maximum`, None when blank; else `rule` (the model's
    words)."""
    tally = count(maximum, rule)

    def convert(raw: object) -> int | None:
        if not cleaning.text(raw):
            return None
        value = tally(raw)
        if value < minimum:
            raise cleaning.CellError(str(rule))
        return value

    return convert


def yes_no(raw: object) -> bool:
    value = cleaning.text(raw)
    if value in ("", "否", "N", "n", "no", "0"):
        return False
    if value in ("是", "Y", "y", "yes", "1", "已审核"):
        return True
    raise cleaning.CellError(_("请填写“是”或“否”。"))


class Lookup:
    """Cell text -> value for one code table (or list of choices), by code, name or synonym,
    compared as `cleaning.code_key` does (full-width forms, spaces and case aside). A synonym
    may hold only for people of one personnel category (副主任 is 副主任护师 for a nurse):
    those are looked up with the row's category."""

    def __init__(
        self,
        pairs: Iterable[tuple[object, object, object]],
        aliases: Mapping[str, object] | None = None,
        qualified: Mapping[tuple[str, object], object] | None = None,
    ) -> None:
        self.ids: dict[str, object] = {}
        for code, name, value in pairs:
            self.ids[cleaning.code_key(code)] = value
            self.ids[cleaning.code_key(name)] = value
        for alias, value in (aliases or {}).items():
            self.ids.setdefault(cleaning.code_key(alias), value)
        self.qualified = {
            (cleaning.code_key(alias), category): value
            for (alias, category), value in (qualified or {}).items()
        }
        self.needing_category = {key for key, _category in self.qualified} - set(self.ids)

    def get(self, value: object, category: object = None) -> Any:
        key = cleaning.code_key(value)
        found = self.ids.get(key)
        if found is None and category is not None:
            found = self.qualified.get((key, category))
        return found

    def needs_category(self, value: object) -> bool:
        return cleaning.code_key(value) in self.needing_category


def code_lookup(table: str, *, leaves_only: bool = False, suffixes: tuple[str, ...] = ()) -> Lookup:
    """A code table's lookup, read before the sheet: codes, names, names without a usual
    suffix (汉 for 汉族) and the synonyms administrators keep (codes.Synonym); `leaves_only`:
    the codes under another (大学本科毕业, not 大学本科)."""
    codes = Code.objects.filter(table__key=table, active=True)
    if leaves_only:
        codes = codes.filter(parent__isnull=False)
    pairs = list(codes.values_list("code", "name", "id"))
    allowed = {pk for _code, _name, pk in pairs}
    aliases: dict[str, int] = {}
    # (text, personnel category id) -> code id, keyed as Lookup takes them
    qualified: dict[tuple[str, object], int] = {}
    for text, code_id, category in Synonym.objects.filter(table__key=table).values_list(
        "text", "code_id", "personnel_category_id"
    ):
        if code_id not in allowed:
            continue
        if category is None:
            aliases[text] = code_id
        else:
            qualified[(text, category)] = code_id
    for _code, name, pk in pairs:
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                aliases.setdefault(name[: -len(suffix)], pk)
    return Lookup(pairs, aliases, qualified)


def code(lookup: Lookup, message: str) -> Converter:
    """A code by its code, name or synonym; None when blank; `message % cell` when unknown."""

    def convert(raw: object) -> Any:
        found = lookup.get(raw)
        if found is None:
            value = cleaning.text(raw)
            if value:
                raise cleaning.CellError(message % value)
        return found

    return convert


def choice(choices: Choices) -> Callable[[object], Any]:
    """One of a model field's choices, by label or value ("" when blank); the labels are read
    in the language of the moment, as the template shows them."""
    choices = list(choices)

    def convert(raw: object) -> Any:
        value = cleaning.text(raw)
        if not value:
            return ""
        labels = [str(label) for _value, label in choices]
        found = Lookup(
            (key, label, key) for (key, _label), label in zip(choices, labels, strict=True)
        ).get(value)
        if found is None:
            raise cleaning.CellError(
                _("“%(value)s”不在：%(known)s") % {"value": value, "known": "、".join(labels)}
            )
        return found

    return convert


# -- finding what a row names ---------------------------------------------------------------------


class RowProblem(Exception):
    """What a row names is not there (or not the user's to name): `message` for column `key`."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def offered(context: ImportContext, of_user: Callable[[Any], T], everything: T) -> T:
    """The rows a row may name: those the API offers the user (`of_user(user)`); from the
    command line without --user, `everything`."""
    return everything if context.user is None else of_user(context.user)


def institution_named(institutions: QuerySet[M], name: str) -> M | None:
    return institutions.filter(Q(name=name) | Q(short_name=name)).first()


def row_institution(
    context: ImportContext,
    name: str,
    of_user: Callable[[Any], QuerySet[M]],
    everything: QuerySet[M],
    missing: object,
    key: str = "institution",
) -> M:
    """The institution a row names, among those `offered`; a row that names none goes to the
    import's default institution, if it has one. `missing`: the API's words for one outside."""
    if not name:
        if context.default_institution is None:
            raise RowProblem(key, _("请填写机构。"))
        default: M = context.institutions.get(pk=context.default_institution)
        return default
    found = institution_named(offered(context, of_user, everything), name)
    if found is None:
        raise RowProblem(key, str(missing))
    return found


def named(
    rows: QuerySet[M], name: str, institution: models.Model, key: str, missing: object
) -> M | None:
    """The row of this name, at the record's institution if it has one there, else elsewhere
    (the service then says it is not of that institution, as it would to the API); None when
    no name is given, `missing` (the API's words) when none has it."""
    if not name:
        return None
    found = list(rows.filter(name=name).order_by("pk")[:20])
    if not found:
        raise RowProblem(key, str(missing))
    here = [row for row in found if getattr(row, "institution_id", None) == institution.pk]
    return (here or found)[0]


def person(
    people: QuerySet[M],
    name: str,
    key: str,
    missing: object,
    *,
    id_number: str = "",
    where: str = "",
    what: _StrOrPromise | None = None,
) -> M:
    """The one person of `people` with this name (and identity number, or institution by name,
    when given); `missing` (the API's words) when none, a request to tell namesakes apart when
    several match."""
    if id_number:
        people = people.filter(id_number_index=pii.blind_index(id_number))
    found = list(people.filter(name=name).select_related("institution")[:3])
    if where:
        found = [
            one
            for one in found
            if (place := getattr(one, "institution", None))
            and where in (place.name, place.short_name)
        ]
    if not found:
        raise RowProblem(key, str(missing))
    if len(found) > 1:
        raise RowProblem(
            key,
            _("有多位同名的%(what)s“%(name)s”，请填写身份证号码或所在机构以区分。")
            % {"what": what or _("人员"), "name": name},
        )
    return found[0]


# -- the entity --------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    raws: dict[str, object] = field(default_factory=dict)
    errors: list[tuple[str, object, str]] = field(default_factory=list)  # (key, raw, message)


Checked = tuple[int, dict[str, Any]]  # a valid row: its number and converted values


class RecordImport(Entity):
    """One row, one record, through a service. Subclasses declare `columns`, the `converters`
    of the columns that are not text of up to 100 characters or a date (`is_date`), and the
    service's field names that differ from their column's key (`fields`) and the columns passed
    to it as they are (`passed`); they resolve a row's names to rows on file (`resolve`), say
    whether it is on file already (`exists`) and write it (`apply`)."""

    model: ClassVar[type[models.Model]]
    converters: ClassVar[Mapping[str, Converter]] = {}
    fields: ClassVar[Mapping[str, str]] = {}  # a service's field name -> its column's key
    # The columns whose values go to the service as they were read; `resolve` adds the rest.
    passed: ClassVar[tuple[str, ...]] = ()
    # The fields of the model (and keys of the service's arguments) that make a row the same
    # record as one on file, so a sheet imported twice adds nothing.
    same_by: ClassVar[tuple[str, ...]] = ()

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        """The service's arguments a row's names stand for (the records on file they name)."""
        raise NotImplementedError

    def arguments(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        """A row's arguments to the service: its `passed` values and what `resolve` finds."""
        return {**{key: values[key] for key in self.passed}, **self.resolve(values, context)}

    def exists(self, kwargs: dict[str, Any]) -> bool:
        same = {name: kwargs[name] for name in self.same_by}
        return self.model._default_manager.filter(**same).exists()

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        raise NotImplementedError

    def tables(self) -> list[str]:
        return [self.model._meta.db_table]

    def converter(self, column: Column) -> Converter:
        found = self.converters.get(column.key)
        if found is not None:
            return found
        return date if column.is_date else _DEFAULT_TEXT

    def check(self, located: Located, start: int, end: int, prepared: object) -> list[Row]:
        converters = [(column, self.converter(column)) for column in self.columns]
        checked = []
        for number, cells in located.rows[start:end]:
            row = Row(number)
            for column, convert in converters:
                position = located.positions.get(column.key)
                raw = cells[position] if position is not None and position < len(cells) else None
                row.raws[column.key] = raw
                try:
                    value = convert(raw)
                except cleaning.CellError as error:
                    row.errors.append((column.key, raw, str(error)))
                    continue
                if column.required and value in (None, ""):
                    row.errors.append((column.key, raw, _("必填。")))
                row.values[column.key] = value
            checked.append(row)
        return checked

    def classify(
        self,
        located: Located,
        parts: list[tuple[int, Any]],
        context: ImportContext,
        prepared: object,
        progress: Progress,
    ) -> Plan:
        rows: list[Row] = [
            row for _start, part in sorted(parts, key=lambda p: p[0]) for row in part
        ]
        plan = Plan(entity=self.key, total=len(rows))
        progress("analyse", 0, len(rows))
        valid: list[Checked] = []
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                if not row.errors:
                    self._try(row, context, plan, valid)
                if row.errors:
                    plan.invalid_rows.add(row.number)
                    for key, raw, message in row.errors:
                        plan.problems.append(self._problem(located, row.number, key, raw, message))
                progress("analyse", done, len(rows))
            transaction.set_rollback(True)  # a dry run: the commit writes
        plan.new = len(valid)
        plan.payload = valid
        return plan

    def _try(self, row: Row, context: ImportContext, plan: Plan, valid: list[Checked]) -> None:
        try:
            kwargs = self.arguments(row.values, context)
            if self.exists(kwargs):
                plan.unchanged += 1
                return
            with transaction.atomic():
                self.apply(kwargs, context)
        except RowProblem as problem:
            row.errors.append((problem.key, row.raws.get(problem.key), problem.message))
        except ValidationError as error:
            for name, messages in _messages(error):
                key = self.fields.get(name, name)
                row.errors.append((key, row.raws.get(key), "；".join(messages)))
        else:
            valid.append((row.number, row.values))

    def commit(self, plan: Plan, context: ImportContext, progress: Progress) -> dict[str, int]:
        payload: list[Checked] = plan.payload  # type: ignore[assignment]
        for done, (number, values) in enumerate(payload, start=1):
            try:
                self.apply(self.arguments(values, context), context)
            except RowProblem as problem:
                raise _stale(number, problem.message) from None
            except ValidationError as error:
                why = "；".join(m for _name, messages in _messages(error) for m in messages)
                raise _stale(number, why) from None
            progress("commit", done, len(payload))
        return {"created": len(payload), "updated": 0}

    def _problem(self, located: Located, row: int, key: str, raw: object, message: str) -> Problem:
        try:
            column = self.column(key)
        except StopIteration:
            return Problem(row, "", cleaning.text(raw), message)
        shown = cleaning.text(raw)
        if column.sensitive and shown:
            shown = pii.mask_last4(shown[-4:], len(shown))
        return Problem(row, located.headers.get(key, str(column.header)), shown, message)


_DEFAULT_TEXT = text(100)


def _stale(row: int, why: str) -> StalePlan:
    return StalePlan(
        _("第 %(row)d 行在预览之后已不能导入（%(why)s），请重新预览。") % {"row": row, "why": why}
    )


def _messages(error: ValidationError) -> Iterable[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return error.message_dict.items()
    return [("__all__", error.messages)]
