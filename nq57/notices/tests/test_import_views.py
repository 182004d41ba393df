"""Notice import pages over HTTP: permissions, bad input kept on the page, review, confirm, re-import."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nq57.core.testing import ProgrammeFactory, make_focal_point, make_leader, make_office
from nq57.notices.models import Notice, NoticeDraft
from nq57.notices.tests.test_import_services import NOTICE_41
from nq57.tasks.models import AssignmentRole, Task
from nq57.taxonomy.models import Programme

START = "/notices/import/"


@pytest.fixture
def setup(db, agency_registry):
    default = ProgrammeFactory()
    other, _ = Programme.objects.get_or_create(code="03/NQ-CP",
                                               defaults={"name": "Chương trình hành động của Chính phủ"})
    office = make_office("office-web")
    return default, other, office


def form_data(proposal: dict) -> dict:
    """What the review form posts for ``proposal`` (as a browser would: unchecked boxes are absent)."""
    notice = proposal["notice"]
    data = {f"notice-{k}": notice[k] for k in ("number", "date", "kind", "issuer", "meeting_date", "signer")}
    data["notice-references"] = "\n".join(notice["references"])
    data.update({"task-TOTAL_FORMS": str(len(proposal["tasks"])), "task-INITIAL_FORMS": str(len(proposal["tasks"]))})
    for i, row in enumerate(proposal["tasks"]):
        for name in ("key", "path", "section", "text", "deadline_kind", "deadline_due", "deadline_text",
                     "report_cadence", "report_due", "report_text"):
            data[f"task-{i}-{name}"] = "" if row[name] is None else row[name]
        data[f"task-{i}-lead"] = "\n".join(row["lead"])
        data[f"task-{i}-coordinating"] = "; ".join(row["coordinating"])
        for flag in ("coordinating_others", "drop"):
            if row[flag]:
                data[f"task-{i}-{flag}"] = "on"
    return data


def _upload(client, programme, text=NOTICE_41, name="tb41.txt"):
    return client.post(START, {"programme": programme.pk, "upload": SimpleUploadedFile(name, text.encode())})


@pytest.mark.parametrize("role", ["focal_point", "leader"])
def test_only_the_office_reaches_the_import_pages(client, setup, role):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    draft = NoticeDraft.objects.get()
    from nq57.agencies.models import Agency

    if role == "focal_point":
        user = make_focal_point(f"u-{role}", Agency.objects.get(name="Bộ Tài chính"))
    else:
        user = make_leader(f"u-{role}")
    client.force_login(user)
    assert client.get(START).status_code == 403
    assert _upload(client, default).status_code == 403
    assert client.get(f"{START}{draft.pk}/").status_code == 403
    assert client.post(f"{START}{draft.pk}/confirm/", form_data(draft.proposal)).status_code == 403
    assert NoticeDraft.objects.count() == 1 and Notice.objects.count() == 0


def test_start_page_defaults_to_the_default_programme(client, setup):
    default, _, office = setup
    client.force_login(office)
    page = client.get(START).content.decode()
    assert re.search(rf'<option value="{default.pk}" selected>', page)
    assert "Bóc tách và xem lại" in page


def test_bad_input_keeps_pasted_text_and_programme_and_creates_nothing(client, setup):
    _, other, office = setup
    client.force_login(office)
    english = "The steering committee asks every ministry to report progress before the end of the quarter. " * 20
    response = client.post(START, {"programme": other.pk, "text": english})
    page = response.content.decode()
    assert response.status_code == 400  # a refused form answers 400, as every other form
    assert "không phải văn bản tiếng Việt" in page
    assert english.strip()[:80] in page
    assert re.search(rf'<option value="{other.pk}" selected>', page)

    response = client.post(START, {"programme": other.pk, "text": "",
                                   "upload": SimpleUploadedFile("rong.txt", b"")})
    assert "Tệp “rong.txt” rỗng." in response.content.decode()
    response = client.post(START, {"programme": other.pk, "upload": SimpleUploadedFile("x.txt", bytes(range(256)))})
    assert "nhị phân" in response.content.decode()
    response = client.post(START, {"programme": other.pk})
    assert "Hãy chọn tệp văn bản hoặc dán nội dung thông báo." in response.content.decode()
    assert NoticeDraft.objects.count() == 0 and Notice.objects.count() == 0


def test_review_shows_source_side_by_side_with_highlights_and_editable_fields(client, setup):
    default, _, office = setup
    client.force_login(office)
    response = _upload(client, default)
    draft = NoticeDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{START}{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="source"' in page and 'id="review-form"' in page
    assert re.search(r'<mark class="hl-deadline" data-row="0"[^>]*>Hoàn thành trước ngày 30/9/2025</mark>', page)
    assert re.search(r'<mark class="hl-agency" data-row="1"[^>]*>Bộ Tài chính</mark> chủ trì', page)
    assert 'name="notice-number" value="41-TB/TGV"' in page
    assert 'name="task-0-deadline_due" value="2025-09-30"' in page
    assert 'name="task-2-drop"' in page
    assert "Xác nhận nhập 3 nhiệm vụ" in page


def test_unknown_agency_gives_a_row_error_keeps_typing_then_confirm_creates(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    draft = NoticeDraft.objects.get()
    data = form_data(draft.proposal)
    data["task-1-lead"] = "Bộ Tài chánh Liên hành tinh"
    data["task-0-text"] = "Nội dung đã được người xem lại chỉnh sửa."

    response = client.post(f"{START}{draft.pk}/confirm/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "không tìm thấy cơ quan “Bộ Tài chánh Liên hành tinh”" in page
    assert 'class="chip unknown"' in page
    assert "Nội dung đã được người xem lại chỉnh sửa." in page  # what the reviewer typed stays
    assert Notice.objects.count() == 0 and Task.objects.count() == 0

    data["task-1-lead"] = "Bộ Xây dựng"
    response = client.post(f"{START}{draft.pk}/confirm/", data)

    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    task = notice.tasks.get(path="1.b")
    assert [a.agency.name for a in task.assignments.filter(role=AssignmentRole.LEAD)] == ["Bộ Xây dựng"]
    assert notice.tasks.get(path="1.a").text == "Nội dung đã được người xem lại chỉnh sửa."
    assert "Đã nhập thông báo 41-TB/TGV với 3 nhiệm vụ." in client.get(response["Location"]).content.decode()


def test_preview_keeps_the_edits_in_the_draft(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    draft = NoticeDraft.objects.get()
    data = form_data(draft.proposal)
    data["task-2-lead"] = "Bộ KH&CN; Bộ Không Có Thật"
    response = client.post(f"{START}{draft.pk}/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.proposal["tasks"][2]["lead"] == ["Bộ KH&CN", "Bộ Không Có Thật"]
    page = client.get(f"{START}{draft.pk}/").content.decode()
    assert "Bộ Không Có Thật — không có trong danh mục" in page
    assert "1</b> tên cơ quan không có trong danh mục" in page
    assert Notice.objects.count() == 0


def test_reimport_page_shows_what_changed(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    first = NoticeDraft.objects.get()
    client.post(f"{START}{first.pk}/confirm/", form_data(first.proposal))
    notice = Notice.objects.get()

    _upload(client, default, NOTICE_41.replace("trước ngày 30/9/2025", "trước ngày 31/10/2025"))
    second = NoticeDraft.objects.exclude(pk=first.pk).get()
    page = client.get(f"{START}{second.pk}/").content.decode()
    assert f"Thông báo {notice} đã có trong hệ thống" in page
    assert "1 nhiệm vụ thay đổi" in page and "0 nhiệm vụ mới" in page
    assert "<del>30/09/2025</del> → <ins>31/10/2025</ins>" in page
    assert "Xác nhận cập nhật thông báo 41-TB/TGV" in page

    response = client.post(f"{START}{second.pk}/confirm/", form_data(second.proposal))
    assert response.status_code == 302
    assert Notice.objects.count() == 1 and notice.tasks.count() == 3
    assert notice.tasks.get(path="1.a").deadline_due.isoformat() == "2025-10-31"


CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "03-NQ-CP.txt"


def payload(data: dict) -> dict:
    """What the review page's script posts: every field as one JSON list of [name, value] pairs."""
    return {"review_payload": json.dumps([[k, str(v)] for k, v in data.items()])}


