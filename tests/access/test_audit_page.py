"""The audit page as an auditor reads it: an export's filters in words, long data folded."""

from tests.conftest import login
from yicai.access import audit, services
from yicai.access.models import AuditEntry, SecurityPolicy


def last_export() -> AuditEntry:
    return AuditEntry.objects.filter(event="export").latest("pk")


def test_an_exports_filters_are_recorded_and_shown_in_words(world, client):
    login(client, world.hospital_a)
    client.get(
        "/people/",
        {
            "institution": world.a.pk,
            "title_grade": "associate_senior",
            "q": "王",
            "export": "xlsx",
        },
    )
    words = "关键词=王；机构=甲区中心医院；职称级别=副高级"  # in the order the page asks
    assert last_export().additional_data["in_words"] == words
    assert last_export().additional_data["filters"]["institution"] == str(world.a.pk)

    login(client, world.auditor)
    page = client.get("/accounts/audit/", {"event": "export"}).content.decode()
    assert f"<b>筛选条件</b>：{words}" in page
    assert f"institution={world.a.pk}" not in page


def test_an_export_without_filters_says_it_took_everything(world, client):
    login(client, world.hospital_a)
    client.get("/people/", {"export": "csv"})
    assert last_export().additional_data["in_words"] == "全部"


def test_the_names_are_those_of_the_day_of_the_export(world, client):
    login(client, world.hospital_a)
    client.get("/people/", {"institution": world.a.pk, "export": "csv"})
    world.a.name = "甲区人民医院"
    world.a.save(update_fields=["name"])
    login(client, world.auditor)
    page = client.get("/accounts/audit/", {"event": "export"}).content.decode()
    assert "机构=甲区中心医院" in page


def test_a_full_identity_number_searched_for_is_kept_as_its_last_digits_in_words(world, client):
    login(client, world.hospital_a)
    number = world.a_doctor.id_number
    client.get("/people/", {"q": number, "export": "csv"})
    words = last_export().additional_data["in_words"]
    assert number not in words and words.endswith(number[-4:])


def test_the_auditors_own_export_is_described_by_the_audit_filter(world, client):
    login(client, world.auditor)
    client.get("/accounts/audit/", {"event": "reveal", "since": "2026-01-01", "export": "csv"})
    assert last_export().additional_data["in_words"] == "事件=查看完整证件号；起始日期=2026-01-01"


def test_training_list_exports_are_described_in_words_too(world, client):
    login(client, world.hospital_a)
    client.get("/training/mentorships/", {"institution": world.a.pk, "export": "csv"})
    assert last_export().additional_data["in_words"] == "带教机构=甲区中心医院"


def test_long_data_is_folded(world, client):
    services.policy_update(
        policy=SecurityPolicy.current(),
        min_length=12,
        min_classes=3,
        history_count=5,
        max_age_days=90,
        lockout_failures=5,
        lockout_minutes=30,
        idle_minutes=20,
        session_hours=8,
        otp_roles=["auditor", "security_admin"],
    )
    login(client, world.auditor)
    page = client.get("/accounts/audit/", {"event": "policy_change"}).content.decode()
    summary, whole = page[page.index("<details>") : page.index("</details>")].split("</summary>")
    assert "（共 2 项）" in summary
    assert "<b>after</b>：history_count=5，idle_minutes=20，" in summary
    assert "otp_roles" not in summary  # cut short
    assert "lockout_minutes=30" in whole and "otp_roles=auditor、security_admin" in whole
    assert "<b>before</b>：history_count=5，idle_minutes=30，" in whole


def test_exports_recorded_before_filters_had_words_show_their_parameters(world, client):
    audit.record("export", summary="导出医疗机构列表（CSV）", data={"filters": {"kind": "tcm"}})
    login(client, world.auditor)
    page = client.get("/accounts/audit/", {"event": "export"}).content.decode()
    assert "<b>筛选条件</b>：kind=tcm" in page
