"""The billing models, one module per feature; every model is importable from here
(`from billing.models import Payment`), as Django and the migrations expect."""

from .accounts import Account, AccountStatus, Bill, BillStatus
from .api_clients import ApiCall, ApiClient, ApiScope
from .channels import Channel, ChannelPayment
from .corrections import BillCorrection
from .deposits import Deposit
from .hall_day import SETTLED_METHODS, HallDay, TerminalSettlement
from .imports import BillImport, BillImportJob, BillImportJobStatus, ImportKind, _job_upload_to
from .invoices import (
    INVOICE_NUMBER_WIDTH,
    InvoiceNumber,
    InvoiceNumberStatus,
    InvoiceRange,
    InvoiceRangeStatus,
)
from .ledger import DENOMINATIONS, CashLedger, LedgerState, count_field
from .movements import Movement, MovementKind, MovementLine, MovementSequence
from .payments import Payment, PaymentKind, PaymentLine, PaymentMethod
from .voids import VoidRequest, VoidStatus

__all__ = [
    "MovementSequence",
    "MovementLine",
    "MovementKind",
    "Movement",
    "BillCorrection",
    "ChannelPayment",
    "Channel",
    "ApiScope",
    "ApiClient",
    "ApiCall",
    "DENOMINATIONS",
    "INVOICE_NUMBER_WIDTH",
    "SETTLED_METHODS",
    "Account",
    "AccountStatus",
    "Bill",
    "BillImport",
    "BillImportJob",
    "BillImportJobStatus",
    "ImportKind",
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
