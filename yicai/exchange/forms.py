from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import bootstrap
from yicai.exchange import engine


class UploadForm(forms.Form):
    entity = forms.ChoiceField(label=_("导入内容"))
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GBK 编码）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args: Any, entities: list[engine.Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form's own copy of the `entity` ChoiceField declared above.
        entity_field = cast(forms.ChoiceField, self.fields["entity"])
        entity_field.choices = [(entity.key, entity.title) for entity in entities]
        bootstrap(self)
        for field in self.fields.values():  # one under the other, the card's full width
            field.widget.attrs["cols"] = "12"
