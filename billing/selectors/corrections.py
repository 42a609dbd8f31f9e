"""Reads of bill corrections (更正): the office's list and its download."""

from ..models import BillCorrection


def corrections_list():
    """Every correction, newest first, with its bill, account and who made it (one query)."""
    return BillCorrection.objects.select_related(
        "bill__account", "corrected_by__employee"
    ).order_by("-corrected_at", "-id")
