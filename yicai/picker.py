"""Person pickers: the one widget and form field of every person field, in forms and filters.

A field names a *source*, registered by the app that owns its meaning (in its `ready()`):
`register_source("training.supervisors", build, permission="training.log")`, where
`build(user, params) -> QuerySet[Person]` returns the people the field allows, scoped through
`yicai.access.scope`, in the order to offer them. The same queryset answers the browser's
search (`/pick/<source>/`, JSON, a page at a time) and validates what a form posts, so a
hand-made POST naming someone the source does not offer is refused.

A page holds only the chosen people (never the whole source), so neither its HTML nor its
server time grows with the number of people. Tom Select (npm) turns the `<select>` into a
search box (`static/yicai/picker.js`); without JavaScript a text box of names is resolved
here, as a pasted list is.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Count, Field, Model, QuerySet
from django.forms.renderers import BaseRenderer
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from yicai.access.models import RequestUser
from yicai.access.scope import require
from yicai.masking import has_long_number
from yicai.pagination import Sorted, keyset_page
from yicai.params import id_param, int_param, is_id

if TYPE_CHECKING:
    from django.forms.utils import _DataT, _FilesT
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 20
# A sign-in sheet is a few hundred names; more than this is not a paste of people.
MAX_NAMES = 500
# Names on a pasted list or in the no-JavaScript box: one a line, or between commas, 、,
# semicolons or spaces.
SEPARATORS = re.compile(r"[\s,，、;；]+")
NAMES_SUFFIX = "__names"  # the no-JavaScript box beside a picker: `<field>__names`
RESERVED = {"q", "page", "cursor"}  # the endpoint's own parameters; the rest are the source's

# Querysets of `people.Person`, which the shared layer does not import.
People = QuerySet[Any]
Build = Callable[[RequestUser, Mapping[str, str]], People]


class _Matching(Protocol):
    def __call__(self, people: People, text: str, /, *, identifiers: bool = ...) -> People: ...


class _MatchingParts(Protocol):
    def __call__(
        self, people: People, text: str, /, *, identifiers: bool = ...
    ) -> list[People | Sorted]: ...


@dataclass(frozen=True)
class PeopleSearch:
    """How people are found, given by `people` from its ready(): the picker is a widget of the
    shared layer, which imports no domain app (`.importlinter`), while `access` and `org` forms
    use it too."""

    # (people, text, identifiers=...) -> the matches, and the parts to page over by key
    matching: _Matching
    matching_parts: _MatchingParts
    order: tuple[str, ...]  # the keys of a page of matches, in name order
    name_initials: Callable[[str], str]


_search: list[PeopleSearch] = []


def register_search(search: PeopleSearch) -> None:
    _search[:] = [search]


def _people_search() -> PeopleSearch:
    if not _search:
        raise ImproperlyConfigured("yicai.people registers the people search from its ready().")
    return _search[0]


def _person_model() -> type[Model]:
    # Form fields are built when their module is imported, which may be during an app's ready().
    return apps.get_model("people", "Person", require_ready=False)


@dataclass(frozen=True)
class Source:
    build: Build
    permission: str
    # Found by the last four identity digits or the whole number too; a source offered to
    # someone who may not read identity numbers (the security administrator) is searched by
    # name only, so that it cannot confirm who holds a number.
    identifiers: bool = True


_SOURCES: dict[str, Source] = {}


def register_source(name: str, build: Build, *, permission: str, identifiers: bool = True) -> None:
    """Name the people a kind of field may choose. `permission` is what a user needs to ask
    (anyone else gets 403); `build` scopes the people through `yicai.access.scope`;
    `identifiers=False` searches by name and pinyin only."""
    _SOURCES[name] = Source(build, permission, identifiers)


def source_people(name: str, user: RequestUser, params: Mapping[str, str] | None = None) -> People:
    """The people a source offers this user, in its order, ending with the id so that pages
    of it are stable. PermissionDenied without the source's permission."""
    source = _SOURCES[name]
    require(user, source.permission)
    people = source.build(user, dict(params or {}))
    ordering = list(people.query.order_by) or list(_person_model()._meta.ordering or ())
    last = ordering[-1] if ordering else None
    if not isinstance(last, str) or last.lstrip("-") not in ("pk", "id"):
        ordering.append("pk")
    return people.order_by(*ordering)


