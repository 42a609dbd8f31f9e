import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from billing.bills_file import BillImportError
from billing.models import Account, Bill
from billing.services.imports import bills_import
from tests.billing.factories import AccountFactory, BillFactory

HEADER = "account_no,name,address,phone,period,volume_m3,amount\n"
CHINESE_HEADER = "户号,户名,地址,电话,账期,水量,金额\n"


def _import(text, encoding="utf-8", actor=None):
    return bills_import(actor=actor, source=io.BytesIO(text.encode(encoding)), filename="t.csv")


def test_it_creates_accounts_and_bills(db):
    batch = _import(
        HEADER
        + "1001,张三,龙泉路1号,1380000,2026-01,12.5,37.50\n"
        + "1001,张三,龙泉路1号,1380000,2026-02,10,30\n"
        + "1002,李四,,,2026-01,0,0\n"
    )

    assert (batch.rows, batch.bills_created, batch.accounts_created) == (3, 3, 2)
    assert Bill.objects.get(account__account_no="1001", period="2026-01").amount_due == Decimal(
        "37.50"
    )
    assert Account.objects.get(account_no="1002").name == "李四"
    assert Bill.objects.get(account__account_no="1002").status == "paid"  # nothing due


def test_known_accounts_are_updated(db):
    AccountFactory(account_no="1001", name="旧名")

    batch = _import(HEADER + "1001,新名,新地址,139,2026-01,1,3\n")

    assert (batch.accounts_created, batch.accounts_updated) == (0, 1)
    assert Account.objects.get(account_no="1001").name == "新名"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_it_reads_utf8_with_or_without_bom_and_gbk_with_chinese_headers(db, encoding):
    _import(CHINESE_HEADER + "2001,王五,掇刀区白石坡路,0724,2026-03,5,15.00\n", encoding)

    assert Account.objects.get(account_no="2001").address == "掇刀区白石坡路"


def test_a_bad_file_is_rejected_whole_with_every_error_by_line(db):
    text = (
        HEADER
        + "1001,张三,,,2026-01,1,3\n"  # line 2: good
        + "1002,李四,,,2026-13,1,3\n"  # line 3: bad period
        + "1003,王五,,,2026-01,1,-3\n"  # line 4: negative
        + "1001,张三,,,2026-01,1,3\n"  # line 5: duplicate of line 2
        + "1004,赵六,,,2026-01,1\n"  # line 6: a column short
        + "1005,钱七,,,2026-01,1,3.999\n"  # line 7: three decimals
    )
    with pytest.raises(BillImportError) as caught:
        _import(text)

    errors = "\n".join(caught.value.errors)
    assert [e.split("：")[0].split(":")[0] for e in caught.value.errors] == [
        "第 3 行",
        "第 4 行",
        "第 5 行",
        "第 6 行",
        "第 7 行",
    ]
    assert "2026-13" in errors and "负数" in errors and "第 2 行重复" in errors
    assert not Account.objects.exists()
    assert not Bill.objects.exists()


def test_a_bill_already_in_the_database_rejects_the_file(db):
    BillFactory(account=AccountFactory(account_no="1001"), period="2026-01")

    with pytest.raises(BillImportError) as caught:
        _import(HEADER + "1002,新户,,,2026-01,1,3\n1001,张三,,,2026-01,1,3\n")

    assert caught.value.errors == [
        "第 3 行：户号 1001 已有 2026-01 的账单；要改金额，请把文件作为更正上传"
    ]
    assert not Account.objects.filter(account_no="1002").exists()


def test_a_wrong_header_is_reported(db):
    with pytest.raises(BillImportError) as caught:
        _import("a,b,c\n1,2,3\n")
    assert caught.value.errors[0].startswith("第 1 行：表头")


def test_binary_garbage_is_refused(db):
    with pytest.raises(BillImportError):
        bills_import(actor=None, source=io.BytesIO(b"\xff\xfe\x00\x81\x00garbage"), filename="x")


def test_the_command_imports_and_reports_errors(db, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "1001,张三,,,2026-01,1,3\n", encoding="gbk")
    call_command("import_bills", str(good))
    assert Bill.objects.count() == 1

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1009,张三,,,2026-01,x,3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_bills", str(bad))
    assert "第 2 行" in capsys.readouterr().err
    assert Bill.objects.count() == 1


def test_it_writes_files_larger_than_one_chunk(db):
    from billing.bills_file import CHUNK

    rows = CHUNK + 500
    text = HEADER + "".join(
        f"{100000 + i // 2},用户{i // 2},地址,,2026-{i % 2 + 1:02d},10,30.00\n" for i in range(rows)
    )

    batch = _import(text)

    assert (batch.bills_created, batch.accounts_created) == (rows, rows // 2)
    assert Bill.objects.count() == rows
    # An account whose two bills fall in different chunks is created once.
    assert Bill.objects.filter(account__account_no=str(100000 + CHUNK // 2)).count() == 2


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (HEADER + "1001,龍泉營業廳,台北市中正區,,2026-01,1,3\n", "big5"),
        (HEADER + "1001,山田太郎,東京都新宿区,,2026-01,1,3\n", "shift_jis"),
    ],
)
def test_a_big5_or_shift_jis_file_is_refused_not_imported_as_gbk(db, text, encoding):
    with pytest.raises(BillImportError) as caught:
        _import(text, encoding)
    assert "既不是 UTF-8 也不是 GBK" in caught.value.errors[0]
    assert not Account.objects.exists()


def test_a_line_in_another_encoding_refuses_the_file_at_that_line(db):
    from staff.core.text_encoding import SNIFF_BYTES

    # The start is plain ASCII (read as UTF-8); far below, one line is Big5.
    good = "".join(f"{5000 + i},user,,,2026-01,1,3\n" for i in range(SNIFF_BYTES // 20))
    data = (HEADER + good).encode() + "9999,龍泉,,,2026-01,1,3\n".encode("big5")
    with pytest.raises(BillImportError) as caught:
        bills_import(actor=None, source=io.BytesIO(data), filename="t.csv")
    line = 2 + SNIFF_BYTES // 20
    assert caught.value.errors == [
        f"第 {line} 行不是 UTF-8 编码的文本：文件混用了多种编码，或不是文本文件。"
        "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传。"
    ]
    assert not Account.objects.exists()


def test_only_the_first_200_errors_are_kept_with_the_total(db):
    from billing.bills_file import MAX_ERRORS

    text = HEADER + "".join(f"{7000 + i},张三,,,2026-13,1,3\n" for i in range(1000))
    with pytest.raises(BillImportError) as caught:
        _import(text)
    assert len(caught.value.errors) == MAX_ERRORS == 200
    assert caught.value.total == 1000
    assert caught.value.errors[-1].startswith("第 201 行")


def test_the_command_lists_the_first_errors_and_counts_the_rest(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "".join(f"{7000 + i},张三,,,26-1,1,3\n" for i in range(250)))
    with pytest.raises(CommandError, match="250 error"):
        call_command("import_bills", str(bad))
    err = capsys.readouterr().err
    assert err.count("第 ") == 200 and "... and 50 more" in err


def test_check_reports_its_progress(db):
    from billing.bills_file import CHUNK, bills_check

    text = HEADER + "".join(f"{100000 + i},用户,,,2026-01,1,3\n" for i in range(2 * CHUNK + 5))
    seen = []
    checked = bills_check(io.BytesIO(text.encode()), progress=seen.append)
    assert seen == [CHUNK, 2 * CHUNK]
    assert (checked.rows, checked.encoding) == (2 * CHUNK + 5, "UTF-8")