def test_the_146_task_action_programme_is_confirmed_through_the_web_review(client, setup):
    default, _, office = setup
    client.force_login(office)
    text = CORPUS.read_text(encoding="utf-8")  # fails loudly when ../shared is missing
    response = _upload(client, default, text, name="03-NQ-CP.txt")
    draft = NoticeDraft.objects.get()
    assert response.status_code == 302 and len(draft.proposal["tasks"]) == 146
    page = client.get(f"{START}{draft.pk}/").content.decode()
    assert "nq57/import_review.js" in page and page.count('class="card task-card') == 146
    data = form_data(draft.proposal)
    assert len(data) > 1000  # the ordinary form: more fields than Django accepts in one request
    assert client.post(f"{START}{draft.pk}/confirm/", data).status_code == 400

    response = client.post(f"{START}{draft.pk}/confirm/", {**payload(data), "register_unknown": "1"})

    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.number == "03/NQ-CP" and notice.tasks.count() == 146
    draft.refresh_from_db()
    assert draft.confirmed_at is not None and len(draft.written) == 146


def test_a_payload_that_is_not_the_review_form_writes_nothing(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    draft = NoticeDraft.objects.get()
    for bad in ("not json", json.dumps({"a": 1}), json.dumps([["a", 1]])):
        response = client.post(f"{START}{draft.pk}/confirm/", {"review_payload": bad}, follow=True)
        assert "Dữ liệu trang xem lại gửi lên không hợp lệ" in response.content.decode()
    assert Notice.objects.count() == 0


def test_preview_through_the_payload_keeps_the_edits(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    draft = NoticeDraft.objects.get()
    data = form_data(draft.proposal)
    data["task-0-text"] = "Nội dung sửa qua bản gửi một trường."
    assert client.post(f"{START}{draft.pk}/", payload(data)).status_code == 302
    draft.refresh_from_db()
    assert draft.proposal["tasks"][0]["text"] == "Nội dung sửa qua bản gửi một trường."


def test_reimport_page_shows_the_extension_kept(client, setup):
    import datetime as dt

    from nq57.reports.services import extension_decide, extension_request

    default, _, office = setup
    client.force_login(office)
    text = NOTICE_41.replace("trước ngày 30/9/2025", "trước ngày 31/3/2026")
    _upload(client, default, text)
    first = NoticeDraft.objects.get()
    assert client.post(f"{START}{first.pk}/confirm/", form_data(first.proposal)).status_code == 302
    task = Task.objects.get(path="1.a")
    request = extension_request(task=task, actor=office, requested_due=dt.date(2027, 2, 28),
                                reason="Cần thêm thời gian.")
    extension_decide(request=request, actor=office, approve=True)

    _upload(client, default, text)
    second = NoticeDraft.objects.exclude(pk=first.pk).get()
    page = client.get(f"{START}{second.pk}/").content.decode()
    assert 'id="conflicts"' in page and "1 khác với quyết định trong hệ thống" in page
    assert "văn bản ghi <b>31/03/2026</b>; hệ thống: <b>28/02/2027</b>" in page
    assert "giữ quyết định trong hệ thống" in page
    assert "0 nhiệm vụ thay đổi" in page
    assert 'name="task-0-apply" value="deadline_due"' in page

    response = client.post(f"{START}{second.pk}/confirm/", form_data(second.proposal))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.deadline_due == dt.date(2027, 2, 28)


def test_start_page_lists_drafts_with_name_format_size_and_discards_them(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    client.post(START, {"programme": default.pk, "text": NOTICE_41})
    uploaded, pasted = NoticeDraft.objects.order_by("id")
    page = client.get(START).content.decode()
    row = re.search(rf'<tr id="draft-{uploaded.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "tb41.txt" in row and "Văn bản (.txt)" in row and "KB" in row
    row = re.search(rf'<tr id="draft-{pasted.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "(nội dung dán vào)" in row and "Văn bản dán vào" in row

    response = client.post(f"{START}{uploaded.pk}/discard/", follow=True)

    assert "Đã hủy bản nhập “tb41.txt”." in response.content.decode()
    assert list(NoticeDraft.objects.all()) == [pasted]
    assert client.get(f"{START}{uploaded.pk}/discard/").status_code == 405


def test_two_pasted_notices_are_refused_on_the_page(client, setup):
    from nq57.notices.tests.test_import_services import NOTICE_30

    default, _, office = setup
    client.force_login(office)
    response = client.post(START, {"programme": default.pk, "text": NOTICE_41 + "\n" + NOTICE_30})
    assert "Nội dung có 2 thông báo" in response.content.decode()
    assert NoticeDraft.objects.count() == 0


def test_reimport_page_keeps_the_first_reviews_corrections(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    first = NoticeDraft.objects.get()
    data = form_data(first.proposal)
    data["task-0-lead"] = "Bộ Xây dựng"
    data["task-2-drop"] = "on"
    assert client.post(f"{START}{first.pk}/confirm/", data).status_code == 302

    _upload(client, default)  # the same notice again
    second = NoticeDraft.objects.exclude(pk=first.pk).get()
    page = client.get(f"{START}{second.pk}/").content.decode()

    assert "0 nhiệm vụ thay đổi" in page and "2 không đổi" in page
    assert re.search(r'<textarea name="task-0-lead"[^>]*>\s*Bộ Xây dựng</textarea>', page)
    assert 'name="task-2-drop" id="id_task-2-drop" checked' in page
    assert "Giữ chỉnh sửa của lần nhập trước: Cơ quan chủ trì" in page
    assert client.post(f"{START}{second.pk}/confirm/", form_data(second.proposal)).status_code == 302
    leads = Task.objects.get(path="1.a").assignments.filter(role=AssignmentRole.LEAD)
    assert [a.agency.name for a in leads] == ["Bộ Xây dựng"] and Task.objects.count() == 2


def test_the_review_page_discards_its_draft(client, setup):
    default, _, office = setup
    client.force_login(office)
    _upload(client, default)
    draft = NoticeDraft.objects.get()
    page = client.get(f"{START}{draft.pk}/").content.decode()
    assert f'formaction="{START}{draft.pk}/discard/"' in page
    response = client.post(f"{START}{draft.pk}/discard/", payload(form_data(draft.proposal)))
    assert response.status_code == 302 and response["Location"] == START
    assert NoticeDraft.objects.count() == 0 and Notice.objects.count() == 0
