"""A failed multi-file upload leaves no file on disk: neither when one file is refused, nor when the transaction
fails after some files were already written (a database trigger refuses the third attachment's row here)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone

from nq57.core.errors import ServiceError
from nq57.reports.models import ProgressReport, ReportAttachment
from nq57.reports.services import report_submit

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def files(*names):
    return [SimpleUploadedFile(name, PDF, "application/pdf") for name in names]


def submit(cast, attachments):
    return report_submit(task=cast.task_kh, actor=cast.alice, period_start=dt.date(2025, 6, 1),
                         period_end=dt.date(2025, 6, 30), text="Báo cáo có ba tệp đính kèm.", percent=40,
                         claimed_status="partly_done", attachments=attachments,
                         submitted_at=timezone.make_aware(dt.datetime(2025, 7, 1, 9)))


@pytest.fixture
def third_attachment_fails():
    """The database refuses the row of an attachment called ``hong.pdf`` (after two files were stored)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("CREATE TRIGGER refuse_hong BEFORE INSERT ON reports_reportattachment "
                           "WHEN NEW.original_name = 'hong.pdf' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        else:
            cursor.execute("CREATE FUNCTION refuse_hong() RETURNS trigger AS $$ BEGIN "
                           "IF NEW.original_name = 'hong.pdf' THEN RAISE EXCEPTION 'refused'; END IF; "
                           "RETURN NEW; END $$ LANGUAGE plpgsql")
            cursor.execute("CREATE TRIGGER refuse_hong BEFORE INSERT ON reports_reportattachment "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_hong()")
    yield


def test_a_transaction_that_fails_after_two_files_were_stored_leaves_none(cast, third_attachment_fails):
    before = stored_files()
    with pytest.raises((IntegrityError, DatabaseError)):
        submit(cast, files("mot.pdf", "hai.pdf", "hong.pdf"))
    assert stored_files() == before
    assert not ProgressReport.objects.filter(text="Báo cáo có ba tệp đính kèm.").exists()
    # the next report (which may reuse the failed report's id and folder) holds only its own file
    report = submit(cast, files("sau.pdf"))
    assert [Path(n).name for n in stored_files() - before] == ["sau.pdf"]
    assert report.attachments.count() == 1


def test_a_refused_file_among_several_leaves_none(cast):
    before = stored_files()
    with pytest.raises(ServiceError):
        submit(cast, [*files("mot.pdf", "hai.pdf"), SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "x")])
    assert stored_files() == before and not ReportAttachment.objects.exists()
