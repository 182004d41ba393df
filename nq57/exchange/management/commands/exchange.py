"""``nq57 exchange export [--notice N] [-o FILE]`` and ``nq57 exchange import FILE [--system r71] [--dry-run]
[--chunk-size N]``; ``nq57 exchange import --batch ID`` resumes a stopped import after its last committed chunk."""

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
        imp.add_argument("file", nargs="?", help="Tệp JSON theo exchange-v1.schema.json ('-' để đọc từ stdin)")
        imp.add_argument("--batch", type=int, help="Tiếp tục lượt nhập số ID (đã dừng giữa chừng) từ phần đã lưu")
        imp.add_argument("--chunk-size", type=int, default=None, help="Số bản ghi mỗi phần ghi (mặc định 2000)")
        imp.add_argument("--no-progress", action="store_true", help="Không in thanh tiến độ")
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
        from nq57.exchange.batches import batch_create, batch_run
        from nq57.exchange.models import ImportBatch, ImportKind
        from nq57.exchange.services import exchange_import

        actor = self._actor(options.get("user"))
        path = options["file"]
        if options.get("batch"):
            if not ImportBatch.objects.filter(pk=options["batch"]).exists():
                raise CommandError(f"Không có lượt nhập số {options['batch']}.")
            batch_id = options["batch"]
        else:
            if not path:
                raise CommandError("Hãy chỉ ra tệp cần nhập, hoặc --batch ID để tiếp tục một lượt nhập.")
            try:
                raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
                document = json.loads(raw.decode("utf-8-sig"))
            except OSError as exc:
                raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
            except ValueError as exc:
                raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {exc}") from exc
            if options["dry_run"]:
                result = exchange_import(document=document, actor=actor, system=options.get("system"), dry_run=True)
                return self._report(result.to_dict(), prefix="[Chạy thử, không ghi] ", system=result.system,
                                    rejected=[f"#{r.index} {r.external_id or ''}: {r.reason}" for r in result.records
                                              if r.outcome == "rejected"])
            name = "stdin.json" if path == "-" else path.rsplit("/", 1)[-1]
            batch_id = batch_create(actor=actor, kind=ImportKind.JSON, name=name, content=raw,
                                    system=(options.get("system") or "")).pk
            self.stderr.write(f"Lượt nhập số {batch_id} (nếu bị dừng: nq57 exchange import --batch {batch_id}).")
        progress = None if options.get("no_progress") else self._progress_bar()
        try:
            batch = batch_run(batch_id=batch_id, actor=actor, chunk_size=options.get("chunk_size"),
                              progress=progress, force=bool(options.get("batch")))
        finally:
            if progress:
                self.stderr.write("")
        if batch.status != "done":
            raise CommandError(f"Lượt nhập số {batch.pk} chưa xong ({batch.get_status_display()}, "
                               f"{batch.rows_done}/{batch.rows_total}); {batch.error}")
        summary = batch.summary or {}
        self._report(summary, prefix="", system=batch.system, rejected=summary.get("rejections", []))

    def _progress_bar(self):
        import time

        started = time.monotonic()
        stream = self.stderr

        def show(batch):
            total = batch.rows_total or 1
            done = batch.rows_done
            width = 30
            filled = int(width * done / total)
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed > 0 else 0
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{batch.rows_total} "
                         f"({done * 100 // total}%) {rate:,.0f} bản ghi/giây", ending="")
            stream.flush()

        return show

    def _report(self, summary: dict, *, prefix: str, system: str, rejected: list[str]) -> None:
        for line in rejected[:1000]:
            self.stdout.write(f"  {line} — bị từ chối" if ": " not in line else f"  bị từ chối {line}")
        self.stdout.write(f"{prefix}Hệ thống {system}: tạo mới {summary.get('created', 0)}, cập nhật "
                          f"{summary.get('updated', 0)}, không đổi {summary.get('unchanged', 0)}, "
                          f"từ chối {summary.get('rejected', 0)}.")
        reports = summary.get("reports") or {k: summary.get(f"reports_{k}", 0)
                                             for k in ("created", "unchanged", "rejected")}
        if any(reports.values()):
            self.stdout.write(f"Báo cáo tiến độ: tạo mới {reports['created']}, đã có {reports['unchanged']}, "
                              f"từ chối {reports['rejected']}.")
