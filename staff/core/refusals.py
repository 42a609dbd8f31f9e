"""A service's refusal (ValidationError) shown where the user looks: the one way for every view.

Services refuse with a ValidationError whose messages a cashier can read. A view shows them
either at the top of the page (`refuse`: Django messages, rendered as alerts by base.html, with
focus moved to them by static/js/app.js) or on the form that was posted (`refuse_on_form`: each
message on its field when the service named one, else above the form).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


def refuse(request, error: ValidationError) -> None:
    """Every message of `error` at the top of the next page shown."""
    for message in error.messages:
        messages.error(request, message)


def refuse_on_form(form, error: ValidationError) -> None:
    """Every message of `error` on `form`: on the field the service named, else above it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
