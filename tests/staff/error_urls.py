"""The project's URLs and error handlers plus two views that fail on purpose (logging tests)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("the database went away")


def refuse(request):
    raise PermissionDenied("the ledger is signed")


urlpatterns = [path("crash/", crash), path("refuse/", refuse), *project_urlpatterns]
