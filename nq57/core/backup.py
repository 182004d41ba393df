"""One consistent backup of an nq57 installation: the database and the uploaded files (MEDIA_ROOT) in one .tar.gz
with a manifest (format version, time, database engine, every file with its size and SHA-256), and its restore into
an empty data folder, every checksum verified before anything is put in place.

SQLite is copied with SQLite's online backup API (consistent while the server runs, unlike copying the file);
PostgreSQL with ``pg_dump --format=custom`` / ``pg_restore`` when those programs are installed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection

from nq57.core.errors import ServiceError

FORMAT = "nq57-backup"
VERSION = 1
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update({"PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
                "PGUSER": str(db.get("USER") or ""), "PGPASSWORD": str(db.get("PASSWORD") or ""),
                "PGDATABASE": str(db["NAME"])})
    return env


def backup_create(output: Path) -> dict:
    """Write the backup archive to *output*; returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="nq57-backup-") as work:
        work_dir = Path(work)
        if _engine() == "sqlite":
            database = work_dir / SQLITE_MEMBER
            connection.ensure_connection()
            target = sqlite3.connect(database)
            with target:
                connection.connection.backup(target)  # online, consistent copy
            target.close()
        else:
            if not shutil.which("pg_dump"):
                raise ServiceError("Không tìm thấy chương trình pg_dump để sao lưu PostgreSQL.")
            database = work_dir / PG_MEMBER
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database)], check=True,
                           env=_pg_env())
        files = [{"path": database.name, "size": database.stat().st_size, "sha256": _sha256(database)}]
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        for path in media:
            files.append({"path": f"media/{path.relative_to(media_root).as_posix()}", "size": path.stat().st_size,
                          "sha256": _sha256(path)})
        manifest = {"format": FORMAT, "version": VERSION, "created": dt.datetime.now(dt.UTC).isoformat(),
                    "db_engine": _engine(), "files": files}
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(database, arcname=database.name)
            for path in media:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        partial.replace(output)
    return manifest


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ServiceError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {name}")
    return path


def _pg_tables(database_name: str) -> int:
    """How many tables the PostgreSQL database ``database_name`` (on the configured server) has."""
    import psycopg

    env = _pg_env()
    try:
        with psycopg.connect(host=env["PGHOST"] or None, port=env["PGPORT"] or None, user=env["PGUSER"] or None,
                             password=env["PGPASSWORD"] or None, dbname=database_name) as db:
            return db.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                              ).fetchone()[0]
    except psycopg.OperationalError as exc:
        raise ServiceError(f"Không kết nối được cơ sở dữ liệu PostgreSQL “{database_name}” (hãy tạo cơ sở dữ liệu "
                           "trống trước: createdb).") from exc


def backup_restore(archive_path: Path, *, database_file: Path | None = None, media_root: Path | None = None,
                   database_name: str | None = None) -> dict:
    """Restore *archive_path* into an empty installation (no database content, no uploaded files). Every file's
    SHA-256 is checked against the manifest before anything is put in place; returns the manifest. A PostgreSQL
    backup goes into the configured database, or into ``database_name`` on the same server; either must be empty."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise ServiceError(f"Thư mục tệp tải lên {media_root} không trống: chỉ khôi phục vào thư mục dữ liệu trống.")
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise ServiceError(f"Không đọc được tệp sao lưu {archive_path}.") from exc
    with archive, tempfile.TemporaryDirectory(prefix="nq57-restore-") as work:
        work_dir = Path(work)
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError, AttributeError) as exc:
            raise ServiceError("Tệp sao lưu không có manifest.json hợp lệ.") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ServiceError("Tệp sao lưu không đúng định dạng nq57 (phiên bản 1).")
        expected = {str(_safe_name(f["path"])): f for f in manifest["files"]}
        for member in archive.getmembers():
            if member.name == "manifest.json":
                continue
            if not member.isfile() or member.name not in expected:
                raise ServiceError(f"Tệp sao lưu chứa thành phần không có trong manifest: {member.name}")
            target = work_dir / _safe_name(member.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            if _sha256(target) != expected[member.name]["sha256"]:
                raise ServiceError(f"Sai tổng kiểm tra (SHA-256) của {member.name}: tệp sao lưu bị hỏng.")
            expected[member.name]["restored"] = True
        missing = [name for name, f in expected.items() if not f.get("restored")]
        if missing:
            raise ServiceError(f"Tệp sao lưu thiếu: {', '.join(missing[:5])}")
        if manifest["db_engine"] == "sqlite":
            database_file = Path(database_file or settings.DATABASES["default"]["NAME"])
            if database_file.exists() and database_file.stat().st_size > 0:
                raise ServiceError(f"Cơ sở dữ liệu {database_file} đã có: chỉ khôi phục vào thư mục dữ liệu trống.")
            database_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work_dir / SQLITE_MEMBER, database_file)
        else:
            if _engine() != "postgresql" or not shutil.which("pg_restore"):
                raise ServiceError("Bản sao lưu PostgreSQL cần DATABASE_URL trỏ tới PostgreSQL và chương trình "
                                   "pg_restore.")
            name = database_name or _pg_env()["PGDATABASE"]
            if _pg_tables(name):
                raise ServiceError("Cơ sở dữ liệu PostgreSQL đã có bảng: chỉ khôi phục vào cơ sở dữ liệu trống.")
            done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", name,
                                   str(work_dir / PG_MEMBER)], env=_pg_env(), capture_output=True, text=True)
            if done.returncode:
                raise ServiceError(f"pg_restore không khôi phục được: {done.stderr.strip()[:500]}")
        for name in expected:
            if name.startswith("media/"):
                target = media_root / PurePosixPath(name).relative_to("media")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work_dir / name, target)
    return manifest
