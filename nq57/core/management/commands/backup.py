"""``nq57 backup -o FILE``: the database and the uploaded files in one verified archive (see nq57.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nq57.core.errors import ServiceError


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz (có manifest và SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="tệp sao lưu sẽ ghi (.tar.gz)")

    def handle(self, *args, output, **options):
        from nq57.core.backup import backup_create

        try:
            manifest = backup_create(Path(output))
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã sao lưu {len(manifest['files'])} tệp ({manifest['db_engine']}) vào {output}.")
