"""The exchange format: export → import changes nothing; imports from the R71 system upsert without duplicates."""

import copy
import json

import pytest
from django.core.management import call_command

from nq57.api.services import token_create
from nq57.api.tests.helpers import ApiClient, assert_error
from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.exchange.models import ExternalKey
from nq57.exchange.services import document_validate, exchange_export, exchange_import
from nq57.tasks.models import Task


def r71_record(cast, **over) -> dict:
    record = {"external_id": "R71-NV-0001", "notice": {"number": cast.notice.number}, "path": "2.c",
              "text": "Xây dựng cơ sở dữ liệu dùng chung về khoa học, công nghệ",
              "lead_agencies": ["Bộ Khoa học và Công nghệ"], "coordinating_agencies": ["Bộ Tài chính"],
              "deadline_kind": "date", "deadline_due": "2025-10-31", "deadline_text": "trước ngày 31/10/2025",
              "status": "open", "progress": 0}
    record.update(over)
    return record


def r71_document(*records) -> dict:
    return {"format": "nq57-exchange", "version": 1, "system": "r71", "tasks": list(records)}


def test_export_then_import_changes_nothing(cast):
    from nq57.tasks.services import task_set_status

    task_set_status(task=cast.task_tc, actor=cast.office, status="partly_done", progress=35)
    document = exchange_export(actor=cast.leader)
    assert document_validate(json.loads(json.dumps(document))) == {}
    before = {t.pk: (t.version, t.updated_at) for t in Task.objects.all()}
    result = exchange_import(document=json.loads(json.dumps(document)), actor=cast.office)
    assert [r.outcome for r in result.records] == ["unchanged", "unchanged"]
    assert {t.pk: (t.version, t.updated_at) for t in Task.objects.all()} == before


def test_an_r71_record_is_created_once_then_unchanged_then_updated(cast):
    document = r71_document(r71_record(cast))
    first = exchange_import(document=copy.deepcopy(document), actor=cast.office)
    assert [r.outcome for r in first.records] == ["created"]
    task = Task.objects.get(pk=first.records[0].task_id)
    assert ExternalKey.objects.get(system="r71", external_id="R71-NV-0001").task == task
    assert [r.outcome for r in exchange_import(document=copy.deepcopy(document), actor=cast.office).records] == [
        "unchanged"]
    changed = r71_document(r71_record(cast, status="partly_done", progress=50, deadline_due="2025-11-30"))
    assert [r.outcome for r in exchange_import(document=changed, actor=cast.office).records] == ["updated"]
    task.refresh_from_db()
    assert (task.status, task.progress, str(task.deadline_due)) == ("partly_done", 50, "2025-11-30")
    assert Task.objects.filter(text__startswith="Xây dựng cơ sở dữ liệu").count() == 1


def test_a_task_both_systems_know_is_matched_by_notice_and_path_not_duplicated(cast):
    record = r71_record(cast, external_id="R71-77", path="1.a.1", text=cast.task_kh.text,
                        deadline_due="2025-07-30", deadline_text="trước ngày 30/07/2025")
    result = exchange_import(document=r71_document(record), actor=cast.office)
    assert [(r.outcome, r.task_id) for r in result.records] == [("unchanged", cast.task_kh.pk)]
    assert ExternalKey.objects.get(system="r71", external_id="R71-77").task_id == cast.task_kh.pk
    # the link wins afterwards, even when the path changes on their side
    moved = dict(record, path="9.z")
    assert [r.task_id for r in exchange_import(document=r71_document(moved), actor=cast.office).records] == [
        cast.task_kh.pk]
    assert Task.objects.count() == 2


def test_our_id_in_their_links_matches_our_task(cast):
    record = r71_record(cast, external_id="R71-88", path="", links=[{"system": "nq57",
                                                                     "external_id": f"nq57:task:{cast.task_tc.pk}"}],
                        text=cast.task_tc.text, lead_agencies=["Bộ Tài chính"],
                        coordinating_agencies=["Bộ Khoa học và Công nghệ"], deadline_due="2025-12-31",
                        deadline_text="trước ngày 31/12/2025")
    result = exchange_import(document=r71_document(record), actor=cast.office)
    assert [(r.outcome, r.task_id) for r in result.records] == [("unchanged", cast.task_tc.pk)]


