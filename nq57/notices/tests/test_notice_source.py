"""The original uploaded file of a notice is downloaded from its page (issue 9): its own bytes, name and type, as an
attachment, for staff-side users only."""

import copy
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from nq57.agencies.services import registry_load
from nq57.core.testing import ProgrammeFactory, make_citizen, make_focal_point, make_leader, make_office
from nq57.notices import services
from nq57.notices.tests.test_import_services import NOTICE_30

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def imported(db):
    registry_load()
    office = make_office("office-source")
    programme = ProgrammeFactory()
    document = Document()
    for line in NOTICE_30.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    upload = SimpleUploadedFile("Thông báo 30-TB TGV (bản ký).docx", data, content_type=DOCX)
    draft = services.draft_create(actor=office, programme=programme, upload=upload)
    notice = services.notice_import_confirm(actor=office, draft=draft, proposal=copy.deepcopy(draft.proposal)).notice
    return {"office": office, "notice": notice, "data": data}


def test_the_notice_page_links_the_original_file_and_it_downloads_as_uploaded(imported, client):
    client.force_login(make_leader("leader-source"))
    notice = imported["notice"]
    page = client.get(notice.get_absolute_url()).content.decode()
    url = reverse("notices:notice_source", args=[notice.pk])
    assert f'href="{url}" id="source-download"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''Th%C3%B4ng%20b%C3%A1o%2030-TB%20TGV%20%28b%E1%BA%A3n%20k%C3%BD%29.docx" in \
        response["Content-Disposition"]
    assert b"".join(response.streaming_content) == imported["data"]


def test_a_focal_point_downloads_it_a_citizen_does_not(imported, client):
    from nq57.agencies.models import Agency

    url = reverse("notices:notice_source", args=[imported["notice"].pk])
    agency = Agency.objects.filter(kind="ministry").first()
    client.force_login(make_focal_point("focal-source", agency))
    assert client.get(url).status_code == 200
    client.force_login(make_citizen("citizen-source"))
    response = client.get(url)
    assert response.status_code == 403
    assert "attachment" not in response.get("Content-Disposition", "")


def test_a_pasted_notice_has_no_original_file(imported, client):
    office = imported["office"]
    draft = services.draft_create(actor=office, programme=imported["notice"].programme,
                                  text=NOTICE_30.replace("30-TB/TGV", "31-TB/TGV"))
    notice = services.notice_import_confirm(actor=office, draft=draft, proposal=copy.deepcopy(draft.proposal)).notice
    client.force_login(office)
    assert "source-download" not in client.get(notice.get_absolute_url()).content.decode()
    response = client.get(reverse("notices:notice_source", args=[notice.pk]))
    assert response.status_code == 404
