"""``nq57 backup`` / ``nq57 restore``: data and an attachment survive a round trip into an empty folder; a non-empty
target or a tampered archive is refused."""

import datetime as dt
import io
import json
import sqlite3
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from nq57.core.testing import build_cast
from nq57.reports.models import ReportAttachment
from nq57.reports.services import report_submit

pytestmark = pytest.mark.django_db(transaction=True)
# these round trips restore into an empty SQLite folder; the PostgreSQL path (pg_dump/pg_restore into an empty
# database) has its own test in the PostgreSQL run
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite restore into an empty data folder")
PDF = b"%PDF-1.4\n% bao cao tien do\n" + bytes(range(256)) * 40


def row_counts_live() -> dict[str, int]:
    with connection.cursor() as cursor:
        # (not SQLite's own tables, such as the planner's statistics of ANALYZE: row_counts_file skips them too)
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def row_counts_file(path) -> dict[str, int]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                       "AND name NOT LIKE 'sqlite_%'")]
    counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    db.close()
    return counts


@pytest.fixture
def data():
    cast = build_cast()
    report = report_submit(task=cast.task_kh, actor=cast.alice, period_start=dt.date(2025, 6, 1),
                           period_end=dt.date(2025, 6, 30), text="Đã xây dựng dự thảo.", percent=40,
                           claimed_status="partly_done",
                           attachments=[SimpleUploadedFile("du-thao.pdf", PDF, content_type="application/pdf")])
    return report.attachments.get()


@sqlite_only
def test_a_backup_restored_into_an_empty_folder_has_every_row_and_the_attachment(data, tmp_path):
    archive = tmp_path / "nq57.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == "nq57-backup" and manifest["db_engine"] == "sqlite"
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])

    target = tmp_path / "moi"
    call_command("restore", str(archive), "--database-file", str(target / "nq57.sqlite3"), "--media-root",
                 str(target / "media"), stdout=io.StringIO())
    assert row_counts_file(target / "nq57.sqlite3") == row_counts_live()
    assert ReportAttachment.objects.count() == 1
    assert (target / "media" / data.file.name).read_bytes() == PDF


@sqlite_only
def test_restore_refuses_a_folder_that_already_has_data(data, tmp_path):
    archive = tmp_path / "nq57.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    (tmp_path / "cu.sqlite3").write_bytes(b"SQLite format 3\x00 old data")
    with pytest.raises(CommandError, match="chỉ khôi phục vào thư mục dữ liệu trống"):
        call_command("restore", str(archive), "--database-file", str(tmp_path / "cu.sqlite3"), "--media-root",
                     str(tmp_path / "media-moi"), stdout=io.StringIO())


def test_restore_refuses_a_tampered_archive(data, tmp_path):
    archive = tmp_path / "nq57.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    tampered = tmp_path / "sua.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as out:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name.endswith("du-thao.pdf"):
                body = body.replace(b"bao cao", b"BAO CAO")
            member.size = len(body)
            out.addfile(member, io.BytesIO(body))
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(tampered), "--database-file", str(tmp_path / "x" / "db.sqlite3"),
                     "--media-root", str(tmp_path / "x" / "media"), stdout=io.StringIO())
    assert not (tmp_path / "x" / "db.sqlite3").exists()


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump / pg_restore round trip")


@pytest.fixture
def empty_pg_database():
    """An empty database beside the test database on the same server, dropped afterwards."""
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restored"[:63]
    params = {"host": settings_dict.get("HOST") or None, "port": settings_dict.get("PORT") or None,
              "user": settings_dict.get("USER") or None, "password": settings_dict.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name, params
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgres_only
def test_a_postgresql_backup_restored_into_an_empty_database_has_every_row_and_the_attachment(
        data, tmp_path, empty_pg_database):
    import psycopg

    name, params = empty_pg_database
    archive = tmp_path / "nq57.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["db_engine"] == "postgresql"
    call_command("restore", str(archive), "--database-name", name, "--media-root", str(tmp_path / "media"),
                 stdout=io.StringIO())
    live = row_counts_live()
    with psycopg.connect(dbname=name, **params) as restored:
        counts = {table: restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in live}
        assert restored.execute("SELECT file FROM reports_reportattachment").fetchone()[0] == data.file.name
    assert counts == live and live["tasks_task"] > 0 and live["reports_reportattachment"] == 1
    assert (tmp_path / "media" / data.file.name).read_bytes() == PDF

    # a second restore into the same (now full) database is refused
    with pytest.raises(CommandError, match="chỉ khôi phục vào cơ sở dữ liệu trống"):
        call_command("restore", str(archive), "--database-name", name, "--media-root", str(tmp_path / "media2"),
                     stdout=io.StringIO())
