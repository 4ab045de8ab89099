"""The baseline: django-import-export importing the roster into the same models as Yicai.

    DJANGO_SETTINGS_MODULE=yicai.settings python -m bench.baseline roster.xlsx

The file is read once into a tablib Dataset the way import-export's admin reads an .xlsx
(`import_export.formats.base_formats.XLSX().create_dataset`, openpyxl in read-only mode); then
five ModelResources run over that same Dataset, one per model: Person first, then Education,
TitleRecord, Licence and Appointment, whose `person` is found by the identity number's blind
index. All five run inside one transaction, rolled back if any of them reports an error, so
the result is all-or-nothing like Yicai's import.

The options are the ones import-export's "Bulk imports / Performance tuning" documentation
recommends: `use_bulk = True` with `batch_size = 1000`, `skip_diff = True`, `report_skipped =
False`, `use_transactions = True`; `CachedInstanceLoader` for Person (rows may create or
update: one query for all the file's identity numbers) and `force_init_instance = True` for the
records (always new); `CachedForeignKeyWidget` for every foreign key (codes, institutions,
departments, people), so no lookup queries a row. `skip_unchanged` has no effect once
`skip_diff` is on (import-export compares nothing then), so it is left off.

Person's non-editable columns are filled as Yicai fills them, by widgets: pinyin initials
(yicai.people.services.name_initials), identity number and phone encrypted with
yicai.access.pii (AES-GCM), the blind index and the last four digits; code names (性别 男/女,
民族, 最高学历, 学位, 现职称 and its grade), institution and department (of that institution)
looked up by name. The summary columns (institution, department, position, current title,
grade, highest education) are set from the same row, which is what profile_refresh would
compute for a person whose only records are this row's.

What it does NOT check, unlike Yicai's import: `clean_model_instances` is off (import-export's
default), so no full_clean(): no identity check digit, no birth date or sex against the number,
no dates in the future, no duplicate identity numbers inside the file (a duplicate becomes a
second person and fails on the unique index), no licence-number clash before the database
reports it. A name that is not found (a code, an institution, a department) fails the row.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yicai.settings")
    import django

    django.setup()


def build_resources():
    """The five resources; defined after django.setup() since they need the models."""
    from django.db.models import F
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader

    from yicai.access import pii
    from yicai.codes.models import Code
    from yicai.org.models import Department, Institution
    from yicai.people.identity import normalise
    from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord
    from yicai.people.services import name_initials as initials_of

    def text(value) -> str:
        return "" if value is None else str(value).strip()

    class CodeWidget(widgets.CachedForeignKeyWidget):
        """A code of one table, by its name (性别 also takes 男/女)."""

        aliases = {"sex": {"男": "男性", "女": "女性"}}

        def __init__(self, table: str):
            super().__init__(Code, "name")
            self.table = table

        def get_queryset(self, value, row, *args, **kwargs):
            return Code.objects.filter(table__key=self.table)

        def clean(self, value, row=None, **kwargs):
            value = text(value)
            value = self.aliases.get(self.table, {}).get(value, value)
            return super().clean(value, row, **kwargs)

    class GradeWidget(widgets.Widget):
        """A title's grade (senior, intermediate, ...) from the title's name."""

        def __init__(self):
            super().__init__()
            self.grades = None

        def clean(self, value, row=None, **kwargs):
            if self.grades is None:
                self.grades = {
                    code.name: code.grade for code in Code.objects.filter(table__key="title")
                }
            return self.grades.get(text(value), "")

    class DepartmentWidget(widgets.CachedForeignKeyWidget):
        """A department by its name within the row's institution (names repeat across them)."""

        def __init__(self):
            super().__init__(Department, "name")

        def get_queryset(self, value, row, *args, **kwargs):
            return Department.objects.annotate(institution_name=F("institution__name"))

        def get_lookup_kwargs(self, value, row, **kwargs):
            return {"name": value, "institution_name": text(row["所在机构"])}

    class PersonWidget(widgets.CachedForeignKeyWidget):
        """The person a record belongs to, by the blind index of the row's identity number."""

        def __init__(self):
            super().__init__(Person, "id_number_index")

        def get_queryset(self, value, row, *args, **kwargs):
            return Person.objects.only("pk", "id_number_index")

        def clean(self, value, row=None, **kwargs):
            return super().clean(pii.blind_index(normalise(text(value))), row, **kwargs)

    class Computed(widgets.Widget):
        """A column derived from a cell by a function (encryption, index, initials...)."""

        def __init__(self, function):
            super().__init__()
            self.function = function

        def clean(self, value, row=None, **kwargs):
            return self.function(text(value))

    class Choice(widgets.Widget):
        def __init__(self, choices):
            super().__init__()
            self.values = {str(label): value for value, label in choices}

        def clean(self, value, row=None, **kwargs):
            value = text(value)
            if value not in self.values:
                raise ValueError(f"unknown choice {value!r}")
            return self.values[value]

    def identity(value: str) -> str:
        return normalise(value)

    def phone(value: str) -> str:
        return "".join(ch for ch in value if not ch.isspace())

    def column(name: str, attribute: str, widget=None, **options):
        return fields.Field(
            attribute=attribute, column_name=name, widget=widget or widgets.Widget(), **options
        )

    institution_widget = widgets.CachedForeignKeyWidget(Institution, "name")
    person_widget = PersonWidget()  # one cache of (id, blind index), filled after Person's import

    class Options:
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        report_skipped = False
        use_transactions = True

    class PersonResource(resources.ModelResource):
        name = column("姓名", "name", widgets.CharWidget())
        name_initials = column("姓名", "name_initials", Computed(initials_of))
        sex = column("性别", "sex", CodeWidget("sex"))
        birth_date = column("出生日期", "birth_date", widgets.DateWidget())
        ethnicity = column("民族", "ethnicity", CodeWidget("ethnicity"))
        id_number_index = column(
            "身份证号码", "id_number_index", Computed(lambda v: pii.blind_index(identity(v)))
        )
        id_number_cipher = column(
            "身份证号码", "id_number_cipher", Computed(lambda v: pii.encrypt(identity(v)))
        )
        id_number_last4 = column(
            "身份证号码", "id_number_last4", Computed(lambda v: identity(v)[-4:])
        )
        phone_cipher = column("手机号码", "phone_cipher", Computed(lambda v: pii.encrypt(phone(v))))
        phone_last4 = column("手机号码", "phone_last4", Computed(lambda v: phone(v)[-4:]))
        category = column("人员类别", "category", Choice(Person.Category.choices))
        institution = column("所在机构", "institution", institution_widget)
        department = column("所在科室", "department", DepartmentWidget())
        position = column("职务/岗位", "position", widgets.CharWidget())
        highest_education = column("最高学历", "highest_education", CodeWidget("education"))
        current_title = column("现职称", "current_title", CodeWidget("title"))
        title_grade = column("现职称", "title_grade", GradeWidget())

        class Meta(Options):
            model = Person
            import_id_fields = ("id_number_index",)
            instance_loader_class = CachedInstanceLoader
            fields = (
                "name",
                "name_initials",
                "sex",
                "birth_date",
                "ethnicity",
                "id_number_index",
                "id_number_cipher",
                "id_number_last4",
                "phone_cipher",
                "phone_last4",
                "category",
                "institution",
                "department",
                "position",
                "highest_education",
                "current_title",
                "title_grade",
            )

    class RecordResource(resources.ModelResource):
        """A record of the row's person; rows without the record's key column are skipped."""

        required_column = ""

        def skip_row(self, instance, original, row, import_validation_errors=None):
            return not text(row.get(self.required_column))

    class EducationResource(RecordResource):
        required_column = "最高学历"
        person = column("身份证号码", "person", person_widget)
        level = column("最高学历", "level", CodeWidget("education"))
        degree = column("学位", "degree", CodeWidget("degree"))
        school = column("毕业院校", "school", widgets.CharWidget())
        major = column("所学专业", "major", widgets.CharWidget())
        graduated_on = column("毕业时间", "graduated_on", widgets.DateWidget())

        class Meta(Options):
            model = Education
            force_init_instance = True
            fields = ("person", "level", "degree", "school", "major", "graduated_on")

    class TitleResource(RecordResource):
        required_column = "现职称"
        person = column("身份证号码", "person", person_widget)
        title = column("现职称", "title", CodeWidget("title"))
        grade = column("现职称", "grade", GradeWidget())
        obtained_on = column("职称取得时间", "obtained_on", widgets.DateWidget())

        class Meta(Options):
            model = TitleRecord
            force_init_instance = True
            fields = ("person", "title", "grade", "obtained_on")

    class LicenceResource(RecordResource):
        required_column = "执业证书编号"
        person = column("身份证号码", "person", person_widget)
        number = column("执业证书编号", "number", widgets.CharWidget())
        category = column("执业类别", "category", Choice(Licence.PracticeCategory.choices))
        scope = column("执业范围", "scope", widgets.CharWidget())
        registered_institution = column("所在机构", "registered_institution", institution_widget)

        class Meta(Options):
            model = Licence
            force_init_instance = True
            fields = ("person", "number", "category", "scope", "registered_institution")

    class AppointmentResource(RecordResource):
        required_column = "所在机构"
        person = column("身份证号码", "person", person_widget)
        institution = column("所在机构", "institution", institution_widget)
        department = column("所在科室", "department", DepartmentWidget())
        position = column("职务/岗位", "position", widgets.CharWidget())
        start_on = column("任职起始日期", "start_on", widgets.DateWidget())

        class Meta(Options):
            model = Appointment
            force_init_instance = True
            fields = ("person", "institution", "department", "position", "start_on")

    return [
        PersonResource(),
        EducationResource(),
        TitleResource(),
        LicenceResource(),
        AppointmentResource(),
    ]


