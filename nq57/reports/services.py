"""Progress reports, the office's assessments and deadline extensions: each write checks, validates, saves,
audits and records the task timeline in one transaction."""

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from nq57.accounts.selectors import primary_organisation
from nq57.core import access, limits
from nq57.core.audit import acting
from nq57.core.errors import ConflictError, Problems, ServiceError
from nq57.core.events import publish
from nq57.core.uploads import ATTACHMENT, removed_on_failure, upload_problems
from nq57.reports.models import (
    Assessment,
    ExtensionRequest,
    ExtensionState,
    ProgressReport,
    ReportAttachment,
    ReportState,
    Verdict,
)
from nq57.tasks.models import Task, TaskEventKind, TaskStatus
from nq57.tasks.services import event_record, next_report_due_after, progress_rollup, task_set_status, task_version_bump

MAX_ATTACHMENTS = ATTACHMENT.max_files


# built once: ``Choices.values`` builds a list on every access (an import checks hundreds of thousands of values)
_REPORT_STATES, _TASK_STATUSES = frozenset(ReportState.values), frozenset(TaskStatus.values)


def _reporting_agency(*, actor, task: Task):
    """The agency a report is filed for: the focal point's own (or its unit on the task), the lead for the office."""
    if actor.is_focal_point:
        # the rows the permission check has read already (``access.party_assignments``: one query per request)
        assignments = access.party_assignments(actor, task)
        if assignments:
            return assignments[0].agency
        return primary_organisation(actor)
    lead = task.assignments.filter(role="lead").select_related("agency").first()
    return lead.agency if lead else primary_organisation(actor)


def report_problems(*, task: Task, period_start: dt.date | None, period_end: dt.date | None, text: str | None,
                    percent: int | None, claimed_status: str | None, attachments: Sequence[UploadedFile] = (),
                    submitted_at=None, periods_required: bool = True) -> dict[str, list[str]]:
    """Every problem of a progress report at once, by field (empty when it may be submitted). A value the form
    could not read is passed as None and reported once, as missing. An imported report (another system received
    it) may come without its period (``periods_required=False``)."""
    problems = Problems()
    text = (text or "").strip()
    if not text:
        problems.add("text", "Nội dung báo cáo không được để trống.")
    limits.check(problems, "text", "Nội dung báo cáo", text, limits.REPORT_TEXT)
    if percent is None or not 0 <= int(percent) <= 100:
        problems.add("percent", "Tiến độ phải là số từ 0 đến 100.")
    if claimed_status not in _TASK_STATUSES:
        problems.add("claimed_status", "Tình trạng đề nghị không hợp lệ.")
    elif claimed_status == TaskStatus.DONE and task.is_recurring:
        problems.add("claimed_status", "Nhiệm vụ thường xuyên không thể đề nghị hoàn thành; hãy chọn "
                     "“Chưa hoàn thành” hoặc “Hoàn thành một phần”.")
    if periods_required and period_start is None:
        problems.add("period_start", "Hãy nhập ngày bắt đầu kỳ báo cáo.")
    if periods_required and period_end is None:
        problems.add("period_end", "Hãy nhập ngày kết thúc kỳ báo cáo.")
    if period_start and period_end and period_end < period_start:
        problems.add("period_end", "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")
    submitted_on = timezone.localtime(submitted_at or timezone.now()).date()
    if period_start and period_start > submitted_on:
        problems.add("period_start", "Kỳ báo cáo không thể bắt đầu sau ngày gửi báo cáo.")
    for message in upload_problems(attachments or (), ATTACHMENT):
        problems.add("attachments", message)
    return problems.errors


def report_values_check(*, task: Task, text: str, percent, claimed_status: str, period_start, period_end,
                        submitted_at) -> dict[str, list[str]]:
    """``report_problems`` for a report imported in bulk (``reports_bulk_import``): no attachments, period optional."""
    return report_problems(task=task, period_start=period_start, period_end=period_end, text=text, percent=percent,
                           claimed_status=claimed_status, submitted_at=submitted_at, periods_required=False)


