"""Demo data written for this project: notices of the real kind's shape, tasks over several agencies, reports,
assessments, extensions and overdue items, dated relative to today so every page has something true to show.

Idempotent: does nothing when the demo notices exist already. Prints one login per role.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from nq57.accounts.models import User
from nq57.accounts.roles import MEMBER
from nq57.accounts.services import membership_add
from nq57.agencies.models import Agency
from nq57.agencies.services import registry_load, standing_office
from nq57.core.access import SYSTEM
from nq57.core.roles import role_label
from nq57.monitoring.roles import FOCAL_POINT, LEADER, OFFICE
from nq57.notices.models import Notice, NoticeKind
from nq57.reports.services import extension_decide, extension_request, report_assess, report_submit
from nq57.tasks.models import DeadlineKind, ReportCadence, TaskStatus
from nq57.tasks.services import task_create
from nq57.taxonomy.selectors import default_programme

DEMO_PASSWORD = "nq57-demo-2025"
CITIZEN = ""  # a demo account with no membership

USERS = [
    ("thuongtruc", "Nguyễn Thị Thường Trực", OFFICE, None),
    ("bokhcn", "Trần Văn Khoa", FOCAL_POINT, "Bộ Khoa học và Công nghệ"),
    ("botaichinh", "Lê Thị Tài", FOCAL_POINT, "Bộ Tài chính"),
    ("boxaydung", "Phạm Văn Dựng", FOCAL_POINT, "Bộ Xây dựng"),
    ("hanoi", "Đỗ Thu Hà", FOCAL_POINT, "Ủy ban nhân dân Thành phố Hà Nội"),
    ("lanhdao", "Vũ Minh Lãnh", LEADER, None),
    ("dhbk", "Hoàng Minh Bách", MEMBER, "Đại học Bách khoa Hà Nội"),  # a university member: public and own pages
    ("congdan", "Nguyễn Văn Dân", CITIZEN, None),  # a citizen: no organisation
]

# the 3 Nhà hub: (poster, organisation, title, summary, expected result, TRL required) and the university's results
# (title, summary, expected product, TRL)
DEMO_PROBLEMS = [
    ("bokhcn", "ministry", "Đặt hàng mô hình ngôn ngữ lớn tiếng Việt cho trả lời thủ tục hành chính",
     "Cần một mô hình ngôn ngữ tiếng Việt chạy trên hạ tầng trong nước, trả lời câu hỏi của người dân về thủ tục "
     "hành chính dựa trên văn bản pháp luật hiện hành.", "Mô hình và hệ thống hỏi đáp thử nghiệm tại một bộ.", 5),
    ("hanoi", "city", "Giám sát chất lượng không khí đô thị bằng mạng cảm biến giá rẻ",
     "Thành phố cần mạng cảm biến bụi mịn PM2.5 giá thấp, truyền dữ liệu thời gian thực về trung tâm điều hành, "
     "có cảnh báo cho người dân.", "200 trạm cảm biến và bản đồ chất lượng không khí công khai.", 6),
]
DEMO_RESULTS = [
    ("Hệ thống hỏi đáp pháp luật tiếng Việt dựa trên mô hình ngôn ngữ",
     "Mô hình ngôn ngữ tiếng Việt được tinh chỉnh trên văn bản quy phạm pháp luật, trả lời câu hỏi kèm trích dẫn điều "
     "khoản; đã thử nghiệm với bộ câu hỏi về dịch vụ công trực tuyến.", "Phần mềm hỏi đáp và bản quyền sử dụng", 5),
    ("Trạm quan trắc bụi mịn IoT chi phí thấp",
     "Thiết bị đo bụi PM2.5, PM10, nhiệt độ, độ ẩm, kết nối NB-IoT, giá dưới 5 triệu đồng một trạm, đã chạy thử 12 "
     "tháng tại khuôn viên trường.", "Trạm cảm biến và phần mềm bản đồ", 6),
    ("Vật liệu bán dẫn nhiệt điện cho cảm biến công nghiệp",
     "Màng mỏng bán dẫn nhiệt điện chế tạo trong nước, dùng cho cảm biến nhiệt độ trong nhà máy.",
     "Mẫu cảm biến", 3),
]

# (text, lead names, partner names, deadline kind, months from notice date (None: none), report cadence)
NOTICE_A = [
    (
        "Hoàn thiện, trình Chính phủ ban hành Nghị định hướng dẫn cơ chế thử nghiệm có kiểm soát (sandbox) đối với công "
        "nghệ mới, sản phẩm, dịch vụ số.",
        ["Bộ Khoa học và Công nghệ"],
        ["Bộ Tư pháp", "Văn phòng Chính phủ"],
        "month",
        1,
        "",
    ),
    (
        "Xây dựng cơ chế vận hành các phòng thí nghiệm trọng điểm theo hướng mở và chia sẻ, có chính sách phí dịch vụ phù "
        "hợp cho sinh viên, nhà khoa học trẻ và doanh nghiệp khởi nghiệp.",
        ["Bộ Khoa học và Công nghệ"],
        [],
        "month",
        3,
        "",
    ),
    (
        "Rà soát, đề xuất sửa đổi Luật Công nghệ cao để tháo gỡ vướng mắc về thể chế cho phát triển các khu công nghệ cao, "
        "trình Quốc hội tại Kỳ họp thứ 10.",
        ["Bộ Khoa học và Công nghệ"],
        ["Bộ Tài chính"],
        "event",
        None,
        "",
    ),
    (
        "Ban hành bộ chỉ tiêu thống kê đo lường đóng góp của khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vào "
        "tăng trưởng kinh tế.",
        ["Bộ Tài chính"],
        ["Bộ Khoa học và Công nghệ"],
        "quarter",
        4,
        "",
    ),
    (
        "Hoàn chỉnh Dự án đầu tư khu lưu trú cho chuyên gia tại Khu Công nghệ cao Hòa Lạc, bảo đảm khởi công dự án.",
        ["Bộ Tài chính"],
        ["Ủy ban nhân dân Thành phố Hà Nội"],
        "month",
        2,
        "",
    ),
    (
        "Trình Chính phủ Nghị định quy định về phát triển đô thị thông minh, tạo cơ sở pháp lý đồng bộ, thống nhất.",
        ["Bộ Xây dựng"],
        ["Bộ Khoa học và Công nghệ", "Văn phòng Chính phủ"],
        "month",
        2,
        "",
    ),
    (
        "Sơ kết Đề án phát triển đô thị thông minh bền vững giai đoạn 2018 - 2025, đề xuất định hướng giai đoạn tiếp theo.",
        ["Bộ Xây dựng"],
        [],
        "date",
        1,
        "",
    ),
    (
        "Nghiên cứu, đề xuất cơ chế, chính sách đặc thù cho khu công nghệ cao trên địa bàn, gửi Bộ Khoa học và Công nghệ "
        "tổng hợp.",
        ["Ủy ban nhân dân Thành phố Hà Nội", "Ủy ban nhân dân Thành phố Hồ Chí Minh"],
        [],
        "date",
        1,
        "",
    ),
    (
        "Đẩy mạnh hợp tác với doanh nghiệp, viện, trường trong và ngoài nước về khoa học, công nghệ, đổi mới sáng tạo; "
        "thúc đẩy mô hình hợp tác 3 Nhà. Hằng tháng có báo cáo kết quả thực hiện.",
        ["Bộ Giáo dục và Đào tạo"],
        ["Bộ Khoa học và Công nghệ"],
        "recurring",
        None,
        "monthly",
    ),
    (
        "Thu hút chuyên gia giỏi trong và ngoài nước tham gia các chương trình phát triển trí tuệ nhân tạo trọng điểm "
        "quốc gia.",
        ["Bộ Khoa học và Công nghệ"],
        ["Bộ Ngoại giao"],
        "recurring",
        None,
        "quarterly",
    ),
]
NOTICE_B = [
    (
        "Triển khai nền tảng dữ liệu dùng chung phục vụ giám sát, đánh giá việc thực hiện Nghị quyết 57, kết nối với hệ "
        "thống của Chính phủ.",
        ["Văn phòng Trung ương Đảng"],
        ["Văn phòng Chính phủ", "Bộ Công an"],
        "month",
        1,
        "",
    ),
    (
        "Ban hành hướng dẫn, quy định kỹ thuật về đô thị thông minh để áp dụng thống nhất trên toàn quốc.",
        ["Bộ Khoa học và Công nghệ"],
        ["Bộ Xây dựng"],
        "date",
        2,
        "",
    ),
    (
        "Trình Chính phủ Nghị định về mức hỗ trợ đối với người làm công tác chuyên trách chuyển đổi số, an toàn, an ninh "
        "mạng.",
        ["Bộ Nội vụ"],
        ["Bộ Tài chính"],
        "month",
        0,
        "",
    ),
    (
        "Xây dựng chiến lược phát triển đô thị thông minh của địa phương gắn với xây dựng nền tảng chính quyền đô thị số.",
        ["Ủy ban nhân dân Thành phố Hà Nội"],
        [],
        "month",
        3,
        "",
    ),
    (
        "Xây dựng lộ trình đổi mới công nghệ đến năm 2035 đối với các ngành kinh tế mũi nhọn, xác định công nghệ cốt lõi.",
        ["Bộ Công Thương"],
        ["Bộ Khoa học và Công nghệ"],
        "date",
        3,
        "",
    ),
    (
        "Phát triển nguồn nhân lực cho các ngành công nghệ chiến lược (trí tuệ nhân tạo, dữ liệu lớn, bán dẫn), mục tiêu "
        "đào tạo kỹ sư bán dẫn.",
        ["Bộ Giáo dục và Đào tạo"],
        ["Đại học Quốc gia Hà Nội"],
        "year",
        6,
        "",
    ),
    (
        "Bảo đảm nguồn cung điện ổn định phục vụ phát triển khu công nghệ cao và trung tâm dữ liệu.",
        ["Bộ Công Thương"],
        ["Ủy ban nhân dân Thành phố Hồ Chí Minh"],
        "month",
        1,
        "",
    ),
    (
        "Định kỳ hằng năm công bố chỉ số đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế.",
        ["Bộ Tài chính"],
        [],
        "recurring",
        None,
        "yearly",
    ),
]
NOTICE_C = [
    (
        "Hoàn thành kết nối hệ thống giám sát Nghị quyết 57 với hệ thống theo dõi Nghị quyết 71/NQ-CP.",
        ["Văn phòng Chính phủ"],
        ["Văn phòng Trung ương Đảng"],
        "month",
        1,
        "",
    ),
    (
        "Đặt hàng các đề tài nghiên cứu từ nhu cầu của doanh nghiệp, gắn với thương mại hóa kết quả nghiên cứu (mô hình "
        "3 Nhà).",
        ["Bộ Khoa học và Công nghệ"],
        ["Bộ Giáo dục và Đào tạo"],
        "month",
        2,
        "",
    ),
    (
        "Đầu tư phòng thí nghiệm tại các trường đại học có quy mô lớn, tập trung cho công nghệ chiến lược.",
        ["Bộ Khoa học và Công nghệ"],
        ["Bộ Tài chính", "Đại học Quốc gia Thành phố Hồ Chí Minh"],
        "quarter",
        4,
        "",
    ),
    (
        "Ứng dụng trí tuệ nhân tạo trong điều hành, quản lý đô thị, phục vụ người dân và doanh nghiệp.",
        ["Ủy ban nhân dân Thành phố Hồ Chí Minh"],
        [],
        "roadmap",
        None,
        "",
    ),
    (
        "Ban hành văn bản hướng dẫn chính sách thu hút nhân tài theo Nghị định số 179/2024/NĐ-CP.",
        ["Bộ Nội vụ"],
        [],
        "date",
        "+24d",
        "",
    ),
    (
        "Tổ chức diễn đàn kết nối doanh nghiệp với trường đại học, viện nghiên cứu về đặt hàng nghiên cứu trí tuệ nhân "
        "tạo.",
        ["Bộ Khoa học và Công nghệ"],
        ["Đại học Quốc gia Hà Nội"],
        "date",
        "+23d",
        "",
    ),
]


# (upper bound of the random roll, (report text, percent, claimed status, verdict or None, comment))
OUTCOMES = [
    (0.45, ("Đã hoàn thành nhiệm vụ; văn bản đã được ban hành/trình cấp có thẩm quyền.", 100, TaskStatus.DONE,
            "accept", "Ghi nhận hoàn thành.")),
    (0.65, ("Đã hoàn thành dự thảo, đang lấy ý kiến các bộ, ngành.", 60, TaskStatus.PARTLY_DONE, "accept", "")),
    (0.8, ("Đang tổng hợp ý kiến, dự kiến trình trong kỳ tới.", 30, TaskStatus.OPEN, None, "")),
]
RECURRING_OUTCOME = ("Đã tổ chức các hoạt động hợp tác, kết nối trong kỳ; chi tiết tại phụ lục.", 50,
                     TaskStatus.PARTLY_DONE, None, "")


def _end_of_month(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _due(kind: str, base: dt.date, months: int | str | None) -> dt.date | None:
    """Due date ``months`` after ``base`` in the deadline kind's style; "+Nd" means N days after ``base``."""
    if months is None:
        return None
    if isinstance(months, str):
        return base + dt.timedelta(days=int(months.strip("+d")))
    month_index = base.month - 1 + months
    target = dt.date(base.year + month_index // 12, month_index % 12 + 1, 1)
    if kind == "date":
        return target.replace(day=min(base.day, 28))
    if kind == "month":
        return _end_of_month(target)
    if kind == "quarter":
        quarter_last = ((target.month - 1) // 3 + 1) * 3
        return _end_of_month(target.replace(month=quarter_last))
    if kind == "year":
        return dt.date(target.year, 12, 31)
    return None


def _phrase(kind: str, due: dt.date | None, cadence: str) -> str:
    if kind == "date":
        return f"hoàn thành trước ngày {due.day}/{due.month}/{due.year}"
    if kind == "month":
        return f"Hoàn thành trong tháng {due.month}/{due.year}"
    if kind == "quarter":
        roman = {3: "I", 6: "II", 9: "III", 12: "IV"}[due.month]
        return f"trong Quý {roman}/{due.year}"
    if kind == "year":
        return f"trong năm {due.year}"
    if kind == "recurring":
        return "Nhiệm vụ thường xuyên" + ("; hằng tháng có báo cáo" if cadence == "monthly" else "")
    if kind == "event":
        return "trình Quốc hội tại Kỳ họp thứ 10"
    if kind == "roadmap":
        return "Thực hiện theo lộ trình"
    return ""


class Command(BaseCommand):
    help = "Load the agency registry, demo users and demo notices with tasks, reports and overdue items."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=57)

    def handle(self, *args, seed: int, **options):
        counts = registry_load()
        # programmes and themes come with ``migrate`` (taxonomy data migrations), as on a production install
        programme = default_programme()
        if programme is None:
            raise CommandError("Chưa có chương trình mặc định (57-NQ/TW): hãy chạy `nq57 migrate` trước.")
        users = self._users()
        if Notice.objects.filter(number__startswith="DEMO-").exists():
            self._print_logins(users, created=False)
            return
        with transaction.atomic():
            self._notices(programme, users, random.Random(seed))
            self._hub(users)
        # what the 06:00 scan and the Monday briefing would have sent, so notifications have something to show
        from nq57.monitoring import alerts

        today = timezone.localdate()
        alerts.daily_scan(today=today)
        alerts.escalation_send(today=today)
        self.stdout.write(f"Đã nạp danh mục cơ quan ({counts['created']} cơ quan mới) và dữ liệu mẫu.")
        self._print_logins(users, created=True)

    def _users(self) -> dict[str, User]:
        users = {}
        for username, full_name, role, agency_name in USERS:
            # office staff and leaders belong to the Standing Office; a focal point to the agency they report for
            organisation = Agency.objects.get(name=agency_name) if agency_name else standing_office()
            user, created = User.objects.get_or_create(username=username, defaults={
                "full_name": full_name, "email": f"{username}@example.vn" if role == CITIZEN else ""})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = role == OFFICE
                user.is_superuser = role == OFFICE
                user.save()
            if role != CITIZEN:
                membership_add(user=user, organisation=organisation, role_code=role, actor=SYSTEM)
            users[username] = user
        return users

    def _notices(self, programme, users, rng: random.Random) -> None:
        today = timezone.localdate()
        office = users["thuongtruc"]
        specs = [
            (
                "DEMO-21-TB/TGV",
                today - dt.timedelta(days=150),
                NOTICE_A,
                "Thông báo kết luận cuộc họp của lãnh đạo Ban Chỉ đạo về khu công nghệ cao, đô thị thông minh và nhân lực",
            ),
            (
                "DEMO-27-TB/TGV",
                today - dt.timedelta(days=75),
                NOTICE_B,
                "Thông báo kết luận về hạ tầng khoa học, công nghệ và chuyển đổi số",
            ),
            (
                "DEMO-33-TB/TGV",
                today - dt.timedelta(days=20),
                NOTICE_C,
                "Thông báo kết luận về mô hình hợp tác 3 Nhà và liên thông dữ liệu giám sát",
            ),
        ]
        by_name = {a.name: a for a in Agency.objects.all()}
        for number, issued_on, items, title in specs:
            notice = Notice.objects.create(
                programme=programme,
                number=number,
                title=title,
                kind=NoticeKind.CONCLUSION_NOTICE,
                issued_on=issued_on,
                meeting_date=issued_on - dt.timedelta(days=1),
                issuer="Tổ Giúp việc Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và "
                "chuyển đổi số",
                signer="Tổ trưởng Tổ Giúp việc (dữ liệu mẫu)",
                created_by=office,
                full_text="\n".join(f"{i}. {item[0]}" for i, item in enumerate(items, 1)),
            )
            for position, (text, leads, partners, kind, months, cadence) in enumerate(items, 1):
                due = _due(kind, issued_on, months)
                created_at = timezone.make_aware(dt.datetime.combine(issued_on, dt.time(9)))
                task = task_create(
                    notice=notice,
                    text=text,
                    lead=[by_name[n] for n in leads],
                    coordinating=[by_name[n] for n in partners],
                    actor=office,
                    path=str(position),
                    position=position,
                    section=title,
                    coordinating_others=rng.random() < 0.5,
                    deadline_kind=kind,
                    deadline_due=due,
                    deadline_text=_phrase(kind, due, cadence),
                    report_cadence=cadence,
                    report_text="Hằng tháng có báo cáo kết quả thực hiện" if cadence == ReportCadence.MONTHLY else "",
                    created_at=created_at,
                )
                self._history(task, users, rng, issued_on, today)
        self._extensions(users, today)

    def _history(self, task, users, rng, issued_on, today) -> None:
        """Give the task a believable life: some reported and accepted, some partly done, some late, one extended."""
        lead = task.assignments.filter(role="lead").first().agency
        reporter = next((u for u in users.values() if lead.pk in u.organisation_ids(FOCAL_POINT)),
                        users["thuongtruc"])
        roll = rng.random()
        if task.deadline_due and 0 <= (task.deadline_due - today).days <= 10:
            return  # due within days and not reported yet: what the reminders are for
        span = max(1, (today - issued_on).days)
        report_day = issued_on + dt.timedelta(days=rng.randint(max(1, span // 3), span))
        if task.deadline_due and task.deadline_due < today and roll < 0.45:
            report_day = min(report_day, task.deadline_due) if roll < 0.3 else report_day
        submitted_at = timezone.make_aware(dt.datetime.combine(min(report_day, today), dt.time(15)))
        outcome = None
        if task.deadline_kind == DeadlineKind.RECURRING:
            outcome = RECURRING_OUTCOME if roll < 0.6 else None
        else:
            outcome = next((o for limit, o in OUTCOMES if roll < limit), None)
        if outcome is None:
            return  # never reported
        text, percent, claimed_status, verdict, comment = outcome
        report = report_submit(
            task=task, actor=reporter, period_start=issued_on, period_end=submitted_at.date(), text=text,
            percent=percent, claimed_status=claimed_status, submitted_at=submitted_at,
        )
        if verdict:
            report_assess(report=report, actor=users["thuongtruc"], verdict=verdict, comment=comment,
                          assessed_at=submitted_at + dt.timedelta(days=1))

    def _extensions(self, users, today) -> None:
        """One approved and one pending extension on open dated tasks, so both show on the pages."""
        from nq57.tasks.models import Task

        candidates = Task.objects.filter(status=TaskStatus.OPEN, deadline_due__isnull=False).order_by("deadline_due")
        asked_at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=3), dt.time(10)))
        for index, task in enumerate(candidates[:2]):
            lead = task.assignments.filter(role="lead").first().agency
            reporter = next((u for u in users.values() if lead.pk in u.organisation_ids(FOCAL_POINT)),
                            users["thuongtruc"])
            requested_due = max(task.deadline_due, today) + dt.timedelta(days=45)
            request = extension_request(
                task=task,
                actor=reporter,
                requested_due=requested_due,
                reason="Cần thêm thời gian lấy ý kiến các bộ, ngành, địa phương.",
                requested_at=asked_at,
            )
            if index == 0:
                extension_decide(
                    request=request,
                    actor=users["thuongtruc"],
                    approve=True,
                    note="Đồng ý gia hạn một lần.",
                    decided_at=asked_at + dt.timedelta(days=1),
                )

    def _hub(self, users) -> None:
        """A few problems and results on the 3 Nhà hub, posted through its services by the demo members (a ministry's
        and a city's focal points order research; the university answers with results), so its lists, search and
        match lists have something to show. The fields are suggested from the text, as for any post."""
        from nq57.hub.models import IpStatus
        from nq57.hub.services import offer_create, problem_create

        ministry = Agency.objects.get(name="Bộ Khoa học và Công nghệ")
        city = Agency.objects.get(name="Ủy ban nhân dân Thành phố Hà Nội")
        university = Agency.objects.get(name="Đại học Bách khoa Hà Nội")
        for actor, organisation, title, summary, expected, trl in DEMO_PROBLEMS:
            problem_create(actor=users[actor], organisation={"ministry": ministry, "city": city}[organisation],
                           title=title, summary=summary, expected_result=expected, trl_required=trl,
                           acceptance="Hội đồng nghiệm thu cấp bộ đánh giá trên dữ liệu thật.",
                           budget_vnd=5_000_000_000, ip_terms="Quyền sở hữu trí tuệ chia theo tỷ lệ góp vốn.")
        for title, summary, product, trl in DEMO_RESULTS:
            offer_create(actor=users["dhbk"], organisation=university, title=title, summary=summary, trl=trl,
                         ip_status=IpStatus.APPLICATION, expected_product=product,
                         team="Nhóm nghiên cứu của trường, 6 người.")

    def _print_logins(self, users, *, created: bool) -> None:
        self.stdout.write(f"\nTài khoản đăng nhập (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, _, role, agency_name in USERS:
            label = ("Công dân (không thuộc tổ chức nào)" if role == CITIZEN else role_label(role)) + (
                f" — {agency_name}" if agency_name else "")
            self.stdout.write(f"  {username:<12} {label}")
