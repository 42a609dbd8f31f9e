"""Demo data: the working calendar and first-contact tickets of the last two months.

Tickets in every state, some overdue, some found responsible. Idempotent: each demo ticket has
a fixed number ("演示-001"...) and is only created when missing. Past steps get past times, so
the rows are written here directly, the way the services would have written them.
"""

from datetime import timedelta

from django.utils import timezone

from staff.core.calendar import WorkCalendar, response_due_at
from staff.models import Department, Employee, PenaltyKind
from staff.services.penalties import penalty_record

from .models import (
    Category,
    Channel,
    FirstContactTicket,
    FollowUpOutcome,
    Responsibility,
    StepKind,
    TicketState,
    TicketStep,
)
from .services.sla import sla_check

DEPARTMENT_OF = {
    Category.METERING: "yingchao",
    Category.BILLING: "yingchao",
    Category.REPAIRS: "weixiu",
    Category.WATER_QUALITY: "shuizhi",
    Category.WATER_PRESSURE: "shengchan",
    Category.NEW_CONNECTION: "baozhuang",
}
CONTENT = {
    Category.METERING: "水表走字过快，怀疑计量不准，要求校验。",
    Category.BILLING: "本月水费比上月高出一倍，要求核实账单。",
    Category.REPAIRS: "楼道水管漏水，地面积水。",
    Category.WATER_QUALITY: "自来水发黄，有异味。",
    Category.WATER_PRESSURE: "早晚高峰六楼水压不足。",
    Category.NEW_CONNECTION: "新建门面房申请报装，询问办理流程和时间。",
    Category.OTHER: "询问营业厅节假日营业时间。",
}
OLD_CYCLE = [
    "closed",
    "closed_spot",
    "closed_late",
    "responsible",
    "dissatisfied",
    "closed",
    "forwarded_overdue",
    "unreachable",
]
RECENT_CYCLE = [
    "forwarded",
    "result_in",
    "replied",
    "escalated",
    "closed",
    "forwarded",
    "result_in",
]
NAMES = ["王建华", "李秀英", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴刚"]
STREETS = ["象山大道", "月亮湖路", "白云大道", "海慧路", "长宁大道", "掇刀路"]


def _scenarios(now):
    rows, recent = [], 0
    for i in range(36):
        days_ago = 58 - i * 1.6
        if days_ago > 12:
            kind = OLD_CYCLE[i % len(OLD_CYCLE)]
        else:
            kind = RECENT_CYCLE[recent % len(RECENT_CYCLE)]
            recent += 1
        received = timezone.localtime(now - timedelta(days=days_ago))
        received = received.replace(hour=8 + (i * 5) % 11, minute=(i * 17) % 60)
        rows.append((received, kind))
    rows.append((now - timedelta(hours=6), "new"))  # response overdue
    rows.append((now - timedelta(minutes=40), "urgent_new"))
    return rows


def seed(*, stdout):
    now = timezone.now()
    calendar = WorkCalendar.load()
    owners = list(
        Employee.objects.filter(user__username__startswith="cashier").select_related("hall")
    )
    departments = {d.code: d for d in Department.objects.all()}
    office = Employee.objects.filter(user__username="office").first()
    director = Employee.objects.filter(user__username="director").first()
    if not owners or office is None or director is None:
        stdout.write("  complaints: no demo staff, tickets skipped")
        return
    categories = list(Category)
    created = 0
    for index, (received, kind) in enumerate(_scenarios(now), start=1):
        number = f"演示-{index:03d}"
        if FirstContactTicket.objects.filter(number=number).exists():
            continue
        category = categories[index % len(categories)]
        if kind not in ("closed_spot", "new", "urgent_new") and category == Category.OTHER:
            category = Category.REPAIRS
        owner = owners[index % len(owners)]
        department = departments.get(DEPARTMENT_OF.get(category, "weixiu"))
        liaison = Employee.objects.filter(department=department).first()
        _make(
            number=number,
            index=index,
            kind=kind,
            received=received,
            category=category,
            owner=owner,
            department=department,
            liaison=liaison or office,
            office=office,
            director=director,
            calendar=calendar,
            now=now,
        )
        created += 1
    result = sla_check(now)
    stdout.write(
        f"  complaints: {created} demo tickets; "
        f"{result.response_overdue + result.result_overdue} overdue clocks marked"
    )


def _make(
    *,
    number,
    index,
    kind,
    received,
    category,
    owner,
    department,
    liaison,
    office,
    director,
    calendar,
    now,
):
    result_due = calendar.result_due_at(received)
    ticket = FirstContactTicket.objects.create(
        number=number,
        received_at=received,
        channel=list(Channel)[index % 4],
        category=category,
        urgent=kind == "urgent_new",
        hall=owner.hall,
        owner=owner,
        opened_by=owner,
        customer_name=NAMES[index % len(NAMES)],
        customer_phone=f"1397241{index:04d}",
        street=STREETS[index % len(STREETS)],
        house_number=f"{10 + index}号",
        landmark="社区服务中心旁" if index % 2 else "",
        content=CONTENT[category],
        response_due_at=response_due_at(received),
        result_due_at=result_due,
    )
    steps = [(StepKind.OPENED, owner, received, {"note": ticket.content})]
    fields = {}
    if kind in ("new", "urgent_new"):
        pass
    elif kind == "closed_spot":
        at = received + timedelta(minutes=10)
        fields.update(
            state=TicketState.REPLIED, resolved_on_spot=True, responded_at=at, replied_at=at
        )
        steps.append((StepKind.RESOLVED, owner, at, {"note": "当场解释清楚。"}))
    else:
        forwarded = received + timedelta(minutes=25 if index % 5 else 300)
        fields.update(
            state=TicketState.FORWARDED,
            department=department,
            responded_at=forwarded,
            forwarded_at=forwarded,
        )
        steps.append((StepKind.FORWARDED, office, forwarded, {"department": department}))
        if kind == "escalated":
            fields["escalated_at"] = forwarded + timedelta(hours=2)
            steps.append(
                (
                    StepKind.ESCALATION,
                    owner,
                    fields["escalated_at"],
                    {"note": "涉及多户，需领导协调。"},
                )
            )
        if kind not in ("forwarded", "forwarded_overdue", "escalated"):
            late = kind in ("closed_late", "responsible") and result_due is not None
            result_at = result_due + timedelta(hours=20) if late else received + timedelta(days=2)
            result_at = min(result_at, now - timedelta(hours=3))
            fields.update(state=TicketState.RESULT_IN, result_at=result_at)
            steps.append(
                (
                    StepKind.RESULT,
                    liaison,
                    result_at,
                    {"department": department, "note": "已派人上门处理完毕。"},
                )
            )
            if kind != "result_in":
                replied = result_at + timedelta(hours=1)
                fields.update(state=TicketState.REPLIED, replied_at=replied)
                steps.append((StepKind.REPLY, owner, replied, {"note": "已电话告知用户处理结果。"}))
    if fields.get("state") == TicketState.REPLIED and kind != "replied":
        at = fields["replied_at"] + timedelta(hours=2)
        outcome = {
            "dissatisfied": FollowUpOutcome.DISSATISFIED,
            "unreachable": FollowUpOutcome.UNREACHABLE,
            "closed_late": FollowUpOutcome.FAIRLY_SATISFIED,
        }.get(kind, FollowUpOutcome.SATISFIED)
        attempts = 3 if outcome == FollowUpOutcome.UNREACHABLE else 1
        fields.update(
            state=TicketState.CLOSED,
            follow_up_at=at,
            follow_up_outcome=outcome,
            follow_up_attempts=attempts,
            closed_at=at,
        )
        for _attempt in range(attempts):
            steps.append((StepKind.FOLLOW_UP, owner, at, {"outcome": outcome}))
        steps.append((StepKind.CLOSED, owner, at, {}))
    for name, value in fields.items():
        setattr(ticket, name, value)
    if fields:
        ticket.save(update_fields=list(fields))
    TicketStep.objects.bulk_create(
        TicketStep(ticket=ticket, kind=k, by=by, at=at, **extra) for k, by, at, extra in steps
    )
    if kind == "responsible":
        reason = "部门反馈超时，首问负责人未及时催办。"
        penalty = penalty_record(
            actor=director.user,
            employee=owner,
            kind=PenaltyKind.RESPONSIBLE_COMPLAINT,
            on=timezone.localdate(ticket.closed_at),
            reason=reason,
            source=f"首问登记 {number}",
        )
        Responsibility.objects.create(
            ticket=ticket,
            employee=owner,
            penalty=penalty,
            found_by=director,
            found_at=ticket.closed_at,
            reason=reason,
        )
        ticket.responsible = True
        ticket.save(update_fields=["responsible"])
        TicketStep.objects.create(
            ticket=ticket,
            kind=StepKind.RESPONSIBILITY,
            by=director,
            at=ticket.closed_at,
            note=f"{owner.name}: {reason}",
        )
    if kind == "dissatisfied":
        FirstContactTicket.objects.create(
            number=f"{number}/2",
            cycle=2,
            previous_cycle=ticket,
            received_at=ticket.closed_at,
            channel=ticket.channel,
            category=ticket.category,
            hall=ticket.hall,
            owner=owner,
            opened_by=owner,
            customer_name=ticket.customer_name,
            customer_phone=ticket.customer_phone,
            street=ticket.street,
            house_number=ticket.house_number,
            content=ticket.content,
            response_due_at=response_due_at(ticket.closed_at),
            result_due_at=calendar.result_due_at(ticket.closed_at),
        )
