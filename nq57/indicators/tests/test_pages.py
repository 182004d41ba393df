"""Indicator pages through the test client, the API through ApiClient, the admin read-only."""

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core.cache import caches
from docx import Document
from openpyxl import load_workbook

from nq57.api.http import rate_limit_reset
from nq57.api.services import token_cache_clear, token_create
from nq57.api.tests.helpers import ApiClient
from nq57.indicators import services
from nq57.indicators.models import Indicator, IndicatorProposal, IndicatorValue, ValueState

AT = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_list_detail_and_dashboard(cast, client, rising):
    for year, value in ((2022, 10), (2023, 14), (2024, 18)):
        services.value_submit(actor=cast.alice, indicator=rising, year=year, value=value, at=AT)
    client.force_login(cast.leader)
    page = client.get("/indicators/?status=on_track").content.decode()
    assert rising.name in page
    assert rising.name not in client.get("/indicators/?status=off_track").content.decode()
    detail = client.get(f"/indicators/{rising.pk}/").content.decode()
    assert f'id="figure-indicator-{rising.pk}"' in detail and 'id="indicator-projection"' in detail
    assert f"/static/{settings.PLOTLY_STATIC_DIR}/plotly.min.js" in detail and "<script>" not in detail
    assert 'id="value-form"' not in detail  # a leader does not enter values
    dashboard = client.get("/indicators/dashboard/").content.decode()
    assert f"/indicators/?agency={cast.kh.pk}&amp;status=on_track" in dashboard
    assert "/indicators/?year=2030" in dashboard


