"""Issue 11 (hardening), blind count: a deposit no longer has to match what it should have been
(the cashier is not told that figure; a difference is a variance for the shift lead), and two
reasons the lead reads: a day closed without a deposit, a hall day signed without every
terminal settlement."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0006_money_exact_handling_time'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='deposit',
            name='deposit_mismatch_explained',
        ),
        migrations.AddField(
            model_name='cashledger',
            name='no_deposit_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason for no deposit'),
        ),
        migrations.AddField(
            model_name='hallday',
            name='missing_settlement_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason for missing settlements'),
        ),
        migrations.AlterField(
            model_name='deposit',
            name='explanation',
            field=models.CharField(blank=True, max_length=500, verbose_name='note'),
        ),
    ]
