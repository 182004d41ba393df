"""The review screen fixes what extraction got wrong in place: problems flagged before confirming, a row split or
merged, a missed task added from a passage of the source, targets confirmed beside the tasks, and the corrections
counted on the extraction-quality page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.testing import ProgrammeFactory, make_focal_point, make_office
from nq57.notices import edits, services
from nq57.notices.models import Notice, NoticeDraft
from nq57.notices.plan import import_plan
from nq57.notices.quality import draft_quality
from nq57.notices.tests.test_import_views import form_data

# written for these tests: item 1.a holds two assignments with two deadlines (one task too many for one row), the
# closing paragraph assigns work the reviewer adds by hand, and a goal sentence is a target
NOTICE = """BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ
Số: 77-TB/TGV
Hà Nội, ngày 02 tháng 10 năm 2025
THÔNG BÁO KẾT LUẬN
Thường trực Tổ Giúp việc yêu cầu các cơ quan triển khai các công việc sau:
1. Về dữ liệu khoa học
a) Bộ Khoa học và Công nghệ chủ trì xây dựng cơ sở dữ liệu quốc gia về khoa học, hoàn thành trước ngày 30/11/2025. \
Bộ Tài chính chủ trì bố trí kinh phí vận hành cơ sở dữ liệu, hoàn thành trong tháng 12/2025.
b) Bộ Xây dựng chủ trì rà soát quy chuẩn nhà ở thông minh, hoàn thành trước ngày 15/9/2025. Phấn đấu đến năm 2030 \
có ít nhất 20 đô thị thông minh.
2. Về nhân lực
Bộ Giáo dục và Đào tạo chủ trì xây dựng chương trình học bổng, hoàn thành trong năm 2026.

