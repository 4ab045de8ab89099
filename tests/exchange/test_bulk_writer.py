"""The bulk writer stores every row as given: many rows a statement on SQLite (with a short
last statement), COPY on PostgreSQL."""

import pytest

from yicai.codes.models import Code, CodeTable
from yicai.exchange import bulk


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 7, 1000, 2345])
def test_every_row_is_stored_as_given(count, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 100)
    table = CodeTable.objects.create(key="bulk-test", name="批量")
    writer = bulk.BulkWriter(batch_size=1000)
    ids = writer.allocate_ids(Code, count)
    rows = [(pk, table.pk, f"C{i}", f"名称{i}", {}, "", True, i) for i, pk in enumerate(ids)]
    fields = ("id", "table", "code", "name", "attrs", "note", "active", "sort")
    writer.insert(Code, fields, [(*row[:4], "{}", *row[5:]) for row in rows])
    stored = list(
        Code.objects.filter(table=table).order_by("id").values_list("id", "code", "name", "sort")
    )
    assert stored == [(pk, code, name, sort) for pk, _t, code, name, _a, _n, _x, sort in rows]
