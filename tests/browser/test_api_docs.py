"""The API's docs page (ninja's Swagger UI from its own static files) renders under the
project's Content-Security-Policy ('self' only, nothing inline), and an integrator can try a
call from it with the client's token."""

import pytest

from tests.billing.api_helpers import make_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_integrator_reads_the_docs_and_tries_the_feed_with_a_token(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A blocked inline script or style is reported as a console error, and as this event.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    _client, token = make_client()
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Counter Operations API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/channel-payments/")

    page.click("button.authorize")
    page.fill(".auth-container input", token)
    page.click(".auth-btn-wrapper button.authorize")
    page.click("button.btn-done")
    page.click("text=/api/v1/movements/")
    page.click("button.try-out__btn")
    page.click("button.execute")
    status = page.wait_for_selector(".live-responses-table .response .response-col_status")
    assert status.inner_text().strip() == "200"
    assert '"has_more": false' in page.inner_text(".live-responses-table .response")
    assert errors == []