Giao Bộ Nội vụ tổng hợp nhu cầu đào tạo nhân lực dữ liệu, báo cáo trước ngày 31/12/2025.
Nơi nhận:
- Như trên,
- Lưu VT.
"""


@pytest.fixture
def draft(db, agency_registry):
    office = make_office("office-review")
    programme = ProgrammeFactory()
    draft = services.draft_create(actor=office, programme=programme,
                                  upload=SimpleUploadedFile("tb77.txt", NOTICE.encode()))
    return draft, office


def rows_by_text(proposal, fragment):
    return [i for i, row in enumerate(proposal["tasks"]) if fragment in row["text"]]


def test_problems_are_flagged_before_confirming(draft):
    draft, _ = draft
    proposal = draft.proposal
    [merged] = rows_by_text(proposal, "cơ sở dữ liệu quốc gia")
    [early] = rows_by_text(proposal, "quy chuẩn nhà ở thông minh")  # due 15/09/2025, the document is of 02/10/2025
    proposal["tasks"][merged]["lead"] = []
    plan = import_plan(draft=draft, proposal=proposal)
    problems = {row.index: " ".join(row.problems) for row in plan.problem_rows}
    assert "Chưa có cơ quan chủ trì." in problems[merged]
    assert "2 thời hạn khác nhau" in problems[merged]  # two assignments with two deadlines in one row
    assert "15/09/2025 sớm hơn ngày ban hành văn bản (02/10/2025)" in problems[early]
    proposal["tasks"][merged]["lead"] = ["Bộ Ngoại Thiên Hà"]
    plan = import_plan(draft=draft, proposal=proposal)
    assert "Tên cơ quan chưa có trong danh mục: Bộ Ngoại Thiên Hà." in plan.rows[merged].problems


def test_split_merge_and_add_are_applied_to_the_proposal_and_counted(draft):
    draft, office = draft
    proposal = draft.proposal
    [merged] = rows_by_text(proposal, "cơ sở dữ liệu quốc gia")
    text = proposal["tasks"][merged]["text"]
    cut = text.index("Bộ Tài chính")
    before = len(proposal["tasks"])

    draft = services.draft_edit(draft=draft, actor=office, proposal=proposal, edit="split", index=merged, at=cut)
    rows = draft.proposal["tasks"]
    assert len(rows) == before + 1
    assert rows[merged]["text"].endswith("30/11/2025.") and rows[merged + 1]["text"].startswith("Bộ Tài chính")
    assert rows[merged + 1]["key"] is None and rows[merged]["key"] is not None

    draft = services.draft_edit(draft=draft, actor=office, proposal=draft.proposal, edit="merge", index=merged)
    assert len(draft.proposal["tasks"]) == before and "Bộ Tài chính chủ trì" in draft.proposal["tasks"][merged]["text"]

    passage = "Giao Bộ Nội vụ tổng hợp nhu cầu đào tạo nhân lực dữ liệu, báo cáo trước ngày 31/12/2025."
    draft = services.draft_edit(draft=draft, actor=office, proposal=draft.proposal, edit="add", index=0,
                                selection=passage)
    added = draft.proposal["tasks"][1]
    assert added["key"] is None and added["text"] == passage
    assert added["lead"] == ["Bộ Nội vụ"] and added["report_due"] == "2025-12-31"
    assert draft.review_counts == {"split": 1, "merged": 1, "added": 1}

    with pytest.raises(ServiceError, match="bôi đen"):
        services.draft_edit(draft=draft, actor=office, proposal=draft.proposal, edit="add", selection="  ")
    with pytest.raises(ServiceError, match="Không tách được"):
        services.draft_edit(draft=draft, actor=office, proposal=draft.proposal, edit="split", index=1, at=0)
    with pytest.raises(PermissionDeniedError):
        services.draft_edit(draft=draft, actor=make_focal_point("fp-review", _agency()),
                            proposal=draft.proposal, edit="merge", index=0)


def _agency():
    from nq57.agencies.models import Agency

    return Agency.objects.get(name="Bộ Xây dựng")


def test_split_without_a_cursor_cuts_at_the_sentence_end_nearest_the_middle():
    proposal = {"tasks": [{"key": 0, "text": "Làm việc A trước ngày 1/1/2026. Làm việc B trong tháng 2/2026.",
                           "lead": ["Bộ X"], "path": "1"}]}
    out = edits.row_split(proposal, index=0)
    assert [r["text"] for r in out["tasks"]] == ["Làm việc A trước ngày 1/1/2026.", "Làm việc B trong tháng 2/2026."]
    assert out["tasks"][1]["lead"] == ["Bộ X"] and out["tasks"][1]["path"] == "1-2"
    assert proposal["tasks"][0]["text"].startswith("Làm việc A trước") and len(proposal["tasks"]) == 1  # a copy


def test_targets_are_shown_for_confirmation_and_the_confirmed_ones_are_kept(client, draft):
    draft, office = draft
    targets = draft.proposal["targets"]
    assert [(t["text"], t["year"]) for t in targets] == [
        ("Phấn đấu đến năm 2030 có ít nhất 20 đô thị thông minh.", 2030)]
    client.force_login(office)
    page = client.get(f"/notices/import/{draft.pk}/").content.decode()
    assert "Chỉ tiêu tìm thấy trong văn bản" in page and "20 đô thị thông minh" in page

    data = form_data(draft.proposal)
    data.update({"target-TOTAL_FORMS": str(len(targets)), "target-INITIAL_FORMS": str(len(targets))})
    for i, t in enumerate(targets):
        data.update({f"target-{i}-key": t["key"], f"target-{i}-text": t["text"], f"target-{i}-year": t["year"] or "",
                     f"target-{i}-value": t["value"], f"target-{i}-unit": t["unit"]})
        if i > 0:
            data[f"target-{i}-keep"] = "on"  # the first is dropped, the others kept
    data["target-0-year"] = "2031"
    response = client.post(f"/notices/import/{draft.pk}/confirm/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.proposal["targets"][0]["keep"] is False and draft.proposal["targets"][0]["year"] == 2031
    assert all(t["keep"] for t in draft.proposal["targets"][1:])


def test_the_quality_page_counts_what_the_office_corrected(client, draft):
    draft, office = draft
    proposal = draft.proposal
    [merged] = rows_by_text(proposal, "cơ sở dữ liệu quốc gia")
    cut = proposal["tasks"][merged]["text"].index("Bộ Tài chính")
    draft = services.draft_edit(draft=draft, actor=office, proposal=proposal, edit="split", index=merged, at=cut)
    proposal = draft.proposal
    [housing] = rows_by_text(proposal, "quy chuẩn nhà ở thông minh")
    proposal["tasks"][housing]["lead"] = ["Bộ Khoa học và Công nghệ"]  # a lead corrected
    proposal["tasks"][housing]["deadline_due"] = "2025-12-15"  # and its deadline
    client.force_login(office)
    data = form_data(proposal)
    assert client.post(f"/notices/import/{draft.pk}/confirm/", data).status_code == 302
    draft.refresh_from_db()
    counts = draft.review_counts
    assert counts["split"] == 1 and counts["lead_changed"] == 1 and counts["deadline_changed"] == 1
    assert counts["confirmed"] == len(proposal["tasks"]) and counts["extracted"] == len(draft.extracted["tasks"])
    assert Notice.objects.get().number == "77-TB/TGV"

    page = client.get("/notices/import/quality/").content.decode()
    assert "77-TB/TGV" in page and 'data-counter="split">1<' in page and 'data-counter="lead_changed">1<' in page
    client.force_login(make_focal_point("fp-quality", _agency()))
    assert client.get("/notices/import/quality/").status_code == 403


def test_quality_counters_of_an_untouched_import_are_zero():
    extracted = {"tasks": [{"text": "A", "lead": ["Bộ X"], "deadline": {"due": "2025-01-01"}}]}
    proposal = {"tasks": [{"key": 0, "text": "A", "lead": ["Bộ X"], "deadline_due": "2025-01-01"}]}
    counts = draft_quality(extracted=extracted, proposal=proposal)
    assert counts["extracted"] == counts["confirmed"] == 1
    assert not any(counts[n] for n in ("dropped", "added", "split", "merged", "lead_changed", "deadline_changed"))
    assert NoticeDraft  # the model these counters are kept on


def test_every_target_the_extractor_finds_fits_the_review_form():
    """The 146-task action programme's 58 targets (a value of 107 characters among them) pass the review form as
    extracted, so confirming it in the browser is never refused for a target the office did not touch."""
    from nq57.core.testing import shared_path
    from nq57.extraction import extract_file
    from nq57.notices.import_forms import TargetFormSet
    from nq57.notices.reading import proposal_from_extraction

    targets = proposal_from_extraction(extract_file(shared_path("corpus", "03-NQ-CP.txt")))["targets"]
    assert len(targets) > 50
    data = {"target-TOTAL_FORMS": str(len(targets)), "target-INITIAL_FORMS": str(len(targets))}
    for i, t in enumerate(targets):
        data.update({f"target-{i}-key": t["key"], f"target-{i}-text": t["text"], f"target-{i}-year": t["year"] or "",
                     f"target-{i}-value": t["value"], f"target-{i}-unit": t["unit"], f"target-{i}-keep": "on"})
    formset = TargetFormSet(data, prefix="target")
    assert formset.is_valid(), [f.errors for f in formset.forms if f.errors][:3]
