"""Request plumbing of the staff app: the idle period of a session."""

import time

from django.conf import settings

ACTIVE_AT_KEY = "_counterops_active_at"


class SessionIdleMiddleware:
    """Activity extends a signed-in session's idle period, written at most once a minute.

    The session's expiry is only stored when the session is saved, so `SESSION_SAVE_EVERY_REQUEST`
    kept the idle period exact at the price of an UPDATE, in a transaction of its own, on every
    request: on the counter that was a sixth of a payment's queries. Here the session is marked
    modified only when its last save is `SESSION_TOUCH_SECONDS` old, so a session ends between
    `SESSION_IDLE_MINUTES` minus that and `SESSION_IDLE_MINUTES` after the last request.

    Sits after SessionMiddleware and AuthenticationMiddleware: it reads `request.user` and
    marks the session on the way out, before SessionMiddleware saves it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.SESSION_TOUCH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            if int(time.time()) - session.get(ACTIVE_AT_KEY, 0) >= self.interval:
                mark_active(session)
        return response


def mark_active(session):
    """Record activity now; the session is saved (and its expiry moved) with the response."""
    session[ACTIVE_AT_KEY] = int(time.time())


def on_login(sender, request, user, **kwargs):
    """`user_logged_in`: login saves the session anyway, so its first minute is counted."""
    if request is not None and hasattr(request, "session"):
        mark_active(request.session)