class Failed(Exception):
    pass


def run(path: str | Path) -> dict[str, dict[str, int]]:
    """Import the file; returns each resource's totals. Raises Failed (nothing written) when
    any resource reports an error or an invalid row."""
    from django.db import transaction
    from import_export.formats.base_formats import XLSX

    started = time.perf_counter()
    dataset = XLSX().create_dataset(Path(path).read_bytes())
    loaded = time.perf_counter()
    print(f"read {len(dataset):,} rows in {loaded - started:.1f} s", file=sys.stderr, flush=True)
    totals: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for resource in build_resources():
            began = time.perf_counter()
            result = resource.import_data(dataset, dry_run=False, raise_errors=False)
            name = resource._meta.model.__name__
            totals[name] = dict(result.totals)
            print(
                f"{name}: {dict(result.totals)} in {time.perf_counter() - began:.1f} s",
                file=sys.stderr,
                flush=True,
            )
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
                raise Failed(_describe(name, result))
    return totals


def _describe(name: str, result) -> str:
    lines = [f"{name}: import failed, nothing written"]
    for error in result.base_errors[:3]:
        lines.append(f"  {error.error!r}")
    for row_number, errors in result.row_errors()[:3]:
        lines.append(f"  row {row_number}: {errors[0].error!r}")
    for invalid in result.invalid_rows[:3]:
        lines.append(f"  row {invalid.number}: {invalid.error_dict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit("usage: python -m bench.baseline FILE.xlsx")
    _setup_django()
    from django.conf import settings

    settings.DEBUG = False  # no query log
    started = time.perf_counter()
    try:
        totals = run(argv[0])
    except Failed as error:
        raise SystemExit(str(error)) from None
    people = totals["Person"]
    print(
        f"new {people.get('new', 0)} updated {people.get('update', 0)} "
        f"skipped {people.get('skip', 0)} invalid {people.get('invalid', 0)} "
        f"error {people.get('error', 0)} in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
