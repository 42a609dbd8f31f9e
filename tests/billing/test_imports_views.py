"""The bills upload page: upload → first rows as decoded → confirm → background job → result."""

import io
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from billing.models import Account, Bill, BillImport, BillImportJob
from billing.services import imports as import_services
from staff.core.audit import history_for

HEADER = "account_no,name,address,phone,period,volume_m3,amount\n"
CHINESE_HEADER = "户号,户名,地址,电话,账期,水量,金额\n"


def _file(text, encoding="utf-8", name="bills.csv"):
    data = io.BytesIO(text.encode(encoding) if isinstance(text, str) else text)
    data.name = name
    return data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files of each test in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _media_files():
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def run_worker():
    """Runs `manage.py db_worker --batch`: the queued jobs, then it stops. The worker's
    signal handlers are put back afterwards, and its reconnecting (close_old_connections,
    which would end the test's transaction) is left out."""

    def _run():
        from django_tasks_db.management.commands import db_worker

        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        original = db_worker.close_old_connections
        db_worker.close_old_connections = lambda: None
        try:
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        finally:
            db_worker.close_old_connections = original
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return _run


def _upload(client, text, encoding="utf-8", name="bills.csv"):
    return client.post(reverse("billing:bill_import"), {"file": _file(text, encoding, name)})


def test_office_uploads_sees_the_first_rows_confirms_and_the_worker_imports(
    world, login, run_worker
):
    client = login(world.office)
    text = CHINESE_HEADER + "3001,孙八,龙泉路1号,,2026-01,1,3\n3002,周九,,,2026-01,2,6\n"

    response = _upload(client, text, "gbk")

    job = BillImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:bill_import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "GBK" in page and "孙八" in page and "龙泉路1号" in page and "周九" in page
    assert "导入 2 行" in page
    assert (job.encoding, job.lines, job.status) == ("GBK", 2, "uploaded")
    assert not Account.objects.exists()  # nothing before the office confirms

    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "queued" and not Account.objects.exists()

    run_worker()

    job.refresh_from_db()
    assert job.status == "imported"
    assert job.batch.bills_created == 2 and job.batch.imported_by == world.office
    assert Account.objects.get(account_no="3001").name == "孙八"
    page = client.get(reverse("billing:bill_import_job", args=[job.pk])).content.decode()
    assert "已导入 2 张账单" in page and "data-poll-url" not in page
    assert not job.file and _media_files() == []  # the file is gone with the job
    actions = [entry.action for entry in history_for(job)]
    assert actions == [
        "billing.bills.import_job_done",
        "billing.bills.import_queued",
        "billing.bills.upload",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_job_and_db_worker_runs_it(login):
    """The real thing: the task is a row of django_tasks_db, committed with the job, and
    `manage.py db_worker` (no test plumbing) picks it up."""
    from tests.conftest import build_world

    world = build_world()
    client = login(world.office)
    _upload(client, HEADER + "4001,吴十,,,2026-02,1,3\n")
    job = BillImportJob.objects.get()
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))

    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.task_path == "billing.tasks.run_bill_import_job"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "imported"
    assert job.status == "imported" and Bill.objects.get().account.account_no == "4001"


def test_a_bad_file_is_rejected_by_the_job_with_the_first_200_errors_and_the_total(
    world, login, run_worker
):
    client = login(world.office)
    bad = HEADER + "".join(f"{7000 + i},张三,,,2026-13,1,3\n" for i in range(1000))
    _upload(client, bad)
    job = BillImportJob.objects.get()
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.error_count, len(job.errors)) == ("rejected", 1000, 200)
    page = client.get(reverse("billing:bill_import_job", args=[job.pk])).content.decode()
    assert "1000 个错误：未导入任何数据" in page
    assert page.count("<li>第 ") == 200 and "另有 800 个错误" in page
    assert not Account.objects.exists() and not BillImport.objects.exists()
    assert _media_files() == []


def test_a_file_over_the_limit_is_refused_while_it_is_read(world, login, settings):
    settings.UPLOAD_MAX_MB = 1
    client = login(world.office)
    big = HEADER + "".join(f"{10**6 + i},张三,,,2026-01,1,3\n" for i in range(50_000))
    assert len(big.encode()) > 1024 * 1024

    response = _upload(client, big)

    assert response.status_code == 400
    assert "文件大于 1 MB，未上传。" in response.content.decode()
    assert not BillImportJob.objects.exists() and _media_files() == []


