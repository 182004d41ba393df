"""Imports in committed chunks: other writers get in between chunks, a stopped import resumes without duplicates,
progress reports come in with the tasks, and the command line and the web show the progress."""

import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from nq57.core.errors import ServiceError
from nq57.exchange.batches import batch_create, batch_run, batch_status
from nq57.exchange.models import ExternalKey, ImportBatch, ImportKind, ReportKey
from nq57.reports.models import ProgressReport
from nq57.tasks.models import Task, TaskEvent

from .test_exchange import r71_document, r71_record


def many_records(cast, count: int, *, reports: int = 0) -> list[dict]:
    records = []
    for i in range(count):
        record = r71_record(cast, external_id=f"R71-{i:03d}", path=f"9.{i}", text=f"Nhiệm vụ nhập số {i} về dữ liệu")
        record["reports"] = [{
            "external_id": f"R71-BC-{i:03d}-{j}", "agency": "Bộ Khoa học và Công nghệ", "period_start": "2025-01-01",
            "period_end": "2025-03-31", "text": f"Báo cáo quý I của nhiệm vụ {i}", "percent": 30,
            "claimed_status": "partly_done", "state": "accepted", "submitted_at": "2025-04-02T09:00:00+07:00",
        } for j in range(reports)]
        records.append(record)
    return records


def json_batch(cast, records) -> ImportBatch:
    content = json.dumps(r71_document(*records), ensure_ascii=False).encode()
    return batch_create(actor=cast.office, kind=ImportKind.JSON, name="r71.json", content=content)


def imported_tasks() -> int:
    return Task.objects.filter(text__startswith="Nhiệm vụ nhập số").count()


@pytest.mark.django_db(transaction=True)
def test_each_chunk_commits_on_its_own_so_other_writers_get_in_between(cast):
    batch = json_batch(cast, many_records(cast, 7))
    seen = []

    def other_writer(batch):
        """Another connection (another person's request) writes while the import is between two chunks."""
        outcome = {}

        def write():
            try:
                from nq57.agencies.models import Agency

                outcome["visible"] = Task.objects.filter(text__startswith="Nhiệm vụ nhập số").count()
                Agency.objects.filter(pk=cast.tc.pk).update(short_name=f"BTC{batch.rows_done}")
                outcome["written"] = True
            except Exception as exc:  # noqa: BLE001 - the assertion below shows it
                outcome["error"] = repr(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(30)
        seen.append((batch.rows_done, outcome))

    result = batch_run(batch_id=batch.pk, actor=cast.office, chunk_size=3, progress=other_writer)
    assert result.status == "done" and (result.rows_done, result.rows_total) == (7, 7)
    between = [(done, o) for done, o in seen if 0 < done < 7]
    assert between and all(o.get("written") for _, o in between), seen
    assert [o["visible"] for done, o in between] == [done for done, _ in between]  # committed, seen by others
    assert imported_tasks() == 7


class Crash(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_an_import_stopped_after_two_chunks_resumes_after_them_without_duplicates(cast):
    batch = json_batch(cast, many_records(cast, 7, reports=2))

    def crash_after_two_chunks(batch):
        if batch.rows_done >= 4:
            raise Crash  # the worker dies here: two chunks are committed, the rest is not

    with pytest.raises(Crash):
        batch_run(batch_id=batch.pk, actor=cast.office, chunk_size=2, progress=crash_after_two_chunks)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, batch.rows_total) == ("failed", 4, 7)
    assert "chạy lại để tiếp tục" in batch.error
    assert imported_tasks() == 4 and ProgressReport.objects.count() == 8

    done = batch_run(batch_id=batch.pk, actor=cast.office, chunk_size=2)
    assert (done.status, done.rows_done) == ("done", 7)
    assert done.summary["created"] == 7 and done.summary["reports_created"] == 14
    assert imported_tasks() == 7 and ExternalKey.objects.filter(system="r71").count() == 7
    assert ProgressReport.objects.count() == 14 and ReportKey.objects.count() == 14

    # even a run from the start (a counter lost) writes nothing twice: the external keys make records idempotent
    ImportBatch.objects.filter(pk=batch.pk).update(rows_done=0, status="failed", summary={})
    again = batch_run(batch_id=batch.pk, actor=cast.office, chunk_size=3)
    assert again.summary["unchanged"] == 7 and again.summary["reports_unchanged"] == 14
    assert imported_tasks() == 7 and ProgressReport.objects.count() == 14


def test_a_refused_chunk_rolls_back_alone_and_the_batch_says_why(cast):
    records = many_records(cast, 4)
    batch = json_batch(cast, records)
    batch_run(batch_id=batch.pk, actor=cast.office, chunk_size=2)
    assert imported_tasks() == 4
    with pytest.raises(ServiceError):
        batch_run(batch_id=batch_create(actor=cast.office, kind=ImportKind.JSON, name="x.json",
                                        content=b"{not json").pk, actor=cast.office)
    failed = ImportBatch.objects.get(original_name="x.json")
    assert failed.status == "failed" and "JSON" in failed.error


def test_reports_are_imported_with_history_timeline_and_keys_once(cast):
    from nq57.exchange.services import exchange_import

    document = r71_document(*many_records(cast, 3, reports=2))
    result = exchange_import(document=json.loads(json.dumps(document)), actor=cast.office)
    assert result.count("created") == 3 and result.reports == {"created": 6, "unchanged": 0, "rejected": 0}
    report = ProgressReport.objects.get(external_keys__external_id="R71-BC-000-0")
    assert (report.state, report.percent, report.agency) == ("accepted", 30, cast.kh)
    assert report.history.count() == 1 and report.task.history.count() >= 1
    created = report.history.get()  # written by the database (core.audit.history_bulk_insert), as simple_history would
    assert (created.history_type, created.history_user, created.text, created.percent, created.task_id) == (
        "+", cast.office, report.text, 30, report.task_id)
    first = report.task.history.earliest("history_id")
    assert (first.history_type, first.history_user, first.text, first.notice_id) == (
        "+", cast.office, report.task.text, report.task.notice_id)
    assert first.history_change_reason == "theo dữ liệu từ hệ thống r71"
    lead = report.task.assignments.get(role="lead")
    assert lead.history.get().history_type == "+" and lead.history.get().agency_id == lead.agency_id
    assert TaskEvent.objects.filter(task=report.task, kind="report_submitted").count() == 2
    assert report.task.last_report_at == report.submitted_at
    again = exchange_import(document=json.loads(json.dumps(document)), actor=cast.office)
    assert again.count("unchanged") == 3 and again.reports["unchanged"] == 6
    assert ProgressReport.objects.count() == 6
    bad = r71_document(*many_records(cast, 1, reports=1))
    bad["tasks"][0]["reports"][0].update(external_id="R71-BC-new", agency="Bộ Không Có")
    assert exchange_import(document=bad, actor=cast.office).reports["rejected"] == 1


def test_the_command_shows_a_progress_bar_and_resumes_a_batch(cast, tmp_path, capsys):
    path = tmp_path / "r71.json"
    path.write_text(json.dumps(r71_document(*many_records(cast, 5))), encoding="utf-8")
    call_command("exchange", "import", str(path), "--chunk-size", "2")
    captured = capsys.readouterr()
    assert "5/5 (100%)" in captured.err and "[####" in captured.err and "tạo mới 5" in captured.out
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status="failed", rows_done=2)
    call_command("exchange", "import", "--batch", str(batch.pk), "--chunk-size", "2")
    assert imported_tasks() == 5 and ImportBatch.objects.get().status == "done"


