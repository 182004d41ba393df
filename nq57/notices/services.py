"""Notice import, step 3 — the services that write: keep an upload as a draft, keep the reviewer's edits, discard a
draft, and confirm it (``notice_import_confirm``): resolve agencies, validate, and write the notice and its tasks in
one transaction, with access checked inside. Confirming builds no HTML (the review page is ``notices.review``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.agencies.services import agency_lookup
from nq57.core import access
from nq57.core.audit import acting
from nq57.core.errors import ConflictError, ServiceError
from nq57.core.uploads import removed_on_failure
from nq57.notices.edits import row_add, row_split, rows_merge
from nq57.notices.models import Notice, NoticeDraft, NoticeKind
from nq57.notices.plan import (
    AgencyRef,
    ImportPlan,
    cited_notices,
    existing_notice,
    import_plan,
    previous_import,
    proposal_carry_forward,
    task_current,
)
from nq57.notices.quality import EDIT_COUNTERS, draft_quality
from nq57.notices.reading import (
    as_date,
    collapse,
    document_extract,
    fragment_fields,
    number_key,
    proposal_from_extraction,
    source_read,
    split_names,
)
from nq57.tasks.models import AssignmentRole, DeadlineKind, ReportCadence, Task, TaskEventKind
from nq57.taxonomy.models import Programme

DATED_KINDS = {DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR}
UNDATED_KINDS = {DeadlineKind.RECURRING, DeadlineKind.ROADMAP, DeadlineKind.NONE}
OFFICE_ONLY = "Chỉ Cơ quan Thường trực được nhập thông báo."


# --- drafts ------------------------------------------------------------------------------------------------------


def draft_create(*, actor, programme: Programme, upload=None, text: str = "") -> NoticeDraft:
    """Read and extract a notice; keep it as a draft for review. Bad input raises ServiceError and writes nothing.

    For a notice already imported, the proposal starts from what the office confirmed last time wherever the text
    did not change (``plan.proposal_carry_forward``). Reading and extraction run before any transaction opens."""
    access.require(access.can_manage_notices(actor), OFFICE_ONLY)
    if programme is None:
        raise ServiceError("Hãy chọn chương trình.", field="programme")
    source_text, name, data = source_read(upload=upload, text=text)
    extracted = document_extract(text=source_text, name=name, field="upload" if upload is not None else "text")
    proposal = proposal_from_extraction(extracted)
    existing = existing_notice(programme=programme, number=proposal["notice"]["number"])
    previous = previous_import(existing) if existing is not None else None
    if previous is not None and previous.extracted:
        proposal = proposal_carry_forward(proposal=proposal, previous=previous)
    draft = NoticeDraft(
        programme=programme,
        source_name=name,
        source_text=source_text,
        source_size=len(data) if data is not None else len(source_text.encode("utf-8")),
        extracted=extracted,
        proposal=proposal,
        created_by=actor,
    )
    with removed_on_failure(), transaction.atomic():
        if data is not None:
            draft.source_file.save(name, ContentFile(data), save=False)
        draft.save()
    return draft


@transaction.atomic
def draft_save(*, draft: NoticeDraft, actor, proposal: dict) -> NoticeDraft:
    """Keep the reviewer's edits so the review page (highlights, changes) reflects them."""
    access.require(access.can_manage_notices(actor), OFFICE_ONLY)
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.confirmed_at:
        raise ConflictError("Bản nhập này đã được xác nhận.")
    draft.proposal = keep_row_memory(proposal, draft.proposal)
    draft.save(update_fields=["proposal"])
    return draft


