from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from billing.api import api
from staff.core import views as staff_views
from staff.core.forms import LoginForm

urlpatterns = [
    path(
        "accounts/login/",
        staff_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", staff_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("billing/", include("billing.urls")),
    path("complaints/", include("complaints.urls")),
    path("safety/", include("safety.urls")),
    path("", include("staff.urls")),
]

handler400 = "staff.core.views.bad_request"
handler403 = "staff.core.views.permission_denied"
handler404 = "staff.core.views.page_not_found"
handler500 = "staff.core.views.server_error"
