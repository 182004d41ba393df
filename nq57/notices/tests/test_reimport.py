"""Re-importing a notice never undoes what the office decided since the last import (issue 9): approved extensions
are kept and shown as conflicts, the first review's corrections carry over, only real changes are proposed."""

import copy
import datetime as dt

import pytest

from nq57.agencies.services import registry_load
from nq57.core.errors import ConflictError, ServiceError
from nq57.core.testing import ProgrammeFactory, make_leader, make_office
from nq57.notices import services
from nq57.notices.models import Notice, NoticeDraft
from nq57.notices.review import review_build
from nq57.notices.tests.test_import_services import NOTICE_30, NOTICE_41
from nq57.reports.models import ExtensionState
from nq57.reports.services import extension_decide, extension_request
from nq57.tasks.models import AssignmentRole
from nq57.tasks.services import task_set_status

NOTICE_2026 = NOTICE_41.replace("Hoàn thành trước ngày 30/9/2025.", "Hoàn thành trước ngày 31/3/2026.")


@pytest.fixture
def office(db):
    registry_load()
    ProgrammeFactory()
    return make_office("office-reimport", full_name="Nguyễn Thị Thường Trực")


@pytest.fixture
def programme(office):
    return ProgrammeFactory()


def _import(office, programme, text, proposal_edit=None):
    draft = services.draft_create(actor=office, programme=programme, text=text)
    proposal = copy.deepcopy(draft.proposal)
    if proposal_edit:
        proposal_edit(proposal)
    return services.notice_import_confirm(actor=office, draft=draft, proposal=proposal)


def _rows(review):
    return {r.row["path"]: r for r in review.rows}


def _approve_extension(office, task, due):
    request = extension_request(task=task, actor=office, requested_due=due, reason="Cần thêm thời gian thẩm định.")
    return extension_decide(request=request, actor=office, approve=True, note="Đồng ý")


def test_reimport_keeps_an_approved_extension_and_shows_the_conflict(office, programme):
    notice = _import(office, programme, NOTICE_2026).notice
    task = notice.tasks.get(path="1.a")
    assert task.deadline_due == dt.date(2026, 3, 31)
    extension = _approve_extension(office, task, dt.date(2027, 2, 28))
    task_set_status(task=task, actor=office, status="partly_done", progress=40, reason="theo báo cáo")

    draft = services.draft_create(actor=office, programme=programme, text=NOTICE_2026)  # the same notice again
    review = review_build(draft=draft)

    row = _rows(review)["1.a"]
    assert row.changes == [] and row.status == "same"  # nothing proposes "28/02/2027 → 31/03/2026"
    [conflict] = row.conflicts
    assert (conflict.name, conflict.document, conflict.system) == ("deadline_due", "31/03/2026", "28/02/2027")
    assert "Đồng ý gia hạn đến 28/02/2027" in conflict.decision.summary
    assert conflict.decision.actor == "Nguyễn Thị Thường Trực" and not conflict.apply
    assert review.counts["conflicts"] == 1 and review.counts["changed"] == 0

    result = services.notice_import_confirm(actor=office, draft=draft)

    task.refresh_from_db()
    extension.refresh_from_db()
    assert task.deadline_due == dt.date(2027, 2, 28) and extension.state == ExtensionState.APPROVED
    assert (task.status, task.progress) == ("partly_done", 40)  # an import never touches status or progress
    assert result.kept == 1 and "Giữ nguyên 1 quyết định" in result.message
    # a third upload of the same notice: the kept decision is what the office confirmed, so nothing to show
    third = review_build(draft=services.draft_create(actor=office, programme=programme, text=NOTICE_2026))
    assert all(r.status == "same" and not r.conflicts and not r.changes for r in third.rows)


def test_the_reviewer_may_apply_the_document_over_the_system_decision(office, programme):
    notice = _import(office, programme, NOTICE_2026).notice
    task = notice.tasks.get(path="1.a")
    _approve_extension(office, task, dt.date(2027, 2, 28))
    draft = services.draft_create(actor=office, programme=programme, text=NOTICE_2026)
    proposal = copy.deepcopy(draft.proposal)
    proposal["tasks"][0]["apply"] = ["deadline_due"]
    assert _rows(review_build(draft=draft, proposal=proposal))["1.a"].status == "changed"

    services.notice_import_confirm(actor=office, draft=draft, proposal=proposal)

    task.refresh_from_db()
    assert task.deadline_due == dt.date(2026, 3, 31)


