"""Bad input never reaches a 500 (issue #11, section 6).

Walks every URL of the access matrix as a persona allowed to use it and GETs the page. Its query
parameters are those its links and GET forms send plus every name the view asked request.GET
for (recorded while the page was served, so no list per URL is kept by hand); its forms are read
from the HTML. Then each hostile value of `tests.fuzz.HOSTILE` goes into each query parameter,
path argument and form field, one at a time, the others keeping the page's own values. No answer
may be a 5xx, and a refused post (an error status, the form shown again, or an error message)
must not have written a row.

Posts are multipart, as the test client sends them: a browser sends these forms url-encoded,
which staff.core.params.RefuseNulMiddleware checks for NUL first, so multipart reaches the forms and
views with everything.

A POST-only URL is reached through the page that holds its form (`HOST`); a form that only shows
in some state gets that state from `SETUP`. The whole run takes well under a minute per database
on a quiet machine: one persona per URL, one field at a time, alike fields once.
"""

import re
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from staff.models import AuditEntry
from tests.access import access_rows
from tests.fuzz import HOSTILE, PageParser, RecordingQueryDict, WriteRecorder

ROWS = access_rows()

# Most senior first: each URL is fuzzed as the first persona allowed to use it.
SENIORITY = [
    "director",
    "office",
    "shift_lead",
    "lobby_manager",
    "cashier",
    "cashier2",
    "other_lead",
    "other_lobby_manager",
    "other_cashier",
    "liaison",
    "anonymous",
]

# Where the form is only shown to someone else than the most senior persona allowed.
PERSONA = {
    "login": "anonymous",
    "billing:counter": "cashier",
    "billing:ledger_today": "cashier",
    "billing:ledger_float": "cashier",
    "billing:deposit_create": "cashier",
    "billing:ledger_submit": "cashier",
    "billing:ledger_explain": "cashier",
    "billing:ledger_verify": "shift_lead",
    "billing:hall_day_settlement": "shift_lead",
    "billing:hall_day_sign": "shift_lead",
    "billing:void_request": "cashier",
    "billing:invoice_spoil": "cashier",
    "staff:clock": "cashier",
    "staff:leave_list": "shift_lead",
}

# POST-only URL -> the page that holds its form, and which of the URL's arguments that page takes.
HOST = {
    "logout": ("staff:home", []),
    "staff:clock": ("staff:home", []),
    "billing:void_request": ("billing:payment_detail", ["pk"]),
    "billing:void_approve": ("billing:void_list", []),
    "billing:void_reject": ("billing:void_list", []),
    "billing:invoice_range_close": ("billing:invoice_range_detail", ["pk"]),
    "billing:invoice_spoil": ("billing:invoice_range_list", []),
    "billing:ledger_float": ("billing:ledger_detail", ["pk"]),
    "billing:deposit_create": ("billing:ledger_detail", ["pk"]),
    "billing:ledger_submit": ("billing:ledger_detail", ["pk"]),
    "billing:ledger_explain": ("billing:ledger_detail", ["pk"]),
    "billing:ledger_verify": ("billing:ledger_detail", ["pk"]),
    "billing:ledger_reopen": ("billing:ledger_detail", ["pk"]),
    "billing:bill_import_confirm": ("billing:bill_import_job", ["pk"]),
    "billing:bill_import_discard": ("billing:bill_import_job", ["pk"]),
    "billing:channel_import_confirm": ("billing:channel_import_job", ["pk"]),
    "billing:channel_import_discard": ("billing:channel_import_job", ["pk"]),
    "billing:channel_follow_up": ("billing:channel_doubles", []),
    "billing:hall_day_settlement": ("billing:hall_day", ["hall", "day"]),
    "billing:hall_day_sign": ("billing:hall_day", ["hall", "day"]),
    "complaints:ticket_action": ("complaints:ticket_detail", ["pk"]),
    "complaints:calendar_enter": ("complaints:calendar", []),
    "complaints:calendar_confirm": ("complaints:calendar", []),
    "complaints:calendar_day_delete": ("complaints:calendar", []),
    "safety:contact_delete": ("safety:contact_edit", ["pk"]),
    "safety:group_remove": ("safety:group", []),
    "safety:officer_set": ("safety:group", []),
    "safety:incident_step": ("safety:incident_detail", ["pk"]),
    "safety:incident_transition": ("safety:incident_detail", ["pk"]),
    "safety:incident_person": ("safety:incident_detail", ["pk"]),
    "safety:incident_correct": ("safety:incident_detail", ["pk"]),
    "safety:incident_notes": ("safety:incident_detail", ["pk"]),
    "safety:incident_action": ("safety:incident_detail", ["pk"]),
    "safety:action_done": ("safety:action_list", []),
    "safety:drill_action": ("safety:drill_detail", ["pk"]),
}

# Valid values, by field shape, where a page leaves the field empty and a guess would be wrong.
VALID = {
    "account_no": "",
    "lines": "2199-02-06 休 春节",
    "c-#-#": "休",  # a roster cell: rest
}

