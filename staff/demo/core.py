"""Demo halls, departments and one login per role, for `manage.py seed_demo`.

Idempotent: rows are found by their natural keys (code, username) and brought up to date.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ..core.roles import Role
from ..models import Department, Employee, Hall
from ..services.calendar import calendar_import_package

HALLS = [
    # code, name, address, phone
    ("longquan", "龙泉", "龙泉路88号", "0724-2332001"),
    ("quankou", "泉口", "泉口路16号", "0724-2332002"),
    ("duodao", "掇刀", "白石坡路5号", "0724-2490001"),
]

DEPARTMENTS = [
    ("shoufei", "收费中心"),
    ("yingchao", "营抄中心"),
    ("weixiu", "维修处"),
    ("shuizhi", "水质检测中心"),
    ("baozhuang", "报装部门"),
    ("bangongshi", "办公室"),
    ("shengchan", "生产技术处"),
]

# Departments that take forwarded tickets get a liaison login each.
LIAISON_DEPARTMENTS = ["yingchao", "weixiu", "shuizhi", "baozhuang", "shengchan"]

SURNAMES = {"longquan": "李", "quankou": "王", "duodao": "陈"}


def demo_people():
    """(username, name, employee_no, hall code, department code, roles) of every demo login."""
    people = [
        ("director", "张建国", "D001", None, None, [Role.DIRECTOR]),
        ("office", "刘芳", "B001", None, "bangongshi", [Role.OFFICE]),
    ]
    for index, (code, _name, _address, _phone) in enumerate(HALLS, start=1):
        surname = SURNAMES[code]
        people += [
            (f"lobby_{code}", f"{surname}大堂", f"H{index}01", code, None, [Role.LOBBY_MANAGER]),
            (f"lead_{code}", f"{surname}班长", f"H{index}02", code, None, [Role.SHIFT_LEAD]),
            (f"cashier_{code}", f"{surname}收费一", f"H{index}03", code, None, [Role.CASHIER]),
            (f"cashier2_{code}", f"{surname}收费二", f"H{index}04", code, None, [Role.CASHIER]),
        ]
    departments = dict(DEPARTMENTS)
    for index, code in enumerate(LIAISON_DEPARTMENTS, start=1):
        people.append(
            (
                f"liaison_{code}",
                f"{departments[code]}联络员",
                f"L{index:03d}",
                None,
                code,
                [Role.DEPARTMENT_LIAISON],
            )
        )
    return people


def seed(*, password, stdout):
    halls = {}
    for order, (code, name, address, phone) in enumerate(HALLS):
        halls[code], _ = Hall.objects.update_or_create(
            code=code,
            defaults={"name": name, "address": address, "phone": phone, "sort_order": order},
        )
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name}
        )
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    User = get_user_model()
    for serial, (username, name, number, hall, department, roles) in enumerate(demo_people()):
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        user.groups.set([groups[role] for role in roles])
        Employee.objects.update_or_create(
            user=user,
            defaults={
                "name": name,
                "employee_no": number,
                "phone": f"1397240{serial:04d}",
                "hall": halls.get(hall),
                "department": departments.get(department),
                "is_active": True,
            },
        )
    # The working calendar (every migrate adds the package's years too): the tickets' due dates,
    # attendance and rosters of the demo read it.
    added = calendar_import_package()
    stdout.write(
        f"  staff: {len(halls)} halls, {len(departments)} departments, {len(demo_people())} logins;"
        f" calendar years added {added or 'none'}"
    )
