"""``nq57 exchange export [--notice N] [-o FILE]`` and ``nq57 exchange import FILE [--system r71] [--dry-run]``."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from nq57.core.errors import ServiceError


class Command(BaseCommand):
    help = "Trao đổi dữ liệu nhiệm vụ với hệ thống khác (định dạng nq57-exchange v1, xem docs/exchange.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Xuất nhiệm vụ ra tệp JSON")
        export.add_argument("--notice", help="Số thông báo (ví dụ 30-TB/TGV) hoặc mã số trong hệ thống")
        export.add_argument("-o", "--output", help="Tệp ghi ra (mặc định: màn hình)")
        export.add_argument("--user", help="Tên đăng nhập thực hiện (mặc định: tài khoản Cơ quan Thường trực đầu tiên)")
        imp = sub.add_parser("import", help="Nhập tệp JSON (cập nhật hoặc tạo nhiệm vụ, không trùng lặp)")
        imp.add_argument("file", help="Tệp JSON theo exchange-v1.schema.json ('-' để đọc từ stdin)")
        imp.add_argument("--system", help="Hệ thống gửi (mặc định: trường system trong tệp), ví dụ r71")
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì")
        imp.add_argument("--user", help="Tên đăng nhập thực hiện (mặc định: tài khoản Cơ quan Thường trực đầu tiên)")

    def _actor(self, username):
        from nq57.accounts.models import User
        from nq57.accounts.selectors import office_staff

        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên “{username}”.")
            return user
        user = office_staff().order_by("-is_superuser", "id").first()
        if user is None:
            raise CommandError("Chưa có tài khoản Cơ quan Thường trực nào; hãy tạo tài khoản hoặc dùng --user.")
        return user

    def handle(self, *args, **options):
        try:
            if options["action"] == "export":
                return self._export(options)
            return self._import(options)
        except ServiceError as exc:
            details = "\n".join(f"  - {m}" for messages in exc.errors.values() for m in messages[:20])
            raise CommandError(exc.message + ("\n" + details if details else "")) from exc

    def _export(self, options):
        from nq57.exchange.services import exchange_export
        from nq57.notices.models import Notice

        notice = None
        if options.get("notice"):
            value = options["notice"]
            notice = Notice.objects.filter(number=value).order_by("-programme__is_default", "id").first()
            if notice is None and value.isdigit():
                notice = Notice.objects.filter(pk=int(value)).first()
            if notice is None:
                raise CommandError(f"Không tìm thấy thông báo “{value}”.")
        document = exchange_export(actor=self._actor(options.get("user")), notice=notice)
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if options.get("output") and options["output"] != "-":
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Đã xuất {len(document['tasks'])} nhiệm vụ ra {options['output']}.")
        else:
            self.stdout.write(text)

    def _import(self, options):
        from nq57.exchange.services import exchange_import

        path = options["file"]
        try:
            raw = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            document = json.loads(raw)
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {exc}") from exc
        result = exchange_import(document=document, actor=self._actor(options.get("user")),
                                 system=options.get("system"), dry_run=options["dry_run"])
        for record in result.records:
            if record.outcome == "rejected":
                self.stdout.write(f"  #{record.index} {record.external_id or ''}: bị từ chối — {record.reason}")
        summary = result.to_dict()
        prefix = "[Chạy thử, không ghi] " if result.dry_run else ""
        self.stdout.write(f"{prefix}Hệ thống {result.system}: tạo mới {summary['created']}, cập nhật "
                          f"{summary['updated']}, không đổi {summary['unchanged']}, từ chối {summary['rejected']}.")
