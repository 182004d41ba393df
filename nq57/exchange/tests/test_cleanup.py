"""Abandoned import batches and notice drafts older than CLEANUP_AFTER_DAYS go, with their files, by the periodic
jobs; written batches and confirmed drafts stay."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from nq57.exchange.batches import batch_create
from nq57.exchange.models import ImportBatch, ImportKind
from nq57.exchange.tasks import import_batches_cleanup_periodic
from nq57.notices.models import NoticeDraft
from nq57.notices.tasks import drafts_cleanup_periodic


def _age(model, obj, days: int) -> None:
    model.objects.filter(pk=obj.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_abandoned_batches_go_with_their_files(cast, settings):
    settings.CLEANUP_AFTER_DAYS = 30
    old = batch_create(actor=cast.office, kind=ImportKind.JSON, name="cu.json", content=b"{}")
    failed = batch_create(actor=cast.office, kind=ImportKind.JSON, name="hong.json", content=b"{}")
    written = batch_create(actor=cast.office, kind=ImportKind.JSON, name="xong.json", content=b"{}")
    recent = batch_create(actor=cast.office, kind=ImportKind.JSON, name="moi.json", content=b"{}")
    ImportBatch.objects.filter(pk=failed.pk).update(status="failed")
    ImportBatch.objects.filter(pk=written.pk).update(status="done")
    for batch in (old, failed, written):
        _age(ImportBatch, batch, 31)
    storage = old.file.storage
    assert storage.exists(old.file.name) and storage.exists(failed.file.name)
    assert import_batches_cleanup_periodic.call_local() == 2
    assert set(ImportBatch.objects.values_list("original_name", flat=True)) == {"xong.json", "moi.json"}
    assert not storage.exists(old.file.name) and not storage.exists(failed.file.name)
    assert storage.exists(written.file.name) and storage.exists(recent.file.name)


def test_abandoned_notice_drafts_go_with_their_files(cast, settings):
    from nq57.taxonomy.models import Programme

    settings.CLEANUP_AFTER_DAYS = 7
    programme = Programme.objects.get(is_default=True)
    drafts = {}
    for name, confirmed in (("bo-do.docx", None), ("da-xac-nhan.docx", timezone.now())):
        draft = NoticeDraft(programme=programme, source_name=name, source_text="x", confirmed_at=confirmed)
        draft.source_file.save(name, ContentFile(b"PK\x03\x04 draft"), save=True)
        _age(NoticeDraft, draft, 8)
        drafts[name] = draft
    fresh = NoticeDraft.objects.create(programme=programme, source_name="moi.docx", source_text="x")
    storage = drafts["bo-do.docx"].source_file.storage
    assert drafts_cleanup_periodic.call_local() == 1
    assert set(NoticeDraft.objects.values_list("pk", flat=True)) == {drafts["da-xac-nhan.docx"].pk, fresh.pk}
    assert not storage.exists(drafts["bo-do.docx"].source_file.name)
    assert storage.exists(drafts["da-xac-nhan.docx"].source_file.name)
