"""What a request sends is untrusted: reading query parameters, and refusing NUL characters.

A query parameter that is not what the page expects (a year of 10,000 digits, a hall id beyond
the database's integers) falls back to the page's default, as if it had not been given; it
never reaches the database or Python's int() unchecked.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

# More digits than any id or year of ours; also keeps int() far from Python's 4,300-digit limit,
# beyond which it raises instead of parsing (a ValueError few views expect).
MAX_INT_DIGITS = 18


def int_param(params, name, default, *, low, high):
    """`params[name]` as a whole number in [low, high], else `default`."""
    text = (params.get(name) or "").strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_INT_DIGITS:
        return default
    value = int(text)
    return value if low <= value <= high else default


class RefuseNulMiddleware:
    """A NUL character (0x00) in the path, the query or a plain form answers 400.

    PostgreSQL cannot store or even compare text holding a NUL: `/complaints/?q=%00` answered
    500 there (SQLite took it). No field of the app accepts one and nobody types one, so it is
    refused here, once, rather than in every view that searches or filters. Multipart bodies
    (uploads) are not read here, so a view may still choose its upload handlers; their text
    fields go through forms, whose CharField refuses NUL with a message of its own.

    Sits after the middleware whose headers every page carries (CSP, frame options), so the
    400 page has them too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return render(
                request,
                "400.html",
                {"reason": _("The request contains a NUL character, which no field accepts.")},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request):
        if "\x00" in request.path:
            return True
        data = [request.GET]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            data.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for query in data
            for key, values in query.lists()
        )
