from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from billing.models import CashLedger, Deposit, LedgerState
from billing.services import ledger as ledger_services


def _ledger_of(cashier):
    return CashLedger.objects.get(cashier=cashier, business_date=timezone.localdate())


def _url(name, ledger):
    return reverse(f"billing:{name}", kwargs={"pk": ledger.pk})


COUNT = {f"count_{d}": "" for d in ("100", "50", "20", "10", "5", "1", "0.5", "0.1")}


def test_cashier_opens_todays_ledger_with_the_float_handed_over(world, login):
    client = login(world.cashier)
    response = client.post(reverse("billing:ledger_today"), {"opening_float": "300.00"})
    ledger = _ledger_of(world.cashier)
    assert response.status_code == 302 and ledger.opening_float == Decimal("300.00")
    assert client.get(reverse("billing:ledger_today")).url == _url("ledger_detail", ledger)


def test_open_ledger_page_is_blind_for_the_cashier_but_not_for_the_lead(world, login, pay, account):
    pay(account, "30.00")
    ledger = _ledger_of(world.cashier)
    page = login(world.cashier).get(_url("ledger_detail", ledger)).content.decode()
    assert 'data-testid="blind"' in page and 'data-testid="expected"' not in page
    assert "预期现金" not in page
    page = login(world.shift_lead).get(_url("ledger_detail", ledger)).content.decode()
    assert 'data-testid="blind"' not in page and "预期现金" in page


def test_blind_close_then_expected_and_variance_are_shown(world, login, pay, account):
    pay(account, "30.00")
    ledger = _ledger_of(world.cashier)
    client = login(world.cashier)
    form = {**COUNT, "count_100": "5", "count_10": "2", "coins_total": "0"}
    form["no_deposit_reason"] = "随次日资金入账"
    response = client.post(_url("ledger_submit", ledger), form, follow=True)
    page = response.content.decode()
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED and ledger.variance == Decimal("-10.00")
    assert 'data-testid="expected"' in page and "短款" in page
    assert 'data-testid="explain-form"' in page


def test_negative_count_gets_a_chinese_message_and_changes_nothing(world, login, pay, account):
    pay(account, "30.00")
    ledger = _ledger_of(world.cashier)
    response = login(world.cashier).post(
        _url("ledger_submit", ledger), {**COUNT, "count_100": "-1", "coins_total": "0"}
    )
    assert response.status_code == 400
    assert "不能为负" in response.content.decode()
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.OPEN


def test_deposit_with_the_depositor_as_escort_is_refused_in_chinese(world, login, pay, account):
    pay(account, "30.00")
    ledger = _ledger_of(world.cashier)
    data = {
        "bank": "工商银行",
        "slip_no": "S1",
        "amount": "30.00",
        "depositor": world.cashier.employee.pk,
        "escort": world.cashier.employee.pk,
    }
    client = login(world.cashier)
    response = client.post(_url("deposit_create", ledger), data)
    assert response.status_code == 400 and "陪同人" in response.content.decode()
    assert not Deposit.objects.exists()
    data["escort"] = world.cashier2.employee.pk
    assert client.post(_url("deposit_create", ledger), data).status_code == 302
    assert Deposit.objects.get().escort == world.cashier2.employee


def test_lead_verifies_and_director_reopens_with_history(world, login, pay, account):
    pay(account, "30.00")
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=_ledger_of(world.cashier),
        counts={"100": 5, "10": 3},
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )
    lead = login(world.shift_lead)
    assert lead.post(_url("ledger_verify", ledger), {"note": ""}).status_code == 302
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.VERIFIED
    director = login(world.director)
    assert director.post(_url("ledger_reopen", ledger), {"reason": "复核"}).status_code == 302
    page = director.get(_url("ledger_detail", ledger)).content.decode()
    assert "复核" in page


def test_cashier_cannot_see_another_cashiers_ledger(world, login, pay, account):
    pay(account, "30.00", cashier=world.cashier2)
    ledger = _ledger_of(world.cashier2)
    assert login(world.cashier).get(_url("ledger_detail", ledger)).status_code == 404
    assert login(world.other_lead).get(_url("ledger_detail", ledger)).status_code == 404


def test_ledger_page_query_count_is_fixed(
    world, login, pay, account, django_assert_max_num_queries
):
    for _ in range(5):
        pay(account, "30.00")
    ledger = _ledger_of(world.cashier)
    client = login(world.shift_lead)
    client.get(_url("ledger_detail", ledger))
    with django_assert_max_num_queries(12):
        client.get(_url("ledger_detail", ledger))


def _close_all(world, pay, account):
    for cashier in (world.cashier, world.cashier2):
        pay(account, "30.00", cashier=cashier)
        pay(account, "20.00", method="wechat", reference="W", cashier=cashier)
        ledger = ledger_services.ledger_submit(
            cashier=cashier,
            ledger=_ledger_of(cashier),
            counts={"100": 5, "10": 3},
            coins_total="0",
            no_deposit_reason="随次日资金入账",
        )
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def test_ledger_list_query_count_does_not_grow(
    world, login, pay, account, django_assert_max_num_queries
):
    _close_all(world, pay, account)
    pay(account, "30.00", cashier=world.other_cashier)
    client = login(world.director)
    url = reverse("billing:ledger_list")
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("查看台账") == 3


def test_ledger_list_filters_by_date_and_state_through_its_filterset(world, login, pay, account):
    from billing.filters import LedgerFilterSet

    _close_all(world, pay, account)  # two verified ledgers today
    pay(account, "30.00", cashier=world.other_cashier)  # one open ledger today
    client = login(world.director)
    url = reverse("billing:ledger_list")
    today = timezone.localdate().isoformat()

    def shown(query):
        response = client.get(url, query)
        assert isinstance(response.context["filter"], LedgerFilterSet)
        return {ledger.cashier_id for ledger in response.context["ledgers"]}

    assert shown({"state": "open"}) == {world.other_cashier.pk}
    assert shown({"state": "verified", "date": today}) == {world.cashier.pk, world.cashier2.pk}
    assert shown({"date": "2001-01-01"}) == set()
    # What does not parse is left out, as before: the list shows as if it were not given.
    everyone = {world.cashier.pk, world.cashier2.pk, world.other_cashier.pk}
    assert shown({"state": "nonsense", "date": "31.12."}) == everyone
    page = client.get(url, {"state": "open"}).content.decode()
    assert '<option value="open" selected>' in page


def test_ledger_list_query_count_is_the_same_with_filters(
    world, login, pay, account, django_assert_max_num_queries
):
    _close_all(world, pay, account)
    client = login(world.director)
    url = reverse("billing:ledger_list")
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url, {"state": "verified", "date": timezone.localdate()})
    assert response.content.decode().count("查看台账") == 2
