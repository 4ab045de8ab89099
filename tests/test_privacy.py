"""The privacy notice (PIPL art. 17): open without login, linked from the login page and
every page's footer, saying what is collected, why, how long, who controls it and how to
ask for a correction."""

from tests.conftest import login


def test_the_notice_opens_without_login_and_says_what_the_law_asks(client, db):
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("收集哪些信息", "为什么处理", "保存多久", "谁负责处理您的信息", "您的权利"):
        assert heading in page
    for collected in ("身份证号", "手机号", "学历学位", "专业技术职称", "继续医学教育学分"):
        assert collected in page
    assert "至少保存 180 天" in page
    assert "如何申请更正" in page and "我的信息更正" in page
    assert "您所在单位的人事部门" in page  # the default contact


def test_the_controller_and_contact_come_from_the_settings(client, db, settings):
    settings.PRIVACY_CONTROLLER = "上海市某区卫生健康委员会"
    settings.PRIVACY_CONTACT = "人才科，电话 021-5555 0000"
    page = client.get("/privacy/").content.decode()
    assert "个人信息处理者：上海市某区卫生健康委员会" in page
    assert "人才科，电话 021-5555 0000" in page


def test_the_login_page_and_the_footer_link_to_it(client, world):
    assert 'href="/privacy/"' in client.get("/accounts/login/").content.decode()
    login(client, world.trainee)
    home = client.get("/").content.decode()
    assert 'href="/privacy/" id="privacy-link"' in home
    # A person with a record is offered the correction form from the notice.
    assert 'href="/people/corrections/new/"' in client.get("/privacy/").content.decode()
