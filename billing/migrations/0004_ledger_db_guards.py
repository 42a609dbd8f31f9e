"""On PostgreSQL, the database itself refuses changes to verified ledgers and signed hall days.

The services already refuse them; these triggers stop a shell session, a script or a future bug
from rewriting a closed day behind the services' back. SQLite relies on the services alone.
"""

from django.db import migrations

GUARDS = """
CREATE OR REPLACE FUNCTION billing_ledger_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state = 'verified' THEN
            RAISE EXCEPTION 'billing: a verified cash ledger cannot be deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state = 'verified' AND NEW.state = 'verified' THEN
        RAISE EXCEPTION 'billing: a verified cash ledger is read-only';
    END IF;
    IF OLD.state <> 'open' AND NEW.state = 'open' THEN
        RAISE EXCEPTION 'billing: a submitted cash ledger cannot be opened again';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_ledger_guard ON billing_cashledger;
CREATE TRIGGER billing_ledger_guard BEFORE UPDATE OR DELETE ON billing_cashledger
    FOR EACH ROW EXECUTE FUNCTION billing_ledger_guard();

CREATE OR REPLACE FUNCTION billing_deposit_guard() RETURNS trigger AS $$
DECLARE
    ledger_state varchar;
BEGIN
    SELECT state INTO ledger_state FROM billing_cashledger
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.ledger_id ELSE NEW.ledger_id END;
    IF ledger_state <> 'open' THEN
        RAISE EXCEPTION 'billing: deposits of a submitted or verified cash ledger cannot change';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.ledger_id <> NEW.ledger_id THEN
        RAISE EXCEPTION 'billing: a deposit cannot move to another ledger';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_deposit_guard ON billing_deposit;
CREATE TRIGGER billing_deposit_guard BEFORE INSERT OR UPDATE OR DELETE ON billing_deposit
    FOR EACH ROW EXECUTE FUNCTION billing_deposit_guard();

CREATE OR REPLACE FUNCTION billing_payment_day_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM billing_cashledger
        WHERE cashier_id = NEW.cashier_id AND business_date = NEW.business_date
          AND hall_id = NEW.hall_id AND state <> 'open'
    ) THEN
        RAISE EXCEPTION 'billing: the cash ledger of this cashier and day is closed';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_payment_day_guard ON billing_payment;
CREATE TRIGGER billing_payment_day_guard BEFORE INSERT ON billing_payment
    FOR EACH ROW EXECUTE FUNCTION billing_payment_day_guard();

CREATE OR REPLACE FUNCTION billing_hall_day_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.signed_at IS NOT NULL THEN
            RAISE EXCEPTION 'billing: a signed hall day cannot be deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.signed_at IS NOT NULL AND NEW.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'billing: a signed hall day is read-only';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_hall_day_guard ON billing_hallday;
CREATE TRIGGER billing_hall_day_guard BEFORE UPDATE OR DELETE ON billing_hallday
    FOR EACH ROW EXECUTE FUNCTION billing_hall_day_guard();

CREATE OR REPLACE FUNCTION billing_settlement_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM billing_hallday
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.hall_day_id ELSE NEW.hall_day_id END
          AND signed_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'billing: settlements of a signed hall day cannot change';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_settlement_guard ON billing_terminalsettlement;
CREATE TRIGGER billing_settlement_guard BEFORE INSERT OR UPDATE OR DELETE
    ON billing_terminalsettlement FOR EACH ROW EXECUTE FUNCTION billing_settlement_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS billing_settlement_guard ON billing_terminalsettlement;
DROP TRIGGER IF EXISTS billing_hall_day_guard ON billing_hallday;
DROP TRIGGER IF EXISTS billing_payment_day_guard ON billing_payment;
DROP TRIGGER IF EXISTS billing_deposit_guard ON billing_deposit;
DROP TRIGGER IF EXISTS billing_ledger_guard ON billing_cashledger;
DROP FUNCTION IF EXISTS billing_settlement_guard();
DROP FUNCTION IF EXISTS billing_hall_day_guard();
DROP FUNCTION IF EXISTS billing_payment_day_guard();
DROP FUNCTION IF EXISTS billing_deposit_guard();
DROP FUNCTION IF EXISTS billing_ledger_guard();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Without parameters, so PostgreSQL takes the several statements in one go.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_cash_ledgers")]

    operations = [migrations.RunPython(_run(GUARDS), _run(DROP))]
