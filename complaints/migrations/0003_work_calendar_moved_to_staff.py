"""The working calendar is the staff core's now (staff/0006 renamed its tables and took its
rows): complaints only forgets the models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_prefill_work_calendar"),
        ("staff", "0006_work_calendar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WorkCalendarDay"),
                migrations.DeleteModel(name="WorkCalendarYear"),
            ],
        ),
    ]
