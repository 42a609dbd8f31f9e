"""Staff benchmarks on PostgreSQL: the all-halls monthly attendance XLSX for 300 employees × 31
days (target < 2 s and < 200 MB peak), and a hall's month roster grid (target < 150 ms, with
the same number of queries as a small hall).

    make bench BENCH_ARGS=staff

Reads BENCH_DATABASE_URL (default postgres://counterops:counterops@localhost/counterops_bench_staff)
and creates that database when it is missing. The data is seeded once and reused.
"""

import time
import tracemalloc
from datetime import date, datetime, timedelta

from bench.database import setup_django

DATABASE = "staff"  # counterops_bench_staff by default (bench/database.py)
MONTH = date(2026, 1, 1)  # 31 days, in the past: every day's status is fully derived
HALLS, PER_HALL = 10, 30
EXPORT_SECONDS, EXPORT_MB, GRID_MS = 2.0, 200, 150


def _seed():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from staff.models import (
        AttendanceRecord,
        Employee,
        Hall,
        MinimumStaffing,
        RosterEntry,
        ShiftType,
    )

    if Employee.objects.filter(employee_no__startswith="BENCH").count() >= HALLS * PER_HALL:
        return
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    for h in range(HALLS):
        hall, _ = Hall.objects.get_or_create(code=f"bench{h}", defaults={"name": f"测试厅{h}"})
        full, _ = ShiftType.objects.get_or_create(
            hall=hall,
            code="全",
            defaults={
                "name": "全天",
                "start": datetime.min.time().replace(hour=8),
                "end": datetime.min.time().replace(hour=17, minute=30),
            },
        )
        MinimumStaffing.objects.get_or_create(
            shift_type=full, role="cashier", defaults={"count": 20}
        )
        MinimumStaffing.objects.get_or_create(
            shift_type=full, role="shift_lead", defaults={"count": 1}
        )
        entries, records = [], []
        for n in range(PER_HALL):
            username = f"bench_{h}_{n}"
            user, _ = User.objects.get_or_create(username=username)
            role = "shift_lead" if n == 0 else "cashier"
            user.groups.set([groups[role]])
            employee, _ = Employee.objects.get_or_create(
                user=user,
                defaults={
                    "name": f"员工{h}-{n}",
                    "employee_no": f"BENCH{h:02d}{n:03d}",
                    "hall": hall,
                },
            )
            for d in range(31):
                day = MONTH + timedelta(days=d)
                if (d + n) % 7 == 0:
                    entries.append(RosterEntry(hall=hall, employee=employee, date=day, kind="rest"))
                    continue
                if (d + n) % 29 == 3:
                    entries.append(
                        RosterEntry(
                            hall=hall,
                            employee=employee,
                            date=day,
                            kind="leave",
                            leave_type="annual",
                        )
                    )
                    continue
                entries.append(
                    RosterEntry(
                        hall=hall, employee=employee, date=day, kind="shift", shift_type=full
                    )
                )
                if (d * n) % 37 == 5:
                    continue  # absent
                late = (d + 2 * n) % 13 == 0
                clock_in = timezone.make_aware(
                    datetime.combine(
                        day, datetime.min.time().replace(hour=8, minute=17 if late else 0)
                    )
                    - timedelta(minutes=0 if late else 10)
                )
                records.append(
                    AttendanceRecord(
                        employee=employee,
                        hall=hall,
                        date=day,
                        clock_in=clock_in,
                        clock_out=clock_in.replace(hour=17, minute=35),
                        clock_in_address="10.0.0.1",
                    )
                )
        RosterEntry.objects.bulk_create(entries, ignore_conflicts=True)
        AttendanceRecord.objects.bulk_create(records, ignore_conflicts=True)
    User.objects.get_or_create(username="bench_office")[0].groups.set([groups["office"]])


def _client(username):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def main() -> int:
    setup_django(DATABASE)
    _seed()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from staff.models import Hall

    failures = 0
    office = _client("bench_office")
    url = f"{reverse('staff:attendance_export', kwargs={'fmt': 'xlsx'})}?month=2026-01&hall=all"
    office.get(url)  # warm up
    started = time.perf_counter()
    response = office.get(url)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    office.get(url)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    import resource

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = response.status_code == 200 and seconds < EXPORT_SECONDS and peak_mb < EXPORT_MB
    failures += not ok
    print(
        f"attendance XLSX, all halls, {HALLS * PER_HALL} people x 31 days: {seconds:.2f} s "
        f"(target < {EXPORT_SECONDS} s), Python peak {peak_mb:.0f} MB, process max RSS "
        f"{rss_mb:.0f} MB (target < {EXPORT_MB} MB), {len(response.content) // 1024} KiB "
        f"{'ok' if ok else 'MISSED'}"
    )

    page_url = f"{reverse('staff:attendance_month')}?month=2026-01&hall=all"
    started = time.perf_counter()
    response = office.get(page_url)
    print(
        f"attendance month page, all halls (for information): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms, status {response.status_code}"
    )

    hall = Hall.objects.get(code="bench0")
    lead = _client("bench_0_0")
    grid_url = f"{reverse('staff:roster')}?hall={hall.pk}&span=month&start=2026-01-01"
    small_url = f"{reverse('staff:roster')}?hall={hall.pk}&span=week&start=2026-01-05"
    lead.get(grid_url)
    with CaptureQueriesContext(connection) as small:
        lead.get(small_url)
    timings = []
    for _ in range(11):
        with CaptureQueriesContext(connection) as big:
            started = time.perf_counter()
            response = lead.get(grid_url)
            timings.append((time.perf_counter() - started) * 1000)
    best, median = min(timings), sorted(timings)[len(timings) // 2]
    ok = (
        response.status_code == 200
        and median < GRID_MS
        and len(big.captured_queries) == len(small.captured_queries)
    )
    failures += not ok
    print(
        f"roster grid, hall month ({PER_HALL} people x 31 days): median {median:.0f} ms, best "
        f"{best:.0f} ms (target < {GRID_MS} ms), {len(big.captured_queries)} queries "
        f"(a week: {len(small.captured_queries)}) {'ok' if ok else 'MISSED'}"
    )
    return failures
