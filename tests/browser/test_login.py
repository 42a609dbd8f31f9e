def test_cashier_logs_in_and_sees_chinese_home_page(page, login_as, world):
    login_as(world.cashier)

    assert page.locator("h1").inner_text() == "cashier姓名"
    who = page.get_by_test_id("who").inner_text()
    assert "龙泉" in who
    assert "收费员" in who
    assert "退出" in who
    assert page.title().startswith("首页")


def test_login_page_is_chinese(page, db):
    page.goto("/accounts/login/")

    assert page.locator("label[for=id_username]").inner_text() == "用户名"
    assert page.locator("button[type=submit]").inner_text() == "登录"


def _login_form(page, user):
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pass-Word-123")
    page.press("#id_password", "Enter")
    page.wait_for_url("**/")


def test_login_page_says_the_session_ended_only_when_it_did(chromium, live_server, page, world):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    notice = page.get_by_test_id("session-ended")
    page.goto("/billing/counter/")  # first visit, sent to log in
    assert "/accounts/login/?next=" in page.url and notice.count() == 0

    _login_form(page, world.cashier)
    page.get_by_role("button", name="退出").click()
    page.goto("/billing/counter/")  # after logging out
    assert notice.count() == 0

    _login_form(page, world.cashier)
    Session.objects.update(expire_date=timezone.now())  # the idle period runs out
    page.goto("/billing/counter/")
    assert notice.inner_text() == "您已超过30分钟未操作，已自动退出，请重新登录。"
    page.reload()
    assert notice.count() == 0, "said once"

    _login_form(page, world.cashier)
    # Closing the browser: a new profile keeps the persistent cookies, not the session's.
    kept = [c for c in page.context.cookies() if c["expires"] != -1]
    reopened = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    try:
        reopened.add_cookies(kept)
        again = reopened.new_page()
        again.goto("/")
        assert "/accounts/login/" in again.url
        assert again.get_by_test_id("session-ended").inner_text() == (
            "浏览器关闭后已自动退出，请重新登录。"
        )
    finally:
        reopened.close()
