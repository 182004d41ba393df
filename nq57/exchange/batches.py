"""Imports written chunk by chunk: each chunk of records (``chunk_size``, 2,000 by default) commits in its own short
transaction together with the batch's ``rows_done``, so on SQLite the write lock is held for one chunk (about a
second), never for the whole file, and other people keep working. A run that stops — a crash, a killed worker, a
refused chunk — leaves the batch ``failed`` or ``running`` with the rows written so far; running it again
(``nq57 exchange import --batch ID``, or "Tiếp tục" on the web) resumes after the last committed chunk. External
keys (``ExternalKey``, ``ReportKey``) make every record idempotent besides, so nothing is written twice.

The web import runs in the Huey queue (``exchange.tasks.import_batch_job``) and the page polls
``exchange:batch_status``; the command line prints a progress bar.
"""

import datetime as dt
import json
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from nq57.core import access, dbstats
from nq57.core.errors import ServiceError
from nq57.core.events import publish
from nq57.core.uploads import removed_on_failure
from nq57.exchange.models import ImportBatch, ImportKind, ImportStatus
from nq57.exchange.services import CHUNK_SIZE, ChunkImporter, import_prepare

#: a batch ``running`` without a committed chunk for this long is taken to be abandoned (its worker died)
STALE_AFTER = dt.timedelta(minutes=10)
MAX_REJECTIONS_KEPT = 1000

Progress = Callable[[ImportBatch], None]


@removed_on_failure()
@transaction.atomic
def batch_create(*, actor, kind: str, name: str, content: bytes | None = None, upload=None,
                 system: str = "") -> ImportBatch:
    """Keep the uploaded file with a batch (``pending``) so the import can run — and resume — from it."""
    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập dữ liệu.")
    file = upload if upload is not None else ContentFile(content or b"", name=name)
    return ImportBatch.objects.create(kind=kind, file=file, original_name=name[:255], created_by=actor,
                                      system=system[:50])


