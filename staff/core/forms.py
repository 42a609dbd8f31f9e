"""The sign-in form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form sets the username's max_length after the field is built, so the
    length is never checked: a name of 10,000 characters reached axes, whose log of failed
    logins (varchar(255)) then overflowed on PostgreSQL. Here it is a form error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
