"""``nq57 restore FILE``: restore a backup into an empty data folder, checksums verified (see nq57.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nq57.core.errors import ServiceError


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu vào thư mục dữ liệu trống (kiểm tra SHA-256 của từng tệp)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tệp sao lưu (.tar.gz) do `nq57 backup` tạo")
        parser.add_argument("--database-file", help="tệp SQLite đích (mặc định: cơ sở dữ liệu đang cấu hình)")
        parser.add_argument("--media-root", help="thư mục tệp tải lên đích (mặc định: MEDIA_ROOT)")
        parser.add_argument("--database-name", help="PostgreSQL: tên cơ sở dữ liệu trống đích trên cùng máy chủ "
                                                    "(mặc định: cơ sở dữ liệu đang cấu hình)")

    def handle(self, *args, archive, database_file=None, media_root=None, database_name=None, **options):
        from nq57.core.backup import backup_restore

        try:
            manifest = backup_restore(Path(archive), database_file=Path(database_file) if database_file else None,
                                      media_root=Path(media_root) if media_root else None,
                                      database_name=database_name)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã khôi phục {len(manifest['files'])} tệp từ {archive}.")
