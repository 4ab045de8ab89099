"""Every person field of every form is a searching picker, never a `<select>` of people.

The walk GETs every page of the URL configuration (but the API's, FHIR's and the picker's own
JSON) as the personas who fill in forms, and fails on a form field choosing among people that
is not a picker field, on a `<select>` listing people who were not chosen, and on a page
whose parameters it does not know (add them below). Forms no page shows are read from their
classes."""

import importlib
import inspect
import pkgutil
import re
from html import unescape

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import yicai
from tests.builders import PAGE_KWARGS, UNCHOSEN, PageRecords
from tests.conftest import login
from yicai import picker
from yicai.people.models import Person

pytestmark = pytest.mark.django_db
# JSON, not pages of forms.
NOT_PAGES = ("api/", "fhir/", "pick/", "i18n/")
PERSONAS = ("commission", "hospital_a", "trainee", "security")


# Pages whose forms show in a state the records above are not in, walked as well.
MORE_PAGES = [("training:round", lambda r: {"pk": r.open_round.pk})]


def _patterns(resolver=None, prefix="", namespace=""):
    """(route, "namespace:name") of every page, with the namespaces it is reversed by."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PAGES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, f"{namespace}{entry.name}"


def _pages(records):
    for route, name in _patterns():
        if "<" not in route:
            yield name, reverse(name)
        elif name in PAGE_KWARGS:
            yield name, reverse(name, kwargs=PAGE_KWARGS[name](records))
    for name, kwargs in MORE_PAGES:
        yield name, reverse(name, kwargs=kwargs(records))


def test_every_page_with_parameters_is_walked():
    unknown = {name for route, name in _patterns() if "<" in route} - set(PAGE_KWARGS)
    assert unknown == set(), "add these pages to tests/builders.py PAGE_KWARGS"


# --- what counts as a select of people ---------------------------------------------------------


def is_person_choice(field) -> bool:
    queryset = getattr(field, "queryset", None)
    return isinstance(field, forms.ModelChoiceField) and (
        queryset is not None and queryset.model is Person
    )


def field_problems(form) -> list[str]:
    return [
        f"{type(form).__name__}.{name} is a {type(field).__name__} over people"
        for name, field in form.fields.items()
        if is_person_choice(field) and not isinstance(field, picker._PickerField)
    ]


SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S)
OPTION = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.S)


def html_problems(html: str, names: set[str]) -> list[str]:
    """A picker offering anyone not chosen; any other <select> listing a person's name."""
    problems = []
    for attrs, body in SELECT.findall(html):
        options = OPTION.findall(body)
        field = re.search(r'name="([^"]*)"', attrs)
        field = field.group(1) if field else "?"
        if "data-picker=" in attrs:
            offered = [
                unescape(text) for extra, text in options if "selected" not in extra and text
            ]
            if offered:
                problems.append(f"picker {field} offers {offered}")
            continue
        listed = [unescape(text) for _extra, text in options if unescape(text).strip() in names]
        if listed:
            problems.append(f"<select name={field}> lists people: {listed[:3]}")
    return problems


def page_problems(response, names: set[str]) -> list[str]:
    problems = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm):
                problems.extend(field_problems(value))
    if "text/html" in response.get("Content-Type", ""):
        problems.extend(html_problems(response.content.decode(), names))
    return problems


def test_no_page_offers_a_select_of_people(client, world):
    records = PageRecords(world)
    names = set(UNCHOSEN)
    problems, walked = [], 0
    for persona in PERSONAS:
        login(client, getattr(world, persona))
        for name, url in _pages(records):
            response = client.get(url)
            if response.status_code == 200:
                walked += 1
                problems.extend(f"{persona} {name}: {p}" for p in page_problems(response, names))
    assert problems == []
    assert walked > 150  # the walk reached the pages, not just their refusals


def test_the_forms_no_page_shows_have_no_person_choice_either():
    for module in pkgutil.walk_packages(yicai.__path__, "yicai."):
        if ".migrations" not in module.name and module.name.rsplit(".", 1)[-1] != "__main__":
            importlib.import_module(module.name)
    problems = []
    for form_class in _subclasses(forms.BaseForm):
        if form_class.__module__.startswith("yicai.") and not inspect.isabstract(form_class):
            for name, field in getattr(form_class, "base_fields", {}).items():
                if is_person_choice(field) and not isinstance(field, picker._PickerField):
                    problems.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert problems == []


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


# --- the checks can fail ------------------------------------------------------------------------


class OldStyleForm(forms.Form):
    """A person field as every form had it before the pickers."""

    expert = forms.ModelChoiceField(queryset=Person.objects.order_by("name_initials"))


def test_the_checks_see_an_old_style_select_of_people(world):
    PageRecords(world)
    form = OldStyleForm()
    assert field_problems(form) == ["OldStyleForm.expert is a ModelChoiceField over people"]
    problems = html_problems(form.as_p(), set(UNCHOSEN))
    assert problems and "lists people" in problems[0]


def test_the_checks_see_a_picker_that_offers_more_than_the_chosen(world):
    html = (
        '<select name="expert" data-picker="/pick/training.experts/">'
        '<option value="1" selected>李心怡</option><option value="2">周外科</option></select>'
    )
    assert html_problems(html, set()) == ["picker expert offers ['周外科']"]
