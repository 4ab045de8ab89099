"""Administrators extend the dictionaries; national codes stay as loaded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yicai.codes.models import Code, CodeTable, Synonym
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


@transaction.atomic
def synonym_add(
    *, table: CodeTable, text: str, code: Code, personnel_category: Code | None = None
) -> Synonym:
    """A way people write a code, for imports to read; refused when it already reads as
    another code (its name, or another synonym for the same people)."""
    text = " ".join((text or "").split())
    errors = {}
    if code.table_id != table.pk:
        errors["code"] = _("所选代码不属于此代码表。")
    if personnel_category is not None and personnel_category.table.key != "personnel_category":
        errors["personnel_category"] = _("请选择从事专业类别。")
    if not errors:
        named = Code.objects.filter(table=table, name=text).exclude(pk=code.pk).first()
        if named is not None:
            errors["text"] = _("“%(text)s”已是代码 %(code)s 的名称。") % {
                "text": text,
                "code": named.code,
            }
        elif Synonym.objects.filter(
            table=table, text=text, personnel_category=personnel_category
        ).exists():
            errors["text"] = _("“%s”已有对应的代码。") % text
    if errors:
        raise ValidationError(errors)
    synonym = Synonym(table=table, text=text, code=code, personnel_category=personnel_category)
    full_clean_or_raise(synonym)
    synonym.save()
    return synonym


@transaction.atomic
def synonym_delete(*, synonym: Synonym) -> None:
    synonym.delete()
