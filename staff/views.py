from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .database import database_answers, database_unavailable
from .extensions import attention_items_for


@login_required
def home(request):
    """Each person's start page: who they are, what needs attention, where they may go."""
    return render(
        request, "staff/home.html", {"attention_items": attention_items_for(request.user)}
    )


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database answers, 503 otherwise,
    within 2 s either way (`staff.database.HEALTHZ_TIMEOUT`)."""
    if not database_answers():
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error_page(request, status, template):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error_page(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error_page(request, 404, "404.html")


def server_error(request):
    # No context processors: the database may be what failed.
    import sys

    from django.http import HttpResponse, HttpResponseServerError
    from django.template import loader

    # Django calls this handler while it handles the exception, so it is still at hand.
    if database_unavailable(sys.exc_info()[1]):
        return HttpResponse(
            loader.get_template("503.html").render(), status=503, headers={"Retry-After": "10"}
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
