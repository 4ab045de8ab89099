"""The output base: a `<name>_display` it lists is the label of a choice, and a name that is
no choice (a typo) is refused when the serializer is built, not when a row is answered."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yicai.api.base import ModelOutput
from yicai.recruitment.models import PartnerAgreement


def _output(*fields: str) -> type[ModelOutput]:
    meta = type("Meta", (), {"model": PartnerAgreement, "fields": fields})
    return type("AgreementOutput", (ModelOutput,), {"Meta": meta})


def test_a_choice_label_is_read_only_and_reads_the_choice():
    fields = _output("kind", "kind_display")().fields
    assert fields["kind_display"].source == "get_kind_display"
    assert all(field.read_only for field in fields.values())


def test_a_label_of_a_field_without_choices_is_refused():
    with pytest.raises(ImproperlyConfigured, match="title has no choices"):
        _output("title", "title_display")().fields  # noqa: B018 - building the fields is the test
