"""Model rows → the plain dicts the API schemas describe (no queries: callers load what is shown; only ``task_rows``,
the task list's fast path, loads its page's agencies and themes itself)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.tasks.models import AssignmentRole, Task, TaskAssignment
from nq57.taxonomy.models import Theme


def external_id(task) -> str:
    """Our stable id for a task in exchanges: never reused, unchanged by edits of the notice number or path."""
    return f"nq57:task:{task.pk}"


def agency_brief(agency) -> dict:
    return {"id": agency.pk, "name": agency.name, "short_name": agency.short_name}


def agency_dict(agency) -> dict:
    return {**agency_brief(agency), "kind": agency.kind, "parent_id": agency.parent_id,
            "successor_id": agency.successor_id, "dissolved_on": agency.dissolved_on}


def notice_dict(notice) -> dict:
    return {"id": notice.pk, "number": notice.number, "issued_on": notice.issued_on, "title": notice.title,
            "kind": notice.kind, "issuer": notice.issuer, "programme": notice.programme.code,
            "meeting_date": notice.meeting_date, "signer": notice.signer}


def task_queryset(today=None):
    """Tasks with what ``task_dict`` shows, in a constant number of queries whatever the page size."""
    today = today or timezone.localdate()
    assignments = TaskAssignment.objects.select_related("agency").order_by("role", "id")
    return (Task.objects.with_timing(today=today).select_related("notice")
            .prefetch_related(Prefetch("assignments", queryset=assignments), "themes"))


def task_dict(task, *, today=None) -> dict:
    leads, partners = [], []
    for assignment in task.assignments.all():
        row = {**agency_brief(assignment.agency), "assigned_name": assignment.assigned_name or assignment.agency.name}
        (leads if assignment.role == "lead" else partners).append(row)
    timing = task.__dict__.get("timing")
    if not isinstance(timing, str):
        timing = Task.timing(task, today=today or timezone.localdate())
    notice = task.notice
    return {
        "id": task.pk, "external_id": external_id(task),
        "notice": {"id": notice.pk, "number": notice.number, "issued_on": notice.issued_on},
        "parent_id": task.parent_id, "path": task.path, "position": task.position, "section": task.section,
        "text": task.text, "lead_agencies": leads, "coordinating_agencies": partners,
        "coordinating_others": task.coordinating_others, "themes": sorted(t.code for t in task.themes.all()),
        "deadline_kind": task.deadline_kind, "deadline_due": task.deadline_due, "deadline_text": task.deadline_text,
        "original_deadline_due": task.original_deadline_due, "report_cadence": task.report_cadence,
        "report_due": task.report_due, "report_text": task.report_text, "next_report_due": task.next_report_due,
        "status": task.status, "progress": task.progress, "completed_on": task.completed_on, "timing": timing,
        "last_report_at": task.last_report_at, "version": task.version, "updated_at": task.updated_at,
    }


# --- the task list: plain rows, no model instances (the hot path of list clients) ------------------------------

#: the columns of a task list row, in this order (``task_rows`` unpacks them by position)
TASK_LIST_COLUMNS = (
    "id", "notice_id", "notice__number", "notice__issued_on", "parent_id", "path", "position", "section", "text",
    "coordinating_others", "deadline_kind", "deadline_due", "deadline_text", "original_deadline_due",
    "report_cadence", "report_due", "report_text", "next_report_due", "status", "progress", "completed_on",
    "last_report_at", "version", "updated_at",
)


_ENCODER = DjangoJSONEncoder()


class _TimingFields:
    """What ``Task.timing`` reads, so list rows get their timing class from the one rule without a model instance
    (and without the ``with_timing`` CASE annotation in the page query)."""

    __slots__ = ("status", "deadline_due", "completed_on", "next_report_due")

    def __init__(self, status, deadline_due, completed_on, next_report_due):
        self.status, self.deadline_due = status, deadline_due
        self.completed_on, self.next_report_due = completed_on, next_report_due


def task_rows(rows: list[tuple], *, today) -> list[dict]:
    """``TaskOut`` dicts (the same as ``task_dict``) for rows of ``TASK_LIST_COLUMNS``, in two more queries:
    the assignments with their agencies, and the theme codes."""
    if not rows:
        return []
    ids = [row[0] for row in rows]
    agencies: dict[int, tuple[list, list]] = {task_id: ([], []) for task_id in ids}
    themes: dict[int, list[str]] = {task_id: [] for task_id in ids}
    # two fixed-shape queries of ints and strings: plain SQL (building them with the ORM costs more than running them)
    assignment, agency, task_theme, theme = (connection.ops.quote_name(model._meta.db_table)
                                             for model in (TaskAssignment, Agency, Task.themes.through, Theme))
    if connection.vendor == "postgresql":  # one array parameter: cheaper to send and to plan than 50 placeholders
        in_ids, params = "= ANY(%s)", [ids]
    else:
        in_ids, params = f"IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.task_id, a.role, a.agency_id, g.name, g.short_name, a.assigned_name "  # noqa: S608
                       f"FROM {assignment} a INNER JOIN {agency} g ON g.id = a.agency_id "
                       f"WHERE a.task_id {in_ids} ORDER BY a.id", params)
        for task_id, role, agency_id, name, short_name, assigned_name in cursor.fetchall():
            agencies[task_id][role != AssignmentRole.LEAD].append(
                {"id": agency_id, "name": name, "short_name": short_name, "assigned_name": assigned_name or name})
        cursor.execute(f"SELECT tt.task_id, t.code FROM {task_theme} tt "  # noqa: S608
                       f"INNER JOIN {theme} t ON t.id = tt.theme_id WHERE tt.task_id {in_ids}", params)
        for task_id, code in cursor.fetchall():
            themes[task_id].append(code)
    timing = Task.timing
    when = _ENCODER.default  # datetimes exactly as json_response's DjangoJSONEncoder writes them

    def day(value):
        return None if value is None else value.isoformat()

    result = []
    for (pk, notice_id, number, issued_on, parent_id, path, position, section, text, coordinating_others,
         deadline_kind, deadline_due, deadline_text, original_deadline_due, report_cadence, report_due, report_text,
         next_report_due, status, progress, completed_on, last_report_at, version, updated_at) in rows:
        leads, partners = agencies[pk]
        result.append({
            "id": pk, "external_id": f"nq57:task:{pk}",
            "notice": {"id": notice_id, "number": number, "issued_on": day(issued_on)},
            "parent_id": parent_id, "path": path, "position": position, "section": section, "text": text,
            "lead_agencies": leads, "coordinating_agencies": partners, "coordinating_others": coordinating_others,
            "themes": sorted(themes[pk]), "deadline_kind": deadline_kind, "deadline_due": day(deadline_due),
            "deadline_text": deadline_text, "original_deadline_due": day(original_deadline_due),
            "report_cadence": report_cadence, "report_due": day(report_due), "report_text": report_text,
            "next_report_due": day(next_report_due), "status": status, "progress": progress,
            "completed_on": day(completed_on),
            "timing": str(timing(_TimingFields(status, deadline_due, completed_on, next_report_due), today=today)),
            "last_report_at": None if last_report_at is None else when(last_report_at), "version": version,
            "updated_at": when(updated_at),
        })
    return result


def report_queryset():
    from nq57.reports.models import Assessment, ProgressReport

    return (ProgressReport.objects.select_related("agency", "author")
            .prefetch_related("attachments", Prefetch("assessments", Assessment.objects.select_related("assessor"))))


def assessment_dict(assessment) -> dict:
    return {"id": assessment.pk, "report_id": assessment.report_id, "verdict": assessment.verdict,
            "comment": assessment.comment, "assessor": str(assessment.assessor), "assessed_at": assessment.assessed_at}


def report_dict(report) -> dict:
    return {
        "id": report.pk, "task_id": report.task_id, "agency": agency_brief(report.agency), "author": str(report.author),
        "period_start": report.period_start, "period_end": report.period_end, "text": report.text,
        "percent": report.percent, "claimed_status": report.claimed_status, "state": report.state,
        "submitted_at": report.submitted_at,
        "attachments": [{"id": a.pk, "original_name": a.original_name, "size": a.size, "content_type": a.content_type}
                        for a in report.attachments.all()],
        "assessments": [assessment_dict(a) for a in report.assessments.all()],
    }


def report_etag(report) -> str:
    return f'"report-{report.pk}-{report.state}-{len(report.assessments.all())}"'


def extension_dict(request) -> dict:
    return {
        "id": request.pk, "task_id": request.task_id, "agency": agency_brief(request.agency),
        "requested_by": str(request.requested_by), "requested_at": request.requested_at,
        "current_due": request.current_due, "requested_due": request.requested_due, "reason": request.reason,
        "state": request.state, "decided_by": str(request.decided_by) if request.decided_by_id else None,
        "decided_at": request.decided_at, "decision_note": request.decision_note,
    }


def notification_dict(notification) -> dict:
    return {"id": notification.pk, "kind": notification.kind, "task_id": notification.task_id,
            "title": notification.title, "body": notification.body, "created_at": notification.created_at,
            "read_at": notification.read_at}


def webhook_dict(subscription) -> dict:
    return {"id": subscription.pk, "name": subscription.name, "url": subscription.url,
            "events": list(subscription.events), "is_active": subscription.is_active,
            "created_at": subscription.created_at}


def delivery_dict(delivery) -> dict:
    return {"id": delivery.pk, "uuid": str(delivery.uuid), "event": delivery.event, "state": delivery.state,
            "attempts": delivery.attempts, "status_code": delivery.status_code,
            "response_excerpt": delivery.response_excerpt, "error": delivery.error, "log": delivery.log,
            "created_at": delivery.created_at, "last_attempt_at": delivery.last_attempt_at,
            "next_attempt_at": delivery.next_attempt_at, "delivered_at": delivery.delivered_at}