def draft_edit(*, draft: NoticeDraft, actor, proposal: dict, edit: str, index: int | None = None,
               at: int | None = None, selection: str = "") -> NoticeDraft:
    """A structural edit of the review (``notices.edits``): ``split`` row ``index`` at character ``at``, ``merge``
    row ``index`` with the next, or ``add`` a row read from ``selection`` (a passage of the source) after row
    ``index``. Applied to the reviewer's current ``proposal`` (their other edits are kept) and counted for the
    quality page. Reading the passage happens before the transaction."""
    access.require(access.can_manage_notices(actor), OFFICE_ONLY)
    if edit not in EDIT_COUNTERS:
        raise ServiceError("Thao tác không hợp lệ.")
    fields = None
    if edit == "add":
        fields = fragment_fields(selection, document_date=as_date((proposal.get("notice") or {}).get("date")))
    with transaction.atomic():
        draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.confirmed_at:
            raise ConflictError("Bản nhập này đã được xác nhận.")
        current = keep_row_memory(proposal, draft.proposal)
        if edit == "split":
            current = row_split(current, index=index if index is not None else -1, at=at)
        elif edit == "merge":
            current = rows_merge(current, index=index if index is not None else -1)
        else:
            current = row_add(current, fields=fields, after=index)
        counts = dict(draft.review_counts or {})
        counts[EDIT_COUNTERS[edit]] = int(counts.get(EDIT_COUNTERS[edit], 0)) + 1
        draft.proposal, draft.review_counts = current, counts
        draft.save(update_fields=["proposal", "review_counts"])
    return draft


@transaction.atomic
def draft_discard(*, draft: NoticeDraft, actor) -> None:
    """Throw away an unconfirmed draft and its stored file; a confirmed one is the record of an import and stays."""
    access.require(access.can_manage_notices(actor), OFFICE_ONLY)
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.confirmed_at:
        raise ConflictError("Bản nhập này đã được xác nhận nên không thể hủy; đây là hồ sơ của lần nhập.")
    if draft.source_file:
        stored = draft.source_file.name
        transaction.on_commit(lambda: draft.source_file.storage.delete(stored))
    draft.delete()


def drafts_abandoned_delete(*, older_than_days: int | None = None) -> int:
    """Remove, with their stored files, the drafts nobody confirmed within ``CLEANUP_AFTER_DAYS`` days (a periodic
    job, ``notices.tasks``). Confirmed drafts stay: they are the record of an import."""
    import datetime as dt

    from django.conf import settings

    days = settings.CLEANUP_AFTER_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    removed = 0
    for draft in NoticeDraft.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff):
        stored = draft.source_file.name if draft.source_file else ""
        storage = draft.source_file.storage
        draft.delete()
        if stored:
            storage.delete(stored)
        removed += 1
    return removed


def keep_row_memory(proposal: dict, before: dict) -> dict:
    """The review form does not carry what a row remembers of the previous import; keep it across edits."""
    proposal = copy.deepcopy(proposal)
    by_key = {r.get("key"): r for r in (before or {}).get("tasks") or [] if r.get("key") is not None}
    for row in proposal.get("tasks") or []:
        old = by_key.get(row.get("key"))
        if old is None:
            continue
        for name in ("task_id", "previous_key", "carried", "document_changed"):
            if name in old and name not in row:
                row[name] = old[name]
    if "carried" in ((before or {}).get("notice") or {}):
        proposal.setdefault("notice", {}).setdefault("carried", before["notice"]["carried"])
    return proposal


# --- confirm -----------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    notice: Notice
    created: list[Task]
    updated: list[Task]
    unchanged: list[Task]
    removed: list[Task]
    reimport: bool
    registered: list[Agency] = field(default_factory=list)
    kept: int = 0  # conflicts where the system's decision was kept

    @property
    def message(self) -> str:
        added = ""
        if self.registered:
            added = (f" Đã thêm {len(self.registered)} tên mới vào danh mục cơ quan: "
                     + "; ".join(a.name for a in self.registered) + ".")
        if not self.reimport:
            return f"Đã nhập thông báo {self.notice} với {len(self.created)} nhiệm vụ." + added
        text = (f"Đã cập nhật thông báo {self.notice}: {len(self.created)} nhiệm vụ mới, {len(self.updated)} nhiệm vụ "
                f"được sửa, {len(self.unchanged)} nhiệm vụ không đổi.")
        if self.kept:
            text += (f" Giữ nguyên {self.kept} quyết định đã có trong hệ thống (gia hạn, chỉnh sửa của Cơ quan "
                     "Thường trực).")
        if self.removed:
            labels = ", ".join(t.path or f"#{t.pk}" for t in self.removed)
            text += (f" Lưu ý: {len(self.removed)} nhiệm vụ không còn trong văn bản mới ({labels}) vẫn được giữ "
                     "nguyên cùng các báo cáo của chúng; hãy xem xét từng nhiệm vụ.")
        return text + added


