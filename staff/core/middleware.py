"""Request plumbing of the staff app: the idle period of a session, and how the last one ended."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.crypto import constant_time_compare, salted_hmac

ACTIVE_AT_KEY = "_counterops_active_at"

# A signed-in browser also holds this cookie, which outlives the browser session (the session
# cookie does not) and which logging out deletes. A visitor who has it but no live session
# was signed in and did not log out: the session ended by the idle timeout or with the browser.
ENDED_COOKIE = "counterops_signed_in"
ENDED_COOKIE_MAX_AGE = 12 * 3600  # a working day: a notice the next morning would be noise
IDLE, CLOSED = "idle", "closed"


class SessionIdleMiddleware:
    """Activity extends a signed-in session's idle period, written at most once a minute.

    The session's expiry is only stored when the session is saved, so `SESSION_SAVE_EVERY_REQUEST`
    kept the idle period exact at the price of an UPDATE, in a transaction of its own, on every
    request: on the counter that was a sixth of a payment's queries. Here the session is marked
    modified only when its last save is `SESSION_TOUCH_SECONDS` old, so a session ends between
    `SESSION_IDLE_MINUTES` minus that and `SESSION_IDLE_MINUTES` after the last request.

    It also sets `request.session_ended` to IDLE or CLOSED when the visitor's signed-in session
    ended by itself (the login page says so), and "" otherwise: a first visit, after logging
    out, a stale cookie of another session.

    Sits after SessionMiddleware and AuthenticationMiddleware: it reads `request.user` and
    marks the session on the way out, before SessionMiddleware saves it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.SESSION_TOUCH_SECONDS

    def __call__(self, request):
        marker = request.COOKIES.get(ENDED_COOKIE)
        was_signed_in = False
        request.session_ended = ""
        if marker:
            # The session is loaded here instead of a moment later for request.user.
            was_signed_in = SESSION_KEY in request.session
            if not was_signed_in:
                request.session_ended = _how_it_ended(request, marker)
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return response  # the 503 page (staff.core.views.server_error): no second wait
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            touch = int(time.time()) - session.get(ACTIVE_AT_KEY, 0) >= self.interval
            if touch:
                mark_active(session)
            expected = session_mark(session.session_key)
            if touch or marker != expected:
                set_ended_cookie(response, expected)
        elif ENDED_COOKIE in response.cookies:
            pass  # the login page has shown the notice and deleted the cookie
        elif was_signed_in:
            # Logged out here, or Django ended the session (the password changed): not by itself.
            delete_ended_cookie(response)
        elif request.session_ended == IDLE and marker != IDLE:
            # This response deletes the expired session's cookie: remember that it was idle.
            set_ended_cookie(response, IDLE)
        return response


def _how_it_ended(request, marker: str) -> str:
    if marker == IDLE:
        return IDLE
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key is None:
        return CLOSED  # the browser dropped its session cookie: it was closed
    if constant_time_compare(marker, session_mark(key)):
        return IDLE  # the very session this browser signed in with has expired
    return ""  # a cookie of some other session: nothing is known


def session_mark(session_key: str) -> str:
    """Ties the cookie to one session without giving its key away."""
    return salted_hmac("staff.middleware.session_mark", session_key or "").hexdigest()


def set_ended_cookie(response, value: str):
    response.set_cookie(
        ENDED_COOKIE,
        value,
        max_age=ENDED_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def delete_ended_cookie(response):
    response.delete_cookie(ENDED_COOKIE, samesite=settings.SESSION_COOKIE_SAMESITE)


def mark_active(session):
    """Record activity now; the session is saved (and its expiry moved) with the response."""
    session[ACTIVE_AT_KEY] = int(time.time())


def on_login(sender, request, user, **kwargs):
    """`user_logged_in`: login saves the session anyway, so its first minute is counted."""
    if request is not None and hasattr(request, "session"):
        mark_active(request.session)
