"""Dashboard figures: plotly figure JSON ({"data": [traces], "layout": {...}}) written as plain dictionaries from the
aggregate series in ``monitoring.services``.

Every point carries in ``customdata`` the URL of the task list showing the tasks behind it; the page's own script
(``static/monitoring/charts.js``) draws the figure with the locally served plotly.js and follows that URL on click.
(Plain dictionaries rather than ``plotly.graph_objects``: building and validating the figure objects and writing
plotly's default template into each figure cost more CPU than all the dashboard's queries; plotly.js draws the same
traces from this JSON, with its own default template.)
"""

import datetime as dt

from nq57.core import badges
from nq57.monitoring import services
from nq57.tasks.models import OnTimeRate, TaskStatus, Timing

FONT = {"family": "Segoe UI, Noto Sans, Roboto, Arial, sans-serif", "size": 13}


def _figure(traces: list[dict], *, height: int = 380, xaxis: dict | None = None, **extra) -> dict:
    """A figure with the dashboard's common layout (the one place for margins, font, legend, click mode)."""
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "font": FONT, "plot_bgcolor": "#fff",
              "paper_bgcolor": "#fff", "legend": {"orientation": "h", "y": -0.15}, "hovermode": "closest",
              "clickmode": "event", "xaxis": {"automargin": True, **(xaxis or {})}, "yaxis": {"automargin": True},
              **extra}
    return {"data": traces, "layout": layout}


def _bar(**trace) -> dict:
    colour = trace.pop("marker_color")
    return {"type": "bar", **trace, "marker": {"color": colour}}


def as_json(fig: dict) -> dict:
    """The figure as plain JSON data (for ``json_script``): already plain dictionaries, lists, strings and numbers."""
    return fig


def status_by_agency_figure(rows: list[dict]) -> dict:
    rows = list(reversed(rows))  # horizontal bars: biggest on top
    traces = [
        _bar(
            name=TaskStatus(status).label, orientation="h", y=[r["label"] for r in rows], x=[r[status] for r in rows],
            marker_color=badges.colour(status),
            customdata=[services.task_list_url(agency=r["agency_id"], role="lead", status=status) for r in rows],
            hovertemplate="%{y}: %{x} nhiệm vụ " + TaskStatus(status).label.lower() + "<extra></extra>",
        )
        for status in (TaskStatus.DONE, TaskStatus.PARTLY_DONE, TaskStatus.OPEN)
    ]
    return _figure(traces, height=max(300, 34 * len(rows) + 80), barmode="stack")


def overdue_trend_figure(points: list[dict]) -> dict:
    trace = _bar(
        name="Nhiệm vụ quá hạn", x=[p["week_end"].strftime("%d/%m/%Y") for p in points],
        y=[p["count"] for p in points], marker_color=badges.colour(Timing.OPEN_OVERDUE),
        customdata=[p["url"] for p in points],
        hovertemplate="Cuối tuần %{x}: %{y} nhiệm vụ quá hạn<extra></extra>",
    )
    return _figure([trace], showlegend=False, xaxis={"type": "category", "tickangle": -45})


def deadlines_figure(months: list[dict]) -> dict:
    traces = [
        _bar(
            name=TaskStatus(status).label, x=[m["label"] for m in months], y=[m[status] for m in months],
            marker_color=badges.colour(status),
            customdata=[services.task_list_url(status=status, due_from=m["start"], due_to=m["end"]) for m in months],
            hovertemplate="Tháng %{x}: %{y} nhiệm vụ " + TaskStatus(status).label.lower() + "<extra></extra>",
        )
        for status in (TaskStatus.DONE, TaskStatus.PARTLY_DONE, TaskStatus.OPEN)
    ]
    return _figure(traces, barmode="stack", xaxis={"type": "category"})


def themes_figure(rows: list[dict]) -> dict:
    traces = [
        _bar(
            name=TaskStatus(status).label, x=[r["label"] for r in rows], y=[r[status] for r in rows],
            marker_color=badges.colour(status),
            customdata=[services.task_list_url(theme=r["code"], status=status) for r in rows],
            hovertemplate="%{x}: %{y} nhiệm vụ " + TaskStatus(status).label.lower() + "<extra></extra>",
        )
        for status in (TaskStatus.DONE, TaskStatus.PARTLY_DONE, TaskStatus.OPEN)
    ]
    return _figure(traces, barmode="stack", xaxis={"type": "category"})


def ranking_figure(rows: list[dict]) -> dict:
    rows = list(reversed(rows))
    trace = _bar(
        name="Tỷ lệ hoàn thành đúng hạn", orientation="h", y=[r["label"] for r in rows],
        x=[round(100 * r["rate"], 1) for r in rows], marker_color=badges.COLOURS["info"],
        text=[f"{r['on_time']}/{r['due']}" for r in rows], textposition="auto",
        customdata=[services.task_list_url(agency=r["agency_id"], role="lead") for r in rows],
        hovertemplate="%{y}: %{x}% đúng hạn (%{text})<extra></extra>",
    )
    return _figure([trace], height=max(300, 30 * len(rows) + 80), showlegend=False,
                   xaxis={"range": [0, 100], "ticksuffix": "%"})


def dashboard_figures(*, today: dt.date) -> list[dict]:
    """The dashboard: (id, title, note, figure JSON) for each chart. Four aggregate queries in all."""
    stats = services.agency_stats(today=today)  # feeds two charts
    specs = [
        ("status-by-agency", "Tình trạng nhiệm vụ theo cơ quan chủ trì",
         "15 cơ quan chủ trì nhiều nhiệm vụ nhất. Bấm vào một đoạn để xem danh sách nhiệm vụ.",
         status_by_agency_figure(services.status_by_agency(stats=stats))),
        ("overdue-trend", "Số nhiệm vụ quá hạn cuối mỗi tuần (6 tháng gần đây)",
         "Tính theo thời hạn hiện hành và ngày hoàn thành (không tính kỳ báo cáo định kỳ). Bấm vào một cột để xem "
         "đúng các nhiệm vụ đang quá hạn vào cuối tuần đó.",
         overdue_trend_figure(services.overdue_by_week(today=today))),
        ("deadlines", "Thời hạn trong các tháng tới",
         "Số nhiệm vụ có hạn trong từng tháng, theo tình trạng.",
         deadlines_figure(services.deadlines_by_month(today=today))),
        ("themes", "Nhiệm vụ theo chủ đề", "Mỗi nhiệm vụ có thể thuộc nhiều chủ đề.",
         themes_figure(services.status_by_theme())),
        ("ranking", "Xếp hạng cơ quan theo tỷ lệ hoàn thành đúng hạn",
         OnTimeRate.HELP,
         ranking_figure(services.agency_ranking(today=today, stats=stats))),
    ]
    return [{"id": key, "json_id": f"figure-{key}", "title": title, "note": note, "figure": as_json(fig)}
            for key, title, note, fig in specs]