def test_the_upload_handler_drops_the_file_of_a_request_over_the_limit(rf):
    """The file is skipped as it arrives: nothing of it is kept, and the request says why."""
    from django.core.files.uploadhandler import MemoryFileUploadHandler
    from django.http.multipartparser import MultiPartParser

    from staff.core.uploads import UploadLimitHandler

    request = rf.post("/", {"name": "x", "file": _file("a" * 5000)})
    body = request.read()
    handlers = [UploadLimitHandler(request, 1000), MemoryFileUploadHandler(request)]
    post, files = MultiPartParser(request.META, io.BytesIO(body), handlers).parse()
    assert request.upload_refused and "file" not in files and post["name"] == "x"

    small = rf.post("/", {"file": _file("a" * 500)})
    body = small.read()
    handlers = [UploadLimitHandler(small, 1000), MemoryFileUploadHandler(small)]
    _post, files = MultiPartParser(small.META, io.BytesIO(body), handlers).parse()
    assert not small.upload_refused and files["file"].size == 500


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (HEADER + "1001,龍泉營業廳,台北市,,2026-01,1,3\n", "big5"),
        (HEADER + "1001,山田太郎,東京都,,2026-01,1,3\n", "shift_jis"),
    ],
)
def test_a_big5_or_shift_jis_upload_is_refused_before_anything_is_stored(
    world, login, text, encoding
):
    response = _upload(login(world.office), text, encoding)

    assert response.status_code == 400
    assert "既不是 UTF-8 也不是 GBK" in response.content.decode()
    assert not BillImportJob.objects.exists() and _media_files() == []


def test_a_wrong_header_is_shown_with_the_preview_and_cannot_be_confirmed(world, login):
    client = login(world.office)
    response = _upload(client, "a,b,c\n1,2,3\n")
    page = client.get(response["Location"]).content.decode()
    assert "第 1 行：表头" in page and 'data-testid="confirm"' not in page


def test_discarding_deletes_the_file_and_imports_nothing(
    world, login, run_worker, django_capture_on_commit_callbacks
):
    client = login(world.office)
    _upload(client, HEADER + "5001,郑一,,,2026-01,1,3\n")
    job = BillImportJob.objects.get()
    assert len(_media_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing:bill_import_discard", args=[job.pk]), follow=True)
    assert "已放弃该文件，未导入任何数据。" in response.content.decode()
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))
    run_worker()

    job.refresh_from_db()
    assert job.status == "discarded" and not DBTaskResult.objects.exists()
    assert not Account.objects.exists() and _media_files() == []


def test_confirming_twice_queues_one_job(world, login):
    client = login(world.office)
    _upload(client, HEADER + "5001,郑一,,,2026-01,1,3\n")
    job = BillImportJob.objects.get()
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))
    response = client.post(reverse("billing:bill_import_confirm", args=[job.pk]), follow=True)
    assert "该文件已不在等待确认状态" in response.content.decode()
    assert DBTaskResult.objects.count() == 1


def test_the_progress_part_is_polled_while_the_job_runs(world, login):
    client = login(world.director)
    job = BillImportJob.objects.create(
        filename="x.csv",
        size=10,
        encoding="UTF-8",
        lines=5000,
        status="checking",
        rows_done=2000,
        uploaded_by=world.office,
    )
    url = reverse("billing:bill_import_job_status", args=[job.pk])
    part = client.get(url).content.decode()
    assert "已检查 2000 行，共约 5000 行" in part and f'data-poll-url="{url}"' in part

    BillImportJob.objects.filter(pk=job.pk).update(status="writing")
    assert "正在写入账单" in client.get(url).content.decode()

    BillImportJob.objects.filter(pk=job.pk).update(status="rejected", errors=["x"], error_count=1)
    assert "data-poll-url" not in client.get(url).content.decode()


def test_a_job_nobody_starts_says_the_worker_may_be_down(world, login):
    job = BillImportJob.objects.create(
        filename="x.csv",
        size=10,
        encoding="UTF-8",
        lines=1,
        status="queued",
        queued_at=timezone.now() - timedelta(minutes=5),
        uploaded_by=world.office,
    )
    page = login(world.office).get(reverse("billing:bill_import_job", args=[job.pk]))
    assert "manage.py db_worker" in page.content.decode()


def test_a_crash_in_the_job_marks_it_failed_imports_nothing_and_drops_the_file(
    world, login, run_worker, monkeypatch
):
    client = login(world.office)
    _upload(client, HEADER + "6001,王二,,,2026-01,1,3\n")
    job = BillImportJob.objects.get()
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_services, "bills_write", broken)
    run_worker()

    job.refresh_from_db()
    assert job.status == "failed" and job.errors == ["导入因故障中止，未导入任何数据。"]
    assert DBTaskResult.objects.get().status == "FAILED"  # the traceback is kept there
    assert not Account.objects.exists() and _media_files() == []


def test_uploads_nobody_confirmed_are_deleted_after_a_day(world, login):
    client = login(world.office)
    _upload(client, HEADER + "5001,郑一,,,2026-01,1,3\n")
    old = BillImportJob.objects.get()
    BillImportJob.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=2))

    _upload(client, HEADER + "5002,郑二,,,2026-01,1,3\n")

    old.refresh_from_db()
    assert old.status == "discarded" and not old.file
    assert [os.path.basename(p) for p in _media_files()] == [
        os.path.basename(BillImportJob.objects.exclude(pk=old.pk).get().file.name)
    ]


def test_the_import_page_lists_uploads_with_a_fixed_number_of_queries(world, login):
    client = login(world.office)
    url = reverse("billing:bill_import")

    def make(n):
        for i in range(n):
            BillImportJob.objects.create(
                filename=f"{i}.csv", size=1, encoding="UTF-8", lines=1, uploaded_by=world.office
            )

    make(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(few) == len(many)
    assert page.count("0.csv") >= 1 and "等待确认" in page
