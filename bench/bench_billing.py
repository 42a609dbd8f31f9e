"""Counter throughput: 20 simulated cashiers post payments through the real pages.

`make bench BENCH_ARGS=billing`. PostgreSQL (BENCH_DATABASE_URL, default
postgres://counterops:counterops@localhost/counterops_bench_billing, created when missing) with
200,000 accounts and 400,000 bills, the app behind gunicorn exactly as production runs it
(gunicorn.conf.py and config.settings.production, DEBUG refused, no TLS, no access log).
Each cashier logs in through the login page, then loops with no pause: look the account up on
the counter page (GET), post the payment with the page's CSRF and form tokens (POST). Then the
cashiers go on at half the rate just reached, each at a steady pace, and the lookups are timed
(the lookup target is for a loaded counter: with no pause every request mostly waits in the
queue). Then the same clients hammer a baseline view (defined here, mounted only in this
benchmark's URLconf) that inserts one bare row with the ORM behind the same middleware.

The cashiers are coroutines of one lean asyncio client (bench/loadclient.py) in this process;
the CPU it, gunicorn and the database's backends spend is measured and printed per payment,
with what the rest of the machine used meanwhile, because the 2 cores are shared.

Figures: payments/s, p50/p95/p99 of the posts, errors, account-lookup p95 with no pause, at
half that rate (the target) and for one cashier alone, the ratio to the baseline (and the
CPU-cost ratio, which does not depend on how much of the machine other work took during each
phase), and an integrity check of invoices and bills afterwards. With 20 cashiers and no
pause, a request's latency under load is mostly its wait in the queue: about 20 / (requests
per second).
Knobs: BENCH_SECONDS (60), BENCH_PACED_SECONDS (20), BENCH_PACED_RATE (payments/s in all;
half the measured rate), BENCH_BASELINE_SECONDS (20), BENCH_CASHIERS (20); gunicorn's shape
and the pool through their own variables (WEB_CONCURRENCY, GUNICORN_THREADS,
GUNICORN_WORKER_CLASS, DB_POOL_MIN_SIZE, DB_POOL_MAX_SIZE).
"""

import asyncio
import http.client
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

from django.urls import include, path

from bench.database import ensure_database
from bench.loadclient import (
    Browser,
    CpuMeter,
    HttpError,
    database_backends,
    describe_cpu,
    run_users,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://counterops:counterops@localhost/counterops_bench_billing"
ACCOUNTS = 200_000
BILLS_PER_ACCOUNT = 2
PASSWORD = "bench-Pass-word-2026"
INVOICE_CODE = "BENCH"
TARGETS = {"payments_per_s": 200, "p95_ms": 100, "ratio": 0.25, "lookup_p95_ms": 20}


# --- The server side: baseline view, URLconf and WSGI entry (imported by gunicorn) -----------


def bare_insert(request):
    """The baseline: the same session, auth and CSRF stack, then one bare ORM insert."""
    from django.http import HttpResponse, HttpResponseNotAllowed

    from billing.models import BillImport

    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    BillImport.objects.create(
        filename="bench-baseline",
        encoding="-",
        rows=0,
        accounts_created=0,
        accounts_updated=0,
        bills_created=0,
    )
    return HttpResponse("ok")


def __getattr__(name):
    """`urlpatterns`, built on first use: the project's URLs import models, so not at import."""
    if name == "urlpatterns":
        return [
            path("bench/bare/", bare_insert, name="bench_bare"),
            path("", include("config.urls")),
        ]
    raise AttributeError(name)


_wsgi = None


def application(environ, start_response):
    """gunicorn's entry: the project's app with this module as URLconf."""
    global _wsgi
    if _wsgi is None:
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        _wsgi = get_wsgi_application()
        settings.ROOT_URLCONF = __name__
    return _wsgi(environ, start_response)


# --- Environment and data ------------------------------------------------------------------------


def _environment(database_url, port):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(64)),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "BEHIND_TLS_PROXY": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "off",
        # gunicorn's shape and the pool are production's (gunicorn.conf.py, settings) unless
        # set in the environment (WEB_CONCURRENCY, GUNICORN_THREADS, DB_POOL_MAX_SIZE, ...).
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
    }


