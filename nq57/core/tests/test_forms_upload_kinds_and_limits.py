"""Issue 9 across the other forms: one constant per upload kind (help text, ``accept=`` and refusal agree), every
problem of a form at once (registration, sign-up, notice import), a refused file not shown as still chosen, and
the length limits of ``core/limits.py``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nq57.core import limits
from nq57.core.errors import Problems, ServiceError
from nq57.core.templatetags.texts import collapsed
from nq57.core.testing import ProgrammeFactory, make_citizen
from nq57.core.uploads import ATTACHMENT, EXCHANGE_EXCEL, EXCHANGE_JSON, NOTICE_DOCUMENT, check_upload

KINDS = [ATTACHMENT, NOTICE_DOCUMENT, EXCHANGE_JSON, EXCHANGE_EXCEL]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.label)
def test_help_text_accept_and_refusal_list_the_same_types(kind, settings):
    try:
        check_upload(SimpleUploadedFile("chuong-trinh.exe", b"MZ" + b"\x00" * 30), kind)
    except ServiceError as exc:
        refusal = exc.message
    else:
        raise AssertionError("an .exe must be refused")
    listed_in_refusal = refusal.split("chỉ nhận các định dạng ")[1].rstrip(".").split(", ")
    listed_in_help = kind.help_text.split("Nhận tệp ")[1].split(";")[0].split(", ")
    assert listed_in_refusal == listed_in_help == [ext.lstrip(".") for ext in kind.extensions]
    accepted = kind.accept.split(",")
    assert [a for a in accepted if a.startswith(".")] == kind.extensions
    assert set(kind.mime_types) <= set(accepted)


def test_every_accepted_extension_passes_with_its_real_content():
    samples = {b"%PDF-": b"%PDF-1.4\n", b"PK\x03\x04": b"PK\x03\x04rest", b"\xd0\xcf\x11\xe0": b"\xd0\xcf\x11\xe0x",
               b"\x89PNG\r\n\x1a\n": b"\x89PNG\r\n\x1a\nIHDR", b"\xff\xd8\xff": b"\xff\xd8\xffdata"}
    for kind in KINDS:
        for extension, file_type in kind.types.items():
            content = samples[file_type.signatures[0]] if file_type.signatures and file_type.signatures[0] else b"ok"
            check_upload(SimpleUploadedFile(f"tep{extension}", content), kind)


def test_the_notice_import_page_reads_the_notice_document_kind(db, client):
    from nq57.core.testing import make_office

    ProgrammeFactory()
    client.force_login(make_office("office-kinds"))
    page = client.get("/notices/import/").content.decode()
    assert f'accept="{NOTICE_DOCUMENT.accept}"' in page and NOTICE_DOCUMENT.help_text in page.replace("&nbsp;", "\xa0")
    response = client.post("/notices/import/", {"programme": ProgrammeFactory().pk,
                                                "upload": SimpleUploadedFile("bang.xlsx", b"PK\x03\x04" + b"x" * 50)})
    body = response.content.decode()
    assert f"chỉ nhận các định dạng {NOTICE_DOCUMENT.types_text}." in body
    assert "Tệp “bang.xlsx” không được nhận nên không được giữ lại" in body


def test_the_exchange_page_reads_its_kinds(cast, client):
    client.force_login(cast.office)
    page = client.get("/exchange/").content.decode()
    assert f'accept="{EXCHANGE_JSON.accept}"' in page and f'accept="{EXCHANGE_EXCEL.accept}"' in page
    xls = SimpleUploadedFile("ds.xls", b"\xd0\xcf\x11\xe0x")
    response = client.post(reverse("exchange:excel_upload"), {"file": xls})
    body = response.content.decode()
    assert response.status_code == 400
    assert f"chỉ nhận các định dạng {EXCHANGE_EXCEL.types_text}." in body and "không được giữ lại" in body


# --- every problem at once -------------------------------------------------------------------------------------

REGISTRATION = {"name": "Trường Đại học Công nghệ Thử nghiệm", "kind": "university", "tax_code": "",
                "address": "144 Xuân Thủy, Hà Nội", "contact_name": "Lê Thị Liên", "contact_email": "lien@example.vn",
                "contact_phone": ""}


def test_a_registration_with_a_known_name_and_no_address_shows_both(cast, client):
    response = client.post("/agencies/register/", {**REGISTRATION, "name": cast.kh.name, "address": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tổ chức có tên này đã có trong danh mục." in body and "Hãy nhập địa chỉ." in body
    assert cast.kh.name in body


def test_a_sign_up_with_a_used_address_and_different_passwords_shows_both(db, client):
    make_citizen("dan", email="dan@example.vn")
    response = client.post("/accounts/sign-up/", {"full_name": "Nguyễn Văn Dân", "email": "dan@example.vn",
                                                  "password1": "mot-mat-khau-du-dai-2025",
                                                  "password2": "mot-mat-khau-khac-2025"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hai lần nhập mật khẩu không khớp." in body
    assert "Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác." in body


def test_a_service_error_of_several_fields_names_them_all():
    problems = Problems()
    problems.add("text", "Nội dung báo cáo không được để trống.")
    problems.add("percent", "Tiến độ phải là số từ 0 đến 100.")
    with pytest.raises(ServiceError) as caught:
        problems.raise_if_any()
    assert caught.value.errors == {"text": ["Nội dung báo cáo không được để trống."],
                                   "percent": ["Tiến độ phải là số từ 0 đến 100."]}
    assert caught.value.message.startswith("Có 2 điểm cần sửa:") and "Tiến độ" in caught.value.message


# --- length limits ---------------------------------------------------------------------------------------------

def test_an_over_long_organisation_name_is_refused_with_the_limit_and_kept(db, client):
    name = "Viện Nghiên cứu " + "Công nghệ " * 60
    response = client.post("/agencies/register/", {**REGISTRATION, "name": name})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"tối đa {limits.number(limits.ORGANISATION_NAME)} ký tự" in body and name.strip()[:100] in body


def test_a_pasted_notice_over_the_limit_is_refused_and_kept(db, client, settings):
    from nq57.core.testing import make_office

    client.force_login(make_office("office-paste"))
    text = "Số: 99-TB/TGV\n" + "Nội dung rất dài. " * (limits.NOTICE_TEXT // 18 + 10)
    response = client.post("/notices/import/", {"programme": ProgrammeFactory().pk, "text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"tối đa {limits.number(limits.NOTICE_TEXT)} ký tự" in body and "Nội dung rất dài." in body


def test_the_collapsed_filter_keeps_short_texts_and_folds_long_ones():
    assert collapsed("Ngắn <b>") == '<span class="quote">Ngắn &lt;b&gt;</span>'
    long = "chữ " * 400 + "<script>"
    html = collapsed(long)
    assert html.startswith('<details class="long-text"><summary>') and "Xem thêm" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    summary = html[:html.index("</summary>")]
    assert len(summary) < limits.PREVIEW_CHARS + 300