def test_the_web_import_runs_in_the_queue_and_the_page_polls_its_status(cast, client_for,
                                                                        django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cast.office)
    content = json.dumps(r71_document(*many_records(cast, 3, reports=1))).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exchange/import/", {"file": SimpleUploadedFile("r71.json", content)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-bar"' in page and "import_progress.js" in page and "data-status-url" in page
    status = client.get(response["Location"] + "status.json").json()
    assert status["status"] == "done" and status["counts"]["created"] == 3 and status["counts"]["reports_created"] == 3
    assert status == batch_status(ImportBatch.objects.get())
    # someone else's batch is not theirs to see
    other = client_for(cast.alice).get(response["Location"] + "status.json")
    assert other.status_code == 403
    assert connection.vendor in {"sqlite", "postgresql"}


def test_a_record_with_a_nul_character_is_refused_alone(cast):
    from nq57.exchange.services import exchange_import

    records = many_records(cast, 2, reports=1)
    records[0]["text"] = "Nhiệm vụ nhập số 0\x00 có ký tự NUL"
    result = exchange_import(document=r71_document(*records), actor=cast.office)
    assert [r.outcome for r in result.records] == ["rejected", "created"]
    assert "NUL" in result.records[0].reason and imported_tasks() == 1


def test_a_batch_whose_worker_died_is_queued_again_and_finishes(cast):
    import datetime as dt

    from django.utils import timezone

    from nq57.exchange.tasks import import_batches_resume_periodic

    batch = json_batch(cast, many_records(cast, 3))
    batch_run(batch_id=batch.pk, actor=cast.office, chunk_size=1, progress=lambda b: None)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", rows_done=1,
                                                   heartbeat_at=timezone.now() - dt.timedelta(minutes=20))
    assert import_batches_resume_periodic.call_local() == 1
    batch.refresh_from_db()
    assert batch.status == "done" and imported_tasks() == 3
    # a batch whose worker is alive (committed a chunk a moment ago) is left to it
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", heartbeat_at=timezone.now())
    assert import_batches_resume_periodic.call_local() == 0
