import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nq57.intake import services

INITIATIVE = {
    "kind": "sang_kien",
    "title": "Dùng chung thiết bị đo kiểm giữa các phòng thí nghiệm trọng điểm",
    "content": ("Đề xuất xây dựng cổng đặt lịch dùng chung thiết bị đo kiểm đắt tiền giữa các phòng thí nghiệm "
                "trọng điểm, để doanh nghiệp nhỏ và nhóm nghiên cứu trẻ thuê theo giờ với giá công khai."),
}


def pdf(name="bang-chung.pdf", size=None):
    body = b"%PDF-1.4\n" + (b"x" * (size - 9) if size else b"1 0 obj<<>>endobj\n")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def submit():
    def run(**overrides):
        values = {**INITIATIVE, "sender_name": "Nguyễn Thị Hoa", "sender_contact": "hoa@example.vn",
                  "address": "203.0.113.5", **overrides}
        return services.submission_submit(**values)

    return run


@pytest.fixture(autouse=True)
def _fresh_statistics():
    from django.core.cache import cache

    cache.delete("intake:statistics")
    yield
    cache.delete("intake:statistics")
