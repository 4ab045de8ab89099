"""One viewset for every record API: a subclass declares, the base answers.

How to declare a record API (the smallest real example: `yicai/training/api/studios.py`):

    @extend_schema(tags=["training"])
    class StudioViewSet(RecordViewSet):
        permissions = record_permissions("training", "create", "partial_update", ...)
        pagination_class = cursor_pagination("name", "id")
        filter_form = StudioFilterForm                  # the page's filter form: one rule
        list_parameters = [...]                         # ...and its fields in the schema
        output, detail_output = StudioOut, StudioDetailOut  # (the model: the output's)
        create_input, change_input = StudioIn, StudioChangeIn
        create_service = services.studio_create         # called with the input's values
        update_service = services.studio_update         # ...and the row, as `studio=`
        row_keyword = "studio"

        def list_rows(self, **filters):                 # the scoped list, filtered
        def detail_rows(self):                          # one row is read from (default: list)
        def edit_rows(self):                            # the rows the user may change

The routes (the app's `api_urls.py`) choose which of list, retrieve, create, update,
partial_update and destroy exist; their OpenAPI description is generated from the
declarations (parameters, request, answers with `errors(...)`), so do not decorate them.
`versioned = True` for a row with a `version` (see `yicai.versions`): changes check the
version read (body or If-Match, else 409) and answers carry it as the ETag. A create that
sets or changes a row (a year's quota) declares `create_status = 200`; a remove the service
may refuse (an event someone attended) declares `destroy_errors = (400,)`. Hooks for what
differs (`service_arguments`, `input_arguments`, `change_values`, `create_record`,
`update_record`, `after_save`, `detail_data`, `annotate_page`) are small methods to override;
custom actions (figures, close, verify, ...) stay ordinary methods with their own schema
(`yicai.api.schema.row_action` for an action on one row).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from yicai.api.base import (
    ApiView,
    Serializer,
    calling_service_as,
    expected_version,
    form_filters,
    get_one,
    with_etag,
)
from yicai.api.schema import ROW_ID, errors

T = TypeVar("T")


def _declared(value: T | None, name: str) -> T:
    """A declaration the action needs (an action routed without it is a setup error)."""
    if value is None:
        raise ImproperlyConfigured(f"{name} is not declared")
    return value


def cursor_pagination(*fields: str) -> type[CursorPagination]:
    """A cursor pagination of 50 rows in the order of `fields` (ending with a unique one)."""
    return type("Cursor", (CursorPagination,), {"ordering": fields, "page_size": 50})


def record_permissions(app: str, *writes: str, **others: str) -> dict[str, str]:
    """A record API's `permissions`: reading it (list, retrieve) needs `<app>.view`, each of
    `writes` (the routed create, partial_update, destroy, ...) `<app>.edit`, and each of
    `others` (custom actions) the permission given."""
    return {
        "list": f"{app}.view",
        "retrieve": f"{app}.view",
        **dict.fromkeys(writes, f"{app}.edit"),
        **others,
    }


class RecordViewSet(ApiView):
    """List, read, add, change and remove one kind of record, as its declarations say."""

    # What is answered: a row of the list, and one row (read, added or changed).
    output: ClassVar[Serializer | None] = None
    detail_output: ClassVar[Serializer | None] = None
    # What is accepted: the input to add a row, and to change one (default: the same).
    create_input: ClassVar[Serializer | None] = None
    change_input: ClassVar[Serializer | None] = None
    # How the list's filters are read: the page's filter form, called (user, query) ...
    filter_form: ClassVar[Callable[..., forms.Form] | None] = None
    # ... or a filter serializer (the request is in its context).
    filter_input: ClassVar[Serializer | None] = None
    list_parameters: ClassVar[Sequence[OpenApiParameter]] = ()  # the filters, in the schema
    # The ids in the collection's own path (a person's records: person_id), and the row's.
    path_parameters: ClassVar[Sequence[OpenApiParameter]] = ()
    row_parameter: ClassVar[OpenApiParameter] = ROW_ID
    # What one row's answer is filtered by (a cohort's members), read by its `detail_data`.
    detail_parameters: ClassVar[Sequence[OpenApiParameter]] = ()
    # The services: create(**values); update and delete with the row as `row_keyword`.
    create_service: ClassVar[Callable[..., Any] | None] = None
    update_service: ClassVar[Callable[..., Any] | None] = None
    delete_service: ClassVar[Callable[..., Any] | None] = None
    row_keyword: ClassVar[str] = ""
    versioned: ClassVar[bool] = False
    # A create that sets or changes a row (one per year and kind, say) answers 200, not 201.
    create_status: ClassVar[int] = status.HTTP_201_CREATED
    # The remove's error answers besides the 404: a service's refusal is a 400.
    destroy_errors: ClassVar[Sequence[int]] = ()
    # An action's own description in the schema, where the class docstring does not say it.
    descriptions: ClassVar[Mapping[str, str]] = {}
    # The input's name of a field where the service names it otherwise (rating: evaluation_rating).
    error_names: ClassVar[Mapping[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = getattr(getattr(cls.output, "Meta", None), "model", None)
        if cls.queryset is None and model is not None:  # the model, for the schema
            cls.queryset = model._default_manager.none()
        if cls.output is not None:
            extend_schema_view(**cls._standard_schemas())(cls)
            for action, text in cls.descriptions.items():
                extend_schema_view(**{action: extend_schema(description=text)})(cls)

    @classmethod
    def _standard_schemas(cls) -> dict[str, Any]:
        """The schema of each standard action, from the declarations."""
        output = _declared(cls.output, "output")
        detail = cls.detail_output or output
        row = [*cls.path_parameters, cls.row_parameter]
        # A collection under another row (a person's records) is a 404 when that row is.
        owner = (404,) if cls.path_parameters else ()
        filtered = (400,) if cls.filter_form or cls.filter_input else ()
        schemas = {
            "list": extend_schema(
                parameters=[*cls.path_parameters, *cls.list_parameters],
                responses={200: output(many=True), **errors(*filtered, 404)},
            ),
            "retrieve": extend_schema(parameters=row, responses={200: detail, **errors(404)}),
            "destroy": extend_schema(
                parameters=row, responses={204: None, **errors(*cls.destroy_errors, 404)}
            ),
        }
        if cls.create_input is not None:
            schemas["create"] = extend_schema(
                parameters=[*cls.path_parameters],
                request=cls.create_input,
                responses={cls.create_status: detail, **errors(400, *owner)},
            )
        change = cls.change_input or cls.create_input
        if change is not None:
            stale = (409,) if cls.versioned else ()
            for action in ("update", "partial_update"):
                schemas[action] = extend_schema(
                    parameters=row,
                    request=change,
                    responses={200: detail, **errors(400, 404, *stale)},
                )
        if cls.detail_parameters:  # filters of what the row shows: a 400 when wrong
            schemas["retrieve"] = extend_schema(
                parameters=[*row, *cls.detail_parameters],
                responses={200: detail, **errors(400, 404)},
            )
        return schemas

    # -- Queries: what the subclass says ----------------------------------------------------

    def list_rows(self, **filters: Any) -> "QuerySet[Any]":
        """The rows the user may see, filtered."""
        raise NotImplementedError

    def detail_rows(self) -> "QuerySet[Any]":
        """The rows one is read from (with what the detail shows)."""
        return self.list_rows()

    def edit_rows(self) -> "QuerySet[Any]":
        """The rows the user may change or remove."""
        raise NotImplementedError

    def get_detail(self, pk: object) -> Any:
        return get_one(self.detail_rows(), pk)

    def get_editable(self, pk: object) -> Any:
        return get_one(self.edit_rows(), pk)

    def filters(self) -> dict[str, Any]:
        """The list's filters from the query string (a 400 by field when wrong)."""
        query = self.request.query_params
        if self.filter_form is not None:
            return form_filters(self.filter_form(self.request.user, query))
        if self.filter_input is not None:
            criteria = self.filter_input(data=query, context=self.get_serializer_context())
            criteria.is_valid(raise_exception=True)
            return dict(criteria.validated_data)
        return {}

    # -- Hooks: what differs between records ------------------------------------------------

    def annotate_page(self, rows: list[Any]) -> None:
        """Add to a page's rows what the list shows and the query does not give."""

    def detail_data(self, row: Any) -> Any:
        return (self.detail_output or _declared(self.output, "output"))(row).data

    def input_arguments(self, row: Model | None) -> dict[str, Any]:
        """The input serializer's arguments besides the data (to add: row is None)."""
        return {"user": self.request.user}

    def service_arguments(self) -> dict[str, Any]:
        """What the create service gets besides the input (read before it is checked)."""
        return {}

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """The checked input of a change as the update service takes it."""
        return values

    def create_record(self, values: dict[str, Any]) -> Any:
        # Through the class: a plain function declared in the class body is not bound.
        return _declared(type(self).create_service, "create_service")(**values)

    def update_record(self, row: Any, values: dict[str, Any]) -> Any:
        _declared(type(self).update_service, "update_service")(**{self.row_keyword: row}, **values)
        return row

    def after_save(self, row: Any) -> Any:
        """The row to answer with once written: read again as the detail shows it."""
        return self.get_detail(row.pk)

    def answer(self, row: Any, code: int = status.HTTP_200_OK) -> Response:
        data = self.detail_data(row)
        response = Response(data, status=code)
        if self.versioned and code == status.HTTP_200_OK:  # a new row's answer has no ETag
            with_etag(response, data["version"])
        return response

    # -- The standard actions ---------------------------------------------------------------

    def list(self, request: Request, **kwargs: Any) -> Response:
        output = _declared(self.output, "output")
        rows = self.paginate_queryset(self.list_rows(**self.filters()))
        page = _declared(rows, "pagination_class")
        self.annotate_page(page)
        return self.get_paginated_response(output(page, many=True).data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self.answer(self.get_detail(pk))

    def create(self, request: Request, **kwargs: Any) -> Response:
        into = _declared(self.create_input, "create_input")
        extra = self.service_arguments()
        values = self.checked(into, **self.input_arguments(None))
        values.pop("version", None)  # a new row starts at 1
        with calling_service_as(**self.error_names):
            row = self.create_record({**extra, **values})
        return self.answer(self.after_save(row), self.create_status)

    def update(self, request: Request, pk: str, partial: bool = False, **kwargs: Any) -> Response:
        change = _declared(self.change_input or self.create_input, "change_input")
        row = self.get_editable(pk)
        checked = self.checked(change, instance=row, partial=partial, **self.input_arguments(row))
        values = self.change_values(checked)
        if self.versioned:
            expected_version(request, values)
        with calling_service_as(**self.error_names):
            saved = self.update_record(row, values)
        return self.answer(self.after_save(saved))

    def partial_update(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self.update(request, pk, partial=True, **kwargs)

    def destroy(self, request: Request, pk: str, **kwargs: Any) -> Response:
        delete = _declared(type(self).delete_service, "delete_service")
        row = self.get_editable(pk)
        with calling_service_as(**self.error_names):
            delete(**{self.row_keyword: row})
        return Response(status=status.HTTP_204_NO_CONTENT)
