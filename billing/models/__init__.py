"""The billing models, one module per feature; every model is importable from here
(`from billing.models import Payment`), as Django and the migrations expect."""

from .accounts import Account, AccountStatus, Bill, BillStatus
from .deposits import Deposit
from .hall_day import SETTLED_METHODS, HallDay, TerminalSettlement
from .imports import BillImport, BillImportJob, BillImportJobStatus, _job_upload_to
from .invoices import (
    INVOICE_NUMBER_WIDTH,
    InvoiceNumber,
    InvoiceNumberStatus,
    InvoiceRange,
    InvoiceRangeStatus,
)
from .ledger import DENOMINATIONS, CashLedger, LedgerState, count_field
from .payments import Payment, PaymentKind, PaymentLine, PaymentMethod
from .voids import VoidRequest, VoidStatus

__all__ = [
    "DENOMINATIONS",
    "INVOICE_NUMBER_WIDTH",
    "SETTLED_METHODS",
    "Account",
    "AccountStatus",
    "Bill",
    "BillImport",
    "BillImportJob",
    "BillImportJobStatus",
    "BillStatus",
    "CashLedger",
    "Deposit",
    "HallDay",
    "InvoiceNumber",
    "InvoiceNumberStatus",
    "InvoiceRange",
    "InvoiceRangeStatus",
    "LedgerState",
    "Payment",
    "PaymentKind",
    "PaymentLine",
    "PaymentMethod",
    "TerminalSettlement",
    "VoidRequest",
    "VoidStatus",
    # Migration 0009 names the upload path function by this path.
    "_job_upload_to",
    "count_field",
]
