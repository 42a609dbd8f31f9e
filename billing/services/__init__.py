"""Every write of billing, one module per feature: each validates, locks what it changes
(select_for_update), writes in one transaction.atomic() and records an audit entry.

Lock order, everywhere: account, then the cashier's cash ledger, then invoice range, then bills.
"""