def _seed_accounts():
    from django.db import connection

    from billing.models import Account

    if Account.objects.filter(account_no__startswith="B").count() >= ACCOUNTS:
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO billing_account (account_no, name, address, phone, status, "
            "prepaid_balance) SELECT 'B' || lpad(g::text, 7, '0'), '用户' || g, "
            "'测试路' || g || '号', '139' || lpad(g::text, 8, '0'), 'active', 0 "
            "FROM generate_series(1, %s) g ON CONFLICT (account_no) DO NOTHING",
            [ACCOUNTS],
        )
        cursor.execute(
            "INSERT INTO billing_bill (account_id, period, volume_m3, amount_due, amount_paid, "
            "status) SELECT a.id, p.period, 10, 29.50, 0, 'unpaid' FROM billing_account a "
            "CROSS JOIN (VALUES ('2026-09'), ('2026-10')) p(period) "
            "WHERE a.account_no LIKE 'B%%' ON CONFLICT DO NOTHING"
        )
        cursor.execute("ANALYZE billing_account; ANALYZE billing_bill")
    print(
        f"seeded {ACCOUNTS} accounts, {ACCOUNTS * BILLS_PER_ACCOUNT} bills "
        f"in {time.monotonic() - started:.1f} s"
    )


def _prepare_cashiers(count):
    """`count` cashiers in two bench halls, each with a fresh range of 100,000 invoices."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Max

    from billing.models import InvoiceRange, InvoiceRangeStatus
    from billing.services import invoices as services
    from staff.core.roles import Role
    from staff.models import Employee, Hall

    User = get_user_model()
    halls = [
        Hall.objects.get_or_create(code=f"bench{i}", defaults={"name": f"压测厅{i}"})[0]
        for i in (1, 2)
    ]
    office, _ = User.objects.get_or_create(username="bench_office")
    office.groups.add(Group.objects.get(name=Role.OFFICE))
    Employee.objects.get_or_create(
        user=office, defaults={"name": "压测办公室", "employee_no": "BO"}
    )
    cashier_group = Group.objects.get(name=Role.CASHIER)
    users = []
    for n in range(1, count + 1):
        user, created = User.objects.get_or_create(username=f"bench_cashier_{n:02d}")
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(cashier_group)
            Employee.objects.create(
                user=user, name=f"压测收费员{n}", employee_no=f"BC{n:03d}", hall=halls[n % 2]
            )
        users.append(user)
    ranges = []
    for user in users:
        for active in InvoiceRange.objects.filter(cashier=user, status=InvoiceRangeStatus.ACTIVE):
            services.invoice_range_close(actor=office, invoice_range=active)
        top = InvoiceRange.objects.filter(invoice_code=INVOICE_CODE).aggregate(m=Max("last_no"))
        first = (top["m"] or 0) + 1
        ranges.append(
            services.invoice_range_issue(
                actor=office,
                cashier=user,
                invoice_code=INVOICE_CODE,
                first_no=first,
                last_no=first + 99_999,
            )
        )
    return users, ranges


# --- The client side ----------------------------------------------------------------------------


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(rb'name="form_token" value="([^"]+)"')
ACCOUNT = re.compile(rb'name="account" value="(\d+)"')
AMOUNT = re.compile(rb'name="amount" value="([^"]*)"')
LOOKED_UP = re.compile(rb'name="looked_up" value="([^"]*)"')


async def _login(browser, username):
    page = (await browser.request("GET", "/accounts/login/")).body
    response = await browser.request(
        "POST",
        "/accounts/login/",
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": CSRF.search(page)[1].decode(),
        },
    )
    if response.status != 302:
        raise RuntimeError(f"login of {username} failed: {response.status}")


async def _cashier_loop(browser, deadline, stats, rng, interval=0.0):
    """Payments one after the other; with `interval`, one every `interval` seconds at most
    (a cashier at a steady pace), starting at a random point of the first interval."""
    next_start = time.monotonic() + rng.uniform(0, interval)
    while time.monotonic() < deadline:
        if interval:
            await asyncio.sleep(max(0.0, next_start - time.monotonic()))
            next_start += interval
            if time.monotonic() >= deadline:
                break
        account_no = f"B{rng.randint(1, ACCOUNTS):07d}"
        started = time.monotonic()
        try:
            response = await browser.request("GET", f"/billing/counter/?q={account_no}")
            looked_up = time.monotonic()
            page = response.body
            if response.status != 200 or not TOKEN.search(page):
                stats["errors"].append(f"lookup {response.status}")
                continue
            amount = AMOUNT.search(page)[1].decode() or "50.00"
            fields = {
                "csrfmiddlewaretoken": CSRF.search(page)[1].decode(),
                "account": ACCOUNT.search(page)[1].decode(),
                "form_token": TOKEN.search(page)[1].decode(),
                # The signed lookup time: the post measures the one-minute promise, as a real one.
                "looked_up": LOOKED_UP.search(page)[1].decode(),
                "amount": amount,
                "method": "cash",
                "tendered": f"{int(Decimal(amount)) + 1}.00",
                "reference": "",
            }
            response = await browser.request("POST", "/billing/counter/", fields)
            posted = time.monotonic()
        except (OSError, HttpError, asyncio.IncompleteReadError) as error:
            stats["errors"].append(repr(error))
            continue
        stats["lookup"].append(looked_up - started)
        if response.status == 302 and "/billing/payments/" in response.location:
            stats["post"].append(posted - looked_up)
        else:
            stats["errors"].append(f"post {response.status}")


async def _sequential_lookups(browser, count):
    """Counter-page lookups by account number, one at a time: the server's own time."""
    rng, timings = random.Random(99), []
    for _ in range(count):
        started = time.monotonic()
        response = await browser.request(
            "GET", f"/billing/counter/?q=B{rng.randint(1, ACCOUNTS):07d}"
        )
        if response.status == 200:
            timings.append(time.monotonic() - started)
    return timings


