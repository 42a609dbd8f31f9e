"""Safety pages on PostgreSQL with years of data: `make bench BENCH_ARGS=safety`.

Ten halls, five years of alarm drills and closing checks, 3,000 incidents with their steps.
Each page is requested by the director (who sees everything) through Django's test client;
the figures are the median of several requests and the number of queries. Targets: every
page under 500 ms and under 25 queries — the lists must not grow with the data.
"""

import statistics
import time
from datetime import date, timedelta

from bench.database import setup_django

DATABASE = "safety"  # counterops_bench_safety by default (bench/database.py)
TARGET_MS = 500
TARGET_QUERIES = 25
HALLS = 10
YEARS = 5
INCIDENTS = 3000
RUNS = 5


def _seed() -> None:
    import io

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from safety import demo as safety_demo
    from safety.models import AlarmDrill, ClosingCheck, Incident, IncidentStep, checklist_for
    from staff.demo import core as staff_demo
    from staff.models import Employee, Hall

    if Incident.objects.count() >= INCIDENTS:
        return
    with transaction.atomic():
        staff_demo.seed(password="bench-Pass-123", stdout=io.StringIO())
        safety_demo.seed(stdout=io.StringIO())
        director = get_user_model().objects.get(username="director")
        for index in range(HALLS - Hall.objects.count()):
            Hall.objects.get_or_create(
                code=f"bench{index}", defaults={"name": f"测试厅{index}", "sort_order": 10 + index}
            )
        halls = list(Hall.objects.all())
        runner = Employee.objects.get(user=director)
        today = timezone.localdate()
        first_year = today.year - YEARS + 1
        existing = set(AlarmDrill.objects.values_list("hall_id", "year", "month"))
        AlarmDrill.objects.bulk_create(
            AlarmDrill(
                hall=hall,
                year=year,
                month=month,
                held_at=timezone.make_aware(timezone.datetime(year, month, 25, 16)),
                run_by=runner,
                alarm_worked=True,
                response_seconds=40,
                recorded_by=director,
            )
            for hall in halls
            for year in range(first_year, today.year + 1)
            for month in range(1, 13)
            if date(year, month, 25) < today and (hall.pk, year, month) not in existing
        )
        checked = set(ClosingCheck.objects.values_list("hall_id", "date"))
        days = (today - date(first_year, 1, 1)).days
        ClosingCheck.objects.bulk_create(
            ClosingCheck(
                hall=hall,
                date=day,
                computers_off=True,
                air_conditioning_off=True,
                power_off=True,
                doors_windows_shut=True,
                cash_in_safe=True,
                checked_by=runner,
            )
            for hall in halls
            for day in (date(first_year, 1, 1) + timedelta(days=n) for n in range(days))
            if (hall.pk, day) not in checked and day.day % 9
        )
        kinds = ["major_dispute", "violent_robbery", "personal_injury", "fire", "other"]
        now = timezone.now()
        incidents = Incident.objects.bulk_create(
            Incident(
                hall=halls[n % len(halls)],
                kind=kinds[n % 5],
                occurred_at=now - timedelta(hours=13 * n + 1),
                reported_by=director,
                description=f"压测事件 {n}",
                # One in fifty still open: pessimistic for a center with a few incidents a year.
                status="closed" if n % 50 else "handling",
                follow_up_summary="已处理" if n % 50 else "",
            )
            for n in range(INCIDENTS)
        )
        IncidentStep.objects.bulk_create(
            IncidentStep(
                incident=incident,
                step=step,
                done_at=incident.occurred_at + timedelta(minutes=5 + 3 * position),
                ticked_by=director,
            )
            for incident in incidents
            for position, step in enumerate(checklist_for(incident.kind))
        )


def main() -> int:
    setup_django(DATABASE)
    _seed()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="director"))
    pages = [
        "/",
        "/safety/contacts/",
        "/safety/incidents/",
        "/safety/drills/",
        "/safety/closing/",
        "/safety/overview/",
        "/safety/overview/export.xlsx",
    ]
    failures = 0
    for url in pages:
        client.get(url)  # warm caches and the connection
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(timings)
        ok = median < TARGET_MS and len(queries) < TARGET_QUERIES
        failures += not ok
        print(
            f"{url:<32} median {median:7.1f} ms  {len(queries):3d} queries  "
            f"{'ok' if ok else 'MISSED'}"
        )
    return 1 if failures else 0