def param_id(params: Mapping[str, str], name: str) -> int | None:
    """A source's parameter that names a record: its id, or None when absent (the source then
    scopes the record itself; parameters come from the query string). Anything but an id is
    a 400 naming the parameter (`yicai.params`)."""
    return id_param(params, name)


# --- what a picker shows of a person ------------------------------------------------------------


class Described(TypedDict):
    id: int
    name: str
    detail: str


def describe(person: Any) -> Described:
    """Enough to tell namesakes apart (sex, birth year, institution, department); never an
    identity or phone number, not even masked."""
    details = [
        person.sex.name if person.sex_id else "",
        _("%d 年生") % person.birth_date.year if person.birth_date else "",
        (person.institution.short_name or person.institution.name) if person.institution else "",
        person.department.name if person.department_id else "",
    ]
    detail = " · ".join(part for part in details if part)
    return {"id": person.pk, "name": person.name, "detail": detail}


def _shown(people: People) -> People:
    return people.select_related("sex", "institution", "department")


# --- pasted names ---------------------------------------------------------------------------------


@dataclass
class Resolution:
    """Names read against a source: the people found once, the names several people bear,
    and the names nobody in the source bears."""

    found: list[Any] = field(default_factory=list)
    ambiguous: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """The names not added, in words."""
        messages = []
        if self.ambiguous:
            names = "、".join(
                _("%(name)s（%(n)d 人）") % {"name": name, "n": n}
                for name, n in self.ambiguous.items()
            )
            messages.append(_("以下姓名有重名，请输入姓名后逐一选择：%s。") % names)
        if self.unknown:
            messages.append(_("以下姓名不在可选人员中，请核对：%s。") % "、".join(self.unknown))
        return messages


def split_names(text: str) -> list[str]:
    """The names of a pasted list, each once, in order. A sign-in sheet's numbers (序号) are
    not names and are left out."""
    names = []
    for name in SEPARATORS.split(text or ""):
        if name and not name.isdigit() and name not in names:
            names.append(name)
    return names


def resolve_names(people: People, text: str) -> Resolution:
    """Read a list of names against the people a source offers, by exact name: two queries,
    however many names and people (found through the index of pinyin initials)."""
    names = split_names(text)
    if len(names) > MAX_NAMES:
        raise ValidationError(_("一次最多粘贴 %d 个姓名。") % MAX_NAMES)
    # A "name" longer than any name on file matches nobody; reading its initials would cost
    # time that grows with the cube of its length (a hostile 10,000 characters).
    name_field = _person_model()._meta.get_field("name")
    longest = name_field.max_length if isinstance(name_field, Field) else None
    possible = [name for name in names if longest is None or len(name) <= longest]
    initials = {_people_search().name_initials(name) for name in possible}
    offered = people.filter(name_initials__in=initials, name__in=possible)
    counts = dict(offered.order_by().values_list("name").annotate(n=Count("pk")))
    once = [name for name in names if counts.get(name) == 1]
    by_name = {person.name: person for person in _shown(offered.filter(name__in=once))}
    return Resolution(
        found=[by_name[name] for name in once],
        ambiguous={name: counts[name] for name in names if counts.get(name, 0) > 1},
        unknown=[name for name in names if name not in counts],
    )


