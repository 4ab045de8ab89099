"""Optimistic locking: records that several people edit through forms carry a version, and a
save made from a stale version is refused with what changed meanwhile, instead of silently
reverting it (a lost update).

A model opts in by inheriting `Versioned`. Every save of an existing row writes
`version = version + 1`. A service that edits on behalf of a form or an API call that loaded
the row at some version calls `expect(obj, version)` before saving: the save then becomes
`UPDATE ... SET ..., version = v + 1 WHERE id = ? AND version = v`, inside the service's
transaction, and when no row matches (someone saved in between) it raises `VersionConflict`
naming the fields changed since version v, their current values, who changed them and when
(from the audit log). Saves that do not call `expect` (an import's deliberate overwrite, the
profile's summary columns) still bump the version, so forms loaded before them are refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from yicai.access.models import AuditEntry

# Columns kept by the services themselves (search keys, summaries): not worth naming in a
# conflict message. Per model, a `version_hidden_fields` attribute adds to them.
_ALWAYS_HIDDEN = {"version", "updated_at", "created_at", "id"}


class VersionConflict(ValidationError):
    """The row changed since the caller's version. A ValidationError (a form shows it above
    its fields, keeping the user's input); the API answers 409 with `as_data()`."""

    def __init__(self, message: str, *, current_version: int, changes: list[Change]) -> None:
        super().__init__({"__all__": [message]})
        self.message_text = message
        self.current_version = current_version
        self.changes = changes

    def as_data(self) -> dict[str, object]:
        return {
            "detail": self.message_text,
            "version": self.current_version,
            "changes": [change.as_data() for change in self.changes],
        }


@dataclass
class Change:
    field: str
    label: str
    before: str
    current: str

    def as_data(self) -> dict[str, str]:
        return {
            "field": self.field,
            "label": self.label,
            "before": self.before,
            "current": self.current,
        }


