import pytest
from rest_framework.test import APIClient

from tests.conftest import login


@pytest.fixture
def as_api(db):
    """The API client signed in as a persona."""

    def _as(user):
        return login(APIClient(), user)

    return _as
