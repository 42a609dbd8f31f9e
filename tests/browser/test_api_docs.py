"""The API's docs page (ninja's Swagger UI from its own static files) renders under the
project's Content-Security-Policy ('self' only, nothing inline)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_shows_both_endpoints_without_breaking_the_csp(page):
    violations, errors = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Counter Operations API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/movements/")
    page.wait_for_selector("text=/api/v1/channel-payments/")
    violations = [text for text in errors if text.startswith("CSP")]
    assert violations == []
    assert errors == []
