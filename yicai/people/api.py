"""REST API for person records: the person with its education, titles, licences,
appointments and talent tags nested read-only, and one endpoint per kind of record to add,
read and remove them (/api/v1/people/{person_id}/educations/ ...).

Reads come from `people.queries` (scoped), writes go through `people.services`; identity and
phone numbers are written, never read back: answers carry only masked forms.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param

from yicai import versions
from yicai.access.scope import scoped
from yicai.api.base import (
    ModelInput,
    ModelOutput,
    calling_service,
    form_filters,
)
from yicai.api.fields import (
    CodeRef,
    Ref,
    api_names,
    code_field,
    pk_field,
    version_in,
    with_labels,
)
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import ROW_ID, errors
from yicai.codes.queries import codes_of
from yicai.masking import has_long_number
from yicai.org.queries import (
    DEPARTMENT_OUT_OF_SCOPE,
    INSTITUTION_OUT_OF_SCOPE,
    departments_for,
    institutions_for,
)
from yicai.pagination import keyset_page
from yicai.people import queries, records, services
from yicai.people.forms import TITLE_GRADES, PersonFilterForm
from yicai.people.models import (
    Appointment,
    Education,
    Licence,
    Person,
    TalentTag,
    TitleRecord,
)
from yicai.people.profile_pdf import PDF, download
from yicai.people.queries import AGE_BANDS
from yicai.people.rows import SUMMARY_FIELDS

# ---------------------------------------------------------------------------------------------
# The records a person is made of


def _answer(kind: str, **names: str) -> tuple[str, ...]:
    """A record's answer: its id, its fields as the record pages have them (as the API names
    them), its version."""
    return ("id", *api_names(records.KINDS[kind].fields, **names), "version")


class EducationOut(ModelOutput):
    level = CodeRef(read_only=True)
    degree = CodeRef(read_only=True, allow_null=True)

    class Meta:
        model = Education
        fields = _answer("education")


class TitleOut(ModelOutput):
    title = CodeRef(read_only=True)

    class Meta:
        model = TitleRecord
        # The grade comes with the title.
        fields = ("id", "title", "grade", "obtained_on", "appointed_on", "version")


def _practice_category(**kwargs) -> serializers.ChoiceField:
    """A licence's category, named practice_category in the API so that its enum is not
    confused with the person's category."""
    return serializers.ChoiceField(
        Licence.PracticeCategory.choices, source="category", label=_("执业类别"), **kwargs
    )


class LicenceOut(ModelOutput):
    practice_category = _practice_category(read_only=True)
    registered_institution = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Licence
        fields = with_labels(
            _answer("licence", category="practice_category"), practice_category="category_display"
        )


class AppointmentOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    departments_in_charge = Ref(many=True, read_only=True)

    class Meta:
        model = Appointment
        fields = _answer("appointment")


class TagOut(ModelOutput):
    tag = CodeRef(read_only=True)

    class Meta:
        model = TalentTag
        fields = _answer("tag")


def _code_field(table: str, label, *, leaves: bool = True, **kwargs):
    return code_field(codes_of(table, leaves_only=leaves), label, **kwargs)


def _workplace_fields(user) -> dict[str, serializers.PrimaryKeyRelatedField]:
    """Where a person works, as on the pages: among the institutions and departments the user
    may edit people in."""
    return {
        "institution": pk_field(institutions_for(user, "person.edit"), INSTITUTION_OUT_OF_SCOPE),
        "department": pk_field(
            departments_for(user, "person.edit"), DEPARTMENT_OUT_OF_SCOPE, optional=True
        ),
    }


# Base of a record's input: its coded fields among the codes in use. No docstring: the schema
# would describe each input with it.
class RecordIn(ModelInput):
    def scope_fields(self, user):
        for name, (table, leaves) in records.CODE_TABLES.items():
            if name in self.fields:  # optional as the model has it (a degree)
                optional = not self.fields[name].required
                label = self.Meta.model._meta.get_field(name).verbose_name  # messages name it
                self.fields[name] = _code_field(table, label, leaves=leaves, optional=optional)


class EducationIn(RecordIn):
    class Meta:
        model = Education
        fields = records.KINDS["education"].fields


class TitleIn(RecordIn):
    class Meta:
        model = TitleRecord
        fields = records.KINDS["title"].fields


