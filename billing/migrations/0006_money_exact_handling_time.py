"""Money constraints exact on SQLite too, and the payment's time from lookup to post.

The two constraints that do arithmetic on money compare whole fen (billing.models.fen):
on SQLite `change = tendered - amount` failed for about a third of odd-cent cash payments
(200 - 141.6 is 58.400000000000006 in floating point), `variance = counted - expected`
likewise at the blind close.
"""

import datetime
import django.db.models.expressions
import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0005_account_search_trigram'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='cashledger',
            name='ledger_counted_when_submitted',
        ),
        migrations.RemoveConstraint(
            model_name='payment',
            name='payment_cash_change',
        ),
        migrations.AddField(
            model_name='payment',
            name='handling_time',
            field=models.DurationField(blank=True, editable=False, null=True, verbose_name='time from lookup to post'),
        ),
        migrations.AddConstraint(
            model_name='cashledger',
            constraint=models.CheckConstraint(condition=models.Q(('state', 'open'), models.Q(models.Q(('counted_cash__isnull', False), ('expected_cash__isnull', False), ('submitted_at__isnull', False)), django.db.models.lookups.Exact(django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('variance'), '*', models.Value(100))), django.db.models.expressions.CombinedExpression(django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('counted_cash'), '*', models.Value(100))), '-', django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('expected_cash'), '*', models.Value(100)))))), _connector='OR'), name='ledger_counted_when_submitted'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'payment'), ('method', 'cash'), _negated=True), models.Q(models.Q(('tendered__gte', models.F('amount')), ('tendered__isnull', False)), django.db.models.lookups.Exact(django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('change'), '*', models.Value(100))), django.db.models.expressions.CombinedExpression(django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('tendered'), '*', models.Value(100))), '-', django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('amount'), '*', models.Value(100)))))), _connector='OR'), name='payment_cash_change'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(('handling_time__isnull', True), ('handling_time__gte', datetime.timedelta(0)), _connector='OR'), name='payment_handling_time_not_negative'),
        ),
    ]
