from tests.access import Row, everyone

ACCESS = [
    Row("login", everyone(200, anonymous=200)),
    Row("logout", everyone(405, anonymous=405), note="logout is POST only"),
    Row("healthz", everyone(200, anonymous=200)),
    Row("staff:home", everyone(200)),
]
