"""The working calendar moves from complaints into the staff core, with its rows.

The tables are renamed (complaints_workcalendarday → staff_workcalendarday, and the year's),
not copied: ids, rows and the runtime role's privileges stay as they are. The content types
are relabelled with them, so the audit trail of a calendar day (append-only: its entries
cannot be rewritten) still belongs to the day. complaints/0003 then forgets the models.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["workcalendarday", "workcalendaryear"]


def _move(apps, schema_editor, *, source, target):
    for name in MODELS:
        # complaints' model is in the state both ways (the state this operation starts from,
        # or returns to): only the table names matter here.
        model = apps.get_model("complaints", name)
        schema_editor.alter_db_table(model, f"{source}_{name}", f"{target}_{name}")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for name in MODELS:
        # A fresh database has no content types yet (post_migrate creates them afterwards).
        if not ContentType.objects.using(db).filter(app_label=target, model=name).exists():
            ContentType.objects.using(db).filter(app_label=source, model=name).update(
                app_label=target
            )


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source="complaints", target="staff")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="staff", target="complaints")


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0005_audit_append_only"),
        ("complaints", "0002_prefill_work_calendar"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.CreateModel(
                    name="WorkCalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        (
                            "kind",
                            models.CharField(
                                choices=[("holiday", "Holiday"), ("makeup", "Make-up working day")],
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        ("name", models.CharField(max_length=64, verbose_name="name")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                    ],
                    options={
                        "verbose_name": "calendar day",
                        "verbose_name_plural": "calendar days",
                        "ordering": ["date"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("kind__in", ["holiday", "makeup"])),
                                name="workcalendarday_kind_valid",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="WorkCalendarYear",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "year",
                            models.PositiveSmallIntegerField(unique=True, verbose_name="year"),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("chinesecalendar", "chinesecalendar package"),
                                    ("manual", "Entered by hand"),
                                ],
                                max_length=16,
                                verbose_name="source",
                            ),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="confirmed at"
                            ),
                        ),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="confirmed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar year",
                        "verbose_name_plural": "calendar years",
                        "ordering": ["year"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("year__gte", 2000), ("year__lte", 2200)),
                                name="workcalendaryear_year_range",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
