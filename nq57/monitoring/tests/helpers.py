"""A hand-computed scope for the consolidated report tests: ten tasks on notice 40-TB/TGV, counted by hand at
01/09/2025 (see ``HAND_COUNT``)."""

import datetime as dt

from django.utils import timezone

from nq57.core.testing import NoticeFactory, make_task
from nq57.reports.services import extension_decide, extension_request
from nq57.tasks.models import DeadlineKind, ReportCadence
from nq57.tasks.services import task_create, task_set_status

AS_OF = dt.date(2025, 9, 1)

# at 01/09/2025: 3 done (2 on time, 1 late), 2 partly done (1 overdue), 5 open (3 overdue: two deadlines and a
# recurring task whose monthly report of June is missing), 1 due soon
HAND_COUNT = {
    "total": 10,
    "by_status": {"done": 3, "partly_done": 2, "open": 5},
    "by_timing": {"done_on_time": 2, "done_late": 1, "open_in_time": 2, "due_soon": 1, "open_overdue": 4},
    "summary": "3/10 nhiệm vụ đã hoàn thành (30%), 2/10 hoàn thành một phần, 5/10 chưa hoàn thành, trong đó 3 nhiệm "
               "vụ quá hạn; 1 nhiệm vụ hoàn thành một phần đã quá hạn",
    # (path, days late) from the latest
    "late": [("10", 63), ("4", 31), ("6", 10), ("7", 1)],
}


def aware(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build_scope(cast) -> dict:
    notice = NoticeFactory(number="40-TB/TGV", issued_on=dt.date(2025, 6, 13))
    kh, tc, xd, office = cast.kh, cast.tc, cast.xd, cast.office

    def task(path, lead, due, status=None, completed_on=None, **extra):
        t = make_task(notice=notice, lead=[lead], due=due, path=path, text=f"Nhiệm vụ thử nghiệm số {path}", **extra)
        if status:
            task_set_status(task=t, actor=office, status=status, completed_on=completed_on,
                            progress=50 if status == "partly_done" else None)
            t.refresh_from_db()
        return t

    tasks = {
        "1": task("1", kh, dt.date(2025, 7, 1), "done", dt.date(2025, 6, 30)),
        "2": task("2", tc, dt.date(2025, 7, 1), "done", dt.date(2025, 7, 11)),
        "3": task("3", kh, None, "done", dt.date(2025, 8, 1)),
        "4": task("4", tc, dt.date(2025, 8, 1), "partly_done"),
        "5": task("5", xd, dt.date(2025, 12, 1), "partly_done"),
        "6": task("6", kh, dt.date(2025, 8, 22)),
        "7": task("7", tc, dt.date(2025, 8, 31)),
        "8": task("8", xd, dt.date(2025, 9, 5)),
        "9": task("9", kh, dt.date(2025, 8, 20)),
    }
    tasks["10"] = task_create(
        notice=notice, text="Nhiệm vụ thường xuyên, hằng tháng báo cáo", lead=[kh], path="10",
        deadline_kind=DeadlineKind.RECURRING, report_cadence=ReportCadence.MONTHLY, actor=cast.office,
    )
    request = extension_request(task=tasks["9"], actor=cast.alice, requested_due=dt.date(2025, 10, 15),
                                reason="Cần lấy thêm ý kiến các địa phương.", requested_at=aware(dt.date(2025, 8, 10)))
    extension_decide(request=request, actor=office, approve=True, note="Đồng ý.",
                     decided_at=aware(dt.date(2025, 8, 12)))
    for t in tasks.values():
        t.refresh_from_db()
    return {"notice": notice, "tasks": tasks}
