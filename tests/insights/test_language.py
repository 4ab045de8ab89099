"""Chinese first; English through the language switch."""

from tests.conftest import login


def test_pages_are_chinese_even_for_an_english_browser(world, client):
    login(client, world.hospital_a)
    page = client.get("/people/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "人才档案" in page and "Talent records" not in page


def test_the_language_switch_turns_the_pages_english(world, client):
    login(client, world.hospital_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    assert response.status_code == 302
    page = client.get("/people/").content.decode()
    assert "Talent records" in page and "Export to Excel" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/people/"})
    assert "人才档案" in client.get("/people/").content.decode()


def test_out_of_scope_and_forbidden_pages_explain_themselves_in_chinese(world, client):
    login(client, world.hospital_a)
    missing = client.get(f"/people/{world.b_doctor.pk}/")
    assert missing.status_code == 404
    assert "页面不存在，或您无权查看该记录" in missing.content.decode()
    forbidden = client.get("/accounts/audit/")
    assert forbidden.status_code == 403
    assert "无权访问此页面" in forbidden.content.decode()