# --- the JSON endpoint ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pick(request: HttpRequest, source: str) -> JsonResponse:
    """GET ?q=&page=: a page of the source's people matching what was typed (name, pinyin
    initials, full pinyin, last four identity digits). POST q=…: the same search with what
    was typed in the body (the widget's way, so a full identity number typed into the box
    never becomes part of a URL; a GET carrying one is refused). POST names=…: a pasted list
    resolved. The source's own parameters (an event, an institution) come in the query
    string."""
    if source not in _SOURCES:
        raise Http404
    params = {key: values[-1] for key, values in request.GET.lists() if key not in RESERVED}
    posted_search = request.method == "POST" and "q" in request.POST
    if request.method == "GET" and has_long_number(request.GET.get("q")):
        message = _("完整的证件号码不能放在网址中，请在选择框中输入后检索。")
        return JsonResponse({"results": [], "message": message}, status=400)
    people = source_people(source, request.user, params)
    if request.method == "POST" and not posted_search:
        try:
            resolution = resolve_names(people, request.POST.get("names", ""))
        except ValidationError as error:
            return JsonResponse({"results": [], "message": error.messages[0], "complete": False})
        added = _("已添加 %d 人。") % len(resolution.found) if resolution.found else ""
        return JsonResponse(
            {
                "results": [describe(person) for person in resolution.found],
                "message": " ".join([added, *resolution.problems()]).strip(),
                "complete": not resolution.problems(),
            }
        )
    text = (request.POST if posted_search else request.GET).get("q", "").strip()
    if text:
        # What was typed, in name order, a page at a time by key: each part of the search
        # walks its own index, so a common surname answers as fast as a rare one.
        shown = _shown(people)
        identifiers = _SOURCES[source].identifiers
        search = _people_search()
        found = keyset_page(
            search.matching(shown, text, identifiers=identifiers),
            search.order,
            parts=search.matching_parts(shown, text, identifiers=identifiers),
            cursor=request.GET.get("cursor"),
            size=PAGE_SIZE,
        )
        rows, cursor = found.rows, found.next_cursor
        more = bool(cursor)
        # A posted search's next page is posted again: the link leaves what was typed out.
        query: dict[str, str | int] = (
            {**params, "cursor": cursor or ""}
            if posted_search
            else {**params, "q": text, "cursor": cursor or ""}
        )
    else:
        # Nothing typed: the source's own order (a trainee's mentors first), one page more a
        # request; one row more than a page says whether there is a next one.
        page = int_param(request.GET, "page", minimum=1, maximum=10**6) or 1
        start = (page - 1) * PAGE_SIZE
        rows = list(_shown(people)[start : start + PAGE_SIZE + 1])
        more = len(rows) > PAGE_SIZE
        rows, query = rows[:PAGE_SIZE], {**params, "page": page + 1}
    following = f"{request.path}?{urlencode(query)}" if more else None
    return JsonResponse({"results": [describe(person) for person in rows], "next": following})


# --- the widget and the form fields ---------------------------------------------------------------


@dataclass(frozen=True)
class Picked:
    """What a picker posted: the chosen ids, and the names typed in the no-JavaScript box."""

    ids: list[str]
    names: str