@acting
@removed_on_failure()
@transaction.atomic
def report_submit(
    *,
    task: Task,
    actor,
    period_start: dt.date,
    period_end: dt.date,
    text: str,
    percent: int,
    claimed_status: str,
    attachments: Sequence[UploadedFile] = (),
    submitted_at=None,
) -> ProgressReport:
    access.check_task(actor, task, "report")
    submitted_at = submitted_at or timezone.now()
    problems = report_problems(task=task, period_start=period_start, period_end=period_end, text=text,
                               percent=percent, claimed_status=claimed_status, attachments=attachments,
                               submitted_at=submitted_at)
    if problems:
        raise ServiceError.of(problems)
    text = text.strip()

    report = ProgressReport.objects.create(
        task=task,
        agency=_reporting_agency(actor=actor, task=task),
        author=actor,
        period_start=period_start,
        period_end=period_end,
        text=text,
        percent=int(percent),
        claimed_status=claimed_status,
        submitted_at=submitted_at,
    )
    for upload in attachments:
        ReportAttachment.objects.create(
            report=report,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        )
    # the task's report dates are derived from its reports (whose own history records this one), as in
    # ``reports_bulk_import``: one UPDATE, no copy of the whole task row into its history
    changes = {"last_report_at": submitted_at}
    if task.report_cadence:
        changes["next_report_due"] = next_report_due_after(
            cadence=task.report_cadence, reported_on=timezone.localtime(submitted_at).date()
        )
    Task.objects.filter(pk=task.pk).update(**changes)
    for name, value in changes.items():
        setattr(task, name, value)
    event_record(
        task=task, kind=TaskEventKind.REPORT_SUBMITTED, actor=actor, at=submitted_at,
        summary=f"{report.agency} gửi báo cáo ({report.percent}%, đề nghị: {TaskStatus(claimed_status).label})",
        details={"report_id": report.pk, "attachments": len(attachments)},
    )
    publish("report.submitted", task_id=task.pk, report_id=report.pk, agency_id=report.agency_id)
    return report


def assessment_problems(*, verdict: str | None, comment: str | None) -> dict[str, list[str]]:
    problems = Problems()
    if verdict not in Verdict.values:
        problems.add("verdict", "Kết luận đánh giá không hợp lệ." if verdict else "Hãy chọn kết luận đánh giá.")
    if verdict == Verdict.ASK_FOR_MORE and not (comment or "").strip():
        problems.add("comment", "Hãy ghi rõ nội dung cần bổ sung.")
    limits.check(problems, "comment", "Ý kiến", (comment or "").strip(), limits.COMMENT)
    return problems.errors


@acting
@transaction.atomic
def report_assess(*, report: ProgressReport, actor, verdict: str, comment: str = "", assessed_at=None) -> Assessment:
    """Accepting applies the report's percent and claimed status to the task; asking for more leaves the task be."""
    access.check_task(actor, report.task, "assess")
    problems = assessment_problems(verdict=verdict, comment=comment)
    if problems:
        raise ServiceError.of(problems)
    new_state = ReportState.ACCEPTED if verdict == Verdict.ACCEPT else ReportState.NEEDS_MORE
    # claim the report: only one assessor wins when two press the button at once
    claimed = ProgressReport.objects.filter(pk=report.pk, state=ReportState.SUBMITTED).update(state=new_state)
    if not claimed:
        raise ConflictError("Báo cáo này đã được đánh giá. Vui lòng tải lại trang.")
    report.refresh_from_db()
    assessed_at = assessed_at or timezone.now()
    assessment = Assessment.objects.create(
        report=report, assessor=actor, verdict=verdict, comment=(comment or "").strip(), assessed_at=assessed_at
    )
    task = report.task
    event_record(
        task=task, kind=TaskEventKind.REPORT_ASSESSED, actor=actor, at=assessed_at,
        summary=f"{Verdict(verdict).label} báo cáo của {report.agency}" + (f": {comment.strip()}" if comment else ""),
        details={"report_id": report.pk, "verdict": verdict},
    )
    publish("report.assessed", task_id=task.pk, report_id=report.pk, verdict=verdict)
    if verdict == Verdict.ACCEPT:
        task.refresh_from_db()
        done = report.claimed_status == TaskStatus.DONE
        completed_on = timezone.localtime(report.submitted_at).date() if done else None
        if report.claimed_status != task.status or report.percent != task.progress:
            task_set_status(
                task=task, actor=actor, status=report.claimed_status, progress=report.percent,
                completed_on=completed_on, reason="theo báo cáo được chấp nhận",
                at=assessed_at,
            )
        elif task.parent_id:
            progress_rollup(task=task.parent)
    return assessment