async def _baseline_loop(browser, deadline, stats):
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            response = await browser.request("POST", "/bench/bare/", {})
        except (OSError, HttpError, asyncio.IncompleteReadError) as error:
            stats["errors"].append(repr(error))
            continue
        if response.status == 200:
            stats["post"].append(time.monotonic() - started)
        else:
            stats["errors"].append(f"bare {response.status}")


def _run(browsers, seconds, loop, extra, meter):
    """All users on one event loop for `seconds`; the stats, the wall time and the CPU used."""
    stats = {"post": [], "lookup": [], "errors": []}
    deadline = time.monotonic() + seconds
    meter.start()
    elapsed, _results = run_users(
        [loop(b, deadline, stats, *extra(i)) for i, b in enumerate(browsers)], browsers
    )
    return stats, elapsed, meter.stop()


def _pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _integrity(ranges, posted):
    from django.db import connection

    from billing.models import InvoiceRange, Payment
    from billing.selectors.invoices import invoice_range_summary

    anomalies, issued = [], 0
    for invoice_range in ranges:
        summary = invoice_range_summary(InvoiceRange.objects.get(pk=invoice_range.pk))
        anomalies += summary.anomalies
        issued += len(summary.issued) + len(summary.voided)
    payments = Payment.objects.filter(invoice__range__in=ranges).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM billing_bill b WHERE b.amount_paid <> COALESCE("
            "(SELECT sum(l.amount) FROM billing_paymentline l WHERE l.bill_id = b.id), 0)"
        )
        bad_bills = cursor.fetchone()[0]
    return {
        "invoice anomalies": len(anomalies),
        "numbers used": issued,
        "payments": payments,
        "posts answered": posted,
        "bills out of balance": bad_bills,
    }


