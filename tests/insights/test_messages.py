"""Django's and DRF's validation messages read as natural Chinese (Yicai's own catalog)."""

from tests.conftest import login


def test_a_form_says_a_long_name_is_too_long_in_plain_chinese(world, client):
    login(client, world.hospital_a)
    response = client.post(
        "/people/new/", {"name": "长" * 51, "category": "staff", "institution": world.a.pk}
    )
    page = response.content.decode()
    assert "不能超过 50 个字（现有 51 个）。" in page
    assert "确保该变量" not in page


def test_a_missing_field_and_a_bad_date_are_told_plainly(world, client):
    login(client, world.hospital_a)
    response = client.post("/people/new/", {"name": "", "birth_date": "去年", "category": "staff"})
    page = response.content.decode()
    assert "请填写此项。" in page
    assert "日期格式不对，请按 2024-03-01 这样填写。" in page


def test_the_api_speaks_the_same_chinese(world, client):
    login(client, world.hospital_a)
    response = client.post(
        "/api/v1/people/",
        {"name": "长" * 51, "birth_date": "去年", "category": "staff"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["不能超过 50 个字。"]
    assert body["birth_date"] == ["日期格式不对，请按 YYYY-MM-DD 填写。"]
