import pytest
from django.db import connection, connections
from yicai.org.models import Region
from yicai.codes.models import Code
from tests.browser.conftest import log_in

@pytest.mark.parametrize("i", [1, 2, 3])
def test_dbg(i, django_db_serialized_rollback, transactional_db, live_server, page):
    print(i, Region.objects.count(), id(connection), id(connection.connection), connection.get_autocommit())
    if i == 1:
        page.goto(live_server.url + "/accounts/login/")
    print(i, Region.objects.count(), id(connection), id(connection.connection), id(live_server.thread.connections_override["default"]))