def _validate(proposal: dict, plan: ImportPlan) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    fields = proposal.get("notice") or {}
    issued_on = as_date(fields.get("date"))
    if issued_on is None:
        add("notice.date", "Cần có ngày ban hành của thông báo (ngày/tháng/năm).")
    meeting_date = as_date(fields.get("meeting_date"))
    if fields.get("meeting_date") and meeting_date is None:
        add("notice.meeting_date", "Ngày họp không hợp lệ.")
    kind = fields.get("kind") or NoticeKind.CONCLUSION_NOTICE
    if kind not in NoticeKind.values:
        add("notice.kind", "Loại văn bản không hợp lệ.")
    if len(fields.get("number") or "") > 100:
        add("notice.number", "Số hiệu quá dài (tối đa 100 ký tự).")
    clean_notice = {
        "number": collapse(fields.get("number"))[:100],
        "issued_on": issued_on,
        "kind": kind,
        "issuer": collapse(fields.get("issuer"))[:300],
        "meeting_date": meeting_date,
        "signer": collapse(fields.get("signer"))[:200],
        "references": split_names(fields.get("references")),
    }
    kept = [r for r in plan.rows if r.status != "dropped"]
    if not kept:
        add("tasks", "Cần giữ lại ít nhất một nhiệm vụ.")
    for review_row in kept:
        key, row = f"tasks.{review_row.index}", review_row.row
        label = row.get("path") or review_row.index + 1
        if not (row.get("text") or "").strip():
            add(key, f"Nhiệm vụ {label}: nội dung không được để trống.")
        if not any(r.role == AssignmentRole.LEAD for r in review_row.refs):
            add(key, f"Nhiệm vụ {label}: cần có ít nhất một cơ quan chủ trì.")
        for ref in review_row.unknown:
            hint = f" Có phải: {'; '.join(ref.suggestions)}?" if ref.suggestions else ""
            add(key, f"Nhiệm vụ {label}: không tìm thấy cơ quan “{ref.name}” trong danh mục cơ quan. Hãy sửa lại tên "
                     f"hoặc chọn một cơ quan có trong danh mục.{hint}")
        kind_value = row.get("deadline_kind") or DeadlineKind.NONE
        due = as_date(row.get("deadline_due"))
        if row.get("deadline_due") and due is None:
            add(key, f"Nhiệm vụ {label}: hạn hoàn thành không hợp lệ.")
        if kind_value not in DeadlineKind.values:
            add(key, f"Nhiệm vụ {label}: loại thời hạn không hợp lệ.")
        elif kind_value in DATED_KINDS and due is None:
            add(key, f"Nhiệm vụ {label}: thời hạn loại “{DeadlineKind(kind_value).label}” cần có hạn hoàn thành.")
        elif kind_value in UNDATED_KINDS and due is not None:
            add(key, f"Nhiệm vụ {label}: thời hạn loại “{DeadlineKind(kind_value).label}” không có hạn hoàn thành; "
                     "hãy xóa ngày hoặc đổi loại thời hạn.")
        cadence = row.get("report_cadence") or ""
        if cadence and cadence not in ReportCadence.values:
            add(key, f"Nhiệm vụ {label}: chế độ báo cáo không hợp lệ.")
        if row.get("report_due") and as_date(row.get("report_due")) is None:
            add(key, f"Nhiệm vụ {label}: hạn báo cáo không hợp lệ.")
    return clean_notice, errors