class LicenceIn(RecordIn):
    practice_category = _practice_category()

    class Meta:
        model = Licence
        fields = api_names(records.KINDS["licence"].fields, category="practice_category")
        validators: list = []  # the service checks the unique number in its transaction

    def scope_fields(self, user):
        self.fields["registered_institution"] = pk_field(
            institutions_for(user), _("所选注册执业机构不存在或不在您的管辖范围内。"), optional=True
        )


class AppointmentIn(RecordIn):
    class Meta:
        model = Appointment
        fields = records.KINDS["appointment"].fields

    def scope_fields(self, user):
        self.fields.update(_workplace_fields(user))
        self.fields["departments_in_charge"] = pk_field(
            departments_for(user, "person.edit"), DEPARTMENT_OUT_OF_SCOPE, many=True, required=False
        )


class TagIn(RecordIn):
    class Meta:
        model = TalentTag
        fields = records.KINDS["tag"].fields


# ---------------------------------------------------------------------------------------------
# Persons


class PersonOut(ModelOutput):
    """One row of the list: the profile's summary columns, numbers masked."""

    sex = CodeRef(read_only=True)
    institution = Ref(read_only=True, allow_null=True)
    department = Ref(read_only=True, allow_null=True)
    highest_education = CodeRef(read_only=True, allow_null=True)
    current_title = CodeRef(read_only=True, allow_null=True)
    id_number_masked = serializers.CharField(read_only=True, help_text=_("只显示后四位"))
    phone_masked = serializers.CharField(read_only=True, help_text=_("只显示后四位"))

    class Meta:
        model = Person
        fields: tuple[str, ...] = (
            "id",
            "name",
            "name_initials",
            "sex",
            "birth_date",
            "id_number_masked",
            "phone_masked",
            "category",
            "category_display",
            *SUMMARY_FIELDS,
        )


class PersonDetailOut(PersonOut):
    """One person: the summary, the rest of the profile and its records (read-only here;
    each kind is written through its own endpoint)."""

    ethnicity = CodeRef(read_only=True, allow_null=True)
    source = CodeRef(read_only=True, allow_null=True)  # type: ignore[assignment]  # not Field.source: DRF pops it
    personnel_category = CodeRef(read_only=True, allow_null=True)
    practice_category = CodeRef(read_only=True, allow_null=True)
    political_status = CodeRef(read_only=True, allow_null=True)
    staffing = CodeRef(read_only=True, allow_null=True)
    educations = EducationOut(many=True, read_only=True)
    titles = TitleOut(many=True, read_only=True)
    licences = LicenceOut(many=True, read_only=True)
    appointments = AppointmentOut(many=True, read_only=True)
    tags = TagOut(many=True, read_only=True)

    class Meta(PersonOut.Meta):
        fields = (
            *PersonOut.Meta.fields,
            # The rest of the profile, as the service writes it.
            *(name for name in services.PERSON_FIELDS if name not in PersonOut.Meta.fields),
            "created_at",
            "updated_at",
            "version",
            "educations",
            "titles",
            "licences",
            "appointments",
            "tags",
        )


def _never_answered(label, help_text) -> serializers.CharField:
    """A number stored encrypted: written, never read back (answers carry it masked)."""
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=30,
        label=label,
        help_text=help_text,
    )


class PersonIn(ModelInput):
    id_number = _never_answered(
        _("身份证号码"),
        _("18 位居民身份证号码；加密存储，不会回显。修改时省略表示不变，空串表示清除。"),
    )
    phone = _never_answered(
        _("手机号码"), _("加密存储，不会回显。修改时省略表示不变，空串表示清除。")
    )
    version = version_in()

    class Meta:
        model = Person
        fields = (*services.PERSON_FIELDS, "id_number", "phone", "version")

    def scope_fields(self, user):
        self.fields["sex"] = _code_field("sex", _("性别"), leaves=False)
        self.fields["sex"].queryset = codes_of("sex").filter(note="")
        self.fields["ethnicity"] = _code_field("ethnicity", _("民族"), leaves=False, optional=True)
        self.fields["source"] = _code_field(
            "person_source", _("人才来源"), leaves=False, optional=True
        )
        self.fields["personnel_category"] = _code_field(
            "personnel_category", _("从事专业类别"), leaves=False, optional=True
        )
        for name, label in (
            ("practice_category", _("执业类别")),
            ("political_status", _("政治面貌")),
            ("staffing", _("编制情况")),
        ):
            self.fields[name] = _code_field(name, label, leaves=False, optional=True)
        self.fields.update(_workplace_fields(user))


