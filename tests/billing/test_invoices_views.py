from django.urls import reverse

from billing.models import InvoiceNumber, InvoiceRange, InvoiceRangeStatus


def test_lead_issues_a_range_to_a_cashier_of_the_hall(world, login):
    client = login(world.shift_lead)
    url = reverse("billing:invoice_range_create")
    page = client.get(url).content.decode()
    assert "cashier姓名" in page
    assert "other_cashier姓名" not in page  # another hall's cashier is not offered

    response = client.post(
        url,
        {"cashier": world.cashier.pk, "invoice_code": "0420", "first_no": 1, "last_no": 50},
    )

    issued = InvoiceRange.objects.get()
    assert response.status_code == 302
    assert (issued.cashier, issued.first_no, issued.last_no) == (world.cashier, 1, 50)


def test_overlap_is_shown_in_chinese(world, login, ranges):
    existing = ranges["cashier2"]
    InvoiceRange.objects.filter(pk=ranges["cashier"].pk).update(
        status=InvoiceRangeStatus.CLOSED, returned_from=ranges["cashier"].next_no
    )
    response = login(world.shift_lead).post(
        reverse("billing:invoice_range_create"),
        {
            "cashier": world.cashier.pk,
            "invoice_code": existing.invoice_code,
            "first_no": existing.first_no,
            "last_no": existing.first_no + 5,
        },
    )
    assert "重叠" in response.content.decode()


def test_cashier_records_a_spoiled_invoice_and_the_detail_shows_it(world, login, ranges):
    client = login(world.cashier)
    client.post(reverse("billing:invoice_spoil"), {"reason": "卡纸"})

    spoiled = InvoiceNumber.objects.get()
    detail = client.get(
        reverse("billing:invoice_range_detail", kwargs={"pk": ranges["cashier"].pk})
    ).content.decode()
    assert spoiled.number == ranges["cashier"].first_no
    assert "卡纸" in detail
    assert "每个号码都有着落" in detail


def test_lead_closes_a_range_and_the_rest_is_returned(world, login, ranges):
    invoice_range = ranges["cashier"]
    login(world.shift_lead).post(
        reverse("billing:invoice_range_close", kwargs={"pk": invoice_range.pk})
    )

    invoice_range.refresh_from_db()
    assert invoice_range.status == InvoiceRangeStatus.CLOSED
    assert invoice_range.returned_count == invoice_range.size
    page = login(world.cashier).get(reverse("billing:invoice_range_list")).content.decode()
    assert "已关闭" in page and "已销户" not in page