def test_an_office_edit_since_the_last_import_is_a_conflict_too(office, programme):
    from nq57.tasks.services import task_update

    notice = _import(office, programme, NOTICE_41).notice
    task = notice.tasks.get(path="2.a")
    task_update(task=task, actor=office, expected_version=None, text="Nội dung do Cơ quan Thường trực sửa lại.")
    revised = NOTICE_41.replace("trọng điểm quốc gia.", "trọng điểm quốc gia hiện có.")  # a real change in 1.b

    review = review_build(draft=services.draft_create(actor=office, programme=programme, text=revised))

    rows = _rows(review)
    assert [c.name for c in rows["2.a"].conflicts] == ["text"] and rows["2.a"].changes == []
    assert rows["2.a"].conflicts[0].system == "Nội dung do Cơ quan Thường trực sửa lại."
    assert [c.name for c in rows["1.b"].changes] == ["text"] and rows["1.b"].status == "changed"
    assert rows["1.a"].status == "same"


def test_reimport_keeps_the_first_reviews_corrections_and_shows_only_real_changes(office, programme):
    def correct(proposal):
        proposal["tasks"][0]["lead"] = ["Bộ Xây dựng"]
        proposal["tasks"][1]["text"] = "Bộ Tài chính bố trí kinh phí nâng cấp phòng thí nghiệm (đã hiệu đính)."
        proposal["tasks"][2]["drop"] = True
        proposal["notice"]["signer"] = "Nguyễn Văn A"

    notice = _import(office, programme, NOTICE_41, correct).notice
    assert notice.tasks.count() == 2

    same = review_build(draft=services.draft_create(actor=office, programme=programme, text=NOTICE_41))
    rows = _rows(same)
    assert rows["1.a"].status == "same" and rows["1.a"].changes == []
    assert rows["1.a"].row["lead"] == ["Bộ Xây dựng"] and "lead" in rows["1.a"].row["carried"]
    assert rows["1.b"].status == "same" and rows["1.b"].row["text"].endswith("(đã hiệu đính).")
    assert rows["2.a"].status == "dropped"  # dropped at the first review, still dropped
    assert same.notice_changes == [] and same.removed == []

    revised = NOTICE_41.replace("Hoàn thành trong tháng 10/2025.", "Hoàn thành trong tháng 12/2025.")
    draft = services.draft_create(actor=office, programme=programme, text=revised)
    rows = _rows(review_build(draft=draft))
    assert rows["1.a"].status == "same"
    assert {c.name for c in rows["1.b"].changes} >= {"deadline_due", "deadline_text"}
    assert "lead" not in {c.name for c in rows["1.b"].changes}
    assert rows["1.b"].row["document_changed"] and "deadline_due" in rows["1.b"].row["document_changed"]

    services.notice_import_confirm(actor=office, draft=draft)

    first = notice.tasks.get(path="1.a")
    assert [a.agency.name for a in first.assignments.filter(role=AssignmentRole.LEAD)] == ["Bộ Xây dựng"]
    assert notice.tasks.get(path="1.b").deadline_due == dt.date(2025, 12, 31)
    notice.refresh_from_db()
    assert notice.signer == "Nguyễn Văn A" and notice.tasks.count() == 2


def test_pasted_text_with_two_notices_is_refused(office, programme):
    with pytest.raises(ServiceError) as caught:
        services.draft_create(actor=office, programme=programme, text=NOTICE_41 + "\n\n" + NOTICE_30)
    assert caught.value.field == "text"
    assert "2 thông báo (số hiệu: 41-TB/TGV, 30-TB/TGV)" in caught.value.message
    assert "từng thông báo riêng" in caught.value.message
    assert NoticeDraft.objects.count() == 0


def test_an_unconfirmed_draft_can_be_discarded_a_confirmed_one_cannot(office, programme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tb41.txt", NOTICE_41.encode())
    draft = services.draft_create(actor=office, programme=programme, upload=upload)
    assert draft.source_size == len(NOTICE_41.encode()) and draft.source_format == "Văn bản (.txt)"
    focal = make_leader("leader-discard")
    from nq57.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.draft_discard(draft=draft, actor=focal)
    with pytest.raises(ConflictError):
        confirmed = services.draft_create(actor=office, programme=programme, text=NOTICE_30)
        services.notice_import_confirm(actor=office, draft=confirmed)
        services.draft_discard(draft=confirmed, actor=office)

    services.draft_discard(draft=draft, actor=office)

    assert not NoticeDraft.objects.filter(pk=draft.pk).exists()
    assert NoticeDraft.objects.filter(confirmed_at__isnull=False).count() == 1
    assert Notice.objects.count() == 1


def test_pasted_drafts_are_named_as_such(office, programme):
    draft = services.draft_create(actor=office, programme=programme, text=NOTICE_41)
    assert draft.source_format == "Văn bản dán vào" and draft.source_size == len(NOTICE_41.encode())


def test_the_confirm_service_and_the_plan_build_no_review_html():
    import ast
    import inspect

    from nq57.notices import plan
    from nq57.notices import services as confirm_services

    for module in (confirm_services, plan):
        tree = ast.parse(inspect.getsource(module))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not imported & {"nq57.notices.review", "django.utils.html", "django.utils.safestring"}, module
