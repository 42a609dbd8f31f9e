"""On PostgreSQL the database keeps the counter's promises too: append-only rows, forward states.

Migration 0004 refused changes to verified ledgers and signed hall days, but a verified ledger
could still be set back to submitted, rewritten and verified again with its verifier unchanged,
a signed hall day unsigned, changed and signed again, and a payment or deposit updated or
deleted. Here, whoever sends the statement (the app's runtime role cannot drop or disable a
trigger: it owns nothing, see `manage.py grant_runtime_role`):

Append-only: never updated or deleted
    billing_payment, billing_paymentline, billing_deposit (inserted into an open ledger only),
    billing_invoicenumber (one change: issued -> voided, status and reason only, once the
    payment holding the number has its reversal entry).

Cash ledger (billing_cashledger): which columns each transition may change
    any          hall_id, cashier_id, business_date, opened_at, carried_in never change
    open -> open            anything else (the float is corrected while open)
    open -> submitted       anything else (the blind close writes the count and the totals)
    open -> verified        refused (submitted first)
    submitted -> submitted  variance_note only (the cashier's explanation)
    submitted -> verified   state, recounted_cash, verify_note, verified_by_id, verified_at
    verified -> verified    nothing (read-only)
    verified -> submitted   state, verified_by_id, verified_at, and only with the director's
                            reopen recorded first in the audit trail (see below)
    * -> open               refused once submitted
    delete                  refused (the app never deletes a ledger)

Hall day (billing_hallday)
    any          hall_id, business_date never change
    unsigned -> unsigned or signed   anything else (signing writes the signature and notes)
    signed -> signed                 nothing (read-only)
    signed -> unsigned               signed_by_id, signed_at, and only with the director's
                                     reopen recorded first in the audit trail
    delete                           refused (the app never deletes a hall day)

The director's reopen is recorded: before a verified ledger (or a signed hall day) may leave
its state, the audit trail (append-only, staff migration 0005) must hold an entry
`billing.ledger.reopen` (`billing.hall_day.reopen`) for that row, by a director (or superuser),
with a non-empty `reason` and the `verified_at` (`signed_at`) of the very verification
(signature) it withdraws, so one entry reopens one verification only. That is what
`billing.services.ledger.ledger_reopen` writes, before it changes the rows.

Columns added later are frozen by the "nothing else" rules above unless listed as allowed
(a new column written in submitted -> submitted, or by the reopen, must be added here).
SQLite relies on the services alone.
"""

import importlib

from django.db import migrations

