"""The overview, dashboard, consolidated report pages and downloads, escalation list and notifications, over HTTP
through the test client with real templates."""

import datetime as dt
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from nq57.core.testing import make_leader
from nq57.monitoring.models import Notification, ReportSnapshot
from nq57.monitoring.tests.helpers import AS_OF, HAND_COUNT, build_scope

pytestmark = pytest.mark.django_db

TASK_LIST_PARAMS = {"agency", "role", "status", "timing", "theme", "notice", "programme", "due_from", "due_to", "q",
                    "overdue_on"}


@pytest.fixture
def on_as_of():
    with time_machine.travel(dt.datetime(2025, 9, 1, 10, tzinfo=timezone.get_current_timezone()), tick=False):
        yield


def links_of(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="(/tasks/\?[^"]*)"', html)]


def test_the_overview_counts_and_links_each_count_to_the_filtered_task_list(cast, client_for, on_as_of):
    scope = build_scope(cast)
    response = client_for(cast.leader).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    # all top-level tasks: the hand-computed ten plus the cast's two (task_kh overdue since 30/07, task_tc in time)
    by_status = re.search(r'id="by-status">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r'href="/tasks/\?status=(\w+)"><b>(\d+)</b>', by_status) == [
        ("done", "3"), ("partly_done", "2"), ("open", "7")]
    by_timing = re.search(r'id="by-timing">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r'href="/tasks/\?timing=(\w+)"><b>(\d+)</b>', by_timing) == [
        ("done_on_time", "2"), ("done_late", "1"), ("open_in_time", "3"), ("due_soon", "1"), ("open_overdue", "5")]
    overdue = re.search(r'id="overdue-by-agency">(.*?)</section>', html, re.S).group(1)
    assert f'href="/tasks/?agency={cast.kh.pk}&amp;role=lead&amp;timing=open_overdue">3</a>' in overdue
    assert f'href="/tasks/?agency={cast.tc.pk}&amp;role=lead&amp;timing=open_overdue">2</a>' in overdue
    assert "/tasks/?due_from=2025-09-01&amp;due_to=2025-09-15" in html
    assert scope["tasks"]["8"].text in html  # due on 05/09, within 14 days
    for link in links_of(html):
        assert set(parse_qs(urlsplit(link).query)) <= TASK_LIST_PARAMS


def test_the_overview_uses_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, on_as_of):
    build_scope(cast)
    client = client_for(cast.leader)
    with django_assert_max_num_queries(16):
        assert client.get("/").status_code == 200


def test_the_dashboard_embeds_plotly_figures_whose_points_link_to_the_task_list(cast, client_for, on_as_of):
    build_scope(cast)
    response = client_for(cast.leader).get("/dashboard/")
    html = response.content.decode()
    import plotly

    assert f'<script src="/static/plotly-{plotly.__version__}/plotly.min.js"></script>' in html
    assert "cdn" not in html.lower()
    figures = {m.group(1): json.loads(m.group(2)) for m in
               re.finditer(r'<script id="figure-([\w-]+)" type="application/json">(.*?)</script>', html, re.S)}
    assert set(figures) == {"status-by-agency", "overdue-trend", "deadlines", "themes", "ranking"}
    bars = {trace["name"]: trace for trace in figures["status-by-agency"]["data"]}
    open_bar = bars["Chưa hoàn thành"]
    index = open_bar["y"].index("Bộ KH&CN")
    assert open_bar["x"][index] == 4  # tasks 6, 9, 10 and the cast's task_kh
    assert open_bar["customdata"][index] == f"/tasks/?agency={cast.kh.pk}&role=lead&status=open"
    trend = figures["overdue-trend"]["data"][0]
    assert len(trend["x"]) == 26 and trend["customdata"][-1].startswith("/tasks/?overdue_on=")
    for figure in figures.values():
        for trace in figure["data"]:
            for url in trace["customdata"]:
                assert set(parse_qs(urlsplit(url).query)) <= TASK_LIST_PARAMS
    assert client_for(cast.leader).get("/static/monitoring/charts.js").status_code == 200


