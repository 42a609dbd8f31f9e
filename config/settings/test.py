"""The test suite: `make test`. SQLite in memory unless DATABASE_URL names PostgreSQL."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Tests with threads open many short-lived connections; a pool would hold them across
    # the test database's creation and teardown. The pool's settings are kept for the tests
    # that switch it on (tests/staff/test_core_database_outage.py).
    DB_POOL_FOR_TESTS = DATABASES["default"]["OPTIONS"].pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Uploaded files of the tests go to a folder of this run, not to the project's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="counterops-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# PostgreSQL as the app's runtime role, like production: with RUNTIME_DATABASE_URL
# (postgres://role:password@..., same server) the owner (DATABASE_URL) creates and migrates the
# test database, `grant_runtime_role` runs, and then every test connects as that role
# (tests/runtime_role.py).
RUNTIME_DATABASE_URL = env.str("RUNTIME_DATABASE_URL", default="")
# Serve static files from the source folders; STATIC_ROOT is not collected for tests.
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared in-memory database: the live server's request threads then
    # get connections of their own, and SQLite's locking (WAL, IMMEDIATE) keeps them apart,
    # instead of every thread sharing one sqlite3 connection object.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".pytest-db.sqlite3")}