GUARDS = """
-- The columns (by name) whose values differ between two versions of a row, except `allowed`;
-- NULL when none do.
CREATE OR REPLACE FUNCTION billing_changed_columns(old_row jsonb, new_row jsonb, allowed text[])
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(n.key, ', ' ORDER BY n.key)
    FROM jsonb_each(new_row) AS n
    WHERE NOT (n.key = ANY (allowed)) AND n.value IS DISTINCT FROM old_row -> n.key
$$;

-- Whether the director's reopen of one verification (signature) is in the audit trail.
CREATE OR REPLACE FUNCTION billing_reopen_recorded(
    want_model text, want_pk bigint, want_action text, stamp_key text, stamp timestamptz
) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1
        FROM staff_auditentry entry
        JOIN django_content_type kind ON kind.id = entry.content_type_id
        JOIN auth_user actor ON actor.id = entry.actor_id
        WHERE kind.app_label = 'billing' AND kind.model = want_model
          AND entry.object_id = want_pk::text
          AND entry.action = want_action
          AND btrim(coalesce(entry.changes ->> 'reason', '')) <> ''
          AND (entry.changes ->> stamp_key)::timestamptz = stamp
          AND (actor.is_superuser OR EXISTS (
                SELECT 1 FROM auth_user_groups member
                JOIN auth_group role ON role.id = member.group_id
                WHERE member.user_id = actor.id AND role.name = 'director'))
    )
$$;

CREATE OR REPLACE FUNCTION billing_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'billing: rows of % are never changed or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_payment_append_only ON billing_payment;
CREATE TRIGGER billing_payment_append_only BEFORE UPDATE OR DELETE ON billing_payment
    FOR EACH ROW EXECUTE FUNCTION billing_append_only();

DROP TRIGGER IF EXISTS billing_payment_line_append_only ON billing_paymentline;
CREATE TRIGGER billing_payment_line_append_only BEFORE UPDATE OR DELETE ON billing_paymentline
    FOR EACH ROW EXECUTE FUNCTION billing_append_only();

-- A line belongs to a payment of a day still open, like the payment itself (0004).
CREATE OR REPLACE FUNCTION billing_payment_line_day_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM billing_payment paid
        JOIN billing_cashledger ledger
          ON ledger.cashier_id = paid.cashier_id AND ledger.business_date = paid.business_date
         AND ledger.hall_id = paid.hall_id
        WHERE paid.id = NEW.payment_id AND ledger.state <> 'open'
    ) THEN
        RAISE EXCEPTION 'billing: the cash ledger of this payment''s day is closed';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_payment_line_day_guard ON billing_paymentline;
CREATE TRIGGER billing_payment_line_day_guard BEFORE INSERT ON billing_paymentline
    FOR EACH ROW EXECUTE FUNCTION billing_payment_line_day_guard();

CREATE OR REPLACE FUNCTION billing_invoice_number_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'issued' AND NEW.status = 'voided'
       AND btrim(NEW.reason) <> ''
       AND billing_changed_columns(to_jsonb(OLD), to_jsonb(NEW), ARRAY['status', 'reason']) IS NULL
       AND EXISTS (
            SELECT 1 FROM billing_payment paid
            JOIN billing_payment reversal ON reversal.reverses_id = paid.id
            WHERE paid.invoice_id = OLD.id
       ) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'billing: an invoice number is never deleted, and only goes from issued to '
        'voided (with a reason) when its payment is reversed';
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_invoice_number_guard ON billing_invoicenumber;
CREATE TRIGGER billing_invoice_number_guard BEFORE UPDATE OR DELETE ON billing_invoicenumber
    FOR EACH ROW EXECUTE FUNCTION billing_invoice_number_guard();

-- Replaces 0004's: deposits are append-only, and added to an open ledger only.
CREATE OR REPLACE FUNCTION billing_deposit_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'billing: deposits are never changed or deleted';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM billing_cashledger WHERE id = NEW.ledger_id AND state = 'open'
    ) THEN
        RAISE EXCEPTION 'billing: deposits of a submitted or verified cash ledger cannot change';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

-- Replaces 0004's: the ledger's transitions, column by column (see the table above).
CREATE OR REPLACE FUNCTION billing_ledger_guard() RETURNS trigger AS $$
DECLARE
    allowed text[];
    changed text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'billing: a cash ledger is never deleted';
    END IF;
    IF (NEW.id, NEW.hall_id, NEW.cashier_id, NEW.business_date, NEW.opened_at, NEW.carried_in)
       IS DISTINCT FROM
       (OLD.id, OLD.hall_id, OLD.cashier_id, OLD.business_date, OLD.opened_at, OLD.carried_in)
    THEN
        RAISE EXCEPTION 'billing: a cash ledger keeps its hall, cashier, day and carried-in cash';
    END IF;
    IF OLD.state = 'open' THEN
        IF NEW.state = 'verified' THEN
            RAISE EXCEPTION 'billing: a cash ledger is submitted before it is verified';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.state = 'open' THEN
        RAISE EXCEPTION 'billing: a submitted cash ledger cannot be opened again';
    END IF;
    IF OLD.state = 'verified' AND NEW.state = 'verified' THEN
        RAISE EXCEPTION 'billing: a verified cash ledger is read-only';
    ELSIF OLD.state = 'verified' THEN
        IF NOT billing_reopen_recorded(
            'cashledger', OLD.id, 'billing.ledger.reopen', 'verified_at', OLD.verified_at
        ) THEN
            RAISE EXCEPTION 'billing: only the director''s reopen, recorded with its reason, '
                'takes a verified cash ledger back';
        END IF;
        allowed := ARRAY['state', 'verified_by_id', 'verified_at'];
    ELSIF NEW.state = 'verified' THEN
        allowed := ARRAY['state', 'recounted_cash', 'verify_note', 'verified_by_id', 'verified_at'];
    ELSE
        allowed := ARRAY['variance_note'];
    END IF;
    changed := billing_changed_columns(to_jsonb(OLD), to_jsonb(NEW), allowed);
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'billing: % of a % cash ledger cannot change (to %)',
            changed, OLD.state, NEW.state;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

-- Replaces 0004's: a signed hall day changes only by the director's recorded reopen.
CREATE OR REPLACE FUNCTION billing_hall_day_guard() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'billing: a hall day is never deleted';
    END IF;
    IF (NEW.id, NEW.hall_id, NEW.business_date) IS DISTINCT FROM
       (OLD.id, OLD.hall_id, OLD.business_date) THEN
        RAISE EXCEPTION 'billing: a hall day keeps its hall and day';
    END IF;
    IF OLD.signed_at IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'billing: a signed hall day is read-only';
    END IF;
    IF NOT billing_reopen_recorded(
        'hallday', OLD.id, 'billing.hall_day.reopen', 'signed_at', OLD.signed_at
    ) THEN
        RAISE EXCEPTION 'billing: only the director''s reopen, recorded with its reason, '
            'withdraws the signature of a hall day';
    END IF;
    changed := billing_changed_columns(
        to_jsonb(OLD), to_jsonb(NEW), ARRAY['signed_by_id', 'signed_at']
    );
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'billing: % of a signed hall day cannot change', changed;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

DROP = """
DROP TRIGGER IF EXISTS billing_invoice_number_guard ON billing_invoicenumber;
DROP TRIGGER IF EXISTS billing_payment_line_day_guard ON billing_paymentline;
DROP TRIGGER IF EXISTS billing_payment_line_append_only ON billing_paymentline;
DROP TRIGGER IF EXISTS billing_payment_append_only ON billing_payment;
DROP FUNCTION IF EXISTS billing_invoice_number_guard();
DROP FUNCTION IF EXISTS billing_payment_line_day_guard();
DROP FUNCTION IF EXISTS billing_append_only();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Without parameters, so PostgreSQL takes the several statements in one go.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


def _restore_0004(apps, schema_editor):
    """Backwards: drop the new guards and put 0004's functions back."""
    if schema_editor.connection.vendor != "postgresql":
        return
    previous = importlib.import_module("billing.migrations.0004_ledger_db_guards")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP)
        cursor.execute(previous.GUARDS)
        cursor.execute(
            "DROP FUNCTION IF EXISTS billing_reopen_recorded(text, bigint, text, text, timestamptz);"
            "DROP FUNCTION IF EXISTS billing_changed_columns(jsonb, jsonb, text[]);"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0007_blind_deposits_and_reasons"),
        # The reopen check reads the audit trail, made append-only there.
        ("staff", "0005_audit_append_only"),
    ]

    operations = [migrations.RunPython(_run(GUARDS), _restore_0004)]