def test_focal_point_enters_a_value_and_the_status_changes(cast, client, rising):
    services.value_submit(actor=cast.alice, indicator=rising, year=2023, value=10, at=AT)
    client.force_login(cast.alice)
    assert 'id="value-form"' in client.get(f"/indicators/{rising.pk}/").content.decode()
    response = client.post(f"/indicators/{rising.pk}/values/", {"year": 2024, "quarter": 0, "value": "16"})
    assert response.status_code == 302
    rising.refresh_from_db()
    assert rising.status == "on_track"  # +6 a year reaches 30 well before 2030
    # refused: the form keeps what was typed, the message is in Vietnamese
    refused = client.post(f"/indicators/{rising.pk}/values/", {"year": 2024, "quarter": 0, "value": "mười sáu",
                                                               "note": "Theo số liệu Tổng cục Thống kê"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Giá trị phải là một số" in body
    assert "mười sáu" in body and "Theo số liệu Tổng cục Thống kê" in body


def test_other_organisation_cannot_enter_and_only_the_office_validates(cast, client, rising):
    client.force_login(cast.bob)
    assert client.post(f"/indicators/{rising.pk}/values/", {"year": 2024, "value": "5"}).status_code == 403
    value = services.value_submit(actor=cast.alice, indicator=rising, year=2024, value=5, at=AT)
    client.force_login(cast.office)
    assert rising.name in client.get("/indicators/?pending=1").content.decode()
    client.force_login(cast.alice)
    assert client.post(f"/indicators/values/{value.pk}/validate/", {"decision": "accept"}).status_code == 403
    client.force_login(cast.office)
    assert client.post(f"/indicators/values/{value.pk}/validate/", {"decision": "accept"}).status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.VALIDATED


def test_citizen_and_anonymous_see_nothing(cast, client, rising):
    from nq57.core.testing import make_citizen

    assert client.get("/indicators/").status_code == 302
    client.force_login(make_citizen("dan"))
    assert client.get(f"/indicators/{rising.pk}/").status_code == 403


def test_proposals_confirmed_in_one_screen(cast, client):
    made = services.proposals_from_targets(actor=cast.office, notice=cast.notice, targets=[
        {"path": "1", "text": "Đào tạo ít nhất 50.000 kỹ sư bán dẫn", "year": 2030, "value": "50.000", "unit": None},
        {"path": "2", "text": "Vốn đầu tư mạo hiểm mỗi năm", "year": 2030, "value": "1 tỷ USD", "unit": None},
        {"path": "3", "text": "Thuộc nhóm 50 nước dẫn đầu về chỉ số sẵn sàng AI", "year": 2030, "value": "50",
         "unit": "Thứ bậc"}])
    client.force_login(cast.office)
    page = client.get("/indicators/proposals/").content.decode()
    assert all(f'id="proposal-{p.pk}"' in page for p in made)
    response = client.post("/indicators/proposals/", {
        f"p{made[0].pk}-action": "create", f"p{made[0].pk}-name": "Số kỹ sư bán dẫn được đào tạo",
        f"p{made[0].pk}-year": "2030", f"p{made[0].pk}-value": "50000", f"p{made[0].pk}-agency": str(cast.kh.pk),
        f"p{made[1].pk}-action": "dismiss",
        f"p{made[2].pk}-action": "create", f"p{made[2].pk}-year": "2030", f"p{made[2].pk}-value": "50"})
    assert response.status_code == 302
    engineers = Indicator.objects.get(name="Số kỹ sư bán dẫn được đào tạo")
    assert engineers.agency == cast.kh and engineers.targets.get().value == 50000
    assert engineers.sources.get().notice == cast.notice
    ai = Indicator.objects.get(name__startswith="Thuộc nhóm 50")
    assert (ai.kind, ai.direction) == ("rank", "lower")
    assert IndicatorProposal.objects.filter(state="pending").count() == 0
    client.force_login(cast.alice)
    assert client.get("/indicators/proposals/").status_code == 403


def test_proposal_errors_keep_the_typed_values(cast, client):
    made = services.proposals_from_targets(actor=cast.office, notice=cast.notice, targets=[
        {"path": "1", "text": "Đạt mức tiên tiến", "year": 2030, "value": "Tiên tiến", "unit": None}])
    client.force_login(cast.office)
    response = client.post("/indicators/proposals/", {f"p{made[0].pk}-action": "merge",
                                                      f"p{made[0].pk}-name": "Tên đã sửa"})
    body = response.content.decode()
    assert response.status_code == 400 and "Hãy chọn chỉ tiêu có sẵn" in body and "Tên đã sửa" in body


def test_exports(cast, client, rising):
    services.value_submit(actor=cast.alice, indicator=rising, year=2024, value=12, at=AT)
    client.force_login(cast.office)
    book = load_workbook(io.BytesIO(client.get("/indicators/dashboard/?format=xlsx").content))
    assert book.sheetnames == ["Tổng hợp", "Theo chủ đề", "Theo cơ quan", "Theo năm mục tiêu", "Chỉ tiêu"]
    assert book["Chỉ tiêu"]["B2"].value == rising.name
    document = Document(io.BytesIO(client.get("/indicators/dashboard/?format=docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU" in text
    # headed by the configured issuer, as the consolidated report (the default: a Party body)
    from nq57.monitoring.issuers import issuer_for

    assert issuer_for().motto[0] in document.tables[0].cell(0, 1).text
    framework = services.framework_create(actor=cast.office, name="Tiêu chí thử", subject_kind="province",
                                          subject_ids=[cast.kh.pk], criteria=[
                                              {"name": "Thể chế", "weight": 1, "rule": "assessor"}])
    client.post(f"/indicators/scorecards/criteria/{framework.current.criteria.get().pk}/score/",
                {"subject": cast.kh.pk, "year": 2025, "score": "70", "evidence": "Biên bản"})
    page = client.get(f"/indicators/scorecards/{framework.pk}/?year=2025").content.decode()
    assert "70,00" in page or "70.00" in page
    sheet = load_workbook(io.BytesIO(client.get(f"/indicators/scorecards/{framework.pk}/?year=2025&format=xlsx")
                                     .content)).active
    assert [sheet["A2"].value, sheet["B2"].value, sheet["D2"].value] == [1, cast.kh.name, 70]
    assert client.get(f"/indicators/scorecards/{framework.pk}/?year=2025&format=docx").status_code == 200


def test_growth_page_shows_every_figure(cast, client):
    series = {"GDP": (100, 106, 112.36), "Vốn": (200, 210, 220.5), "Lao động": (50, 50.5, 51.005)}
    ids = {}
    for name, values in series.items():
        indicator = services.indicator_create(actor=cast.office, name=name, kind="amount")
        for year, value in zip((2023, 2024, 2025), values, strict=True):
            services.value_submit(actor=cast.office, indicator=indicator, year=year, value=value,
                                  at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
        ids[name] = indicator.pk
    client.force_login(cast.leader)
    page = client.get("/indicators/growth/", {"output": ids["GDP"], "capital": ids["Vốn"],
                                              "labour": ids["Lao động"], "alpha": "0,4"}).content.decode()
    assert "g_TFP = g_Y − α × g_K − (1 − α) × g_L" in page
    assert "0,0340" in page or "0.0340" in page  # g_TFP each year
    assert "0,5667" in page or "0.5667" in page  # TFP share of growth
    bad = client.get("/indicators/growth/", {"output": ids["GDP"], "alpha": "2"})
    assert bad.status_code == 400


def test_import_page_lists_row_errors(cast, client, rising):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(services.XLSX_HEADERS)
    book.active.append([rising.pk, "", 2024, None, "abc"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "gia-tri.xlsx"
    client.force_login(cast.office)
    response = client.post("/indicators/values/import/", {"file": buffer})
    assert response.status_code == 400
    assert "Dòng 2: Giá trị phải là một số" in response.content.decode()
    assert not IndicatorValue.objects.exists()


@pytest.fixture
def api_for(cast):
    caches["api"].clear()
    rate_limit_reset()
    token_cache_clear()

    def make(user):
        _, raw = token_create(user=user, name=f"test {user.username}")
        return ApiClient(raw)

    yield make
    caches["api"].clear()
    rate_limit_reset()


def test_api_reads_and_posts_with_idempotency(cast, rising, api_for):
    alice = api_for(cast.alice)
    listing = alice.get("indicators", {"q": "khởi nguồn"})
    assert listing.status_code == 200 and listing.json()["results"][0]["id"] == rising.pk
    assert alice.get(f"indicators/{rising.pk}").json()["targets"] == [{"year": 2030, "value": 30.0, "text": "30"}]
    body = {"year": 2024, "value": 12.5, "evidence_link": "https://thongke.gov.vn/so-lieu"}
    first = alice.post(f"indicators/{rising.pk}/values", body, headers={"Idempotency-Key": "k1"})
    again = alice.post(f"indicators/{rising.pk}/values", body, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert json.loads(first.content)["origin"] == "api"
    assert IndicatorValue.objects.filter(indicator=rising).count() == 1
    refused = api_for(cast.bob).post(f"indicators/{rising.pk}/values", body)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    invalid = alice.post(f"indicators/{rising.pk}/values", {"year": 2024, "quarter": 3, "value": 1})
    assert invalid.status_code == 400 and "quarter" in invalid.json()["errors"]
    assert len(alice.get(f"indicators/{rising.pk}/values").json()) == 1


def test_admin_is_read_only(cast, client, rising):
    from nq57.accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.invalid", "x")
    client.force_login(admin)
    assert client.get(f"/admin/indicators/indicator/{rising.pk}/change/").status_code == 200
    assert client.get("/admin/indicators/indicator/add/").status_code == 403


def test_office_creates_and_edits_an_indicator(cast, client):
    client.force_login(cast.office)
    assert client.get("/indicators/new/").status_code == 200
    data = {"name": "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", "unit": "%", "kind": "ratio",
            "direction": "higher", "period": "yearly", "agency": cast.kh.pk, "value_source": "entered",
            "targets": "2030: ≥ 40\n2045: 60"}
    response = client.post("/indicators/new/", data)
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert list(indicator.targets.values_list("year", "value")) == [(2030, 40), (2045, 60)]
    refused = client.post(f"/indicators/{indicator.pk}/edit/", {**data, "targets": "2030: 40\n2030: 50"})
    assert refused.status_code == 400 and "Năm 2030 có hai mục tiêu" in refused.content.decode()
    assert "2030: 40\n2030: 50" in refused.content.decode()
    indicator.targets.filter(year=2030).update(text="")
    assert "2030: 40\n" in client.get(f"/indicators/{indicator.pk}/edit/").content.decode()  # not 4E+1
    client.force_login(cast.alice)
    assert client.get("/indicators/new/").status_code == 403


def test_focal_point_downloads_a_template_of_its_own_indicators(cast, client, rising):
    other = services.indicator_create(actor=cast.office, name="Chi ngân sách cho khoa học", agency=cast.tc)
    client.force_login(cast.alice)
    sheet = load_workbook(io.BytesIO(client.get("/indicators/values/template.xlsx").content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [rising.pk]
    assert other.pk not in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    client.force_login(cast.leader)
    assert client.get("/indicators/values/template.xlsx").status_code == 403