class Versioned(models.Model):
    """Abstract base: a `version` column that every save increments, checked when the
    service says which version the user edited (`expect`)."""

    # A default in the database too: bulk writers (imports, the demo) insert rows directly.
    version = models.PositiveIntegerField(
        gettext_lazy("版本"), default=1, db_default=1, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not self._state.adding:
            kwargs["update_fields"] = {*update_fields, "version"}
        loaded = self.version
        if not self._state.adding and self.pk is not None:
            expected = self.__dict__.get("_expected_version")
            self.version = (loaded if expected is None else expected) + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = loaded
            raise
        finally:
            self.__dict__.pop("_expected_version", None)

    # Django 5.2's signature: the stubs describe Django 6's, which adds `returning_fields`.
    def _do_update(  # type: ignore[override]
        self,
        base_qs: models.QuerySet[Any],
        using: str | None,
        pk_val: object,
        values: Collection[tuple[models.Field[Any, Any], type[models.Model] | None, Any]],
        update_fields: Iterable[str] | None,
        forced_update: bool,
    ) -> bool:
        expected = self.__dict__.get("_expected_version")
        if expected is None:
            # Unchecked (an import, a summary refresh): still bump what the row holds, so that
            # a form loaded before this save is refused.
            values = [
                (field, model, models.F("version") + 1 if field.name == "version" else value)
                for field, model, value in values
            ]
            return super()._do_update(  # type: ignore[call-arg,return-value]  # Django 5.2
                base_qs, using, pk_val, values, update_fields, forced_update
            )
        updated: bool = super()._do_update(  # type: ignore[call-arg,assignment]  # Django 5.2
            base_qs.filter(version=expected), using, pk_val, values, update_fields, True
        )
        if not updated:
            current = type(self)._base_manager.using(using).filter(pk=pk_val).first()
            if current is None:  # removed meanwhile
                raise ValidationError(
                    {"__all__": [_("该%(noun)s已被他人删除。") % {"noun": self._meta.verbose_name}]}
                )
            raise conflict(current, expected)
        return updated


def expect(obj: Versioned, version: int | None) -> None:
    """The next save of `obj` must find the row at `version` (what the user loaded), or it
    raises VersionConflict. None: no check (the caller did not say; see docs/security.md)."""
    if version is None:
        return
    if obj.version != version:  # already stale when loaded: no need to try the write
        raise conflict(obj, version)
    obj.__dict__["_expected_version"] = version


def parse(value: object) -> int | None:
    """A version from a form, a JSON body or an If-Match header ("3", W/"3", "v3"); None if
    absent. Raises ValidationError on anything else."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"').removeprefix("v")
    if text.isascii() and text.isdigit() and 0 < len(text) <= 9:
        return int(text)
    raise ValidationError({"version": _("版本号无效：请重新打开页面或重新读取该记录后再保存。")})


def add_field(form: forms.BaseForm, instance: Versioned | None) -> None:
    """A hidden `version` field on the form editing `instance` (none when creating)."""
    if instance is not None and instance.pk:
        form.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=1, required=False, initial=instance.version
        )


def rebase_form(form: forms.BaseForm, error: ValidationError) -> None:
    """After a conflict the form keeps the user's input and now carries the current version:
    having read what changed, the user saves again on purpose."""
    if isinstance(error, VersionConflict) and "version" in form.fields:
        # A bound form's data is the request's QueryDict; the stubs say any Mapping.
        form.data = cast(QueryDict, form.data).copy()
        form.data[form.add_prefix("version")] = str(error.current_version)


def etag(obj: Versioned) -> str:
    return f'"v{obj.version}"'


def conflict(current: Versioned, expected: int) -> VersionConflict:
    """The refusal for a save from `expected`, naming what changed since, from the audit log
    (who, when, each field's value then and now)."""
    entries = _entries_since(current, expected)
    changes = _changes(type(current), entries)
    noun = current._meta.verbose_name
    shown = "；".join(f"{c.label} {c.before or '-'}→{c.current or '-'}" for c in changes)
    latest = entries[-1] if entries else None
    if latest is not None:
        who = _actor_name(latest)
        when = _when(latest.timestamp)
    else:
        who, when = _("他人"), _when(getattr(current, "updated_at", None))
    if shown:
        message = _("该%(noun)s已被 %(who)s 于 %(when)s 修改：%(changes)s。请核对后重新保存。") % {
            "noun": noun,
            "who": who,
            "when": when,
            "changes": shown,
        }
    else:
        message = _("该%(noun)s已被 %(who)s 于 %(when)s 修改。请核对当前内容后重新保存。") % {
            "noun": noun,
            "who": who,
            "when": when,
        }
    return VersionConflict(message, current_version=current.version, changes=changes)


def _actor_name(entry: AuditEntry) -> str:
    try:
        actor = entry.actor  # may be gone: the audit log keeps no constraint on it
    except ObjectDoesNotExist:
        actor = None
    return actor.display_name if actor is not None else _("他人")


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return _("刚才")
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _entries_since(obj: Versioned, expected: int) -> list[AuditEntry]:
    """The audit log's updates of `obj` made from `expected` or later, oldest first: each
    carries the version it moved from."""
    from django.contrib.contenttypes.models import ContentType

    from yicai.access.models import AuditEntry

    rows = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_pk=str(obj.pk),
            action=AuditEntry.Action.UPDATE,
        )
        .select_related("actor")
        .order_by("-pk")[:50]
    )
    found = []
    for entry in rows:
        moved = (entry.changes or {}).get("version") if isinstance(entry.changes, dict) else None
        if not moved:
            continue
        try:
            start = int(moved[0])
        except (TypeError, ValueError, IndexError):
            continue
        if start < expected:
            break
        found.append(entry)
    return list(reversed(found))


def _changes(model: type[Versioned], entries: Iterable[AuditEntry]) -> list[Change]:
    """Each field changed over `entries`: its value before the first and after the last."""
    hidden = _ALWAYS_HIDDEN | set(getattr(model, "version_hidden_fields", ()))
    labels = getattr(model, "version_labels", {})
    show = getattr(model, "version_show", {})
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for entry in entries:
        for name, (old, new) in (entry.changes or {}).items():
            if name in hidden:
                continue
            first.setdefault(name, old)
            last[name] = new
    changes = []
    for name in first:
        if first[name] == last[name]:
            continue  # changed and changed back
        label = labels.get(name)
        if label is None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field since removed: name it as stored
                field = None
            # The audit log records concrete fields only, never a reverse relation.
            label = field.verbose_name if isinstance(field, models.Field) else name
        before, current = first[name], last[name]
        if name in show:
            before, current = show[name](before), show[name](current)
        else:
            before, current = _readable(model, name, before), _readable(model, name, current)
        changes.append(Change(name, str(label), before, current))
    return changes


def _readable(model: type[Versioned], name: str, value: object) -> str:
    if value in (None, "None"):
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if not isinstance(field, models.Field):  # a reverse relation: never in the audit log
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("是") if value in ("True", True) else _("否")
    return str(value)