class _PickerWidget(forms.Select):
    """A `<select>` holding only the chosen people; Tom Select searches the rest on the server
    (`data-picker` is the endpoint). Beside it, for browsers without JavaScript, a box of
    names the field resolves; and a line where a pasted list's outcome is told."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url = ""
        self.queryset: People = _person_model()._default_manager.none()

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the search box takes the place of the hidden <select>; the form checks

    def value_from_datadict(self, data: "_DataT", files: "_FilesT", name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        names = (data.get(name + NAMES_SUFFIX) or "").strip()
        if not names:
            return value
        ids = value if isinstance(value, list) else [value] if value else []
        return Picked(ids=ids, names=names)

    def value_omitted_from_data(self, data: "_DataT", files: "_FilesT", name: str) -> bool:
        return super().value_omitted_from_data(data, files, name) and (
            name + NAMES_SUFFIX not in data
        )

    def format_value(self, value: Any) -> list[str]:
        return super().format_value(value.ids if isinstance(value, Picked) else value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        texts = {
            "placeholder": _("输入姓名、拼音、首字母或身份证后四位"),
            "noResults": _("没有符合条件的人员"),
            "loadingMore": _("正在加载更多…"),
            "noMore": _("没有更多了"),
            "remove": _("移除"),
            "clear": _("清除"),
        }
        context["widget"]["attrs"].update(
            {"data-picker": self.url, "data-picker-texts": json.dumps(texts, ensure_ascii=False)}
        )
        return context

    def optgroups(
        self, name: str, value: list[str], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        """Only the chosen people, looked up among those the field allows (an id posted from
        outside them shows nothing)."""
        ids = [item for item in value if is_id(item)]
        people = _shown(self.queryset.filter(pk__in=ids)) if ids else []
        options = []
        if not self.allow_multiple_selected and not self.is_required:
            options.append(self.create_option(name, "", "", not ids, 0))
        for index, person in enumerate(people, start=len(options)):
            shown = describe(person)
            option = self.create_option(name, person.pk, person.name, True, index)
            option["attrs"]["data-data"] = json.dumps(shown, ensure_ascii=False)
            options.append(option)
        return [(None, options, 0)]

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        names = value.names if isinstance(value, Picked) else ""
        hint = (
            _("输入姓名，多人用逗号、顿号或换行分隔")
            if self.allow_multiple_selected
            else _("输入姓名")
        )
        fallback = format_html(
            '<noscript><input type="text" name="{}" value="{}" class="form-control mt-1" '
            'placeholder="{}" aria-label="{}"></noscript>',
            name + NAMES_SUFFIX,
            names,
            hint,
            hint,
        )
        report = format_html('<div class="{}" data-picker-report role="status"></div>', "form-text")
        return super().render(name, value, attrs, renderer) + fallback + report


class PersonPicker(_PickerWidget):
    pass


class PeoplePicker(_PickerWidget, forms.SelectMultiple):
    pass


class _PickerField(forms.ModelChoiceField[Any]):
    """A person field over a source; `bind()` it to the user in the form's `__init__`.
    Unbound, it allows nobody."""

    queryset: People  # never None: nobody until bound

    def __init__(self, source: str, *, label: "StrOrPromise", **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": format_lazy(gettext_lazy("请选择{}。"), label),
                "invalid_choice": format_lazy(gettext_lazy("所选{}不在可选范围内。"), label),
                "invalid_pk_value": format_lazy(gettext_lazy("所选{}不在可选范围内。"), label),
            },
        )
        super().__init__(queryset=_person_model()._default_manager.none(), label=label, **kwargs)
        self.source = source

    def bind(
        self,
        user: RequestUser,
        params: Mapping[str, object] | None = None,
        *,
        keep: Iterable[Model | int | str | None] = (),
    ) -> None:
        """Allow the source's people for this user and, on an edit, the record's current ones
        (`keep`, people or their ids: someone who has since moved on stays, without being
        offered to new records)."""
        given = {key: str(value) for key, value in (params or {}).items() if value is not None}
        offered = source_people(self.source, user, given)
        kept = [getattr(person, "pk", person) for person in keep if person is not None]
        # The source's own conditions (OR the kept ids), not a subquery of it: checking the
        # chosen people then reads them, not everyone the source offers.
        self.queryset = (
            offered | _person_model()._default_manager.filter(pk__in=kept) if kept else offered
        )
        self.widget.queryset = self.queryset
        url = reverse("pick", args=[self.source])
        self.widget.url = f"{url}?{urlencode(given)}" if given else url

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, Picked) else super().prepare_value(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, Picked):
            data = data.ids
        return super().has_changed(initial, data)

    def clean(self, value: Any) -> Any:
        if isinstance(value, Picked):
            value = self._with_names(value)
        return super().clean(value)

    def _with_names(self, value: Picked) -> list[str] | str | None:
        resolution = resolve_names(self.queryset, value.names)
        if problems := resolution.problems():
            raise ValidationError(problems)
        ids = [str(person.pk) for person in resolution.found]
        if self.widget.allow_multiple_selected:
            return [*value.ids, *(pk for pk in ids if pk not in value.ids)]
        if len(ids) > 1:
            raise ValidationError(format_lazy(gettext_lazy("{}只能选择一人。"), self.label))
        return ids[0] if ids else None


class PersonPickerField(_PickerField):
    """One person, searched as the user types."""

    widget = PersonPicker


class PeoplePickerField(_PickerField, forms.ModelMultipleChoiceField[Any]):
    """Several people, added one by one or pasted as a list of names."""

    widget = PeoplePicker
