"""staff.core.refusals: a service's refusal shown at the top of the page or on the form."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError

from staff.core.refusals import refuse, refuse_on_form


class NoteForm(forms.Form):
    note = forms.CharField()


def test_it_puts_every_message_at_the_top_of_the_page(rf):
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    refuse(request, ValidationError(["第一条原因。", "第二条原因。"]))

    shown = [(m.level_tag, m.message) for m in get_messages(request)]
    assert shown == [("error", "第一条原因。"), ("error", "第二条原因。")]


def test_it_puts_a_named_field_on_that_field_and_the_rest_above_the_form():
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    refuse_on_form(form, ValidationError({"note": "备注太短。", "elsewhere": "整体不成立。"}))

    assert form.errors["note"] == ["备注太短。"]
    assert form.non_field_errors() == ["整体不成立。"]


def test_it_puts_a_plain_refusal_above_the_form():
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    refuse_on_form(form, ValidationError("今天的台账已提交。"))

    assert form.non_field_errors() == ["今天的台账已提交。"]
