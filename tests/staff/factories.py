import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff.models import Department, Employee, Hall


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"hall{n}")
    name = factory.Sequence(lambda n: f"营业厅{n}")
    address = factory.Sequence(lambda n: f"测试路{n}号")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-Word-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employee with a login; pass `user__roles=[Role.CASHIER]` to give roles."""

    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"员工{n}")
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    hall = factory.SubFactory(HallFactory)


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.ShiftType"
        django_get_or_create = ["hall", "code"]

    hall = factory.SubFactory(HallFactory)
    code = "全"
    name = "全天"
    start = datetime.time(8, 0)
    end = datetime.time(17, 30)


class MinimumStaffingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.MinimumStaffing"
        django_get_or_create = ["shift_type", "role"]

    shift_type = factory.SubFactory(ShiftTypeFactory)
    role = "cashier"
    count = 1