class PersonFilterIn(PersonFilterForm):
    """The person list's filter form, reused: plus the category, and a department may be
    chosen without its institution (still only among the departments the user may see)."""

    category = forms.ChoiceField(
        label=_("人员类别"), required=False, choices=[("", ""), *Person.Category.choices]
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["department"].queryset = departments_for(user)

    def criteria(self) -> queries.PersonFilter:
        criteria = super().criteria()
        criteria.category = self.cleaned_data.get("category", "")
        return criteria


_SORT_FIELD = PersonFilterForm.base_fields["sort"]
_SORT_CHOICES = [value for value, _label in _SORT_FIELD.choices]  # type: ignore[attr-defined]  # a ChoiceField


class PersonSearchIn(serializers.Serializer):
    """The body of POST /api/v1/people/search/ (for the schema; PersonFilterIn checks it)."""

    q = serializers.CharField(
        required=False, help_text=_("姓名、拼音首字母、身份证后四位或完整身份证号")
    )
    institution = serializers.IntegerField(required=False)
    department = serializers.IntegerField(required=False)
    title_grade = serializers.ChoiceField([value for value, _label in TITLE_GRADES], required=False)
    education = serializers.IntegerField(required=False)
    tag = serializers.IntegerField(required=False)
    age_band = serializers.ChoiceField(list(AGE_BANDS), required=False)
    category = serializers.ChoiceField(Person.Category.choices, required=False)
    sort = serializers.ChoiceField(_SORT_CHOICES, required=False)


PERSON_FILTERS = [
    OpenApiParameter(
        "q",
        str,
        description=_(
            "姓名、拼音首字母或身份证后四位；完整身份证号不能放在网址中，"
            "请用 POST /api/v1/people/search/ 检索"
        ),
    ),
    OpenApiParameter("institution", int, description=_("机构 id")),
    OpenApiParameter("department", int, description=_("科室 id")),
    OpenApiParameter("title_grade", str, enum=[value for value, _label in TITLE_GRADES]),
    OpenApiParameter("education", int, description=_("学历代码 id（大类，含其下各级）")),
    OpenApiParameter("tag", int, description=_("人才标签代码 id（当前有效的标签）")),
    OpenApiParameter("age_band", str, enum=list(AGE_BANDS)),
    OpenApiParameter("category", str, enum=Person.Category.values),
    OpenApiParameter("sort", str, enum=_SORT_CHOICES, description=_("排序，默认 name")),
]


class PersonCursor(CursorPagination):
    """Pages by key in the list's own sort orders (people.queries.SORTS), as the person list
    does (yicai.pagination.keyset_page): `next` and `previous` carry an opaque cursor, and
    page 2,000 costs what page 1 does."""

    page_size = 50

    def paginate_search(self, found: queries.Search, request) -> list:
        self.request = request
        # Not `self.page`: DRF's pagination declares that a list of rows.
        self.keyset = keyset_page(
            found.rows,
            found.order,
            parts=found.parts,
            cursor=request.query_params.get(self.cursor_query_param),
            size=self.page_size,
        )
        return self.keyset.rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, cursor
        )

    def get_next_link(self):
        return self._link(self.keyset.next_cursor)

    def get_previous_link(self):
        return self._link(self.keyset.previous_cursor)


