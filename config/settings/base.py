"""Settings shared by every environment.

Every value that differs between a laptop and the payment center's server is read from the
environment (or a `.env` file beside manage.py); the modules `local`, `test` and `production`
only change defaults, never add behaviour of their own.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-counterops-development-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Ours first: an app's translations win over those of the apps after it, and Django's admin
    # and auth catalogues would otherwise say 过滤器, 历史 and 搜索 where ours say 筛选, 变更记录
    # and 查找 (tests/test_translations.py). `staff` comes first of ours: the other apps build
    # on its halls, people and roles.
    "staff",
    "billing",
    "complaints",
    "safety",
    "config.apps.CounterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "django_tables2",
    # Background jobs (the bills import): Django's task API, backported for Django 5.2, with
    # its database backend; `manage.py db_worker` runs them.
    "django_tasks",
    "django_tasks_db",
    # django-ninja (the API for the billing system, billing/api/): in INSTALLED_APPS so its
    # docs page is rendered from its own template and static files, never from its CDN variant.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Everything under /api/ answers JSON: refuses NUL and oversized bodies itself, turns the
    # pages' HTML error answers (404, 405, 500, 503) into JSON, and logs every call. Before
    # the session, CSRF and NUL-refusal middleware of the pages, which the API does not use.
    "billing.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "staff.core.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "staff.core.params.RefuseNulMiddleware",
    # Axes must come last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staff.core.context_processors.layout",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (DATABASE_URL=postgres://...) is production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one cashier writes; IMMEDIATE takes the write lock when a
    # transaction begins, so a second writer waits (up to `timeout`) instead of failing with
    # "database is locked" half-way through a payment.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif env.bool("DB_POOL", default=True):
    # Django's psycopg 3 pool. It is created lazily on the first query, so gunicorn (which
    # does not preload the app) forks its workers before any connection exists.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        # One connection per sync worker (a request uses one at a time). After a PostgreSQL
        # restart each idle connection is dead, and the pool's check finds them one by one,
        # waiting 1 s, then 2 s, ... between them (psycopg_pool's back-off): with one, the
        # first request after the restart waits a second and gets a fresh connection.
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        # Seconds a request waits for a connection. A worker never waits for another (one
        # request per sync worker, threads <= pool size): only an outage makes it wait, and
        # then the "database unavailable" page (503) comes after this long.
        "timeout": env.float("DB_POOL_TIMEOUT", default=3),
        # The pool retries a failed connection with a growing back-off (1, 2, 4, ... s) for
        # this long, then gives up and the next request tries at once: after a long outage
        # the pool is back within seconds, not at a retry minutes away.
        "reconnect_timeout": 10,
    }
    # Each connection is checked (one empty round trip) before a request gets it: Django
    # passes psycopg_pool's `check=ConnectionPool.check_connection` to the pool.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Seconds to wait for the server to answer a new connection (2 is libpq's least): an
    # unreachable server fails fast instead of after the system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DB_CONNECT_TIMEOUT", default=2
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# Local memory, per process: nothing here needs a shared cache (sessions are in the database).
# It holds the page header's menus, rendered once per set of links and page for 5 minutes
# ({% cache %} in templates/base.html, keyed by staff.core.extensions.nav_cache_key): about 3 ms
# of a counter page's 7 ms of CPU.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.core.backends.StaffBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "login"

# Counter workstations are shared: a session ends after an idle period and with the browser.
# Sessions in the database (Django's own backend): logging out or the idle period ends them on
# the server, for every worker at once.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Activity extends the idle period; staff.core.middleware.SessionIdleMiddleware stores it at most
# every SESSION_TOUCH_SECONDS instead of saving the session on every request.
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five wrong passwords for one username from one address lock that pair.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# --- Internationalisation ---------------------------------------------------------------------
# The center works in Chinese: no language negotiation, every page is zh-hans.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- Uploads and background jobs ----------------------------------------------------------------
# Uploaded files waiting for their background job (the bills import). Never served over HTTP;
# the web server and the worker (`manage.py db_worker`) must both reach it.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The largest file an upload page accepts, in MB. A city's monthly bills file is a few MB.
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=50)
# django-tasks: jobs are rows of the database (django_tasks_db), run by `manage.py db_worker`
# beside the web server. Enqueueing inside a transaction commits the job with its data.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Security -----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: everything comes from this server, nothing inline, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Mail (reminders are mailed only when a server is configured) -------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_ENABLED = env.bool("EMAIL_ENABLED", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="counterops@localhost")

# --- Logging ---------------------------------------------------------------------------------
# A 403 is one line (user, path, reason) instead of Django's traceback; 500s keep theirs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_one_line": {"()": "staff.core.log_filters.ForbiddenOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["forbidden_one_line"]},
    },
}

# --- Counter Operations ----------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="counterops-demo")


# --- staff: rosters and attendance ---------------------------------------------------------
# Minutes after the start of a shift that still count as on time.
ATTENDANCE_GRACE_MINUTES = env.int("ATTENDANCE_GRACE_MINUTES", default=5)
# Staff are to be at their post 5-10 minutes before the shift (提前5-10分钟到岗): an arrival
# later than this many minutes before the start, and not late, shows as "not early".
ATTENDANCE_EARLY_ARRIVAL_MINUTES = env.int("ATTENDANCE_EARLY_ARRIVAL_MINUTES", default=5)
# The names printed on the monthly 考勤表 (compiled by / reviewed by / approved by); empty
# leaves a line to sign on.
ATTENDANCE_COMPILER = env("ATTENDANCE_COMPILER", default="")
ATTENDANCE_REVIEWER = env("ATTENDANCE_REVIEWER", default="")
ATTENDANCE_APPROVER = env("ATTENDANCE_APPROVER", default="")


# --- billing: counter payments ----------------------------------------------------------------
# The largest single payment the counter accepts (yuan); bigger sums are a typing error.
BILLING_PAYMENT_MAX = env.str("BILLING_PAYMENT_MAX", default="100000.00")
# More than this (yuan) going to an account's prepaid balance in one payment asks the cashier
# to confirm the amount with a second Enter.
BILLING_OVERPAY_CONFIRM = env.str("BILLING_OVERPAY_CONFIRM", default="500.00")
# The cashier is warned when fewer invoice numbers than this remain in the active range.
BILLING_INVOICE_LOW_STOCK = env.int("BILLING_INVOICE_LOW_STOCK", default=20)


# --- billing: the API for the billing system (billing/api/) --------------------------------------
# The most movements one page of GET /api/v1/movements/ returns (limit above it: 400).
API_MOVEMENTS_MAX_LIMIT = env.int("API_MOVEMENTS_MAX_LIMIT", default=1000)
# The office's home page warns when a client that reads movements has not read for this many
# hours during the working hours of a working day.
API_READ_WARNING_HOURS = env.float("API_READ_WARNING_HOURS", default=2)
# The largest request body the API reads (bytes): a channel payment is a few hundred.
API_BODY_MAX_BYTES = env.int("API_BODY_MAX_BYTES", default=64 * 1024)


# --- billing: cash ledgers ----------------------------------------------------------------------
# The opening float (备用金, change money) handed to a cashier each morning, in yuan; per hall
# by hall code ("longquan=800.00,quankou=500.00"), else the default. Fixed on each ledger when it
# opens (the cashier may change it there), so changing it later never alters a past day.
BILLING_LEDGER_FLOAT_DEFAULT = env.str("BILLING_LEDGER_FLOAT_DEFAULT", default="500.00")
BILLING_LEDGER_FLOAT_BY_HALL = env.dict("BILLING_LEDGER_FLOAT_BY_HALL", default={})
# A settlement total differing from the hall's takings by more than this (yuan) is flagged.
BILLING_SETTLEMENT_TOLERANCE = env.str("BILLING_SETTLEMENT_TOLERANCE", default="0.00")


# --- complaints -----------------------------------------------------------------------------------
# A follow-up call that cannot reach the customer is tried this many times before the ticket
# closes as "could not be reached".
COMPLAINTS_FOLLOW_UP_ATTEMPTS = env.int("COMPLAINTS_FOLLOW_UP_ATTEMPTS", default=3)
# The response clock counts as "due soon" this many minutes before it runs out.
COMPLAINTS_RESPONSE_DUE_SOON_MINUTES = env.int("COMPLAINTS_RESPONSE_DUE_SOON_MINUTES", default=60)


# --- safety ---------------------------------------------------------------------------------------
# Minutes between an incident and "leadership informed" above which the delay is flagged
# (应急预案: report to leadership first, "不得拖延报告时间").
SAFETY_LEADERSHIP_DELAY_MINUTES = env.int("SAFETY_LEADERSHIP_DELAY_MINUTES", default=15)
# "Every hall runs an alarm drill at the end of each month": the last N days of a month are the
# drill window; a hall without the month's drill is flagged on home pages during that window.
SAFETY_DRILL_WINDOW_DAYS = env.int("SAFETY_DRILL_WINDOW_DAYS", default=7)
# A drill held in the first N days of the following month still counts for the month, as
# "late"; after that the month is "missed" and no drill can be recorded for it any more.
SAFETY_DRILL_GRACE_DAYS = env.int("SAFETY_DRILL_GRACE_DAYS", default=3)
# Closing checks count as missing from this day (ISO date) on; unset, from the first check
# recorded in the center, so the days before the app was in use are not "missing".
SAFETY_CLOSING_CHECKS_SINCE = env.str("SAFETY_CLOSING_CHECKS_SINCE", default="") or None
