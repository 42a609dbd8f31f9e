"""Bill corrections (更正), for the office and the director: the list and its download. The
corrections themselves are uploaded through the bills import (billing.views.imports)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from staff.core.access import require_roles
from staff.core.tabular import table_response

from .. import exports, rules
from ..filters import CorrectionFilterSet
from ..selectors import corrections as selectors

PAGE_SIZE = 100


def _filtered(request):
    filterset = CorrectionFilterSet(request.GET, queryset=selectors.corrections_list())
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, queryset


@require_roles(*rules.CORRECTION_ROLES)
def correction_list(request):
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "billing/corrections/list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@require_roles(*rules.CORRECTION_ROLES)
def correction_export(request, fmt):
    _filterset, queryset = _filtered(request)
    table = exports.corrections_table(queryset)
    return table_response(
        fmt, f"bill-corrections-{timezone.localdate().isoformat()}", table, stream=True
    )