def extension_problems(*, task: Task, requested_due: dt.date | None, reason: str | None,
                       requested_at=None) -> dict[str, list[str]]:
    """Every problem of an extension request at once, by field ("__all__": the task's own state)."""
    problems = Problems()
    if task.is_done:
        problems.add("__all__", "Nhiệm vụ đã hoàn thành, không cần gia hạn.")
    elif task.extension_requests.filter(state=ExtensionState.PENDING).exists():
        problems.add("__all__", "Nhiệm vụ đang có một đề xuất gia hạn chờ quyết định.")
    reason = (reason or "").strip()
    if not reason:
        problems.add("reason", "Hãy nêu lý do đề xuất gia hạn.")
    limits.check(problems, "reason", "Lý do", reason, limits.REASON)
    today = timezone.localtime(requested_at or timezone.now()).date()
    if requested_due is None:
        problems.add("requested_due", "Hãy chọn thời hạn đề xuất.")
    elif requested_due <= today:
        problems.add("requested_due", "Thời hạn đề xuất phải sau ngày hôm nay.")
    elif task.deadline_due and requested_due <= task.deadline_due:
        problems.add("requested_due",
                     f"Thời hạn đề xuất phải sau thời hạn hiện tại ({task.deadline_due:%d/%m/%Y}).")
    return problems.errors


@acting
@transaction.atomic
def extension_request(*, task: Task, actor, requested_due: dt.date, reason: str, requested_at=None) -> ExtensionRequest:
    access.check_task(actor, task, "extend")
    requested_at = requested_at or timezone.now()
    problems = extension_problems(task=task, requested_due=requested_due, reason=reason, requested_at=requested_at)
    if problems:
        raise ServiceError.of(problems)
    request = ExtensionRequest.objects.create(
        task=task, agency=_reporting_agency(actor=actor, task=task), requested_by=actor, requested_at=requested_at,
        current_due=task.deadline_due, requested_due=requested_due, reason=reason.strip(),
    )
    event_record(task=task, kind=TaskEventKind.EXTENSION_REQUESTED, actor=actor, at=requested_at,
                 summary=f"{request.agency} đề xuất gia hạn đến {requested_due:%d/%m/%Y}: {reason.strip()[:300]}",
                 details={"extension_id": request.pk})
    publish("extension.requested", task_id=task.pk, extension_id=request.pk)
    return request


@acting
@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor, approve: bool, note: str = "", decided_at=None
) -> ExtensionRequest:
    """Approval moves the due date; the original stays in ``Task.original_deadline_due`` and the history."""
    access.check_task(actor, request.task, "decide_extension")
    problems = Problems()
    limits.check(problems, "note", "Ý kiến", (note or "").strip(), limits.COMMENT)
    problems.raise_if_any()
    new_state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    decided_at = decided_at or timezone.now()
    claimed = ExtensionRequest.objects.filter(pk=request.pk, state=ExtensionState.PENDING).update(
        state=new_state, decided_by=actor, decided_at=decided_at, decision_note=(note or "").strip()
    )
    if not claimed:
        raise ConflictError("Đề xuất gia hạn này đã được quyết định. Vui lòng tải lại trang.")
    request.refresh_from_db()
    task = request.task
    if approve:
        task_version_bump(task=task, expected_version=None)
        if task.original_deadline_due is None:
            task.original_deadline_due = task.deadline_due
        task.deadline_due = request.requested_due
        task.save(update_fields=["deadline_due", "original_deadline_due", "updated_at", "version"])
    event_record(
        task=task, kind=TaskEventKind.EXTENSION_DECIDED, actor=actor, at=decided_at,
        summary=("Đồng ý gia hạn" if approve else "Không đồng ý gia hạn")
        + f" đến {request.requested_due:%d/%m/%Y}" + (f": {note.strip()}" if note else ""),
        details={"extension_id": request.pk, "approved": approve},
    )
    publish("extension.decided", task_id=task.pk, extension_id=request.pk, approved=approve)
    return request


