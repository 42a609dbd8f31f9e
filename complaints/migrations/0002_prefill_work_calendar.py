"""Pre-fill the working calendar with every year the chinesecalendar package knows."""

from django.db import migrations


def prefill(apps, schema_editor):
    from staff.services.calendar import import_years

    import_years(apps.get_model("complaints", "WorkCalendarDay"), apps.get_model("complaints", "WorkCalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(prefill, migrations.RunPython.noop)]
