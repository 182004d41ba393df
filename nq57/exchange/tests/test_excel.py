"""Task spreadsheets: every row error (row, column, Vietnamese reason) before anything is written; all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from nq57.core.errors import ServiceError
from nq57.exchange.excel import excel_commit, excel_parse
from nq57.tasks.models import Task

HEADER = ["STT", "Số thông báo", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]


def workbook(rows, *, title_rows=1) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhiệm vụ")
    for _ in range(title_rows):
        ws.append(["DANH MỤC NHIỆM VỤ THEO THÔNG BÁO KẾT LUẬN"])
    ws.append(HEADER)
    for index, row in enumerate(rows, start=1):
        ws.append([index, *row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_rows(cast):
    n = cast.notice.number
    return [
        [n, "Ban hành quy chế chia sẻ dữ liệu", "Bộ KH&CN", "Bộ Tài chính; Bộ Xây dựng", "trước ngày 30/7/2025"],
        [n, "Rà soát hạ tầng số dùng chung", "Bộ Xây dựng", "", "Quý III/2025"],
        [n, "Tuyên truyền kết quả thực hiện", "Bộ Tài chính", None, "Thường xuyên"],
    ]


def test_a_clean_sheet_previews_then_writes_every_row(cast):
    data = workbook(good_rows(cast))
    preview = excel_parse(io.BytesIO(data))
    assert preview.errors == [] and len(preview.rows) == 3
    assert [(r.deadline_kind, str(r.deadline_due)) for r in preview.rows] == [
        ("date", "2025-07-30"), ("quarter", "2025-09-30"), ("recurring", "None")]
    assert Task.objects.count() == 2  # the preview wrote nothing
    created = excel_commit(file=io.BytesIO(data), actor=cast.office)
    assert len(created) == 3 and Task.objects.count() == 5
    task = Task.objects.get(pk=created[0])
    assert sorted(a.agency.name for a in task.assignments.all()) == ["Bộ Khoa học và Công nghệ", "Bộ Tài chính",
                                                                      "Bộ Xây dựng"]


def test_each_mistake_is_reported_with_row_column_and_reason(cast):
    n = cast.notice.number
    rows = good_rows(cast) + [
        [n, "Nhiệm vụ có cơ quan lạ", "Bộ Không Tồn Tại", "", "trước ngày 30/7/2025"],
        ["99-TB/XYZ", "Nhiệm vụ của thông báo lạ", "Bộ Tài chính", "", "Quý III/2025"],
        [n, "Nhiệm vụ có ngày sai", "Bộ Tài chính", "", "trước ngày 31/02/2025"],
        [n, "", "Bộ Tài chính", "", "Thường xuyên"],
        [n, "Thời hạn không hiểu", "Bộ Tài chính", "Bộ Ma", "sớm nhất có thể"],
    ]
    preview = excel_parse(io.BytesIO(workbook(rows)))
    messages = [str(e) for e in preview.errors]
    assert messages == [
        "Dòng 6, cột D (Cơ quan chủ trì): Không tìm thấy cơ quan “Bộ Không Tồn Tại” trong danh mục cơ quan.",
        "Dòng 7, cột B (Số thông báo): Không tìm thấy thông báo số “99-TB/XYZ”; hãy nhập thông báo vào hệ thống "
        "trước.",
        "Dòng 8, cột F (Thời hạn): Ngày 31/02/2025 không tồn tại.",
        "Dòng 9, cột C (Nội dung nhiệm vụ): Nội dung nhiệm vụ không được để trống.",
        "Dòng 10, cột E (Cơ quan phối hợp): Không tìm thấy cơ quan “Bộ Ma” trong danh mục cơ quan.",
        messages[5],
    ]
    assert messages[5].startswith("Dòng 10, cột F (Thời hạn): Không hiểu thời hạn “sớm nhất có thể”")
    with pytest.raises(ServiceError) as exc:
        excel_commit(file=io.BytesIO(workbook(rows)), actor=cast.office)
    assert "chưa ghi nhiệm vụ nào" in exc.value.message
    assert Task.objects.count() == 2


def test_ten_thousand_rows_with_some_mistakes_write_nothing(cast):
    n = cast.notice.number
    rows = []
    for i in range(10_000):
        if i % 997 == 13:
            rows.append([n, f"Nhiệm vụ {i}", "Bộ Tài chính", "", "trước ngày 31/02/2025"])
        elif i % 1999 == 7:
            rows.append([n, f"Nhiệm vụ {i}", "Bộ Tài chánh sai", "", "Quý III/2025"])
        else:
            rows.append([n, f"Nhiệm vụ số {i}", "Bộ Tài chính", "Bộ KH&CN", "trước ngày 30/7/2025"])
    data = workbook(rows)
    preview = excel_parse(io.BytesIO(data))
    bad_date = [i for i in range(10_000) if i % 997 == 13]
    bad_agency = [i for i in range(10_000) if i % 1999 == 7 and i % 997 != 13]
    assert preview.total_rows == 10_000
    assert len(preview.errors) == len(bad_date) + len(bad_agency)
    assert {e.row for e in preview.errors if e.column == "F"} == {i + 3 for i in bad_date}
    assert {e.row for e in preview.errors if e.column == "D"} == {i + 3 for i in bad_agency}
    with pytest.raises(ServiceError):
        excel_commit(file=io.BytesIO(data), actor=cast.office)
    assert Task.objects.count() == 2


def test_a_file_without_the_columns_or_not_a_workbook(cast):
    wb = Workbook()
    wb.active.append(["Tên", "Ghi chú"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ServiceError) as exc:
        excel_parse(io.BytesIO(buffer.getvalue()))
    assert "Số thông báo" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        excel_parse(io.BytesIO(b"PK\x03\x04 not really a zip"))
    assert ".xlsx" in exc.value.message


def test_the_web_flow_upload_preview_confirm(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.office)
    bad = workbook(good_rows(cast) + [[cast.notice.number, "X", "Bộ Tài chính", "", "31/02/2025"]])
    response = client.post("/exchange/excel/", {"file": SimpleUploadedFile("ds.xlsx", bad)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Ngày 31/02/2025 không tồn tại." in page.content.decode() and b"confirm-form" not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(response["Location"] + "confirm/")
    assert confirm.status_code == 302 and Task.objects.count() == 2
    page = client.get(confirm["Location"]).content.decode()
    assert "Ngày 31/02/2025 không tồn tại." in page and "chưa ghi nhiệm vụ nào" in page

    response = client.post("/exchange/excel/", {"file": SimpleUploadedFile("ds.xlsx", workbook(good_rows(cast)))})
    page = client.get(response["Location"])
    assert b"confirm-form" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(response["Location"] + "confirm/")
    assert Task.objects.count() == 5
    page = client.get(confirm["Location"]).content.decode()
    assert 'id="import-bar"' in page and "Đã ghi xong" in page
    status = client.get(confirm["Location"] + "status.json").json()
    assert (status["status"], status["rows_done"], status["rows_total"], status["counts"]["created"]) == (
        "done", 3, 3, 3)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "confirm/")  # a second confirmation writes nothing more
    assert Task.objects.count() == 5


def test_focal_points_cannot_import(cast, client_for):
    client = client_for(cast.alice)
    response = client.post("/exchange/excel/", {"file": SimpleUploadedFile("ds.xlsx", workbook(good_rows(cast)))})
    assert response.status_code == 403
