"""Demo safety data: the numbers, the group, a year of drills (one month missed, one late),
incidents in different states and the last days' closing checks. Idempotent (natural keys)."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from staff.models import Employee, Hall

from .contacts_data import seed_contacts
from .models import (
    AlarmDrill,
    ClosingCheck,
    CorrectiveAction,
    EmergencyContact,
    Incident,
    IncidentPerson,
    IncidentStep,
    SafetyGroupMember,
    checklist_for,
    month_last_day,
    previous_month,
)

HALL_NAMES = {"longquan": "龙泉", "quankou": "泉口", "duodao": "掇刀"}
# The month (counted back from the current one) that duodao skipped, and the one quankou was late.
MISSED_MONTHS_AGO = 5
LATE_MONTHS_AGO = 3
SUMMARY = "经解释沟通,用户认可计费结果;已张贴计费说明。"


def _at(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, minute))


def seed(*, stdout):
    seed_contacts(EmergencyContact, Hall)
    users = {u.username: u for u in get_user_model().objects.filter(employee__isnull=False)}
    employees = {e.user.username: e for e in Employee.objects.select_related("user")}
    halls = {h.code: h for h in Hall.objects.filter(code__in=HALL_NAMES)}
    _seed_group(employees, halls)
    drills = _seed_drills(employees, users, halls)
    incidents = _seed_incidents(employees, users, halls)
    checks = _seed_closing_checks(employees, halls)
    stdout.write(
        f"  safety: {EmergencyContact.objects.count()} contacts, "
        f"{SafetyGroupMember.objects.count()} group members, {drills} drills, "
        f"{incidents} incidents, {checks} closing checks"
    )


def _seed_group(employees, halls):
    group = [
        ("director", "leader", "负责安全工作的指导、督查", 0),
        ("office", "deputy", "负责日常安全工作的落实、检查和奖惩;办公室防火、防盗和用电安全", 1),
    ]
    for order, code in enumerate(halls, start=2):
        name = HALL_NAMES[code]
        group.append(
            (f"lead_{code}", "member", f"{name}大厅安全员,负责{name}大厅的日常安全", order)
        )
    for username, position, duties, order in group:
        if username in employees:
            SafetyGroupMember.objects.update_or_create(
                employee=employees[username],
                defaults={"position": position, "duties": duties, "sort_order": order},
            )


def _seed_drills(employees, users, halls) -> int:
    today = timezone.localdate()
    year, month = today.year, today.month
    count = 0
    for months_ago in range(1, 13):
        year, month = previous_month(year, month)
        last = month_last_day(year, month)
        for code, hall in halls.items():
            if code == "duodao" and months_ago == MISSED_MONTHS_AGO:
                continue
            held_on = last - timedelta(days=2)
            if code == "quankou" and months_ago == LATE_MONTHS_AGO:
                held_on = last + timedelta(days=2)
            lead = employees.get(f"lead_{code}")
            if lead is None:
                continue
            problems = "3号窗口脚踏报警器反应迟缓" if months_ago == 2 and code == "longquan" else ""
            _drill, created = AlarmDrill.objects.get_or_create(
                hall=hall,
                year=year,
                month=month,
                defaults={
                    "held_at": _at(held_on, 16, 30),
                    "run_by": lead,
                    "alarm_worked": not problems,
                    "response_seconds": 35 + months_ago,
                    "problems": problems,
                    "recorded_by": users[f"lead_{code}"],
                },
            )
            count += created
    return AlarmDrill.objects.count()


def _seed_incidents(employees, users, halls) -> int:
    if not {"longquan", "quankou", "duodao"} <= set(halls):
        return Incident.objects.count()
    now = timezone.now()
    specs = [
        # hall, kind, hours ago, reporter, status, description, minutes to leadership
        (
            "longquan",
            "major_dispute",
            24 * 40,
            "cashier_longquan",
            "closed",
            "用户对水费金额有异议,在柜台前大声争吵并拍打柜台。",
            5,
        ),
        (
            "quankou",
            "personal_injury",
            24 * 3,
            "cashier_quankou",
            "handling",
            "老年用户在大厅门口台阶滑倒,膝盖擦伤。",
            25,
        ),
        (
            "duodao",
            "other",
            2,
            "cashier2_duodao",
            "reported",
            "大厅配电箱有焦糊味,已断开总电源。",
            None,
        ),
    ]
    for code, kind, hours, reporter, status, description, minutes in specs:
        occurred = now - timedelta(hours=hours)
        incident, created = Incident.objects.get_or_create(
            hall=halls[code],
            description=description,
            defaults={
                "kind": kind,
                "occurred_at": occurred,
                "reported_by": users[reporter],
                "reported_at": occurred + timedelta(minutes=3),
                "injured_count": 1 if kind == "personal_injury" else 0,
                "status": status,
                "follow_up_summary": SUMMARY if status == "closed" else "",
            },
        )
        if not created:
            continue
        lead = users[f"lead_{code}"]
        steps = checklist_for(kind, incident.injured_count)
        if status == "handling":
            steps = steps[:4]
        elif status == "reported":
            steps = []
        IncidentStep.objects.bulk_create(
            IncidentStep(
                incident=incident,
                step=step,
                done_at=occurred
                + timedelta(minutes=minutes if step == "leadership_informed" else 2 + 10 * index),
                ticked_by=lead,
            )
            for index, step in enumerate(steps)
        )
        if status == "handling":
            IncidentPerson.objects.create(incident=incident, name="刘某", role="affected")
            IncidentPerson.objects.create(incident=incident, name="王大堂", role="responder")
        if status == "closed":
            IncidentPerson.objects.create(incident=incident, name="周某", role="affected")
            CorrectiveAction.objects.create(
                incident=incident,
                description="柜台张贴水价标准和计费说明",
                owner=employees[f"lobby_{code}"],
                due_date=(occurred + timedelta(days=7)).date(),
                created_by=lead,
                done_at=occurred + timedelta(days=2),
                done_by=lead,
            )
            incident.commendations = "收费员耐心解释,未使矛盾激化,提请表扬。"
            incident.closed_at = occurred + timedelta(days=3)
            incident.save(update_fields=["commendations", "closed_at"])
    return Incident.objects.count()


def _seed_closing_checks(employees, halls) -> int:
    """The last 45 days, except yesterday at duodao (flagged on its lead's home page)."""
    today = timezone.localdate()
    for code, hall in halls.items():
        lead = employees.get(f"lead_{code}")
        if lead is None:
            continue
        for days_ago in range(1, 46):
            if code == "duodao" and days_ago == 1:
                continue
            day = today - timedelta(days=days_ago)
            ClosingCheck.objects.get_or_create(
                hall=hall,
                date=day,
                defaults={
                    "computers_off": True,
                    "air_conditioning_off": True,
                    "power_off": True,
                    "doors_windows_shut": True,
                    "cash_in_safe": True,
                    "checked_by": lead,
                    "checked_at": _at(day, 17, 40),
                },
            )
    return ClosingCheck.objects.count()
