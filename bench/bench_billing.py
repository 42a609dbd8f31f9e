"""The counter under a real hall's load, then at saturation: simulated cashiers post payments.

`make bench BENCH_ARGS=billing`. PostgreSQL (the database of bench/database.py, name
`billing`, created when missing) with 200,000 accounts and 400,000 bills, the app behind
gunicorn exactly as production runs it (gunicorn.conf.py and config.settings.production, DEBUG
refused, no TLS, no access log). Each cashier logs in through the login page; a payment is a
lookup of the account on the counter page (GET) and the post of the payment form with the
page's CSRF and form tokens (POST, answered by a redirect to the receipt).

Phases, in this order (the targeted one first, on a server no other phase has loaded yet):
1. one cashier alone: 200 lookups one after the other (the server's own time; warms it up);
2. peak hall day: 40 cashiers, each looking up and posting one payment every 20 s (2 payments/s
   in all, three times a real peak: a center of 40 counters at one payment a minute is under one
   a second), with the time a cashier takes to count the cash between the two. Targets: post
   p95 < 100 ms, lookup p95 < 50 ms, no error. PASS/FAIL each;
3. saturation: 20 cashiers with no pause. Payments/s, latencies, and the CPU per payment of the
   client, gunicorn and PostgreSQL. The aim is >= 100 payments/s on the 2-core machine: reported,
   not failed (on a shared machine the rate follows what else runs; the CPU per payment does not);
4. baseline: the same 20 clients post to a view (defined here, mounted only in this benchmark's
   URLconf) that inserts one bare row with the ORM behind the same middleware. The ratio of the
   payment rate to this rate, and of their CPU costs (which does not depend on how much of the
   machine other work took during each phase);
then an integrity check of the invoices and bills (a failure).

The cashiers are coroutines of one lean asyncio client (bench/loadclient.py) in this process;
the CPU it, gunicorn and the database's backends spend is measured and printed, with what the
rest of the machine used meanwhile and the load average, because the 2 cores are shared.

Knobs: BENCH_PEAK_SECONDS (120), BENCH_PEAK_CASHIERS (40), BENCH_PEAK_INTERVAL (20 s per
cashier and payment), BENCH_SECONDS (60, saturation), BENCH_CASHIERS (20, saturation),
BENCH_BASELINE_SECONDS (20); gunicorn's shape and the pool through their own variables
(WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_WORKER_CLASS, DB_POOL_MIN_SIZE, DB_POOL_MAX_SIZE).
"""

import asyncio
import html
import os
import random
import re
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

from django.urls import include, path

