# Corrections (更正) through the bills import: a third kind of job and its result; a correction by
# `import_bills --corrections` has no signed-in user.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0011_channel_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="billimportjob",
            name="bills_corrected",
            field=models.PositiveIntegerField(default=0, verbose_name="bills corrected"),
        ),
        migrations.AlterField(
            model_name="billimportjob",
            name="kind",
            field=models.CharField(
                choices=[
                    ("bills", "New bills"),
                    ("corrections", "Corrections (更正)"),
                    ("channel_payments", "Channel payments"),
                ],
                default="bills",
                max_length=24,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="billimportjob",
            name="notes",
            field=models.JSONField(blank=True, default=list, verbose_name="notes"),
        ),
        migrations.AddField(
            model_name="billimportjob",
            name="rows_unchanged",
            field=models.PositiveIntegerField(default=0, verbose_name="rows unchanged"),
        ),
        migrations.AlterField(
            model_name="billcorrection",
            name="corrected_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="corrected by",
            ),
        ),
    ]
