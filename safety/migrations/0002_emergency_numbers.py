"""Seed the regulations' emergency numbers; a hall's police station only if the hall exists."""

from django.db import migrations

from safety.contacts_data import seed_contacts


def forwards(apps, schema_editor):
    seed_contacts(apps.get_model("safety", "EmergencyContact"), apps.get_model("staff", "Hall"))


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_initial"),
        ("staff", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
