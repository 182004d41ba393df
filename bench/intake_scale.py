"""The intake at scale: 200,000 submissions (and their search entries) in a throwaway database, then the public list
(plain, filtered, searched), the office's queue, the statistics/dashboard figures and the duplicate suggestion for a
new submission (``search.selectors.similar`` alone, and the whole ``submission_submit`` that runs it), timed.

    .venv/bin/python bench/intake_scale.py [--submissions 200000] [--repeat 5]
    .venv/bin/python bench/intake_scale.py --database-url postgres://postgres@127.0.0.1:5432/nq57_intake13_bench

SQLite lives in a temporary NQ57_DATA_DIR; a PostgreSQL database named in --database-url is dropped and created
afresh. The texts are synthetic (random sentences from a few hundred Vietnamese phrases), which is a harder case for
full-text search than real texts: a small vocabulary makes every word common. Target: every median under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_scale import prepare_environment  # noqa: E402

SUBJECTS = ["Doanh nghiệp khởi nghiệp", "Viện nghiên cứu", "Trường đại học", "Nhà khoa học trẻ", "Hợp tác xã",
            "Người dân", "Hội doanh nghiệp", "Phòng thí nghiệm", "Sở Khoa học và Công nghệ", "Trung tâm đổi mới",
            "Nhóm nghiên cứu", "Công ty phần mềm", "Bệnh viện tỉnh", "Giáo viên phổ thông", "Nông dân"]
PROBLEMS = ["gặp khó khăn khi", "chờ quá lâu để", "bị yêu cầu nhiều giấy tờ khi", "chưa được hướng dẫn cách",
            "đề nghị đơn giản hoá thủ tục", "kiến nghị sửa quy định về việc", "đề xuất giải pháp để",
            "phản ánh chi phí cao khi", "mong được hỗ trợ kinh phí để", "không tìm được thông tin để"]
ACTIONS = ["nhập khẩu thiết bị nghiên cứu", "đăng ký bảo hộ sáng chế", "thanh quyết toán đề tài khoa học",
           "thuê máy chủ điện toán đám mây", "chuyển giao công nghệ", "kết nối dữ liệu dân cư",
           "xin cấp phép thử nghiệm có kiểm soát", "tiếp cận quỹ đổi mới công nghệ quốc gia",
           "công nhận kết quả nghiên cứu", "ứng dụng trí tuệ nhân tạo trong y tế", "số hoá hồ sơ đất đai",
           "đào tạo nhân lực bán dẫn", "xây dựng nền tảng học trực tuyến", "chia sẻ phòng thí nghiệm trọng điểm",
           "thanh toán không dùng tiền mặt ở nông thôn", "đo kiểm chất lượng sản phẩm", "góp vốn bằng tài sản trí tuệ",
           "định giá công nghệ", "tuyển chuyên gia nước ngoài", "lắp đặt trạm sạc xe điện",
           "giám sát môi trường bằng cảm biến",
           "truy xuất nguồn gốc nông sản", "cấp chữ ký số cho hộ kinh doanh", "mua sắm phần mềm cho cơ quan nhà nước"]
DETAILS = ["Hồ sơ phải nộp bản giấy tại nhiều nơi.", "Thời gian xử lý kéo dài nhiều tháng.",
           "Quy định hiện hành chưa phân biệt rủi ro cao và thấp.", "Mỗi địa phương hướng dẫn một cách khác nhau.",
           "Chi phí thuê chuyên gia tư vấn rất cao.", "Cổng dịch vụ công thường xuyên lỗi.",
           "Chưa có mẫu hợp đồng thống nhất.", "Kinh phí cấp chậm so với tiến độ.",
           "Đề nghị cho phép nộp hồ sơ trực tuyến hoàn toàn.", "Đề nghị công khai thời hạn giải quyết.",
           "Nên có một đầu mối duy nhất tiếp nhận.", "Cần cơ chế chia sẻ rủi ro giữa nhà nước và doanh nghiệp.",
           "Dữ liệu giữa các bộ chưa được liên thông.", "Nhiều cán bộ chưa nắm rõ quy định mới.",
           "Đề xuất thí điểm tại một số tỉnh trước khi nhân rộng.", "Cần ưu đãi thuế cho giai đoạn đầu."]
PLACES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Nghệ An", "Thái Nguyên", "Huế",
          "Bình Dương", "Lâm Đồng", "Quảng Ninh", "Đắk Lắk"]


def fake(rng: random.Random) -> tuple[str, str]:
    action = rng.choice(ACTIONS)
    title = f"{rng.choice(PROBLEMS).capitalize()} {action}"
    body = [f"{rng.choice(SUBJECTS)} tại {rng.choice(PLACES)} {rng.choice(PROBLEMS)} {action}."]
    body += rng.sample(DETAILS, rng.randint(1, 3))
    if rng.random() < 0.5:
        body.append(f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)} {rng.choice(ACTIONS)}.")
    return title[:300], " ".join(body)


def build(*, n: int, seed: int = 57) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from nq57.agencies.models import Agency, AgencyKind
    from nq57.core.testing import make_office
    from nq57.intake.models import Submission, SubmissionKind, SubmissionStatus, new_secret
    from nq57.search.services import entries_bulk_index

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    agencies = [Agency.objects.create(name=f"Bộ thử nghiệm {i}", kind=AgencyKind.MINISTRY) for i in range(20)]
    office = make_office("bench-office")
    now = timezone.now()
    kinds = SubmissionKind.values
    batch = []
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    for i in range(n):
        title, content = fake(rng)
        created = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
        roll = rng.random()
        status = (SubmissionStatus.NEW if roll < 0.03 else SubmissionStatus.REJECTED if roll < 0.06 else
                  SubmissionStatus.RECEIVED if roll < 0.2 else SubmissionStatus.IN_PROGRESS if roll < 0.25 else
                  SubmissionStatus.ANSWERED)
        routed = status not in (SubmissionStatus.NEW, SubmissionStatus.REJECTED)
        due = (created + dt.timedelta(days=30)).date() if routed else None
        answered = created + dt.timedelta(days=rng.randint(1, 60)) if status == SubmissionStatus.ANSWERED else None
        code = "PA-" + "".join(alphabet[(i // len(alphabet) ** k) % len(alphabet)] for k in range(8))
        batch.append(Submission(
            kind=kinds[i % 3], title=title, content=content, sender_name=f"Người gửi {i}",
            sender_contact=f"nguoi{i}@example.vn", sender_key=f"nguoi{i}@example.vn", contact_verified=roll > 0.01,
            is_public=rng.random() < 0.85, tracking_code=code, secret=new_secret(), status=status,
            routed_agency=rng.choice(agencies) if routed else None, routed_at=created if routed else None,
            answer_due=due, answer="Đã tiếp thu và xử lý." if answered else "", answered_at=answered,
            answered_in_time=(answered.date() <= due) if answered else None,
            created_at=created))
        if len(batch) == 5000:
            with transaction.atomic():
                Submission.objects.bulk_create(batch)
            batch = []
    if batch:
        Submission.objects.bulk_create(batch)
    loaded = time.perf_counter() - started
    published = set(Submission.objects.published().values_list("pk", flat=True))
    rows = Submission.objects.values_list("pk", "title", "content", "legal_reference", "routed_agency_id")
    entries_bulk_index(kind="intake.submission", items=(
        {"object_id": pk, "title": t, "text": f"{c}\n{lr}", "is_public": pk in published, "organisation_id": a}
        for pk, t, c, lr, a in rows.iterator(chunk_size=5000)))
    indexed = time.perf_counter() - started - loaded
    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics and visibility map, as a running install has them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"office": office, "agency": agencies[0], "load_s": loaded, "index_s": indexed}


def timed(fn, repeat: int) -> float:
    fn()  # warm
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    prepare_environment(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from nq57.intake import selectors, services
    from nq57.search import selectors as search

    settings.ALLOWED_HOSTS = ["*"]
    built = build(n=args.submissions)
    print(f"{connection.vendor}: {args.submissions} submissions loaded in {built['load_s']:.1f} s, "
          f"indexed in {built['index_s']:.1f} s")
    anon, office = Client(), Client()
    office.force_login(built["office"])

    def get(client, url, **params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)
        return run

    new_title = "Đề nghị đơn giản hoá thủ tục nhập khẩu thiết bị nghiên cứu"
    new_text = ("Viện nghiên cứu tại Đà Nẵng gặp khó khăn khi nhập khẩu thiết bị nghiên cứu. Hồ sơ phải nộp bản "
                "giấy tại nhiều nơi. Thời gian xử lý kéo dài nhiều tháng.")
    rng_contacts = iter(range(10**9))

    def submit():
        services.submission_submit(kind="kien_nghi", title=new_title, content=new_text, sender_name="Bench",
                                   sender_contact=f"bench{next(rng_contacts)}@example.vn")

    measures = {
        "public list, page 1": get(anon, "/phan-anh/"),
        "public list, kind + status filter": get(anon, "/phan-anh/", kind="sang_kien", status="answered"),
        "public list, page 500": get(anon, "/phan-anh/", page="500"),
        "public search 'nhap khau thiet bi' (page)": get(anon, "/phan-anh/", q="nhap khau thiet bi"),
        "public search 'trí tuệ nhân tạo' + kind (page)": get(
            anon, "/phan-anh/", q="trí tuệ nhân tạo", kind="kien_nghi"),
        "search.search 'bán dẫn' top 20": lambda: search.search("intake.submission", "bán dẫn", public_only=True),
        "search.search 'Đà Nẵng chữ ký số' top 20": lambda: search.search("intake.submission",
                                                                          "Đà Nẵng chữ ký số"),
        "office queue page": get(office, "/phan-anh/phan-loai/"),
        "duplicate suggestion (similar, top 3)": lambda: search.similar(
            "intake.submission", f"{new_title}\n{new_text}", limit=3, passages=False),
        "duplicates with shared passages (detail page)": lambda: search.similar(
            "intake.submission", f"{new_title}\n{new_text}", limit=3),
        "submission_submit (incl. duplicate suggestion)": submit,
        "backlog (dashboard, live: to triage, awaited, overdue)": selectors.backlog,
        "figures recomputed (overall)": selectors.figures,
        "statistics, recomputed (overall, by agency, by topic)": lambda: (
            selectors.figures(), selectors.figures_by("routed_agency"), selectors.figures_by("theme")),
        "statistics page (cached 5 min)": get(anon, "/phan-anh/thong-ke/"),
        "office dashboard page": get(office, "/phan-anh/bang-dieu-khien/"),
    }
    for name, fn in measures.items():
        print(f"  {name:52s} {timed(fn, args.repeat):8.1f} ms")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