@acting
@transaction.atomic
def reports_bulk_import(*, specs: Sequence[dict], actor) -> list[ProgressReport]:
    """Reports another system already received (an import): ``report_submit``'s rules (``report_values_check``),
    audit history, timeline events and the task's last/next report dates, written with bulk inserts. Each spec:
    ``task``, ``agency``, ``period_start``, ``period_end``, ``text``, ``percent``, ``claimed_status``, optional
    ``state`` and ``submitted_at``. Raises ServiceError (with ``index`` in ``errors``) on the first invalid spec;
    callers check each spec first with ``report_values_check``."""
    from nq57.core.audit import history_bulk_insert
    from nq57.core.bulk import create_instances, insert_rows
    from nq57.tasks.models import TaskEvent

    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập báo cáo.")
    reports = []
    now = timezone.now()
    for index, spec in enumerate(specs):
        submitted_at = spec.get("submitted_at") or now
        errors = report_values_check(task=spec["task"], text=spec["text"], percent=spec["percent"],
                                     claimed_status=spec["claimed_status"], period_start=spec["period_start"],
                                     period_end=spec["period_end"], submitted_at=submitted_at)
        state = spec.get("state") or ReportState.SUBMITTED
        if state not in _REPORT_STATES:
            errors.setdefault("state", []).append("Trạng thái báo cáo không hợp lệ.")
        if errors:
            raise ServiceError(next(iter(errors.values()))[0], errors={**errors, "index": [str(index)]})
        reports.append(ProgressReport(
            task=spec["task"], agency=spec["agency"], author=actor, period_start=spec["period_start"],
            period_end=spec["period_end"], text=spec["text"].strip(), percent=int(spec["percent"]),
            claimed_status=spec["claimed_status"], state=state, submitted_at=submitted_at))
    if not reports:
        return []
    create_instances(ProgressReport, reports)
    history_bulk_insert(ProgressReport, [report.pk for report in reports])
    latest: dict[int, tuple] = {}
    events = []
    for report in reports:
        task = report.task
        if task.pk not in latest or report.submitted_at > latest[task.pk][1]:
            latest[task.pk] = (task, report.submitted_at)
        events.append((
            task.pk, TaskEventKind.REPORT_SUBMITTED, actor.pk, report.submitted_at,
            f"{report.agency} gửi báo cáo ({report.percent}%, đề nghị: "
            f"{TaskStatus(report.claimed_status).label})"[:1000],
            {"report_id": report.pk, "attachments": 0, "imported": True}))
    insert_rows(TaskEvent, ("task_id", "kind", "actor_id", "at", "summary", "details"), events)
    # the task's latest report: one UPDATE for all (a subquery), then next_report_due per distinct date
    from django.db.models import Max, OuterRef, Subquery

    newest = (ProgressReport.objects.filter(task=OuterRef("pk")).order_by().values("task")
              .annotate(at=Max("submitted_at")).values("at"))
    Task.objects.filter(pk__in=list(latest)).update(last_report_at=Subquery(newest))
    due_groups: dict[dt.date, list[int]] = {}
    for task, _ in latest.values():
        if task.report_cadence:
            task.refresh_from_db(fields=["last_report_at"])
            due = next_report_due_after(cadence=task.report_cadence,
                                        reported_on=timezone.localtime(task.last_report_at).date())
            due_groups.setdefault(due, []).append(task.pk)
    for due, ids in due_groups.items():
        Task.objects.filter(pk__in=ids).update(next_report_due=due)
    return reports
