"""Hostile uploads are refused in Vietnamese with bounded memory and time, in a child process, and the web process
keeps serving. Each file is built here (``hostile.py``), small on disk and huge or slow once read naively."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nq57.core.errors import ServiceError
from nq57.core.sandbox import run_limited
from nq57.core.tests import hostile
from nq57.extraction import ExtractionError, read_document
from nq57.extraction.limits import MAX_PDF_PAGES, MAX_SHEET_ROWS

REFUSED = "quá lớn hoặc quá phức tạp"


def test_the_sandbox_returns_the_result_of_a_well_behaved_call():
    assert run_limited(hostile.allocate, 10, memory_mb=256, seconds=20) == 10 * 1024 * 1024


def test_the_sandbox_refuses_a_call_that_needs_more_memory_than_allowed():
    with pytest.raises(ServiceError) as exc:
        run_limited(hostile.allocate, 600, memory_mb=200, seconds=20, field="upload")
    assert REFUSED in exc.value.message and "bộ nhớ" in exc.value.message and exc.value.field == "upload"


def test_the_sandbox_stops_a_call_that_never_ends():
    with pytest.raises(ServiceError) as exc:
        run_limited(hostile.spin, memory_mb=100, seconds=1)
    assert REFUSED in exc.value.message
    assert os.getpid()  # still here: the loop ran in the child


def test_a_zip_bomb_docx_is_refused_before_python_docx_parses_it():
    data = hostile.docx_bomb(expanded_mb=60)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ExtractionError) as exc:
        read_document(data, "bom.docx")
    assert REFUSED in str(exc.value)


def test_a_pdf_whose_pages_share_one_big_content_stream_is_refused_by_its_text_length():
    data = hostile.pdf_shared_stream(pages=200, lines=3000)
    with pytest.raises(ExtractionError) as exc:
        read_document(data, "chung.pdf")
    assert REFUSED in str(exc.value) and "ký tự" in str(exc.value)


def test_a_pdf_with_more_pages_than_allowed_is_refused_by_its_page_count():
    with pytest.raises(ExtractionError) as exc:
        read_document(hostile.pdf_many_pages(pages=MAX_PDF_PAGES + 1), "nhieu-trang.pdf")
    assert REFUSED in str(exc.value) and "trang" in str(exc.value)


def test_a_huge_text_of_nested_numbering_is_refused_before_extraction():
    with pytest.raises(ExtractionError) as exc:
        read_document(hostile.nested_numbering_text(levels=60, size_mb=2.3), "long.txt")
    assert REFUSED in str(exc.value)


def test_a_docx_with_a_dtd_is_refused():
    from docx import Document

    base = io.BytesIO()
    Document().save(base)
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "word/document.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x "xxxxxxxx">]>', 1)
            dst.writestr(item, body)
    with pytest.raises(ExtractionError) as exc:
        read_document(out.getvalue(), "dtd.docx")
    assert "DTD" in str(exc.value)


@pytest.fixture
def office_client(client, db):
    from nq57.agencies.services import registry_load
    from nq57.core.testing import ProgrammeFactory, make_office

    registry_load()
    ProgrammeFactory()
    client.force_login(make_office("office-hostile"))
    return client


def test_the_notice_import_page_refuses_a_zip_bomb_in_vietnamese_and_keeps_serving(office_client):
    from nq57.notices.models import NoticeDraft, Programme

    response = office_client.post("/notices/import/", {
        "programme": Programme.objects.get(is_default=True).pk,
        "upload": SimpleUploadedFile("bom.docx", hostile.docx_bomb(expanded_mb=60)),
    })
    assert response.status_code in (200, 400)
    assert REFUSED in response.content.decode()
    assert NoticeDraft.objects.count() == 0
    assert office_client.get("/notices/import/").status_code == 200


@pytest.mark.parametrize("build, reason", [
    (lambda: hostile.xlsx_blank_rows(rows=MAX_SHEET_ROWS + 10), "dòng"),
    (hostile.xlsx_with_entity, "DTD"),
])
def test_the_excel_preview_refuses_hostile_workbooks_in_vietnamese(office_client, build, reason):
    from nq57.exchange.models import ImportBatch

    response = office_client.post("/exchange/excel/", {"file": SimpleUploadedFile("ds.xlsx", build())})
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.get()
    page = office_client.get(f"/exchange/excel/{batch.pk}/")
    assert page.status_code == 200
    assert reason in page.content.decode()
    assert office_client.get("/exchange/").status_code == 200


def test_a_workbook_with_a_dtd_is_refused_even_if_openpyxl_reads_it_directly():
    """Second line of defence: openpyxl parses through defusedxml, so the entity never expands."""
    from nq57.exchange.sheet import read_first_sheet

    with pytest.raises(ExtractionError):
        read_first_sheet(hostile.xlsx_with_entity())