# Tables a refused request may still write: the session and the failed-login log.
IGNORED_TABLES = {"django_session", "axes_accessattempt", "axes_accessfailurelog"}


# --- The state some forms need ----------------------------------------------------------------


def _counter_account(world, kwargs):
    from tests.billing.factories import InvoiceRangeFactory, account_with_bills

    InvoiceRangeFactory(cashier=world.cashier)
    return f"q={account_with_bills('30.00', '40.00').account_no}"


def _invoice_range(world, kwargs):
    from tests.billing.factories import InvoiceRangeFactory

    InvoiceRangeFactory(cashier=world.cashier)
    return ""


def _ledger(kwargs):
    from billing.models import CashLedger

    return CashLedger.objects.get(pk=kwargs["pk"])


def _submitted(world, kwargs):
    """Submitted short of its float, so the cashier explains and the lead verifies."""
    from billing.services.ledger import ledger_submit

    ledger_submit(cashier=world.cashier, ledger=_ledger(kwargs), counts={}, coins_total="0")
    return ""


def _verified(world, kwargs):
    from billing.services.ledger import ledger_explain, ledger_verify

    _submitted(world, kwargs)
    ledger_explain(cashier=world.cashier, ledger=_ledger(kwargs), note="点错了")
    ledger_verify(lead=world.shift_lead, ledger=_ledger(kwargs), note="短款已查明")
    return ""


def _uploaded_job(world, kwargs):
    """The access table's job, back to waiting for the office's confirmation, with its file."""
    from django.core.files.base import ContentFile

    from billing.models import BillImportJob, BillImportJobStatus

    job = BillImportJob.objects.get(pk=kwargs["pk"])
    job.status = BillImportJobStatus.UPLOADED
    job.file.save(
        "bills.csv", ContentFile("户号,户名,地址,电话,账期,水量,金额\n3001,孙八,,,2026-01,1,3\n")
    )
    return ""


def _uploaded_channel_job(world, kwargs):
    """The access table's channel payments job, back to waiting, with its file."""
    from django.core.files.base import ContentFile

    from billing.models import BillImportJob, BillImportJobStatus

    job = BillImportJob.objects.get(pk=kwargs["pk"])
    job.status = BillImportJobStatus.UPLOADED
    job.file.save(
        "channel_payments.csv",
        ContentFile("渠道,流水号,户号,金额,支付时间\n微信,WX1,3001,3.00,2026-01-01 10:00\n"),
    )
    return ""


def _calendar_year_open(world, kwargs):
    """A year the chinesecalendar package does not know, so it can still be confirmed."""
    return "year=2199"


SETUP = {
    "billing:bill_import_confirm": _uploaded_job,
    "billing:bill_import_discard": _uploaded_job,
    "billing:channel_import_confirm": _uploaded_channel_job,
    "billing:channel_import_discard": _uploaded_channel_job,
    "complaints:calendar_confirm": _calendar_year_open,
    "billing:counter": _counter_account,
    "billing:invoice_spoil": _invoice_range,
    "billing:ledger_explain": _submitted,
    "billing:ledger_verify": _submitted,
    "billing:ledger_reopen": _verified,
}


# --- The fuzzer ---------------------------------------------------------------------------------


def _persona(name, row):
    if name in PERSONA:
        return PERSONA[name]
    wanted = 405 if name in HOST else 200
    allowed = [p for p in SENIORITY if row.codes[p] == wanted]
    assert allowed, f"{name}: nobody opens it with GET; name the page holding its form in HOST"
    return allowed[0]


def _view_name(url):
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _shape(name):
    """Fields named alike (`c-12-20260301`, `c-12-20260302`, ...) are fuzzed once."""
    return re.sub(r"\d+", "#", name)


def _distinct(forms):
    """One form of each kind: the forty "delete this day" forms of a calendar are one."""
    kinds = {}
    for form in forms:
        kind = (_view_name(form.action), tuple(sorted({_shape(n) for n in form.values})))
        kinds.setdefault(kind, form)
    return list(kinds.values())


