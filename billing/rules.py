"""Who may do what in billing.

Pages ask these to show an action, or to show it disabled with its reason (`why_not_*`);
services ask them again inside their transaction, on the rows they locked, and refuse with the
same words. Which rows a user sees at all is the selectors' scoping (billing.selectors.scope).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, employee_of, has_role, is_center_wide

from .models import LedgerState, PaymentKind, VoidStatus

# Model permissions of the role groups (the admin's read views): `BillingConfig.role_permissions`;
# `staff.core.roles.ensure_role_groups` grants them after every migrate and flush.
BILLING_PERMISSIONS = {
    Role.DIRECTOR: [
        "view_account",
        "change_account",
        "view_bill",
        "view_payment",
        "view_invoicerange",
        "view_invoicenumber",
        "view_voidrequest",
        "view_apiclient",
        "view_apicall",
    ],
    Role.OFFICE: [
        "view_account",
        "change_account",
        "view_bill",
        "view_payment",
        "view_invoicerange",
        "view_invoicenumber",
        "view_voidrequest",
        "view_apiclient",
        "view_apicall",
    ],
    Role.SHIFT_LEAD: ["view_account", "view_bill"],
    Role.CASHIER: ["view_account", "view_bill"],
}

# Who reaches which pages (staff.core.access.require_roles); what they see there is scoped.
COUNTER_ROLES = (Role.CASHIER, Role.SHIFT_LEAD)
PAYMENT_ROLES = (Role.CASHIER, Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
LEDGER_ROLES = PAYMENT_ROLES
RANGE_MANAGER_ROLES = (Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
HALL_DAY_ROLES = (Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
IMPORT_ROLES = (Role.DIRECTOR, Role.OFFICE)
# The customer statement (缴费记录) prints from the counter, and the office answers letters.
STATEMENT_ROLES = (Role.CASHIER, Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
# The daily batch files of movements go to the billing system from the office.
MOVEMENT_FILE_ROLES = (Role.DIRECTOR, Role.OFFICE)
# Bill corrections (更正): uploaded and listed by the office and the director.
CORRECTION_ROLES = (Role.DIRECTOR, Role.OFFICE)


def is_center(user) -> bool:
    """The director and the office (and an administrator) see every hall."""
    return user.is_superuser or has_role(user, Role.DIRECTOR, Role.OFFICE)


def works_at_counter(user) -> bool:
    """Cashiers and shift leads take payments and keep a cash ledger."""
    return has_role(user, *COUNTER_ROLES)


def may_correct_bills(user) -> bool:
    """Upload corrections (更正) and see the list of corrections."""
    return user.is_superuser or has_role(user, *CORRECTION_ROLES)


def is_lead_of(user, hall_id) -> bool:
    """The shift lead of the hall `hall_id`."""
    employee = employee_of(user)
    return has_role(user, Role.SHIFT_LEAD) and employee is not None and employee.hall_id == hall_id


def may_print_statement(user) -> bool:
    return user.is_superuser or has_role(user, *STATEMENT_ROLES)


def may_download_movement_files(user) -> bool:
    return user.is_superuser or has_role(user, *MOVEMENT_FILE_ROLES)


# --- Voids ---------------------------------------------------------------------------------


def why_not_voidable(payment) -> str | None:
    """Why `payment` itself cannot be voided (a reversal, voided already, not of today).

    Whether its day is still open is the other half (`why_not_void`); the service checks that
    under the ledger's lock instead.
    """
    from .selectors.payments import is_reversed

    if payment.kind != PaymentKind.PAYMENT:
        return _("A reversal entry cannot be voided.")
    if is_reversed(payment):
        return _("This payment is already voided.")
    if payment.business_date != timezone.localdate():
        return _("Only payments of today's business day can be voided.")
    return None


def day_closed_message(business_date) -> str:
    return _("The cash ledger of %(date)s is already submitted: no more payments or voids.") % {
        "date": business_date
    }


def why_not_void(payment) -> str | None:
    """Why a void of `payment` would be refused as things stand, read without locks, so the
    payment page shows the void form disabled with its reason instead of a request bound to
    fail. The ledger is the one the service locks: the cashier's current hall's."""
    reason = why_not_voidable(payment)
    if reason:
        return reason
    from .selectors.ledger import day_submitted

    employee = employee_of(payment.cashier)
    hall_id = employee.hall_id if employee is not None and employee.hall_id else payment.hall_id
    submitted = day_submitted(
        cashier_id=payment.cashier_id, hall_id=hall_id, business_date=payment.business_date
    ).exists()
    return day_closed_message(payment.business_date) if submitted else None


def may_request_void(user, payment, voids) -> bool:
    """The cashier asks to void their own payment, once (`voids`: its void requests)."""
    from .selectors.payments import is_reversed

    return (
        payment.kind == PaymentKind.PAYMENT
        and payment.cashier_id == user.pk
        and not is_reversed(payment)
        and not any(void.status == VoidStatus.PENDING for void in voids)
    )


def may_decide_voids(user) -> bool:
    return has_role(user, Role.SHIFT_LEAD)


def why_not_decide_void(user, void) -> str | None:
    """Only the shift lead of the payment's hall decides, and never on their own payment."""
    employee = employee_of(user)
    if not may_decide_voids(user) or employee is None:
        return _("Only the hall's shift lead decides voids.")
    if employee.hall_id != void.payment.hall_id:
        return _("Only the shift lead of the payment's hall decides this void.")
    if user.pk in (void.requested_by_id, void.payment.cashier_id):
        return _("You cannot approve or reject a void of your own payment.")
    return None