def test_the_consolidated_report_page_prints_and_downloads_word_and_excel(cast, client_for, on_as_of):
    scope = build_scope(cast)
    client = client_for(cast.leader)
    query = f"?notice={scope['notice'].pk}&as_of=2025-09-01"
    html = client.get(f"/consolidated/{query}").content.decode()
    assert HAND_COUNT["summary"] in html
    assert f'href="/tasks/?notice={scope["notice"].pk}&amp;timing=open_overdue">4</a>' in html

    assert "xem toàn bộ" not in html  # 4 late tasks: all of them on the page
    assert '<select name="issuer"' in html and '<option value="state">Cơ quan nhà nước</option>' in html

    printable = client.get(f"/consolidated/{query}&format=print").content.decode()
    # the default issuer is the Steering Committee's Tổ Giúp việc, a Party body: Party heading and numbering
    assert "@media print" in printable and "ĐẢNG CỘNG SẢN VIỆT NAM" in printable
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in printable and "-BC/TGV" in printable
    state = client.get(f"/consolidated/{query}&format=print&issuer=state").content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in state and "Độc lập - Tự do - Hạnh phúc" in state
    assert "/BC-BKHCN" in state and "ĐẢNG CỘNG SẢN VIỆT NAM" not in state
    assert "Hà Nội, ngày 01 tháng 09 năm 2025" in printable and "Nơi nhận:" in printable

    response = client.get(f"/consolidated/{query}&format=docx")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-20250901.docx"'
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in cells
    assert "Hà Nội, ngày 01 tháng 09 năm 2025" in cells and any("TỔ GIÚP VIỆC" in c for c in cells)
    state = Document(io.BytesIO(client.get(f"/consolidated/{query}&format=docx&issuer=state").content))
    state_cells = [cell.text for table in state.tables for row in table.rows for cell in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in state_cells
    assert "BÁO CÁO" in texts
    assert "Tình hình thực hiện các nhiệm vụ theo Thông báo số 40-TB/TGV" in texts
    assert [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.", "V. ")] == [
        "I. TÌNH HÌNH CHUNG", "II. CÁC NHIỆM VỤ CHẬM MUỘN", "III. CÁC NHIỆM VỤ ĐƯỢC GIA HẠN TRONG KỲ",
        "IV. THAY ĐỔI SO VỚI KỲ BÁO CÁO TRƯỚC", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    assert any(HAND_COUNT["summary"] in t for t in texts)
    assert "Nơi nhận:" in " ".join(cells)
    late_table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Số ngày chậm")
    assert [(row.cells[2].text, row.cells[4].text) for row in late_table.rows[1:]] == [
        ("Bộ KH&CN", "63"), ("Bộ Tài chính", "31"), ("Bộ KH&CN", "10"),
        ("Bộ Tài chính", "1")]
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    assert {run.font.size.pt for run in runs} <= {13.0, 14.0}

    response = client.get(f"/consolidated/{query}&format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Nhiệm vụ chậm muộn", "Tất cả nhiệm vụ"]
    assert workbook["Tổng hợp"]["A3"].value == HAND_COUNT["summary"]
    late = list(workbook["Nhiệm vụ chậm muộn"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[5]) for row in late] == [
        ("40-TB/TGV · 10", "Bộ KH&CN", 63), ("40-TB/TGV · 4", "Bộ Tài chính", 31),
        ("40-TB/TGV · 6", "Bộ KH&CN", 10), ("40-TB/TGV · 7", "Bộ Tài chính", 1)]
    everything = list(workbook["Tất cả nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert len(everything) == 10
    assert sorted(row[7] for row in everything).count("Hoàn thành") == 3
    assert not ReportSnapshot.objects.exists()  # downloading issues nothing: a GET never writes


def test_the_office_issues_a_report_with_a_post_and_the_next_one_says_what_changed(cast, client_for):
    scope = build_scope(cast)
    query = {"notice": scope["notice"].pk, "as_of": "2025-09-01"}
    leader = client_for(cast.leader)  # client_for logs the one test client in: one person at a time
    assert "Ban hành báo cáo" not in leader.get("/consolidated/", query).content.decode()
    response = leader.post("/consolidated/issue/", query)
    assert response.status_code == 403 and not ReportSnapshot.objects.exists()

    office = client_for(cast.office)
    assert "Ban hành báo cáo" in office.get("/consolidated/", query).content.decode()
    assert office.get("/consolidated/issue/", query).status_code == 405

    response = office.post("/consolidated/issue/", query, follow=True)
    assert response.redirect_chain[0][0] == f"/consolidated/?notice={scope['notice'].pk}&as_of=2025-09-01"
    assert "Đã ban hành báo cáo tổng hợp tính đến ngày 01/09/2025" in response.content.decode()
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.as_of == AS_OF and snapshot.task_count == 10

    later = office.get("/consolidated/", {"notice": scope["notice"].pk, "as_of": "2025-09-10"}).content.decode()
    assert "Lần ban hành trước: 01/09/2025" in later


def test_a_bad_report_parameter_is_explained_in_vietnamese(cast, client_for):
    response = client_for(cast.leader).get("/consolidated/?as_of=31-31-2025")
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.content.decode()


def test_the_escalation_page_lists_late_tasks_by_agency(cast, client_for, on_as_of):
    build_scope(cast)
    html = client_for(cast.leader).get("/escalation/").content.decode()
    assert "1. Bộ KH&amp;CN" in html and "2. Bộ Tài chính" in html


def test_the_escalation_page_lists_the_first_ten_of_an_agency_and_links_to_all(
        cast, client_for, django_assert_max_num_queries, on_as_of):
    from nq57.core.testing import make_task

    scope = build_scope(cast)
    for i in range(12):
        make_task(notice=scope["notice"], lead=[cast.tc], due=dt.date(2025, 8, 1) + dt.timedelta(days=i),
                  path=f"20.{i}")
    client = client_for(cast.leader)
    with django_assert_max_num_queries(12):  # the same whatever the number of late tasks
        html = client.get("/escalation/").content.decode()
    section = re.search(r"1\. Bộ Tài chính.*?</section>", html, re.S).group(0)
    assert "14 nhiệm vụ" in section  # 12 + the two of the hand-computed scope
    assert len(re.findall(r"<tr><td>", section)) == 10
    assert "40-TB/TGV · 20.0<" in section and "40-TB/TGV · 20.11<" not in section  # the latest first
    assert "Xem đủ 14 nhiệm vụ" in section
    assert f"/tasks/?agency={cast.tc.pk}&amp;role=lead&amp;timing=open_overdue" in section


def test_notifications_are_per_user_with_read_and_read_all(cast, client_for):
    now = timezone.now()
    mine = [Notification.objects.create(recipient=cast.alice, kind="reminder", title=f"Nhắc hạn {i}",
                                        url="/tasks/1/", created_at=now) for i in range(3)]
    theirs = Notification.objects.create(recipient=cast.bob, kind="reminder", title="Của Bình", created_at=now)
    client = client_for(cast.alice)
    html = client.get("/notifications/").content.decode()
    assert "Nhắc hạn 0" in html and "Của Bình" not in html
    assert re.search(r'id="nav-notifications">Thông báo của tôi <span[^>]*>3</span>', html)

    assert client.post(f"/notifications/{mine[0].pk}/read/").status_code == 302
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 302  # someone else's: no effect
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).count() == 2
    response = client.post(f"/notifications/{mine[1].pk}/read/", {"open": "1"})
    assert response["Location"] == "/tasks/1/"
    assert client.post(f"/notifications/{mine[2].pk}/read/", {"next": "https://evil.example/"})["Location"] == \
        "/notifications/"

    client.post("/notifications/read-all/")
    assert Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=cast.bob, read_at__isnull=True).count() == 1
    assert 'id="nav-notifications">Thông báo của tôi</a>' in client.get("/notifications/").content.decode()


def test_anyone_signed_in_reads_dashboards_and_reports_and_nobody_else(cast, client):
    assert client.get("/dashboard/").status_code == 302
    outsider = make_leader("khach")
    client.force_login(outsider)
    for path in ("/", "/dashboard/", "/consolidated/", "/escalation/", "/notifications/"):
        assert client.get(path).status_code == 200, path


def test_the_consolidated_report_page_lists_the_first_late_tasks_and_links_to_all(cast, client_for, on_as_of,
                                                                                 monkeypatch):
    from nq57.monitoring import views

    scope = build_scope(cast)
    monkeypatch.setattr(views, "PAGE_LATE_LIMIT", 2)
    client = client_for(cast.leader)
    query = f"?notice={scope['notice'].pk}&as_of=2025-09-01"
    html = client.get(f"/consolidated/{query}").content.decode()
    assert "Có 4 nhiệm vụ chưa hoàn thành đã quá hạn" in html
    assert (f'<a id="report-late-all" href="/tasks/?notice={scope["notice"].pk}&amp;timing=open_overdue">'
            "xem toàn bộ 4 nhiệm vụ quá hạn</a>") in html
    assert "40-TB/TGV · 10" in html and "40-TB/TGV · 4" in html and "40-TB/TGV · 6" not in html
    printable = client.get(f"/consolidated/{query}&format=print").content.decode()
    assert "40-TB/TGV · 6" in printable and "40-TB/TGV · 7" in printable  # the printed report lists them all


def test_the_plotly_bundle_is_served_under_its_version_and_cached_for_a_year(client):
    import plotly

    response = client.get(f"/static/plotly-{plotly.__version__}/plotly.min.js")
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    other = client.get("/static/nq57/site.js")
    assert other.status_code == 200 and "immutable" not in other["Cache-Control"]  # unversioned names: not for long


def test_the_overview_lists_the_first_tasks_due_in_date_order_whatever_their_status(cast):
    """The due-soon list: top-level, not done, due within the window, by due date then id, for every length, with
    statuses interleaved and ties."""
    from nq57.core.testing import make_task
    from nq57.monitoring.services import overview
    from nq57.tasks.models import Task, TaskStatus

    today = dt.date(2025, 9, 1)
    plan = [(0, "open"), (3, "partly_done"), (3, "open"), (1, "done"), (5, "partly_done"), (2, "open"),
            (3, "partly_done"), (14, "open"), (15, "open"), (-1, "open"), (7, "partly_done"), (2, "partly_done")]
    for i, (days, status) in enumerate(plan):
        task = make_task(notice=cast.notice, lead=[cast.kh], path=f"20.{i}", text=f"Hạn gần {i}",
                         due=today + dt.timedelta(days=days))
        Task.objects.filter(pk=task.pk).update(status=status, **({"completed_on": today} if status == "done" else {}))
    sub = make_task(notice=cast.notice, lead=[cast.kh], path="20.0.1", text="Nhiệm vụ con", due=today)
    Task.objects.filter(pk=sub.pk).update(parent=Task.objects.get(path="20.0"))
    expected = (Task.objects.filter(parent__isnull=True, deadline_due__gte=today,
                                    deadline_due__lte=today + dt.timedelta(days=14))
                .exclude(status=TaskStatus.DONE).order_by("deadline_due", "id"))
    assert expected.count() == 9
    for limit in (1, 3, 5, 10, 20):
        listed = [t.pk for t in overview(today=today, limit=limit)["due_tasks"]]
        assert listed == list(expected.values_list("pk", flat=True)[:limit]), limit


def test_the_overview_counts_the_reports_waiting_for_assessment(cast, client_for):
    from nq57.reports.models import Verdict
    from nq57.reports.services import report_assess, report_submit
    from nq57.tasks.models import TaskStatus

    def waiting() -> str:
        html = client_for(cast.leader).get("/").content.decode()
        return re.search(r"Báo cáo chờ đánh giá \((\d+)\)", html).group(1)

    assert waiting() == "0"
    today = timezone.localdate()
    reports = [report_submit(task=cast.task_kh, actor=cast.alice, period_start=today, period_end=today,
                             text=f"Báo cáo {i}", percent=10 * i, claimed_status=TaskStatus.OPEN, attachments=[])
               for i in range(3)]
    assert waiting() == "3"
    report_assess(report=reports[0], actor=cast.office, verdict=Verdict.ACCEPT)
    assert waiting() == "2"


# the overview's rows as its template wrote them before the row tags (the reference they keep, byte for byte)
REFERENCE_ROWS = {
    "due_task_rows": ("due_tasks", """{% for task in due_tasks %}
        <tr><td class="num">{{ task.deadline_due|date:"d/m/Y" }}</td>
          <td><a href="{{ task.get_absolute_url }}">{{ task }}</a> <span class="small">{{ task.text|truncatechars:110 }}</span></td>
          <td class="small">{{ task.lead_names|join:"; " }}</td></tr>
      {% endfor %}"""),  # noqa: E501
    "overdue_agency_rows": ("overdue_by_agency", """{% for row in overdue_by_agency %}
        <tr><td>{{ row.short_name }}</td><td class="num"><a href="{{ row.url }}">{{ row.count }}</a></td></tr>
      {% endfor %}"""),
    "awaiting_report_rows": ("awaiting", """{% for report in awaiting %}
      <tr><td class="num">{{ report.submitted_at|date:"d/m/Y H:i" }}</td>
        <td><a href="{{ report.task.get_absolute_url }}">{{ report.task }}</a></td>
        <td>{{ report.agency.display_name }}</td><td class="num">{{ report.percent }}%</td>
        <td><span class="badge muted">{{ report.get_claimed_status_display }}</span></td></tr>
    {% endfor %}"""),
}


def test_the_overview_rows_are_the_markup_the_template_wrote(cast, on_as_of):
    """The row tags against the loops they replaced, on rows with markup, quotes and ampersands in the task text and
    agency names, several lead agencies, and reports sent late in the evening (local time)."""
    from django.template import Context, Template

    from nq57.monitoring import services
    from nq57.monitoring.templatetags import monitoring as tags
    from nq57.reports.services import report_submit
    from nq57.tasks.models import TaskStatus

    build_scope(cast)
    today = timezone.localdate()
    cast.tc.name, cast.tc.short_name = 'Bộ Tài chính & "Kế hoạch" <Thử>', ""
    cast.tc.save()
    from nq57.core.testing import make_task

    tricky = make_task(notice=cast.notice, lead=[cast.kh, cast.tc], path="", due=today + dt.timedelta(days=2),
                       text="<script>alert('x')</script> & “trích dẫn” " + "rất dài " * 30)
    with time_machine.travel(dt.datetime(2025, 9, 1, 23, 55, tzinfo=dt.UTC), tick=False):
        report_submit(task=tricky, actor=cast.alice, period_start=today, period_end=today, text="Muộn",
                      percent=35, claimed_status=TaskStatus.PARTLY_DONE, attachments=[])
    data = services.overview(today=today)
    assert tricky.pk in [task.pk for task in data["due_tasks"]]
    assert any("<Thử>" in row["short_name"] for row in data["overdue_by_agency"])
    assert [report.task_id for report in data["awaiting"]] == [tricky.pk]
    for tag, (name, reference) in REFERENCE_ROWS.items():
        assert getattr(tags, tag)(data[name]) == Template(reference).render(Context(data)), tag
