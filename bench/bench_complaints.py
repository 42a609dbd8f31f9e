"""Benchmark of the complaints app (PostgreSQL): `make bench BENCH_ARGS=complaints`.

Targets (issue #6): with 100,000 tickets over two years, the manager SLA view answers in under
300 ms with a fixed number of queries; 100,000 due-date computations take under 1 s.

Reads BENCH_DATABASE_URL (default postgres://counterops:counterops@localhost/
counterops_bench_complaints) and creates that database when it is missing. The tickets are
generated once and kept for the next run.
"""

import random
import statistics
import time
from datetime import timedelta

from bench.database import setup_django

DATABASE = "complaints"  # counterops_bench_complaints by default (bench/database.py)
TICKETS = 100_000
SLA_TARGET_MS = 300
DUE_TARGET_S = 1.0


def _people():
    from django.contrib.auth.models import Group

    from staff.core.roles import Role
    from staff.models import Department, Employee, Hall
    from tests.staff.factories import UserFactory

    halls = [
        Hall.objects.get_or_create(code=f"bench{h}", defaults={"name": f"压测营业厅{h}"})[0]
        for h in range(3)
    ]
    departments = [
        Department.objects.get_or_create(code=f"benchd{d}", defaults={"name": f"压测部门{d}"})[0]
        for d in range(5)
    ]
    owners = []
    for n in range(30):
        user = UserFactory(username=f"bench_cashier{n}")
        employee, _ = Employee.objects.get_or_create(
            user=user,
            defaults={
                "name": f"压测收费员{n}",
                "employee_no": f"BENCH{n:03d}",
                "hall": halls[n % 3],
            },
        )
        owners.append(employee)
    director = UserFactory(username="bench_director")
    director.groups.add(Group.objects.get(name=Role.DIRECTOR))
    Employee.objects.get_or_create(
        user=director, defaults={"name": "压测主任", "employee_no": "BENCHD"}
    )
    return owners, departments, director


def _generate(owners, departments):
    from django.utils import timezone

    from complaints.models import (
        Category,
        Channel,
        FirstContactTicket,
        FollowUpOutcome,
        TicketState,
    )
    from staff.core.calendar import WorkCalendar, response_due_at

    have = FirstContactTicket.objects.filter(number__startswith="B").count()
    if have >= TICKETS:
        return have
    FirstContactTicket.objects.filter(number__startswith="B").delete()
    rng = random.Random(6)
    calendar = WorkCalendar.load()
    now = timezone.now()
    start = now - timedelta(days=730)
    categories = list(Category.values)
    outcomes = list(FollowUpOutcome.values)
    batch = []
    for i in range(TICKETS):
        received = start + timedelta(seconds=rng.randrange(730 * 86400))
        owner = owners[rng.randrange(len(owners))]
        ticket = FirstContactTicket(
            number=f"B{i:07d}",
            received_at=received,
            channel=Channel.values[i % 4],
            category=categories[rng.randrange(len(categories))],
            hall_id=owner.hall_id,
            owner=owner,
            opened_by=owner,
            customer_name="压测用户",
            customer_phone="13900000000",
            content="压测内容",
            response_due_at=response_due_at(received),
            result_due_at=calendar.result_due_at(received),
        )
        age = now - received
        responded = received + timedelta(minutes=rng.choice([20, 60, 150, 230, 300]))
        if responded < now:
            ticket.responded_at = responded
            ticket.state = TicketState.FORWARDED
            ticket.forwarded_at = responded
            ticket.department = departments[rng.randrange(len(departments))]
            result = received + timedelta(hours=rng.choice([20, 50, 90, 150, 200]))
            if result < now and age > timedelta(days=3):
                ticket.result_at = result
                ticket.state = TicketState.RESULT_IN
                if age > timedelta(days=12):
                    ticket.replied_at = result + timedelta(hours=2)
                    ticket.follow_up_at = result + timedelta(days=1)
                    ticket.follow_up_attempts = 1
                    ticket.follow_up_outcome = outcomes[rng.randrange(len(outcomes))]
                    ticket.state = TicketState.CLOSED
                    ticket.closed_at = ticket.follow_up_at
        batch.append(ticket)
        if len(batch) == 5000:
            FirstContactTicket.objects.bulk_create(batch)
            batch = []
    FirstContactTicket.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_firstcontactticket")
    return TICKETS


def _time_due_dates():
    """(memoised per day, uncached, explained per 10k) seconds for 100k receipts."""
    from django.utils import timezone

    from staff.core.calendar import WorkCalendar

    rng = random.Random(7)
    now = timezone.now()
    zone = timezone.get_default_timezone()
    moments = [now - timedelta(seconds=rng.randrange(730 * 86400)) for _ in range(TICKETS)]
    calendar = WorkCalendar.load()
    began = time.perf_counter()
    for moment in moments:
        calendar.result_due_at(moment)
    memoised = time.perf_counter() - began
    began = time.perf_counter()
    for moment in moments:
        calendar.due_at_for_day(moment.astimezone(zone).date())
    uncached = time.perf_counter() - began
    began = time.perf_counter()
    for moment in moments[:10_000]:
        calendar.result_due(moment)
    explained_per_10k = time.perf_counter() - began
    return memoised, uncached, explained_per_10k


def _time_sla_view(director):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(director)
    url = "/complaints/sla/?dims=month&dims=department&dims=category&dims=owner"
    assert client.get(url).status_code == 200  # warm caches and the session
    timings, counts = [], set()
    for _ in range(7):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
        counts.add(len(queries))
    return statistics.median(timings), max(timings), counts


def main() -> int:
    setup_django(DATABASE)
    owners, departments, director = _people()
    began = time.perf_counter()
    count = _generate(owners, departments)
    print(f"tickets: {count} (ready in {time.perf_counter() - began:.1f} s)")
    memoised, uncached, explained_per_10k = _time_due_dates()
    print(
        f"due dates: {TICKETS} computations in {uncached:.3f} s without any cache, "
        f"{memoised:.3f} s through the per-day cache (target < {DUE_TARGET_S} s); "
        f"with the explanation: {explained_per_10k / 10:.4f} ms each"
    )
    median, worst, counts = _time_sla_view(director)
    print(
        f"SLA view (12 months, month × department × category × owner): median {median:.0f} ms, "
        f"worst {worst:.0f} ms (target < {SLA_TARGET_MS} ms); queries per request {sorted(counts)}"
    )
    failed = max(memoised, uncached) >= DUE_TARGET_S or median >= SLA_TARGET_MS or len(counts) != 1
    print("FAILED" if failed else "OK")
    return 1 if failed else 0