def test_bad_records_are_rejected_with_reasons_and_the_rest_goes_through(cast):
    document = r71_document(
        r71_record(cast, external_id="ok-1", path="3.a"),
        r71_record(cast, external_id="bad-agency", path="3.b", lead_agencies=["Bộ Không Tồn Tại"]),
        r71_record(cast, external_id="bad-date", path="3.c", deadline_due="2025-02-31"),
        r71_record(cast, external_id="bad-notice", path="3.d", notice={"number": "999-TB/TGV"}),
        r71_record(cast, external_id="bad-type", path="3.e", progress="nhiều"),
        r71_record(cast, external_id="bad-kind", path="3.f", deadline_kind="recurring"),
    )
    result = exchange_import(document=document, actor=cast.office)
    outcomes = {r.external_id: (r.outcome, r.reason) for r in result.records}
    assert outcomes["ok-1"][0] == "created"
    assert outcomes["bad-agency"] == ("rejected", "Không tìm thấy cơ quan “Bộ Không Tồn Tại” trong danh mục cơ quan.")
    assert "deadline_due" in outcomes["bad-date"][1] and "ngày" in outcomes["bad-date"][1]
    assert "999-TB/TGV" in outcomes["bad-notice"][1]
    assert "progress" in outcomes["bad-type"][1]
    assert outcomes["bad-kind"][0] == "rejected" and "không có ngày hạn" in outcomes["bad-kind"][1]
    assert Task.objects.count() == 3


def test_a_dry_run_reports_and_writes_nothing(cast):
    result = exchange_import(document=r71_document(r71_record(cast)), actor=cast.office, dry_run=True)
    assert [r.outcome for r in result.records] == ["created"]
    assert Task.objects.count() == 2 and not ExternalKey.objects.exists()


def test_a_document_of_another_format_is_refused_whole(cast):
    with pytest.raises(ServiceError) as exc:
        exchange_import(document={"format": "other", "tasks": []}, actor=cast.office)
    assert "nq57-exchange" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        exchange_import(document=r71_document(), actor=cast.alice)


def test_the_command_exports_and_imports(cast, tmp_path, capsys):
    target = tmp_path / "export.json"
    call_command("exchange", "export", "--notice", cast.notice.number, "-o", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["tasks"]) == 2
    call_command("exchange", "import", str(target))
    assert "không đổi 2" in capsys.readouterr().out
    theirs = tmp_path / "r71.json"
    theirs.write_text(json.dumps(r71_document(r71_record(cast))), encoding="utf-8")
    call_command("exchange", "import", str(theirs), "--system", "r71", "--dry-run")
    assert "tạo mới 1" in capsys.readouterr().out and Task.objects.count() == 2


def test_the_api_endpoints(cast):
    _, raw = token_create(user=cast.office, name="r71")
    office = ApiClient(raw)
    document = office.get("exchange/export", {"notice": cast.notice.pk}).json()
    assert len(document["tasks"]) == 2
    result = office.post("exchange/import", document)
    assert result.status_code == 200 and result.json()["unchanged"] == 2
    created = office.post("exchange/import?system=r71", r71_document(r71_record(cast)),
                          headers={"Idempotency-Key": "r71-batch-1"}).json()
    assert created["created"] == 1
    _, alice_raw = token_create(user=cast.alice, name="x")
    assert_error(ApiClient(alice_raw).post("exchange/import", document), 403)
    assert_error(office.post("exchange/import", {"format": "nq57-exchange"}), 400)


def test_a_task_assigned_to_a_merged_ministry_keeps_that_name_and_goes_to_its_successor(cast, client_for):
    import datetime as dt

    from nq57.core.testing import AgencyFactory

    AgencyFactory(name="Bộ Thông tin và Truyền thông", successor=cast.kh, dissolved_on=dt.date(2025, 3, 1))
    record = r71_record(cast, external_id="R71-MIC-1", path="3.a", lead_agencies=["Bộ Thông tin và Truyền thông"],
                        coordinating_agencies=[])
    result = exchange_import(document=r71_document(record), actor=cast.office)
    assert [r.outcome for r in result.records] == ["created"]
    task = Task.objects.get(pk=result.records[0].task_id)
    lead = task.assignments.get(role="lead")
    assert (lead.agency, lead.assigned_name) == (cast.kh, "Bộ Thông tin và Truyền thông")
    page = client_for(cast.office).get(task.get_absolute_url()).content.decode()
    assert "(giao cho: Bộ Thông tin và Truyền thông)" in page
    # the same record again changes nothing: the merged ministry is its successor
    again = exchange_import(document=r71_document(record), actor=cast.office)
    assert [r.outcome for r in again.records] == ["unchanged"]