# --- Invoice stock -------------------------------------------------------------------------


def may_manage_invoice_ranges(user) -> bool:
    """Shift leads, the director and the office issue and close ranges (their own halls')."""
    return user.is_superuser or has_role(user, *RANGE_MANAGER_ROLES)


def may_manage_ranges_of(user, hall_id) -> bool:
    if is_center_wide(user) and has_role(user, Role.OFFICE, Role.DIRECTOR):
        return True
    return is_lead_of(user, hall_id)


def may_hold_invoice_range(user) -> bool:
    """Ranges are issued to cashiers (and shift leads, who take payments too) of a hall."""
    employee = employee_of(user)
    return (
        employee is not None
        and employee.hall_id is not None
        and has_role(user, Role.CASHIER, Role.SHIFT_LEAD)
    )


# --- Cash ledgers and deposits -------------------------------------------------------------


def why_not_change_ledger(user, ledger) -> str | None:
    """Floats, deposits and the count: only the ledger's own cashier, while it is open."""
    if ledger.cashier_id != user.pk:
        return _("Only the cashier of this ledger can do this.")
    if ledger.state != LedgerState.OPEN:
        return _("This cash ledger is already submitted: it cannot be changed.")
    return None


def may_submit(user, ledger) -> bool:
    return why_not_change_ledger(user, ledger) is None


def why_not_deposit(ledger) -> str | None:
    """An open ledger of an earlier day takes no deposit (the page shows the form disabled)."""
    if ledger.business_date != timezone.localdate():
        return _("Deposits are entered on the ledger of today.")
    return None


def may_explain(user, ledger, figures) -> bool:
    """The cashier explains a variance, or deposits that differ, after the close."""
    return (
        ledger.cashier_id == user.pk
        and ledger.state == LedgerState.SUBMITTED
        and bool(ledger.variance or figures.deposit_difference)
    )


def may_verify(user, ledger) -> bool:
    """The hall's shift lead verifies; a shift lead's own ledger goes to the director instead
    (a hall has one lead on duty, and nobody verifies their own ledger)."""
    if user.pk == ledger.cashier_id:
        return False
    if is_lead_of(user, ledger.hall_id):
        return True
    return has_role(user, Role.DIRECTOR) and has_role(ledger.cashier, Role.SHIFT_LEAD)


def why_not_verify(ledger) -> str | None:
    """Why verifying the ledger as it stands would be refused (the page disables the button and
    says so), or None. A recount that finds no variance still lets the lead verify."""
    if ledger.final_variance and not ledger.variance_note:
        return _("The cashier has not explained the variance yet.")
    return None


def may_reopen(user) -> bool:
    """Only the director moves a verified ledger back (with a reason)."""
    return user.is_superuser or has_role(user, Role.DIRECTOR)


def may_see_hall_days(user) -> bool:
    return user.is_superuser or has_role(user, *HALL_DAY_ROLES)


# --- The hall day --------------------------------------------------------------------------


def may_edit_hall_day(user, hall, business_date, hall_day) -> bool:
    """The hall's shift lead enters settlements and signs, on a day that has come, until
    it is signed."""
    signed = hall_day is not None and hall_day.is_signed
    return is_lead_of(user, hall.pk) and not signed and business_date <= timezone.localdate()


def why_not_sign(summary) -> str | None:
    """Why signing the hall day as it stands would be refused (the page disables the button
    and says so), or None."""
    if not summary.rows:
        return _("There is no cash ledger on this day.")
    if summary.unverified:
        return _("%(count)s cash ledgers are not verified yet.") % {
            "count": len(summary.unverified)
        }
    return None


def may_watch_api_clients(user) -> bool:
    """The office and the director are told when the billing system stops reading."""
    return has_role(user, Role.OFFICE, Role.DIRECTOR)


# --- Channel payments ----------------------------------------------------------------------

# The channel payments list and their import: the office and the director.
CHANNEL_ROLES = IMPORT_ROLES
# The list of possible double payments: shift leads (their hall's, and those of no hall) and
# the center.
DOUBLES_ROLES = (Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)


def may_see_doubles(user) -> bool:
    return user.is_superuser or has_role(user, *DOUBLES_ROLES)


def why_not_follow_up(user, payment) -> str | None:
    """A possible double payment is followed up once, by the lead of the hall where the account
    last paid at the counter (any lead when it never did), or by the director or the office."""
    if not payment.possible_double:
        return _("This channel payment is not a possible double payment.")
    if payment.followed_up_at is not None:
        return _("This possible double payment was already followed up.")
    if is_center(user):
        return None
    if payment.follow_up_hall_id is None and has_role(user, Role.SHIFT_LEAD):
        return None
    if is_lead_of(user, payment.follow_up_hall_id):
        return None
    return _("Only the shift lead of the hall where the account last paid follows this up.")
