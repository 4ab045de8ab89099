"""After a test that commits, the tables migrations left empty are emptied and a change to one
they filled is named, then undone (tests/migrated.py)."""

import pytest
from django.db import connection

from tests import factories, migrated
from yicai.access.models import AuditEntry, AuditPermit
from yicai.org.models import Institution, Region

pytestmark = pytest.mark.usefixtures("committed_db")


def test_a_change_to_reference_data_is_named_and_undone_and_the_test_rows_removed(migrated_state):
    region = factories.region("310113")
    region.name = "测试改过的辖区"
    region.save()  # committed, with its audit entry
    factories.institution("测试医院")
    assert AuditEntry.objects.exists()

    with pytest.raises(migrated.ChangedByTest, match=r"org_region \(\d+ rows after migrations"):
        migrated.put_back(connection, migrated_state)

    assert Region.objects.get(pk=region.pk).name != "测试改过的辖区"
    assert not Institution.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not AuditPermit.objects.exists()
    migrated.put_back(connection, migrated_state)  # now as migrations left it: no error


def test_a_row_added_to_reference_data_is_named_too(migrated_state):
    Region.objects.create(code="310199", name="测试新增辖区", level="county")

    with pytest.raises(migrated.ChangedByTest, match="org_region"):
        migrated.put_back(connection, migrated_state)

    assert not Region.objects.filter(code="310199").exists()
