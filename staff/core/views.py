"""The core's own pages: sign-in, the health check for the load balancer, the error pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .database import database_answers, database_unavailable
from .middleware import delete_ended_cookie


class LoginView(auth_views.LoginView):
    """Django's login page, which says that the last session ended only when one did: after
    the idle period or with the browser (staff.middleware), not on a first visit, after
    logging out, or because a page asked to log in (?next=)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["idle_minutes"] = settings.SESSION_IDLE_MINUTES
        context["session_ended"] = getattr(self.request, "session_ended", "")
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(request, "session_ended", ""):
            delete_ended_cookie(response)  # said once; a reload is a plain login page
        return response


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database answers, 503 otherwise,
    within 2 s either way (`staff.core.database.HEALTHZ_TIMEOUT`)."""
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
        # The middleware on the way out leaves the database alone (SessionIdleMiddleware would
        # read the user again, and wait for the pool a second time).
        request.database_unavailable = True
        return HttpResponse(
            loader.get_template("503.html").render(), status=503, headers={"Retry-After": "10"}
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
