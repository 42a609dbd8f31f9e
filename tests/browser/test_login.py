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
