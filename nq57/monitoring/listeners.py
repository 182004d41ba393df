"""Agencies are told what happens to their work: their focal points get a notification (in-app, and e-mail when
they have an address and allow it) when the agency's progress report is accepted or returned for more, when its
extension request is approved or refused, and when a task is assigned to it (lead or partner, new or moved).

The listeners run after the service's transaction commits and only enqueue a Huey job; the job claims each message
(target, person, kind, day) before sending it, so a retried job never tells anyone twice.
"""

import logging

from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.core.events import DomainEvent, listener
from nq57.monitoring.notifications import claim, notify, register_kind, send_claimed
from nq57.monitoring.recipients import agency_focal_points

log = logging.getLogger(__name__)

REPORT_ACCEPTED = register_kind("report.accepted", label="Báo cáo được chấp nhận").name
REPORT_RETURNED = register_kind("report.returned", label="Báo cáo cần bổ sung").name
EXTENSION_APPROVED = register_kind("extension.approved", label="Đồng ý gia hạn").name
EXTENSION_REFUSED = register_kind("extension.refused", label="Không đồng ý gia hạn").name
TASK_ASSIGNED = register_kind("task.assigned", label="Được giao nhiệm vụ").name

LISTENER_KINDS = {REPORT_ACCEPTED, REPORT_RETURNED, EXTENSION_APPROVED, EXTENSION_REFUSED, TASK_ASSIGNED}
ROLE_LABELS = {"lead": "chủ trì", "coordinating": "phối hợp"}


@listener("report.assessed", "extension.decided", "task.created", "task.assigned")
def agencies_inform_enqueue(event: DomainEvent) -> None:
    from nq57.monitoring.tasks import agencies_inform_job

    agencies_inform_job(event.name, event.payload)


def agencies_inform(*, name: str, payload: dict, day=None) -> int:
    """Build and send the messages for one domain event; returns how many were sent now. ``day`` is the date the
    claims are made for (today; the original day when a stale claim is retried)."""
    handler = _HANDLERS.get(name)
    if handler is None:
        return 0
    day = day or timezone.localdate()
    sent = 0
    for agency_id, kind, target, context in handler(payload):
        for user in agency_focal_points([agency_id]).get(agency_id, []):
            dispatch = claim(kind=kind, due_on=day, target=target, recipient=user, step=context.get("step", 0))
            if dispatch is None:
                continue
            values = {**context, "agency": Agency.objects.get(pk=agency_id)}
            if send_claimed(dispatch, lambda u=user, k=kind, t=target, v=values, d=dispatch: notify(
                    recipient=u, kind=k, template="agency-notice", context=v, target=t, dispatch=d,
                    url=_task_path(v["task"]))):
                sent += 1
    return sent


def _task_path(task) -> str:
    from nq57.monitoring.services import task_url

    return task_url(task.pk)


def _report_assessed(payload: dict):
    from nq57.reports.models import ProgressReport, Verdict

    report = ProgressReport.objects.select_related("task__notice", "agency").filter(pk=payload.get("report_id")).first()
    if report is None:
        return
    assessment = report.assessments.order_by("-assessed_at", "-id").first()
    accepted = payload.get("verdict") == Verdict.ACCEPT
    headline = (f"Báo cáo tiến độ nhiệm vụ {report.task} đã được chấp nhận" if accepted
                else f"Báo cáo tiến độ nhiệm vụ {report.task} cần bổ sung")
    lines = [f"Báo cáo kỳ {report.period_start:%d/%m/%Y}–{report.period_end:%d/%m/%Y} của {report.agency}."]
    if assessment is not None and assessment.comment:
        lines.append(f"Ý kiến của Cơ quan Thường trực: {assessment.comment}")
    lines.append("Đề nghị đồng chí xem và bổ sung báo cáo trên hệ thống." if not accepted
                 else "Tiến độ nhiệm vụ đã được cập nhật theo báo cáo.")
    yield report.agency_id, REPORT_ACCEPTED if accepted else REPORT_RETURNED, report, {
        "task": report.task, "headline": headline, "lines": lines}