class Fuzzer:
    def __init__(self, client, persona):
        self.client = client
        self.persona = persona
        self.failures: list[str] = []

    def send(self, method, url, data=None, *, what):
        """One request in a savepoint of its own, so a database error cannot spoil the next."""
        recorder = WriteRecorder(IGNORED_TABLES)
        audit_before = AuditEntry.objects.count() if method == "post" else 0
        savepoint = transaction.savepoint()
        with connection.execute_wrapper(recorder):
            response = getattr(self.client, method)(url, data or {})
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
            error = response.exc_info[1] if getattr(response, "exc_info", None) else ""
            self.failures.append(
                f"{method.upper()} {url[:120]} {what}: {response.status_code} {error!r:.300}"
            )
            return response
        transaction.savepoint_commit(savepoint)
        if method == "post" and self._refused(response):
            written = sorted(set(recorder.writes))
            if AuditEntry.objects.count() != audit_before:
                written.append("audit entry")
            if written:
                self.failures.append(
                    f"POST {url[:120]} {what}: refused ({response.status_code}) but wrote {written}"
                )
        return response

    @staticmethod
    def _refused(response):
        if response.status_code >= 400 or response.status_code == 200:
            return True
        # Only this request's messages: earlier ones wait in the cookie until a page shows them.
        queued = getattr(response.wsgi_request, "_messages", None)
        return any(m.level >= constants.ERROR for m in getattr(queued, "_queued_messages", ()))

    def login(self, world):
        self.client.logout()
        if self.persona != "anonymous":
            self.client.force_login(getattr(world, self.persona))

    def page(self, url):
        """GET the page and read its forms, links and the query parameters the view reads."""
        RecordingQueryDict.read = set()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("django.core.handlers.wsgi.QueryDict", RecordingQueryDict)
            response = self.send("get", url, what="as it is")
        parser = PageParser(timezone.localdate().isoformat())
        if response.get("Content-Type", "").startswith("text/html"):
            parser.feed(response.content.decode())
        return response, parser, set(RecordingQueryDict.read)

    def query(self, url, names):
        path, _, query = url.partition("?")
        for name in sorted(names):
            for label, value in HOSTILE.items():
                params = QueryDict(query, mutable=True)
                params[name] = value
                self.send("get", f"{path}?{params.urlencode()}", what=f"?{name}={label}")

    def path_args(self, url, method, kwargs):
        path, _, query = url.partition("?")
        for key, value in kwargs.items():
            value = str(value)
            for label, hostile in HOSTILE.items():
                changed = self._replace_segment(path, value, quote(hostile, safe=""))
                if changed:
                    changed += f"?{query}" if query else ""
                    self.send(method, changed, what=f"<{key}>={label}")

    @staticmethod
    def _replace_segment(path, old, new):
        for before, after in ((f"/{old}/", f"/{new}/"), (f".{old}", f".{new}")):
            index = path.rfind(before)
            if index >= 0:
                return path[:index] + after + path[index + len(before) :]
        return None

    def form(self, url, form):
        target = form.action or url
        base = {name: VALID.get(_shape(name), value) for name, value in form.values.items()}
        base.pop("csrfmiddlewaretoken", None)
        fields = list(base)
        if form.submits:
            name, value = form.submits[0]
            base.setdefault(name, value)
            fields.append(name)
        seen = set()
        for field in [*fields, *form.files]:
            if _shape(field) in seen:
                continue
            seen.add(_shape(field))
            for label, value in HOSTILE.items():
                data = {**base, field: value}
                for name in form.files:
                    content = value if name == field else "测试"
                    data[name] = SimpleUploadedFile(f"{name}.csv", content.encode())
                self.send("post", target, data, what=f"{field}={label}")


# The API for the billing system takes a token, not a session, and JSON, not forms: this
# fuzzer cannot reach it. tests/billing/test_api_bad_input.py sends the same hostile values
# (tests.fuzz.HOSTILE) to every parameter and field of it, with a token.
TOKEN_ONLY = {"api:movements", "api:channel_payments", "api:api-root"}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_bad_input_never_reaches_a_500(name, world, client):
    if name in TOKEN_ONLY:
        pytest.skip("the token-only JSON API: fuzzed by tests/billing/test_api_bad_input.py")
    row = ROWS[name]
    client.raise_request_exception = False
    fuzzer = Fuzzer(client, _persona(name, row))
    kwargs = row.kwargs(world) if row.kwargs else {}
    extra_query = SETUP[name](world, kwargs) if name in SETUP else ""
    fuzzer.login(world)
    url = reverse(name, kwargs=kwargs or None)
    query = "&".join(q for q in (row.query, extra_query) if q)

    if name in HOST:
        host, keys = HOST[name]
        page_url = reverse(host, kwargs={k: kwargs[k] for k in keys} or None)
        _, page, _ = fuzzer.page(f"{page_url}?{query}" if query else page_url)
        forms = [f for f in page.forms if f.method == "post" and _view_name(f.action) == name]
        assert forms, f"no form posting to {name} on {page_url} as {fuzzer.persona}"
        fuzzer.path_args(url, "post", kwargs)
    else:
        page_url = f"{url}?{query}" if query else url
        response, page, read = fuzzer.page(page_url)
        assert response.status_code < 400, f"{page_url} as {fuzzer.persona}: {response.status_code}"
        fuzzer.query(page_url, read | page.link_params(url))
        fuzzer.path_args(page_url, "get", kwargs)
        forms = [
            f for f in page.forms if f.method == "post" and _view_name(f.action or url) == name
        ]
    for form in _distinct(forms):
        fuzzer.form(page_url, form)

    assert fuzzer.failures == [], "\n".join(fuzzer.failures)
