"""A search by a full identity number never puts the number in a URL or a log line: the
search form posts, and the URL carries a token for the term (yicai.sensitive)."""

import datetime
import logging
import re

from tests import factories
from tests.conftest import login

LONG_RUN = re.compile(r"\d{15,}")
URL_ATTRIBUTE = re.compile(r'(?:href|src|action|hx-get|hx-post|hx-push-url)="([^"]*)"')


def _urls(response) -> list[str]:
    urls = [response.get("Location", ""), response.get("HX-Push-Url", "")]
    return urls + URL_ATTRIBUTE.findall(response.content.decode())


def test_a_search_by_a_full_number_leaves_it_in_no_url_and_finds_the_person(world, client):
    login(client, world.hospital_a)
    number = world.a_doctor.id_number
    response = client.post("/people/", {"q": number, "sort": "name"}, follow=True)
    assert response.status_code == 200
    hops = [url for url, _status in response.redirect_chain]
    assert hops and all(not LONG_RUN.search(url) for url in hops)
    assert "qt=" in hops[-1] and "sort=name" in hops[-1]
    page = response.content.decode()
    assert [row for row in response.context["page_obj"]] == [world.a_doctor]
    assert "李心怡" in page and "周外科" not in page
    assert all(not LONG_RUN.search(url) for url in _urls(response))

    # The export link carries the token too, and exports the same search.
    export = client.get(f"{hops[-1]}&export=csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "李心怡" in content and "周外科" not in content and number not in content


def test_htmx_searches_post_and_push_a_tokenised_address(world, client):
    login(client, world.hospital_a)
    headers = {"HX-Request": "true", "HX-Target": "results"}
    posted = client.post("/people/", {"q": world.a_surgeon.id_number}, headers=headers)
    assert posted.status_code == 302 and not LONG_RUN.search(posted["Location"])
    results = client.get(posted["Location"], headers=headers)
    assert "周外科" in results.content.decode() and "李心怡" not in results.content.decode()
    assert results["HX-Push-Url"] == posted["Location"]
    assert all(not LONG_RUN.search(url) for url in _urls(results))


def test_short_terms_stay_in_the_address(world, client):
    login(client, world.hospital_a)
    last4 = world.a_doctor.id_number_last4
    response = client.post("/people/", {"q": last4})
    assert response["Location"] == f"/people/?q={last4}"
    assert client.post("/people/", {"q": "lxy"})["Location"] == "/people/?q=lxy"


def test_a_token_another_session_does_not_know_finds_nothing_by_it(world, client):
    login(client, world.hospital_a)
    response = client.get("/people/?qt=unknown-token", follow=True)
    assert "查询已过期" in response.content.decode()


def test_the_department_refresh_sends_only_the_institution(world, client):
    login(client, world.hospital_a)
    page = client.get("/people/").content.decode()
    assert 'hx-include="this"' in page and 'hx-include="closest form"' not in page


def test_log_lines_keep_only_the_last_four_digits(world):
    from yicai.sensitive import MaskNumbers

    number = world.a_doctor.id_number
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET /people/?q=%s HTTP/1.1" 200',
        (number,),
        None,
    )
    assert MaskNumbers().filter(record)
    assert number not in record.getMessage() and number[-4:] in record.getMessage()


def test_every_handler_of_every_logger_masks_numbers():
    """Django's default handlers (the development server's request lines among them) are
    replaced by ones with the filter: no logger writes a number unmasked."""
    from yicai.sensitive import MaskNumbers

    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    handlers = {handler for logger in loggers for handler in logger.handlers}
    handlers = {  # pytest's capture, and libraries' NullHandlers, which write nothing
        h
        for h in handlers
        if not type(h).__module__.startswith("_pytest") and not isinstance(h, logging.NullHandler)
    }
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, MaskNumbers) for f in handler.filters), handler
    assert logging.getLogger("django.server").handlers


def test_the_person_pickers_search_is_posted_and_refuses_a_number_in_its_url(world, client):
    login(client, world.commission)
    url = f"/pick/org.leads/?institution={world.a.pk}"
    number = world.a_surgeon.id_number
    found = client.post(url, {"q": number}).json()
    assert [row["name"] for row in found["results"]] == ["周外科"]
    assert found["next"] is None
    refused = client.get(url, {"q": number})
    assert refused.status_code == 400 and not refused.json()["results"]
    assert number not in refused.content.decode()


def test_a_posted_picker_searchs_next_page_leaves_the_term_out(world, client):
    for index in range(25):
        factories.person(world.a, "王同名", birth=datetime.date(1980, 1, 1 + index % 28))
    login(client, world.commission)
    url = f"/pick/org.leads/?institution={world.a.pk}"
    first = client.post(url, {"q": "王同名"}).json()
    assert len(first["results"]) == 20 and "q=" not in first["next"]
    second = client.post(first["next"], {"q": "王同名"}).json()
    assert len(second["results"]) == 5


def test_the_api_searches_a_full_number_by_post_and_refuses_it_in_the_url(world):
    from rest_framework.test import APIClient

    api = login(APIClient(), world.hospital_a)
    number = world.a_doctor.id_number
    found = api.post("/api/v1/people/search/", {"q": number}, format="json")
    assert found.status_code == 200
    assert [row["name"] for row in found.json()["results"]] == ["李心怡"]
    assert number not in found.content.decode()
    refused = api.get("/api/v1/people/", {"q": number})
    assert refused.status_code == 400 and "POST /api/v1/people/search/" in refused.json()["q"][0]
    assert api.get("/api/v1/people/", {"q": number[-4:]}).status_code == 200
