import pytest
from rest_framework.test import APIClient

from tests.conftest import login


@pytest.fixture
def api(db):
    """A DRF test client (JSON by default)."""
    return APIClient()


@pytest.fixture
def as_api(api):
    """The API client signed in as a persona, the way a finished browser session is."""

    def _as(user):
        login(api, user)
        return api

    return _as