def _task_values(row: dict) -> dict:
    return {
        "text": (row.get("text") or "").strip(),
        "section": collapse(row.get("section"))[:500],
        "coordinating_others": bool(row.get("coordinating_others")),
        "deadline_kind": row.get("deadline_kind") or DeadlineKind.NONE,
        "deadline_due": as_date(row.get("deadline_due")),
        "deadline_text": collapse(row.get("deadline_text"))[:500],
        "report_cadence": row.get("report_cadence") or "",
        "report_due": as_date(row.get("report_due")),
        "report_text": collapse(row.get("report_text"))[:500],
    }


def _written_names(refs: list[AgencyRef]) -> dict[int, str]:
    from nq57.extraction.vietnamese import fold

    return {r.agency.pk: r.name for r in refs if r.agency and fold(r.name) != fold(r.agency.name)}


def notice_link_citations(*, notice: Notice) -> None:
    """``notice.cites`` = the notices of the system it cites; and every notice citing it now links to it."""
    notice.cites.set(cited_notices(list(notice.cited_numbers or []), programme=notice.programme, exclude=notice))
    own = number_key(notice.number)
    if not own:
        return
    for other in Notice.objects.exclude(pk=notice.pk).only("id", "cited_numbers"):
        if own in {number_key(n) for n in other.cited_numbers or []}:
            other.cites.add(notice)


COLLECTIVE_PREFIXES = ("cac ", "mot so ", "nhung ", "toan the ")


def register_unknown_addressees(*, plan: ImportPlan) -> list[Agency]:
    """Add the names the registry does not know to it, as the reviewer confirmed them: a collective ("Các thành
    phố", "Một số tỉnh đủ điều kiện") or another addressee (a leader named in person, a body not yet listed)."""
    from nq57.agencies.models import AgencyKind
    from nq57.extraction.vietnamese import canon, fold

    added: dict[str, Agency] = {}
    for row in plan.rows:
        if row.status == "dropped":
            continue
        for ref in row.unknown:
            name = collapse(canon(ref.name))[:300]
            key = fold(name)
            if not key or key in added:
                continue
            agency = agency_lookup(name)
            if agency is None:
                kind = AgencyKind.COLLECTIVE if key.startswith(COLLECTIVE_PREFIXES) else AgencyKind.OTHER
                agency = Agency.objects.create(name=name, kind=kind)
            added[key] = agency
    return list(added.values())