def _extension_decided(payload: dict):
    from nq57.reports.models import ExtensionRequest

    request = ExtensionRequest.objects.select_related("task__notice", "agency").filter(
        pk=payload.get("extension_id")).first()
    if request is None:
        return
    approved = bool(payload.get("approved"))
    headline = (f"Đề xuất gia hạn nhiệm vụ {request.task} được đồng ý" if approved
                else f"Đề xuất gia hạn nhiệm vụ {request.task} không được đồng ý")
    lines = [f"Thời hạn đề xuất: {request.requested_due:%d/%m/%Y}."]
    if approved:
        lines.append(f"Thời hạn mới của nhiệm vụ: {request.requested_due:%d/%m/%Y}.")
    elif request.current_due:
        lines.append(f"Thời hạn của nhiệm vụ giữ nguyên: {request.current_due:%d/%m/%Y}.")
    if request.decision_note:
        lines.append(f"Ý kiến của Cơ quan Thường trực: {request.decision_note}")
    yield request.agency_id, EXTENSION_APPROVED if approved else EXTENSION_REFUSED, request, {
        "task": request.task, "headline": headline, "lines": lines}


def _assigned(task, agency_id: int, role: str, moved: bool):
    role_label = ROLE_LABELS.get(role, role)
    headline = f"Cơ quan được giao {role_label} nhiệm vụ {task}"
    lines = [f"Nội dung nhiệm vụ: {task.text}"]
    if moved:
        lines.insert(0, "Nhiệm vụ được chuyển sang cơ quan do sáp nhập cơ quan được giao trước đây.")
    if task.deadline_due:
        lines.append(f"Thời hạn: {task.deadline_due:%d/%m/%Y}.")
    elif task.deadline_text:
        lines.append(f"Thời hạn theo văn bản: {task.deadline_text}")
    # the step tells the roles apart: an agency moved from partner to lead the same day is told again
    return agency_id, TASK_ASSIGNED, task, {"task": task, "headline": headline, "lines": lines,
                                           "step": 1 if role == "lead" else 2}


def _task_created(payload: dict):
    from nq57.tasks.models import Task

    task = Task.objects.select_related("notice").filter(pk=payload.get("task_id")).first()
    if task is None:
        return
    for agency_id, role in task.assignments.order_by("role", "id").values_list("agency_id", "role"):
        yield _assigned(task, agency_id, role, moved=False)


def _task_assigned(payload: dict):
    from nq57.tasks.models import Task

    task = Task.objects.select_related("notice").filter(pk=payload.get("task_id")).first()
    if task is None or not task.assignments.filter(agency_id=payload.get("agency_id")).exists():
        return  # removed again before the job ran
    yield _assigned(task, payload["agency_id"], payload.get("role", ""), moved=payload.get("reason") == "merge")


def retry_stale() -> int:
    """Send the messages whose claim a killed worker never confirmed (past the timeout): rebuild each one's event
    from its claim and inform again — the claims already confirmed are skipped, the stale one is taken over."""
    from nq57.monitoring.models import Dispatch
    from nq57.monitoring.notifications import settled_q
    from nq57.monitoring.recipients import agencies_of

    sent = 0
    stale = (Dispatch.objects.filter(kind__in=LISTENER_KINDS, sent_at__isnull=True).exclude(settled_q())
             .select_related("recipient").order_by("id"))
    for dispatch in stale:
        target = dispatch.target
        if target is None or dispatch.recipient is None:
            continue
        if dispatch.kind in (REPORT_ACCEPTED, REPORT_RETURNED):
            verdict = "accept" if dispatch.kind == REPORT_ACCEPTED else "ask_for_more"
            events = [("report.assessed", {"report_id": target.pk, "verdict": verdict})]
        elif dispatch.kind in (EXTENSION_APPROVED, EXTENSION_REFUSED):
            events = [("extension.decided", {"extension_id": target.pk,
                                             "approved": dispatch.kind == EXTENSION_APPROVED})]
        else:
            role = "lead" if dispatch.step == 1 else "coordinating"
            events = [("task.assigned", {"task_id": target.pk, "agency_id": agency_id, "role": role})
                      for agency_id in agencies_of(dispatch.recipient)]
        for name, payload in events:
            sent += agencies_inform(name=name, payload=payload, day=dispatch.due_on)
    return sent


_HANDLERS = {"report.assessed": _report_assessed, "extension.decided": _extension_decided,
             "task.created": _task_created, "task.assigned": _task_assigned}
