import pytest


@pytest.mark.django_db
def test_csp_allows_no_third_party_origin(client):
    response = client.get("/accounts/login/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    for directive in policy.split(";"):
        sources = directive.split()[1:]
        assert all(s.startswith("'") or s == "data:" for s in sources), directive


@pytest.mark.django_db
def test_pages_load_no_asset_from_elsewhere(client, world):
    client.force_login(world.cashier)
    page = client.get("/").content.decode()

    assert "http://" not in page and "https://" not in page and "//cdn" not in page