def _server_shape(env):
    """gunicorn's workers and threads as gunicorn.conf.py reads them, and the pool's size."""
    import runpy
    from unittest import mock

    from django.conf import settings

    with mock.patch.dict(os.environ, env):
        conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool") or {}
    return (
        f"gunicorn {conf['workers']} {conf['worker_class']} workers x {conf['threads']} threads, "
        f"max_requests {conf['max_requests']}, access log {conf['accesslog'] or 'off'}; "
        f"pool {pool.get('min_size')}-{pool.get('max_size')} per worker"
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port, server):
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def main() -> int:
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    baseline_seconds = int(os.environ.get("BENCH_BASELINE_SECONDS", "20"))
    count = int(os.environ.get("BENCH_CASHIERS", "20"))
    paced_seconds = int(os.environ.get("BENCH_PACED_SECONDS", "20"))
    port = _free_port()
    env = _environment(database_url, port)
    ensure_database(database_url)
    os.environ.update({k: v for k, v in env.items() if k not in ("GUNICORN_BIND",)})
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        raise RuntimeError("the benchmark runs the production settings without DEBUG")
    call_command("migrate", verbosity=0)
    _seed_accounts()
    users, ranges = _prepare_cashiers(count)

    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv/bin/gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "bench.bench_billing:application",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        _wait_for(port, server)
        meter = CpuMeter(
            server.pid, database_backends(urllib.parse.urlparse(database_url).path.lstrip("/"))
        )
        browsers = [Browser(port) for _ in users]
        run_users([_login(b, u.username) for b, u in zip(browsers, users, strict=True)], browsers)
        _elapsed, (quiet,) = run_users([_sequential_lookups(browsers[0], 200)], browsers)
        print(f"{count} cashiers logged in ({_server_shape(env)}); posting for {seconds} s ...")
        stats, elapsed, cpu = _run(
            browsers, seconds, _cashier_loop, lambda i: (random.Random(i),), meter
        )
        # The lookup target is for a loaded counter, not a saturated one: with 20 cashiers
        # and no pause every request queues for about 20 / (requests per second). So the
        # cashiers now post at half the rate just measured, and the lookups are timed.
        paced_rate = (
            float(os.environ.get("BENCH_PACED_RATE", 0)) or len(stats["post"]) / 2 / elapsed
        )
        print(f"paced: {paced_rate:.0f} payments/s in all for {paced_seconds} s ...")
        paced, _paced_elapsed, _paced_cpu = _run(
            browsers,
            paced_seconds,
            _cashier_loop,
            lambda i: (random.Random(1000 + i), count / paced_rate),
            meter,
        )
        print(f"baseline for {baseline_seconds} s ...")
        base, base_elapsed, base_cpu = _run(
            browsers, baseline_seconds, _baseline_loop, lambda i: (), meter
        )
        connections = sum(b.connections for b in browsers)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from billing.models import BillImport

    BillImport.objects.filter(filename="bench-baseline").delete()
    rate = len(stats["post"]) / elapsed
    base_rate = len(base["post"]) / base_elapsed
    figures = {
        "payments_per_s": rate,
        "p95_ms": _pct(stats["post"], 0.95),
        "ratio": rate / base_rate if base_rate else 0,
        "lookup_p95_ms": _pct(paced["lookup"], 0.95),
    }
    check = _integrity(ranges, len(stats["post"]) + len(paced["post"]))
    print(
        f"payments: {len(stats['post'])} in {elapsed:.1f} s = {rate:.1f}/s; "
        f"post latency p50 {_pct(stats['post'], 0.5):.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
        f"p99 {_pct(stats['post'], 0.99):.1f} ms; errors {len(stats['errors'])}"
    )
    print(
        f"account lookup (counter page) with no pause: p50 {_pct(stats['lookup'], 0.5):.1f} ms, "
        f"p95 {_pct(stats['lookup'], 0.95):.1f} ms; at half that rate "
        f"({len(paced['post'])} payments, errors {len(paced['errors'])}): "
        f"p50 {_pct(paced['lookup'], 0.5):.1f} ms, p95 {figures['lookup_p95_ms']:.1f} ms; "
        f"one cashier alone: p50 {_pct(quiet, 0.5):.1f} ms, p95 {_pct(quiet, 0.95):.1f} ms"
    )
    print(
        f"baseline (bare ORM insert): {base_rate:.1f} req/s, p95 {_pct(base['post'], 0.95):.1f} "
        f"ms, errors {len(base['errors'])}; ratio {figures['ratio']:.2f}"
    )
    print("integrity: " + ", ".join(f"{k} {v}" for k, v in check.items()))
    print(describe_cpu(cpu, len(stats["post"]), "payment"))
    print(describe_cpu(base_cpu, len(base["post"]), "baseline request"))
    spent = (cpu["client"] + cpu["server"] + cpu["database"]) / max(len(stats["post"]), 1)
    base_spent = (base_cpu["client"] + base_cpu["server"] + base_cpu["database"]) / max(
        len(base["post"]), 1
    )
    print(
        f"cost ratio (CPU of a baseline request / CPU of a payment, client + gunicorn + "
        f"PostgreSQL): {base_spent / spent:.2f}, the throughput ratio both phases would show "
        f"with the same share of the machine; TCP connections opened by the client: "
        f"{connections}"
    )
    errors = stats["errors"] + paced["errors"]
    if errors:
        print("first errors:", errors[:5])
    missed = [
        name
        for name, target in TARGETS.items()
        if (
            figures[name] < target
            if name in ("payments_per_s", "ratio")
            else figures[name] > target
        )
    ]
    ok_integrity = (
        check["invoice anomalies"] == 0
        and check["bills out of balance"] == 0
        and check["payments"] == check["numbers used"] == check["posts answered"]
    )
    if errors or missed or not ok_integrity:
        print(
            f"targets missed: {missed or ''} {'' if ok_integrity else 'integrity'} "
            f"{'errors' if errors else ''}"
        )
        return 1
    print("all targets met")
    return 0