@acting
@transaction.atomic
def notice_import_confirm(
    *, actor, draft: NoticeDraft, proposal: dict | None = None, register_unknown: bool = False
) -> ImportResult:
    """Create the notice and its tasks (or apply the changes to the notice already imported) in one transaction.

    Decisions travel in the proposal: ``drop`` on a row leaves it out; ``apply`` on a row lists the conflicting
    fields where the reviewer chose the document's value over the system's decision (by default the system's
    decision — an approved extension, an office edit — is kept). Raises ServiceError with ``errors`` keyed
    ``notice.<field>`` / ``tasks.<row>`` and writes nothing when a row is invalid, e.g. names an agency that is not
    in the registry — unless the reviewer chose ``register_unknown``: then those names are added to the registry
    (and listed in the result) within the same transaction. Status, progress, reports and assessments are never
    touched by an import.
    """
    access.require(access.can_manage_notices(actor), OFFICE_ONLY)
    draft = NoticeDraft.objects.select_for_update(of=("self",)).select_related("programme", "notice").get(pk=draft.pk)
    if draft.confirmed_at:
        raise ConflictError("Bản nhập này đã được xác nhận trước đó.")
    proposal = copy.deepcopy(proposal if proposal is not None else draft.proposal)
    plan = import_plan(draft=draft, proposal=proposal)
    registered: list[Agency] = []
    if register_unknown and plan.unknown_count:
        registered = register_unknown_addressees(plan=plan)
        plan = import_plan(draft=draft, proposal=proposal)
    fields, errors = _validate(proposal, plan)
    if errors:
        count = len([k for k in errors if k.startswith("tasks.")])
        message = "Chưa thể xác nhận: " + (f"{count} nhiệm vụ cần sửa" if count else "thông tin thông báo cần sửa")
        if plan.unknown_count:
            message += f" ({plan.unknown_count} tên cơ quan không có trong danh mục)"
        raise ServiceError(message + ". Chưa có gì được ghi.", errors=errors)

    notice = plan.existing
    reimport = notice is not None
    if notice is None:
        notice = Notice(programme=draft.programme, created_by=actor)
    notice.number = fields["number"]
    notice.issued_on = fields["issued_on"]
    notice.kind = fields["kind"]
    notice.issuer = fields["issuer"]
    notice.meeting_date = fields["meeting_date"]
    notice.signer = fields["signer"]
    notice.cited_numbers = fields["references"]
    notice.full_text = draft.source_text
    if draft.source_file:
        with draft.source_file.open("rb") as handle:
            notice.source_file.save(draft.source_name or PurePath(draft.source_file.name).name,
                                    ContentFile(handle.read()), save=False)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        raise ConflictError(
            f"Thông báo số {notice.number} vừa được nhập bởi người khác. Hãy tải lại trang để xem những gì thay đổi."
        ) from None
    notice_link_citations(notice=notice)

    from nq57.tasks.services import event_record, task_create, task_update

    created, updated, unchanged = [], [], []
    kept_decisions = 0
    position = (max((t.position for t in notice.tasks.filter(parent__isnull=True)), default=0)) if reimport else 0
    service_errors: dict[str, list[str]] = {}
    written: dict[str, dict] = {}
    for row in (r for r in plan.rows if r.status != "dropped"):
        values = _task_values(row.row)
        lead = [r.agency for r in row.refs if r.role == AssignmentRole.LEAD]
        coordinating = [r.agency for r in row.refs if r.role == AssignmentRole.COORDINATING]
        try:
            if row.task is None:
                position += 1
                task = task_create(
                    notice=notice, actor=actor, path=(row.row.get("path") or "")[:50], position=position,
                    lead=lead, coordinating=coordinating, assigned_names=_written_names(row.refs), **values,
                )
                created.append(task)
            elif row.applied:
                names = set(row.applied)
                changed = {name: values[name] for name in values if name in names}
                if "lead" in names:
                    changed["lead"] = [a.current() for a in lead]
                if "coordinating" in names:
                    changed["coordinating"] = [a.current() for a in coordinating]
                task = task_update(task=row.task, actor=actor, expected_version=None, **changed)
                updated.append(task)
            else:
                task = row.task
                unchanged.append(task)
        except ServiceError as error:
            service_errors.setdefault(f"tasks.{row.index}", []).append(
                f"Nhiệm vụ {row.row.get('path') or row.index + 1}: {error.message}")
            continue
        # what the office confirmed: the row as written, with the system's value where its decision was kept
        confirmed_row = proposal["tasks"][row.index]
        confirmed_row["task_id"] = task.pk
        for conflict in row.conflicts:
            if not conflict.apply:
                confirmed_row[conflict.name] = copy.deepcopy(conflict.system_value)
                kept_decisions += 1
        written[str(task.pk)] = task_current(task)
    if service_errors:
        raise ServiceError("Chưa thể xác nhận: có nhiệm vụ cần sửa. Chưa có gì được ghi.", errors=service_errors)
    for task in plan.removed:
        event_record(task=task, kind=TaskEventKind.EDITED, actor=actor,
                     summary=f"Khi nhập lại thông báo {notice}, nhiệm vụ này không còn trong văn bản mới; nhiệm vụ "
                             "được giữ nguyên để Cơ quan Thường trực xem xét.",
                     details={"reimport_draft": draft.pk, "missing_from_source": True})
    draft.proposal = proposal
    draft.written = written
    draft.notice = notice
    draft.confirmed_at = timezone.now()
    draft.review_counts = draft_quality(extracted=draft.extracted, proposal=proposal, edits=draft.review_counts)
    draft.save(update_fields=["proposal", "written", "notice", "confirmed_at", "review_counts"])
    return ImportResult(notice=notice, created=created, updated=updated, unchanged=unchanged,
                        removed=plan.removed, reimport=reimport, registered=registered, kept=kept_decisions)