from bench.database import database_url, ensure_database
from bench.loadclient import (
    Browser,
    CpuMeter,
    HttpError,
    database_backends,
    describe_cpu,
    load_average,
    run_users,
)
from bench.servers import (
    RESULTS,
    collect_static,
    free_port,
    gunicorn_command,
    production_environment,
    start,
    stop,
    wait_for,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = "billing"  # counterops_bench_billing by default (bench/database.py)
ACCOUNTS = 200_000
PERIODS = ("2026-09", "2026-10")
PASSWORD = "bench-Pass-word-2026"
INVOICE_CODE = "BENCH"
INVOICES_PER_RANGE = 10_000
# The peak hall day's targets (failures), and the saturation aim (reported only).
PEAK_POST_P95_MS = 100
PEAK_LOOKUP_P95_MS = 50
SATURATION_AIM = 100


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


def analyze():
    """Fresh planner statistics after a bulk load (PostgreSQL only; the ORM cannot say it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed_accounts(count=ACCOUNTS, batch=5_000):
    """`count` accounts B0000001... with two unpaid bills each, once (with the ORM)."""
    from django.db import transaction

    from billing.models import Account, Bill

    have = Account.objects.filter(account_no__startswith="B").count()
    if have >= count:
        return
    started = time.monotonic()
    for first in range(1, count + 1, batch):
        numbers = [f"B{n:07d}" for n in range(first, min(first + batch, count + 1))]
        with transaction.atomic():
            Account.objects.bulk_create(
                [
                    Account(
                        account_no=number,
                        name=f"用户{int(number[1:])}",
                        address=f"测试路{int(number[1:])}号",
                        phone=f"139{int(number[1:]):08d}",
                    )
                    for number in numbers
                ],
                ignore_conflicts=True,
            )
            ids = Account.objects.filter(account_no__in=numbers).values_list("pk", flat=True)
            Bill.objects.bulk_create(
                [
                    Bill(
                        account_id=pk,
                        period=period,
                        volume_m3=Decimal("10"),
                        amount_due=Decimal("29.50"),
                    )
                    for pk in ids
                    for period in PERIODS
                ],
                ignore_conflicts=True,
            )
    analyze()
    print(
        f"seeded {count} accounts, {count * len(PERIODS)} bills "
        f"in {time.monotonic() - started:.1f} s"
    )


def prepare_cashiers(count, first=1):
    """Cashiers bench_cashier_<first>... in two bench halls, each with a fresh invoice range."""
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
    for n in range(first, first + count):
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
        first_no = (top["m"] or 0) + 1
        ranges.append(
            services.invoice_range_issue(
                actor=office,
                cashier=user,
                invoice_code=INVOICE_CODE,
                first_no=first_no,
                last_no=first_no + INVOICES_PER_RANGE - 1,
            )
        )
    return users, ranges


# --- The client side ----------------------------------------------------------------------------


INPUT = re.compile(rb"<input\b[^>]*>")
ATTRIBUTE = re.compile(rb'([\w-]+)="([^"]*)"')


def form_fields(page: bytes) -> dict[str, str]:
    """name -> value of the page's <input> elements, whatever the attributes' order (the
    counter's fields may be rendered by hand or by Django's widgets)."""
    fields = {}
    for tag in INPUT.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if b"name" in attributes:
            fields[attributes[b"name"].decode()] = html.unescape(
                attributes.get(b"value", b"").decode()
            )
    return fields


async def _login(browser, username):
    page = (await browser.request("GET", "/accounts/login/")).body
    response = await browser.request(
        "POST",
        "/accounts/login/",
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": form_fields(page)["csrfmiddlewaretoken"],
        },
    )
    if response.status != 302:
        raise RuntimeError(f"login of {username} failed: {response.status}")


def _account(rng):
    return f"B{rng.randint(1, ACCOUNTS):07d}"


async def _lookup(browser, account_no, stats):
    """GET the counter page for the account: its form fields, or None (an error counted)."""
    started = time.monotonic()
    response = await browser.request("GET", f"/billing/counter/?q={account_no}")
    elapsed = time.monotonic() - started
    fields = form_fields(response.body) if response.status == 200 else {}
    if "form_token" not in fields:
        stats["errors"].append(f"lookup {response.status}")
        return None
    stats["lookup"].append(elapsed)
    return fields


async def _post(browser, fields, stats):
    amount = fields.get("amount") or "50.00"
    started = time.monotonic()
    response = await browser.request(
        "POST",
        "/billing/counter/",
        {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "account": fields["account"],
            "form_token": fields["form_token"],
            # The signed lookup time: the post measures the one-minute promise, as a real one.
            "looked_up": fields.get("looked_up", ""),
            "amount": amount,
            "method": "cash",
            "tendered": f"{int(Decimal(amount)) + 1}.00",
            "reference": "",
        },
    )
    elapsed = time.monotonic() - started
    if response.status == 302 and "/billing/payments/" in response.location:
        stats["post"].append(elapsed)
    else:
        stats["errors"].append(f"post {response.status}")


async def _cashier_flat_out(browser, deadline, stats, rng):
    """Saturation: payments one after the other, no pause."""
    while time.monotonic() < deadline:
        try:
            fields = await _lookup(browser, _account(rng), stats)
            if fields is not None:
                await _post(browser, fields, stats)
        except (OSError, HttpError, asyncio.IncompleteReadError) as error:
            stats["errors"].append(repr(error))


async def _cashier_at_peak(browser, deadline, stats, rng, interval):
    """Peak hall day: one payment every `interval` seconds on average (each cycle 0.75 to 1.25
    of it, so that 40 cashiers do not fall into step), starting at a random point of the first
    one; between lookup and post the cashier counts the cash (2 to 8 s)."""
    cycle_start = time.monotonic() + rng.uniform(0, interval)
    while True:
        await asyncio.sleep(max(0.0, min(cycle_start, deadline) - time.monotonic()))
        if time.monotonic() >= deadline:
            return
        cycle_start += interval * rng.uniform(0.75, 1.25)
        try:
            fields = await _lookup(browser, _account(rng), stats)
            if fields is not None:
                await asyncio.sleep(rng.uniform(2, 8))
                await _post(browser, fields, stats)
        except (OSError, HttpError, asyncio.IncompleteReadError) as error:
            stats["errors"].append(repr(error))


async def _sequential_lookups(browser, count):
    """Counter-page lookups by account number, one at a time: the server's own time."""
    rng = random.Random(99)
    stats = {"lookup": [], "errors": []}
    for _ in range(count):
        await _lookup(browser, _account(rng), stats)
    return stats


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
    """All users on one event loop for `seconds`; the stats, the wall time and the CPU used.

    The wall time ends when the last user has finished its payment in progress."""
    stats = {"post": [], "lookup": [], "errors": []}
    deadline = time.monotonic() + seconds
    meter.start()
    elapsed, _results = run_users(
        [loop(b, deadline, stats, *extra(i)) for i, b in enumerate(browsers)], browsers
    )
    used = meter.stop()
    stats["load"] = f"{meter.load_before} at the start, {meter.load_after} at the end"
    return stats, elapsed, used


def pct(values, q):
    """The `q` quantile of `values` (seconds) in milliseconds (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _integrity(ranges, posted):
    from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from billing.models import Bill, InvoiceRange, Payment, PaymentLine
    from billing.selectors.invoices import invoice_range_summary

    anomalies, issued = [], 0
    for invoice_range in ranges:
        summary = invoice_range_summary(InvoiceRange.objects.get(pk=invoice_range.pk))
        anomalies += summary.anomalies
        issued += len(summary.issued) + len(summary.voided)
    payments = Payment.objects.filter(invoice__range__in=ranges).count()
    # Every bill's paid amount is the sum of its payment lines.
    lines = (
        PaymentLine.objects.filter(bill=OuterRef("pk"))
        .order_by()
        .values("bill")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    bad_bills = (
        Bill.objects.annotate(
            from_lines=Coalesce(Subquery(lines, output_field=money), Value(Decimal("0")))
        )
        .exclude(amount_paid=F("from_lines"))
        .count()
    )
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


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    url = database_url(DATABASE)
    peak_seconds = int(os.environ.get("BENCH_PEAK_SECONDS", "120"))
    peak_count = int(os.environ.get("BENCH_PEAK_CASHIERS", "40"))
    peak_interval = float(os.environ.get("BENCH_PEAK_INTERVAL", "20"))
    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    count = int(os.environ.get("BENCH_CASHIERS", "20"))
    baseline_seconds = int(os.environ.get("BENCH_BASELINE_SECONDS", "20"))
    port = free_port()
    env = production_environment(url, port, static_root=RESULTS / "static")
    ensure_database(url)
    os.environ.update({k: v for k, v in env.items() if k not in ("GUNICORN_BIND",)})
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        raise RuntimeError("the benchmark runs the production settings without DEBUG")
    call_command("migrate", verbosity=0)
    seed_accounts()
    users, ranges = prepare_cashiers(max(peak_count, count))

    collect_static(env)
    server = start(gunicorn_command("bench.bench_billing:application"), env)
    try:
        wait_for(port, server)
        meter = CpuMeter(server.pid, database_backends(urllib.parse.urlparse(url).path[1:]))
        browsers = [Browser(port) for _ in users]
        run_users([_login(b, u.username) for b, u in zip(browsers, users, strict=True)], browsers)
        print(f"{len(users)} cashiers logged in ({_server_shape(env)})", flush=True)

        _elapsed, (quiet,) = run_users([_sequential_lookups(browsers[0], 200)], browsers)
        quiet_load = load_average()

        print(
            f"peak hall day: {peak_count} cashiers, one payment every {peak_interval:.0f} s each, "
            f"for {peak_seconds} s ...",
            flush=True,
        )
        peak, peak_elapsed, peak_cpu = _run(
            browsers[:peak_count],
            peak_seconds,
            _cashier_at_peak,
            lambda i: (random.Random(1000 + i), peak_interval),
            meter,
        )
        print(f"saturation: {count} cashiers with no pause for {seconds} s ...", flush=True)
        stats, elapsed, cpu = _run(
            browsers[:count], seconds, _cashier_flat_out, lambda i: (random.Random(i),), meter
        )
        print(f"baseline for {baseline_seconds} s ...", flush=True)
        base, base_elapsed, base_cpu = _run(
            browsers[:count], baseline_seconds, _baseline_loop, lambda i: (), meter
        )
        connections = sum(b.connections for b in browsers)
    finally:
        stop(server)

    from billing.models import BillImport

    BillImport.objects.filter(filename="bench-baseline").delete()
    check = _integrity(ranges, len(peak["post"]) + len(stats["post"]))

    print(
        f"one cashier alone: lookup p50 {pct(quiet['lookup'], 0.5):.1f} ms, "
        f"p95 {pct(quiet['lookup'], 0.95):.1f} ms, errors {len(quiet['errors'])} "
        f"(load average {quiet_load})"
    )

    peak_rate = len(peak["post"]) / peak_elapsed
    post_p95, lookup_p95 = pct(peak["post"], 0.95), pct(peak["lookup"], 0.95)
    peak_ok = {
        "post": post_p95 < PEAK_POST_P95_MS,
        "lookup": lookup_p95 < PEAK_LOOKUP_P95_MS,
        "errors": not peak["errors"],
    }
    print(f"--- peak hall day: {peak_count} cashiers, one payment every {peak_interval:.0f} s each")
    print(
        f"  {len(peak['post'])} payments in {peak_elapsed:.1f} s = {peak_rate:.2f}/s; "
        f"post p50 {pct(peak['post'], 0.5):.1f} ms, "
        f"p95 {post_p95:.1f} ms, p99 {pct(peak['post'], 0.99):.1f} ms, "
        f"max {pct(peak['post'], 1):.1f} ms"
    )
    print(
        f"  lookup p50 {pct(peak['lookup'], 0.5):.1f} ms, p95 {lookup_p95:.1f} ms, "
        f"p99 {pct(peak['lookup'], 0.99):.1f} ms, max {pct(peak['lookup'], 1):.1f} ms"
    )
    print("  " + describe_cpu(peak_cpu, len(peak["post"]), "payment", peak["load"]))
    print(f"  {verdict(peak_ok['post'])} post p95 {post_p95:.1f} ms < {PEAK_POST_P95_MS} ms")
    print(
        f"  {verdict(peak_ok['lookup'])} lookup p95 {lookup_p95:.1f} ms < {PEAK_LOOKUP_P95_MS} ms"
    )
    print(f"  {verdict(peak_ok['errors'])} errors {len(peak['errors'])} (target 0)")

    rate = len(stats["post"]) / elapsed
    base_rate = len(base["post"]) / base_elapsed
    print(f"--- saturation: {count} cashiers with no pause")
    print(
        f"  payments: {len(stats['post'])} in {elapsed:.1f} s = {rate:.1f}/s; "
        f"post p50 {pct(stats['post'], 0.5):.1f} ms, p95 {pct(stats['post'], 0.95):.1f} ms, "
        f"p99 {pct(stats['post'], 0.99):.1f} ms; lookup p50 {pct(stats['lookup'], 0.5):.1f} ms, "
        f"p95 {pct(stats['lookup'], 0.95):.1f} ms; errors {len(stats['errors'])}"
    )
    print("  " + describe_cpu(cpu, len(stats["post"]), "payment", stats["load"]))
    print(
        f"  baseline (bare ORM insert): {base_rate:.1f} req/s, p95 {pct(base['post'], 0.95):.1f} "
        f"ms, errors {len(base['errors'])}; throughput ratio {rate / base_rate:.2f}"
        if base_rate
        else "  baseline: no request answered"
    )
    print("  " + describe_cpu(base_cpu, len(base["post"]), "baseline request", base["load"]))
    spent = (cpu["client"] + cpu["server"] + cpu["database"]) / max(len(stats["post"]), 1)
    base_spent = (base_cpu["client"] + base_cpu["server"] + base_cpu["database"]) / max(
        len(base["post"]), 1
    )
    print(
        f"  cost ratio (CPU of a baseline request / CPU of a payment, client + gunicorn + "
        f"PostgreSQL): {base_spent / spent:.2f}, the throughput ratio both phases would show "
        f"with the same share of the machine"
    )
    print(
        f"  aim >= {SATURATION_AIM} payments/s: "
        f"{'reached' if rate >= SATURATION_AIM else 'not reached'} "
        f"({rate:.1f}/s; reported, not a failure); TCP connections opened by the "
        f"client in all: {connections}"
    )
    print("--- integrity: " + ", ".join(f"{k} {v}" for k, v in check.items()))
    errors = peak["errors"] + stats["errors"] + base["errors"]
    if errors:
        print("first errors:", errors[:5])
    ok_integrity = (
        check["invoice anomalies"] == 0
        and check["bills out of balance"] == 0
        and check["payments"] == check["numbers used"] == check["posts answered"]
    )
    print(f"  {verdict(ok_integrity)} integrity")
    others = stats["errors"] + base["errors"]
    print(f"  {verdict(not others)} errors at saturation and baseline {len(others)} (target 0)")
    if all(peak_ok.values()) and ok_integrity and not others:
        print("all targets met")
        return 0
    print("targets missed")
    return 1
