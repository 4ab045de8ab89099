"""Reads of the code tables."""

from django.db.models import QuerySet

from yicai.codes.models import Code


def codes_of(table_key: str, *, leaves_only: bool = False) -> QuerySet[Code]:
    queryset = Code.objects.filter(table__key=table_key, active=True)
    if leaves_only:
        queryset = queryset.filter(children__isnull=True)
    return queryset.order_by("sort", "code")


def code_for(table_key: str, code: str) -> Code | None:
    return Code.objects.filter(table__key=table_key, code=code).first()
