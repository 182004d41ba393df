"""Indicator services: permissions, values and validation, status kept on the indicator, Excel import (all or
nothing), computed values, reminders, proposals from a notice's targets, scorecards."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from nq57.core.access import SYSTEM
from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.testing import shared_path
from nq57.indicators import selectors, services
from nq57.indicators.models import (
    Criterion,
    Indicator,
    IndicatorProposal,
    IndicatorValue,
    ProposalState,
    ValueState,
)
from nq57.monitoring.models import Notification

AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def enter(indicator, actor, year, value, **kw):
    return services.value_submit(actor=actor, indicator=indicator, year=year, value=value, at=AT, **kw)


def test_parse_number_vietnamese():
    assert services.parse_number("50.000") == 50000
    assert services.parse_number("0,7") == Decimal("0.7")
    assert services.parse_number("≥ 55") == 55
    assert services.parse_number("40 - 50") == 40
    assert services.parse_number("1.234,5") == Decimal("1234.5")
    assert services.parse_number("09") == 9
    assert services.parse_number("2.5") == Decimal("2.5")
    assert services.parse_number("Đạt mức tiên tiến") is None


def test_organisation_enters_only_its_own_indicators(cast, rising):
    enter(rising, cast.alice, 2024, 10)  # alice: focal point of Bộ KH&CN, the responsible organisation
    with pytest.raises(PermissionDeniedError) as refused:
        enter(rising, cast.bob, 2025, 12)  # bob: Bộ Tài chính
    assert "cơ quan của bạn chủ trì" in refused.value.message
    with pytest.raises(PermissionDeniedError):
        enter(rising, cast.leader, 2025, 12)
    assert IndicatorValue.objects.filter(indicator=rising).count() == 1


def test_only_the_office_validates(cast, rising):
    value = enter(rising, cast.alice, 2024, 10)
    assert value.state == ValueState.SUBMITTED
    with pytest.raises(PermissionDeniedError):
        services.value_validate(actor=cast.alice, value=value, accept=True)
    with pytest.raises(ServiceError) as no_reason:
        services.value_validate(actor=cast.office, value=value, accept=False)
    assert "lý do" in no_reason.value.message
    services.value_validate(actor=cast.office, value=value, accept=True)
    value.refresh_from_db()
    assert value.state == ValueState.VALIDATED and value.validated_by == cast.office
    assert value.history.first().history_user == cast.office and value.history.first().state == "validated"
    # a correction goes back to waiting for validation
    corrected = enter(rising, cast.alice, 2024, 11)
    assert corrected.pk == value.pk and corrected.state == ValueState.SUBMITTED


def test_status_is_stored_with_each_write(cast, rising):
    enter(rising, cast.alice, 2023, 10)
    rising.refresh_from_db()
    assert rising.status == "no_data" and rising.latest_value == 10
    enter(rising, cast.alice, 2024, 14)
    enter(rising, cast.alice, 2025, 18)  # +4 a year: 2030 -> 38, target 30: on track
    rising.refresh_from_db()
    assert rising.status == "on_track"
    assert rising.projected_value == Decimal("38")
    assert (rising.next_target_year, rising.next_target_value) == (2030, 30)
    # a refused value leaves the series: 10, 14 -> still +4/year, then a flat recent value
    services.value_validate(actor=cast.office, value=IndicatorValue.objects.get(indicator=rising, year=2025),
                            accept=False, note="Số liệu chưa được thống kê xác nhận")
    rising.refresh_from_db()
    assert rising.latest_year == 2024


def test_value_refusals_in_vietnamese(cast, rising):
    with pytest.raises(ServiceError) as bad:
        enter(rising, cast.alice, 2024, "nhiều")
    assert bad.value.errors["value"] == ["Giá trị phải là một số (ví dụ 12,5)."]
    with pytest.raises(ServiceError) as quarter:
        enter(rising, cast.alice, 2024, "5", quarter=2)
    assert "theo năm" in quarter.value.message
    with pytest.raises(ServiceError) as future:
        enter(rising, cast.alice, 2027, "5")
    assert "chưa bắt đầu" in future.value.message
    with pytest.raises(ServiceError) as link:
        enter(rising, cast.alice, 2024, "5", evidence_link="javascript:alert(1)")
    assert "http" in link.value.message


def test_evidence_file_kept(cast, rising):
    upload = SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    value = enter(rising, cast.alice, 2024, "12,5", evidence_file=upload)
    assert value.value == Decimal("12.5") and value.evidence_name == "minh-chung.pdf"
    with pytest.raises(ServiceError):
        enter(rising, cast.alice, 2025, "1", evidence_file=SimpleUploadedFile("x.exe", b"MZ..."))


def _workbook(rows) -> list[list]:
    book = Workbook()
    sheet = book.active
    sheet.append(services.XLSX_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return services.read_values_sheet(SimpleUploadedFile("v.xlsx", buffer.getvalue()))


def test_excel_import_is_all_or_nothing(cast, rising):
    rows = _workbook([[rising.pk, rising.name, 2023, None, 10], [rising.pk, "", 2024, None, "mười"],
                      [99999, "", 2024, None, 3]])
    with pytest.raises(ServiceError) as refused:
        services.values_import(actor=cast.office, rows=rows)
    assert refused.value.errors["file"] == ["Dòng 3: Giá trị phải là một số (ví dụ 12,5).",
                                            "Dòng 4: không có chỉ tiêu mã “99999”."]
    assert not IndicatorValue.objects.exists()
    written = services.values_import(actor=cast.office, rows=_workbook([[rising.pk, "", 2023, None, 10],
                                                                         [rising.pk, "", 2024, 0, "12,5"]]))
    assert [v.value for v in written] == [10, Decimal("12.5")]
    # a focal point imports only for its own indicators
    other = services.indicator_create(actor=cast.office, name="Chi ngân sách cho KH&CN", agency=cast.tc)
    with pytest.raises(ServiceError) as foreign:
        services.values_import(actor=cast.alice, rows=_workbook([[other.pk, "", 2024, None, 1]]))
    assert "cơ quan của bạn chủ trì" in foreign.value.errors["file"][0]


def test_computed_indicator_refreshed_from_tasks(cast):
    indicator = services.indicator_create(actor=cast.office, name="Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
                                          unit="%", kind="ratio", value_source="computed",
                                          computation="tasks.on_time_rate", targets=[(2026, 90, "90")])
    # both cast tasks are open and past their 2025 deadlines on 2026-02-01: 0 on time of 2 due
    changed = services.computed_refresh(today=dt.date(2026, 2, 1))
    assert changed >= 1
    value = IndicatorValue.objects.get(indicator=indicator, year=2025)
    assert value.value == 0 and value.state == ValueState.VALIDATED and value.origin == "computed"
    with pytest.raises(PermissionDeniedError):  # never typed
        enter(indicator, cast.office, 2025, 50)
    with pytest.raises(ServiceError):
        services.indicator_create(actor=cast.office, name="X", value_source="computed", computation="nope")


def test_missing_values_reminded_then_escalated(cast, rising):
    Indicator.objects.filter(pk=rising.pk).update(created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    # the 2025 value is due 90 days after 31/12/2025 = 31/03/2026; 7 days before: alice is reminded once
    first = services.values_remind(today=dt.date(2026, 3, 24))
    again = services.values_remind(today=dt.date(2026, 3, 24))
    assert first["reminders"] == 1 and again["reminders"] == 0
    assert Notification.objects.filter(recipient=cast.alice, kind="indicators.value_due").count() == 1
    late = services.values_remind(today=dt.date(2026, 4, 2))
    assert late["escalated"] == 1
    assert Notification.objects.filter(recipient=cast.office, kind="indicators.value_overdue").count() == 1
    assert services.values_remind(today=dt.date(2026, 4, 3))["escalated"] == 0
    assert "chưa có giá trị năm 2025" in Notification.objects.get(kind="indicators.value_due").body


def test_an_overdue_value_joins_the_weekly_escalation_list(cast, rising):
    from nq57.monitoring.escalation import escalation_sections

    Indicator.objects.filter(pk=rising.pk).update(created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert not [s for s in escalation_sections(today=dt.date(2026, 3, 24)) if s["key"] == "indicators.values"]
    [section] = [s for s in escalation_sections(today=dt.date(2026, 4, 2)) if s["key"] == "indicators.values"]
    [group] = section["groups"]
    assert group["organisation_id"] == rising.agency_id and group["items"][0].days_late == 2
    assert group["items"][0].label == "Giá trị năm 2025" and group["items"][0].text == rising.name


def test_proposals_from_the_action_programme_annex_and_a_notice(cast, agency_registry):
    from nq57.notices.models import Notice

    text = shared_path("corpus", "03-NQ-CP.txt").read_text(encoding="utf-8")
    programme = Notice.objects.create(programme=cast.notice.programme, number="03/NQ-CP",
                                      issued_on=dt.date(2025, 1, 9), issuer="Chính phủ", full_text=text)
    created = services.proposals_from_notice(actor=cast.office, notice=programme)
    names = [p.name for p in created]
    assert "Quy mô kinh tế số" in names
    digital = [p for p in created if p.name == "Quy mô kinh tế số"]
    assert sorted(p.year for p in digital) == [2030, 2045]
    tfp = next(p for p in created if p.name.startswith("Tỉ lệ đóng góp của năng suất nhân tố tổng hợp"))
    assert (tfp.value, tfp.unit, tfp.kind, tfp.year) == (55, "%", "ratio", 2030)
    assert tfp.agency_name == "Bộ Kế hoạch và Đầu tư"
    rank = next(p for p in created if p.name == "Xếp hạng về an toàn thông tin mạng")
    assert (rank.kind, rank.direction, rank.value) == ("rank", "lower", 10)
    # proposing again adds nothing
    assert services.proposals_from_notice(actor=cast.office, notice=programme) == []
    # the office: create one, dismiss one, and a later notice restating the same goal is merged (two sources)
    other = next(p for p in created if p.name.startswith("Tỉ lệ giao dịch không dùng tiền mặt"))
    counts = services.proposals_decide(actor=cast.office, decisions=[
        {"id": tfp.pk, "action": "create", "agency_id": cast.kh.pk},
        {"id": other.pk, "action": "dismiss"}])
    assert counts == {"create": 1, "merge": 0, "dismiss": 1}
    indicator = Indicator.objects.get(name=tfp.name)
    later = services.proposals_from_targets(actor=cast.office, notice=cast.notice, targets=[
        {"path": "2", "text": "Tỉ lệ đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế",
         "year": 2030, "value": "55", "unit": "%"}])
    assert later[0].suggested == indicator
    services.proposals_decide(actor=cast.office, decisions=[
        {"id": later[0].pk, "action": "merge", "indicator_id": indicator.pk}])
    assert indicator.sources.count() == 2
    assert list(indicator.targets.values_list("year", "value")) == [(2030, 55)]


def test_proposal_decisions_are_one_transaction(cast):
    made = services.proposals_from_targets(actor=cast.office, notice=cast.notice, targets=[
        {"path": "1", "text": "Đào tạo ít nhất 50.000 nhân lực chất lượng cao ngành bán dẫn", "year": 2030,
         "value": "50000", "unit": None},
        {"path": "2", "text": "Đạt mức tiên tiến về hạ tầng số", "year": 2030, "value": "Tiên tiến", "unit": None}])
    with pytest.raises(ServiceError) as refused:
        services.proposals_decide(actor=cast.office, decisions=[
            {"id": made[0].pk, "action": "create"},
            {"id": made[1].pk, "action": "merge"}])  # no indicator chosen
    assert f"p{made[1].pk}" in refused.value.errors
    assert not Indicator.objects.exists()
    assert set(IndicatorProposal.objects.values_list("state", flat=True)) == {ProposalState.PENDING}
    assert made[1].kind == "milestone" and made[1].value == 1
    with pytest.raises(PermissionDeniedError):
        services.proposals_decide(actor=cast.alice, decisions=[{"id": made[0].pk, "action": "create"}])


def test_proposals_collected_from_confirmed_drafts(cast):
    from django.utils import timezone

    from nq57.notices.models import NoticeDraft

    NoticeDraft.objects.create(programme=cast.notice.programme, source_text="…", notice=cast.notice,
                               confirmed_at=timezone.now(), extracted={"targets": [
                                   {"path": "", "text": "Trước mắt, cần tập trung hoàn thành mục tiêu cụ thể đào tạo "
                                    "ít nhất 50.000 nhân lực chất lượng cao phục vụ ngành công nghiệp bán dẫn.",
                                    "year": None, "value": "50000", "unit": None}]})
    assert services.proposals_collect(actor=SYSTEM) == 1
    proposal = IndicatorProposal.objects.get()
    assert proposal.value == 50000 and proposal.draft is not None and proposal.notice == cast.notice
    assert services.proposals_collect(actor=SYSTEM) == 0


def _framework(cast, **extra):
    return services.framework_create(actor=cast.office, name="Bộ công cụ tiềm năng ĐMST cấp tỉnh",
                                     subject_kind="province", subject_ids=[cast.kh.pk, cast.tc.pk, cast.xd.pk],
                                     criteria=[
                                         {"name": "Doanh nghiệp ĐMST", "weight": 2, "rule": "linear",
                                          "indicator_code": "dn", "worst": 0, "best": 40},
                                         {"name": "Chi R&D", "weight": 1, "rule": "threshold",
                                          "indicator_code": "rd", "steps": [[1, 50], [2, 100]]},
                                         {"name": "Thể chế", "weight": 1, "rule": "assessor"}], **extra)


def test_scorecard_arithmetic_with_weights_and_missing_values(cast):
    framework = _framework(cast)
    for agency, dn, rd in ((cast.kh, 30, 2.5), (cast.tc, 20, None), (cast.xd, None, None)):
        ind = services.indicator_create(actor=cast.office, name=f"DN ĐMST {agency}", code="dn", agency=agency)
        services.value_submit(actor=cast.office, indicator=ind, year=2025, value=dn, at=AT) if dn is not None \
            else None
        if rd is not None:
            rd_ind = services.indicator_create(actor=cast.office, name=f"R&D {agency}", code="rd", agency=agency)
            services.value_submit(actor=cast.office, indicator=rd_ind, year=2025, value=rd, at=AT)
    version = framework.current
    manual = Criterion.objects.get(version=version, rule="assessor")
    services.score_enter(actor=cast.office, criterion=manual, subject=cast.kh, year=2025, score=60,
                         evidence="Biên bản thẩm định")
    services.score_enter(actor=cast.office, criterion=manual, subject=cast.tc, year=2025, score=80,
                         evidence="Biên bản thẩm định")
    with pytest.raises(ServiceError):
        services.score_enter(actor=cast.office, criterion=manual, subject=cast.tc, year=2025, score=80, evidence="")
    with pytest.raises(PermissionDeniedError):
        services.score_enter(actor=cast.alice, criterion=manual, subject=cast.tc, year=2025, score=80, evidence="x")
    result = selectors.scorecard_results(version, 2025)
    by = {r.subject: r for r in result["results"]}
    # KH: dn 30/40 -> 75 (w2), rd 2.5 -> 100 (w1), assessor 60 (w1): (150 + 100 + 60) / 4 = 77.5
    assert by[cast.kh].total == pytest.approx(77.5) and not by[cast.kh].missing
    # TC: dn 20 -> 50 (w2), rd missing, assessor 80 (w1): (100 + 80) / 3 = 60, flagged, coverage 3/4
    assert by[cast.tc].total == pytest.approx(60) and by[cast.tc].coverage == 0.75 and by[cast.tc].missing
    # XD: nothing -> no total, no rank
    assert by[cast.xd].total is None and by[cast.xd].rank is None
    assert [(r.subject, r.rank) for r in result["results"]] == [(cast.kh, 1), (cast.tc, 2), (cast.xd, None)]


def test_framework_versioned_once_used(cast):
    framework = _framework(cast)
    criteria = [{"name": "Thể chế", "weight": 1, "rule": "assessor"}]
    same = services.framework_revise(actor=cast.office, framework=framework, criteria=criteria)
    assert same.number == 1  # never used: changed in place
    services.score_enter(actor=cast.office, criterion=same.criteria.get(), subject=cast.kh, year=2025, score=50,
                         evidence="x")
    new = services.framework_revise(actor=cast.office, framework=framework, criteria=criteria + [
        {"name": "Nhân lực", "weight": 1, "rule": "assessor"}])
    assert new.number == 2 and framework.versions.get(number=1).criteria.count() == 1
    services.framework_subjects_set(actor=cast.office, framework=framework, agency_ids=[cast.kh.pk, cast.xd_unit.pk])
    assert set(framework.subjects.values_list("agency_id", flat=True)) == {cast.kh.pk, cast.xd_unit.pk}
    compare = selectors.scorecard_compare(framework, [2024, 2025])
    kh = next(row for row in compare if row["subject"] == cast.kh)
    assert kh["years"][2025]["version"] == 1 and kh["years"][2025]["total"] == 50


def test_daily_job_runs_every_part(cast, rising):
    from nq57.indicators.tasks import run_daily

    services.indicator_create(actor=cast.office, name="Số nhiệm vụ hoàn thành", value_source="computed",
                              computation="tasks.done_in_period")
    result = run_daily("2026-02-01")
    assert result["today"] == "2026-02-01" and result["computed"] >= 1
    assert {"reminders", "escalated", "missing", "proposed"} <= set(result)


def test_importing_a_notice_proposes_its_targets(cast, agency_registry, django_capture_on_commit_callbacks):
    from nq57.notices import services as notices

    text = shared_path("seeds", "002_99d7d01e4a97034b.txt").read_text(encoding="utf-8")
    draft = notices.draft_create(actor=cast.office, programme=cast.notice.programme, text=text)
    with django_capture_on_commit_callbacks(execute=True):
        result = notices.notice_import_confirm(draft=draft, actor=cast.office, register_unknown=True)
    proposal = IndicatorProposal.objects.get(notice=result.notice)
    assert "50.000 nhân lực chất lượng cao" in proposal.sentence
    assert proposal.value == 50000 and proposal.draft_id == draft.pk and proposal.state == ProposalState.PENDING


def test_annex_from_a_workbook(cast):
    rows = [["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"],
            ["I", "Đến năm 2030", None, None, None],
            [1, "Tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", "%", "≥ 40", "Bộ Khoa học và Công nghệ"],
            ["II", "Đến năm 2045", None, None, None],
            [2, "Chỉ số đổi mới sáng tạo toàn cầu", "Thứ bậc", "≤ 30", "Bộ Khoa học và Công nghệ"]]
    made = services.proposals_from_sheet(actor=cast.office, rows=rows)
    assert [(p.name, p.year, p.value, p.agency) for p in made] == [
        ("Tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", 2030, 40, cast.kh),
        ("Chỉ số đổi mới sáng tạo toàn cầu", 2045, 30, cast.kh)]
    with pytest.raises(ServiceError) as refused:
        services.proposals_from_sheet(actor=cast.office, rows=[["a", "b"], ["1", "2"]])
    assert "Không tìm thấy bảng chỉ tiêu" in refused.value.message


def test_statuses_refreshed_when_a_target_year_passes(cast):
    indicator = services.indicator_create(actor=cast.office, name="Hoàn thành 10 trung tâm đổi mới sáng tạo",
                                          agency=cast.kh, targets=[(2025, 10, "10")])
    for year, value in ((2023, 6), (2024, 8)):
        enter(indicator, cast.alice, year, value)
    # +2 a year reaches exactly 10 by the end of 2025: on track while 2025 lasts
    assert services.statuses_refresh(today=dt.date(2025, 6, 1)) == 1
    indicator.refresh_from_db()
    assert indicator.status == "on_track"
    assert services.statuses_refresh(today=dt.date(2025, 6, 2)) == 0  # nothing changed, nothing written
    services.statuses_refresh(today=dt.date(2026, 2, 1))  # 2025 is over without a value reaching 10
    indicator.refresh_from_db()
    assert indicator.status == "off_track"