@extend_schema(tags=["people"])
class PersonViewSet(RecordViewSet):
    """People the user may see (person.view), filtered as the person list is; writes need
    person.edit on the person and on the institution and department written. Identity and
    phone numbers are accepted on write and answered only masked."""

    permissions = record_permissions(
        "person",
        "create",
        "update",
        "partial_update",
        search="person.view",
        profile_pdf="person.view",
    )
    pagination_class = PersonCursor
    filter_form = PersonFilterIn
    list_parameters = PERSON_FILTERS
    output = PersonOut
    detail_output = PersonDetailOut
    create_input = PersonIn
    create_service = services.person_create
    update_service = services.person_update
    row_keyword = "person"
    versioned = True

    def get_detail(self, pk):
        return queries.person_with_records(self.request.user, pk)

    def get_editable(self, pk):
        return queries.person_for(self.request.user, pk, "person.edit")

    def change_values(self, values):
        return {"id_number": None, "phone": None, **values}  # absent: unchanged

    def list(self, request):
        if has_long_number(request.query_params.get("q")):  # URLs end up in access logs
            raise ValidationError(
                {"q": [_("完整的证件号码不能放在网址中：请用 POST /api/v1/people/search/ 检索。")]}
            )
        return self._found(request, request.query_params)

    @extend_schema(
        request=PersonSearchIn,
        parameters=[OpenApiParameter("cursor", str, description=_("上一页答复中的游标"))],
        responses={200: PersonOut(many=True), **errors(400)},
    )
    def search(self, request):
        """The list's search with its filters in a JSON body (same names as the list's query
        parameters): how to search by a full identity number, which never goes in a URL.
        The next page is the same POST to the `next` link (it carries only the cursor)."""
        return self._found(request, request.data)

    @extend_schema(
        parameters=[ROW_ID],
        request=None,
        responses={(200, PDF): OpenApiTypes.BINARY, **errors(404)},
    )
    def profile_pdf(self, request, pk):
        """The person's profile (个人档案) as the PDF the person page downloads: the record,
        identity and phone numbers masked, and the timeline; every download is audited."""
        return download(queries.profile_for(request.user, pk))

    def _found(self, request, data):
        # The person list's own search, paged by key (PersonCursor), not a queryset's filter.
        form = PersonFilterIn(request.user, data)
        form_filters(form)
        people = self.paginator.paginate_search(
            queries.search(request.user, form.criteria()), request
        )
        return self.get_paginated_response(PersonOut(people, many=True).data)


# ---------------------------------------------------------------------------------------------
# One endpoint per kind of record: list, add, read, change and remove a person's records.

PERSON_ID = OpenApiParameter("person_id", int, OpenApiParameter.PATH, description=_("人员 id"))
RECORD_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("记录 id"))


class PersonRecordViewSet(RecordViewSet):
    """One kind of a person's records: list and read need person.view on the person, add and
    remove person.edit; the person's summary columns are refreshed by the service."""

    kind: str  # a key of people.records.KINDS
    prefix: str  # the URL segment, e.g. "educations"
    permissions = record_permissions("person", "create", "partial_update", "destroy")
    pagination_class = cursor_pagination("id")
    path_parameters = [PERSON_ID]
    row_parameter = RECORD_ID
    update_service = services.record_update
    delete_service = services.record_delete
    row_keyword = "record"
    versioned = True
    descriptions = {
        "partial_update": "Change a record (complete what a roster left out), as its edit page "
        "does."
    }

    def records(self, permission: str):
        user = self.request.user
        person = queries.person_for(user, self.kwargs["person_id"], permission)
        model = records.KINDS[self.kind].model
        related = queries.RECORD_RELATED[self.prefix][1]
        rows = scoped(user, model.objects.filter(person=person), permission)
        return person, rows.select_related(*related).prefetch_related(
            *queries.RECORD_MANY.get(self.prefix, ())
        )

    def list_rows(self):
        return self.records("person.view")[1]

    def edit_rows(self):
        return self.records("person.edit")[1]

    def service_arguments(self):
        return {"person": self.records("person.edit")[0]}

    def change_values(self, values):
        with calling_service():  # `version` in the body or If-Match: the one read
            return {**values, "version": versions.parse(self.request.data.get("version"))}

    def after_save(self, row):
        # A new record is answered as the service made it; a changed one is read again.
        return row if self.action == "create" else self.get_detail(row.pk)


def _record_viewset(kind: str, prefix: str, out, into) -> type[PersonRecordViewSet]:
    viewset = type(
        f"{kind.title()}RecordViewSet",
        (PersonRecordViewSet,),
        {
            "kind": kind,
            "prefix": prefix,
            "output": out,
            "create_input": into,
            "create_service": records.KINDS[kind].add,
            "queryset": records.KINDS[kind].model.objects.none(),
            "__module__": __name__,
        },
    )
    return extend_schema(tags=["people"])(viewset)


RECORD_VIEWSETS = {
    "educations": _record_viewset("education", "educations", EducationOut, EducationIn),
    "titles": _record_viewset("title", "titles", TitleOut, TitleIn),
    "licences": _record_viewset("licence", "licences", LicenceOut, LicenceIn),
    "appointments": _record_viewset("appointment", "appointments", AppointmentOut, AppointmentIn),
    "tags": _record_viewset("tag", "tags", TagOut, TagIn),
}
