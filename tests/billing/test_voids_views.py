import re
from decimal import Decimal

from django.urls import reverse

from billing.models import (
    CashLedger,
    Payment,
    PaymentKind,
    VoidRequest,
    VoidStatus,
)
from billing.services import counter as counter_services
from billing.services import ledger as ledger_services
from billing.services import voids as void_services
from tests.billing.factories import account_with_bills


def _post(cashier):
    account = account_with_bills("30.00")
    return counter_services.payment_post(
        cashier=cashier,
        account_id=account.pk,
        amount=Decimal("30.00"),
        method="cash",
        tendered=Decimal("30.00"),
    ).payment


def test_cashier_requests_and_the_lead_approves_through_the_pages(world, login, ranges):
    payment = _post(world.cashier)
    client = login(world.cashier)
    detail = reverse("billing:payment_detail", kwargs={"pk": payment.pk})
    assert "申请作废" in client.get(detail).content.decode()

    client.post(reverse("billing:void_request", kwargs={"pk": payment.pk}), {"reason": "户号错"})
    void = VoidRequest.objects.get()

    lead = login(world.shift_lead)
    assert "户号错" in lead.get(reverse("billing:void_list")).content.decode()
    lead.post(reverse("billing:void_approve", kwargs={"pk": void.pk}), {"note": "同意"})

    void.refresh_from_db()
    assert void.status == VoidStatus.APPROVED
    assert Payment.objects.filter(kind=PaymentKind.REVERSAL, reverses=payment).exists()
    assert "已作废" in lead.get(detail).content.decode()


def test_lead_of_another_hall_gets_404_for_the_void(world, login, ranges):
    payment = _post(world.cashier)
    void = void_services.void_request(actor=world.cashier, payment=payment, reason="x")

    response = login(world.other_lead).post(reverse("billing:void_approve", kwargs={"pk": void.pk}))

    assert response.status_code == 404
    void.refresh_from_db()
    assert void.status == VoidStatus.PENDING


def test_a_lead_approving_their_own_payment_gets_a_message(world, login, ranges):
    payment = _post(world.shift_lead)
    void = void_services.void_request(actor=world.shift_lead, payment=payment, reason="x")

    response = login(world.shift_lead).post(
        reverse("billing:void_approve", kwargs={"pk": void.pk}), follow=True
    )

    assert "不能审批本人" in response.content.decode()
    void.refresh_from_db()
    assert void.status == VoidStatus.PENDING


def test_reject_keeps_the_payment(world, login, ranges):
    payment = _post(world.cashier)
    void = void_services.void_request(actor=world.cashier, payment=payment, reason="x")

    login(world.shift_lead).post(reverse("billing:void_reject", kwargs={"pk": void.pk}))

    void.refresh_from_db()
    assert void.status == VoidStatus.REJECTED
    assert not Payment.objects.filter(kind=PaymentKind.REVERSAL).exists()


def test_cashier_cannot_request_a_void_of_a_colleagues_payment(world, login, ranges):
    payment = _post(world.cashier)

    response = login(world.cashier2).post(
        reverse("billing:void_request", kwargs={"pk": payment.pk}), {"reason": "x"}
    )

    assert response.status_code == 404
    assert not VoidRequest.objects.exists()


def test_the_lead_sees_pending_voids_on_the_home_page(world, login, ranges):
    payment = _post(world.cashier)
    void_services.void_request(actor=world.cashier, payment=payment, reason="x")

    page = login(world.shift_lead).get(reverse("staff:home")).content.decode()

    assert "待您审批的作废申请" in page


def test_once_the_ledger_is_submitted_the_void_form_is_disabled_with_its_reason(world, login, pay):
    payment = pay(account_with_bills("30.00"), "30.00")
    client = login(world.cashier)
    url = reverse("billing:payment_detail", kwargs={"pk": payment.pk})
    open_page = client.get(url).content.decode()
    ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=CashLedger.objects.get(cashier=world.cashier),
        counts={"100": 5},
        coins_total="30",
        no_deposit_reason="银行已关门",
    )

    closed_page = client.get(url).content.decode()

    assert 'data-testid="void-blocked"' not in open_page
    assert not re.search(r"<fieldset[^>]*disabled", open_page)
    assert 'data-testid="void-form"' in closed_page
    assert re.search(r"<fieldset[^>]*disabled", closed_page)
    assert "现金台账已提交，不能再收费或作废" in closed_page
