"""Model permissions of the billing app for the role groups (used by the admin's read views).

Declared as `BillingConfig.role_permissions`; `staff.roles.ensure_role_groups` grants them after
every migrate and flush.
"""

from staff.roles import Role

BILLING_PERMISSIONS = {
    Role.DIRECTOR: [
        "view_account",
        "change_account",
        "view_bill",
        "view_payment",
        "view_invoicerange",
        "view_invoicenumber",
        "view_voidrequest",
    ],
    Role.OFFICE: [
        "view_account",
        "change_account",
        "view_bill",
        "view_payment",
        "view_invoicerange",
        "view_invoicenumber",
        "view_voidrequest",
    ],
    Role.SHIFT_LEAD: ["view_account", "view_bill"],
    Role.CASHIER: ["view_account", "view_bill"],
}
