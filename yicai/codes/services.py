"""Administrators extend the dictionaries; national codes stay as loaded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yicai.codes.models import Code, CodeTable
from yicai.validation import full_clean_or_raise


@transaction.atomic
def code_add(
    *, table: CodeTable, code: str, name: str, parent: Code | None = None, note: str = ""
) -> Code:
    code, name = code.strip(), name.strip()
    if parent is not None and parent.table_id != table.pk:
        raise ValidationError({"parent": _("上级代码须属于同一代码表。")})
    if Code.objects.filter(table=table, code=code).exists():
        raise ValidationError({"code": _("代码 %s 已存在。") % code})
    last = Code.objects.filter(table=table).order_by("-sort").values_list("sort", flat=True)
    created = Code(
        table=table, code=code, name=name, parent=parent, note=note, sort=(last.first() or 0) + 1
    )
    full_clean_or_raise(created)
    created.save()
    return created


@transaction.atomic
def code_set_active(*, code: Code, active: bool) -> Code:
    code.active = active
    code.save(update_fields=["active"])
    return code
