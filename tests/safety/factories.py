from datetime import timedelta

import factory
from django.utils import timezone

from safety.models import AlarmDrill, ClosingCheck, Incident
from tests.staff.factories import EmployeeFactory, HallFactory, UserFactory


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    hall = factory.SubFactory(HallFactory)
    kind = "major_dispute"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    reported_by = factory.SubFactory(UserFactory)
    description = "用户在柜台前大声争吵"


class AlarmDrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlarmDrill

    hall = factory.SubFactory(HallFactory)
    year = 2026
    month = 1
    held_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(timezone.datetime(o.year, o.month, 26, 16, 0))
    )
    run_by = factory.SubFactory(EmployeeFactory, hall=factory.SelfAttribute("..hall"))
    alarm_worked = True
    response_seconds = 45
    recorded_by = factory.SubFactory(UserFactory)


class ClosingCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingCheck

    hall = factory.SubFactory(HallFactory)
    date = factory.LazyFunction(timezone.localdate)
    computers_off = True
    air_conditioning_off = True
    power_off = True
    doors_windows_shut = True
    cash_in_safe = True
    checked_by = factory.SubFactory(EmployeeFactory, hall=factory.SelfAttribute("..hall"))
