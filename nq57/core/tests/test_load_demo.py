from django.core.management import call_command

from nq57.accounts.selectors import people_of
from nq57.agencies.models import Agency
from nq57.monitoring.roles import FOCAL_POINT
from nq57.notices.models import Notice
from nq57.reports.models import ExtensionRequest, ProgressReport
from nq57.tasks.models import Task


def test_demo_data_loads_once_and_covers_every_state(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "thuongtruc" in out and "nq57-demo-2025" in out
    counts = (Agency.objects.count(), Notice.objects.count(), Task.objects.count(), ProgressReport.objects.count())
    call_command("load_demo")
    assert (Agency.objects.count(), Notice.objects.count(), Task.objects.count(),
            ProgressReport.objects.count()) == counts
    assert counts[1] == 3 and counts[2] >= 20
    assert set(Task.objects.values_list("status", flat=True)) == {"open", "partly_done", "done"}
    assert set(ExtensionRequest.objects.values_list("state", flat=True)) == {"pending", "approved"}
    assert people_of(roles=[FOCAL_POINT]).count() == 4
    from nq57.monitoring.models import Notification

    assert Notification.objects.filter(recipient__username="bokhcn", kind="task.reminder").exists()
    assert Notification.objects.filter(recipient__username="thuongtruc", kind="monitoring.escalation").exists()
    # merged ministries keep their successor
    old = Agency.objects.get(name="Bộ Thông tin và Truyền thông")
    assert old.successor.name == "Bộ Khoa học và Công nghệ"
    # the hub has something to show: problems of a ministry and a city, results of the university, once
    from nq57.hub.models import Offer, Problem

    assert Problem.objects.count() == 2 and Offer.objects.count() == 3
    assert set(Offer.objects.values_list("organisation__name", flat=True)) == {"Đại học Bách khoa Hà Nội"}