def _json_document(batch: ImportBatch):
    with batch.file.open("rb") as handle:
        try:
            return json.loads(handle.read().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ServiceError("Tệp không phải JSON hợp lệ (UTF-8).", field="file") from exc


def _claim(batch_id: int) -> ImportBatch | None:
    """Mark the batch running (one runner at a time); None when it is done or another runner is alive."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        now = timezone.now()
        if batch.status == ImportStatus.DONE:
            return None
        alive = batch.heartbeat_at and now - batch.heartbeat_at < STALE_AFTER
        if batch.status == ImportStatus.RUNNING and alive:
            return None
        batch.status = ImportStatus.RUNNING
        batch.started_at = batch.started_at or now
        batch.heartbeat_at = now
        batch.error = ""
        batch.save(update_fields=["status", "started_at", "heartbeat_at", "error"])
        return batch


def _merge(summary: dict, counts: dict, rejections: list[str]) -> dict:
    summary = dict(summary)
    for key, value in counts.items():
        summary[key] = summary.get(key, 0) + value
    kept = summary.get("rejections", [])
    summary["rejections"] = (kept + rejections)[:MAX_REJECTIONS_KEPT]
    return summary


def batch_run(*, batch_id: int, actor, chunk_size: int | None = None, progress: Progress | None = None,
              force: bool = False) -> ImportBatch:
    """Write the batch's remaining records chunk by chunk (see the module docstring). ``progress`` is called after
    each committed chunk. ``force`` takes over a batch another runner seems to hold (the command line's
    ``--batch``: the person says that runner is gone)."""
    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập dữ liệu.")
    chunk_size = chunk_size or getattr(settings, "EXCHANGE_IMPORT_CHUNK", CHUNK_SIZE)
    if force:
        ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.RUNNING).update(heartbeat_at=None)
    batch = _claim(batch_id)
    if batch is None:
        return ImportBatch.objects.get(pk=batch_id)
    try:
        if batch.kind == ImportKind.JSON:
            _run_json(batch, actor=actor, chunk_size=chunk_size, progress=progress)
        else:
            _run_excel(batch, actor=actor, chunk_size=chunk_size, progress=progress)
    except ServiceError as exc:
        details = [m for ms in exc.errors.values() for m in ms][:50]
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, error=exc.message + ("\n" + "\n".join(details) if details else ""))
        raise
    except BaseException as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            error=f"Dừng sau {batch.rows_done}/{batch.rows_total} bản ghi ({type(exc).__name__}); "
                  "chạy lại để tiếp tục từ chỗ đã ghi.")
        raise
    batch.refresh_from_db()
    return batch


def _commit_chunk(batch: ImportBatch, *, done: int, counts: dict, rejections: list[str]) -> None:
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    locked.summary = _merge(locked.summary, counts, rejections)
    locked.rows_done = done
    locked.heartbeat_at = timezone.now()
    locked.save(update_fields=["summary", "rows_done", "heartbeat_at"])
    batch.summary, batch.rows_done, batch.heartbeat_at = locked.summary, done, locked.heartbeat_at


def _finish(batch: ImportBatch, progress: Progress | None) -> None:
    now = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE, committed_at=now, heartbeat_at=now)
    batch.status, batch.committed_at = ImportStatus.DONE, now
    if batch.rows_total >= dbstats.AFTER_IMPORT_ROWS:  # thousands of new rows: the planner's statistics follow
        dbstats.statistics_refresh()
    if progress:
        progress(batch)


def _run_json(batch: ImportBatch, *, actor, chunk_size: int, progress: Progress | None) -> None:
    document = _json_document(batch)
    system, schema_errors = import_prepare(document=document, actor=actor, system=batch.system or None)
    records = list(enumerate(document["tasks"]))
    if batch.rows_total != len(records) or batch.system != system:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=len(records), system=system)
        batch.rows_total, batch.system = len(records), system
    importer = ChunkImporter(system=system, actor=actor, schema_errors=schema_errors)
    if progress:
        progress(batch)
    for start in range(batch.rows_done, len(records), chunk_size):
        chunk = records[start:start + chunk_size]
        reports_before = dict(importer.reports)
        rejections_before = len(importer.report_rejections)
        with transaction.atomic():
            results = importer.run(chunk)
            counts = {outcome: sum(1 for r in results if r.outcome == outcome)
                      for outcome in ("created", "updated", "unchanged", "rejected")}
            for key, value in importer.reports.items():
                counts[f"reports_{key}"] = value - reports_before[key]
            rejections = [f"#{r.index} {r.external_id or ''}: {r.reason}" for r in results if r.outcome == "rejected"]
            rejections += importer.report_rejections[rejections_before:]
            _commit_chunk(batch, done=start + len(chunk), counts=counts, rejections=rejections)
        if progress:
            progress(batch)
    _finish(batch, progress)


def _run_excel(batch: ImportBatch, *, actor, chunk_size: int, progress: Progress | None) -> None:
    from nq57.exchange.excel import excel_parse, excel_specs
    from nq57.tasks.services import tasks_bulk_create

    with batch.file.open("rb") as handle:
        preview = excel_parse(handle)
    if preview.errors:
        raise ServiceError(f"Tệp còn {len(preview.errors)} lỗi; chưa ghi nhiệm vụ nào.",
                           errors={"rows": [str(e) for e in preview.errors[:200]]})
    if not preview.rows:
        raise ServiceError("Tệp không có dòng nhiệm vụ nào.", field="file")
    if batch.rows_total != len(preview.rows):
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=len(preview.rows))
        batch.rows_total = len(preview.rows)
    if progress:
        progress(batch)
    positions: dict = {}
    for start in range(batch.rows_done, len(preview.rows), chunk_size):
        rows = preview.rows[start:start + chunk_size]
        with transaction.atomic():
            tasks = tasks_bulk_create(specs=excel_specs(rows), actor=actor, reason="nhập từ bảng tính",
                                      positions=positions)
            publish("exchange.imported", system="excel", created_task_ids=[t.pk for t in tasks], updated_task_ids=[])
            _commit_chunk(batch, done=start + len(rows), counts={"created": len(tasks)}, rejections=[])
        if progress:
            progress(batch)
    _finish(batch, progress)


def batch_status(batch: ImportBatch) -> dict:
    """What the progress bar shows (``exchange:batch_status``)."""
    summary = batch.summary or {}
    return {
        "id": batch.pk, "status": batch.status, "status_label": batch.get_status_display(),
        "rows_total": batch.rows_total, "rows_done": batch.rows_done,
        "percent": int(batch.rows_done * 100 / batch.rows_total) if batch.rows_total else 0,
        "started_at": batch.started_at.isoformat() if batch.started_at else None,
        "committed_at": batch.committed_at.isoformat() if batch.committed_at else None,
        "counts": {k: summary.get(k, 0) for k in ("created", "updated", "unchanged", "rejected", "reports_created",
                                                  "reports_unchanged", "reports_rejected")},
        "error": batch.error,
    }


def batches_stale() -> list[ImportBatch]:
    """Batches marked running whose worker has not committed a chunk for ``STALE_AFTER``."""
    return list(ImportBatch.objects.filter(status=ImportStatus.RUNNING,
                                           heartbeat_at__lt=timezone.now() - STALE_AFTER))


def batches_abandoned_delete(*, older_than_days: int | None = None) -> int:
    """Remove, with their files, the batches never written in full (pending, failed or stale) created more than
    ``CLEANUP_AFTER_DAYS`` days ago. Written batches stay: they are the record of an import."""
    days = settings.CLEANUP_AFTER_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    removed = 0
    for batch in ImportBatch.objects.filter(created_at__lt=cutoff).exclude(status=ImportStatus.DONE):
        if batch.status == ImportStatus.RUNNING and batch.heartbeat_at and batch.heartbeat_at >= cutoff:
            continue
        name = batch.file.name
        batch.delete()
        if name:
            batch.file.storage.delete(name)
        removed += 1
    return removed
