"""``nq57 report``: the consolidated report from the command line.

    nq57 report [--notice NUMBER] [--agency NAME] [--theme T] [--as-of DATE] [--from DATE] [--to DATE]
                --format docx|xlsx|text [-o FILE] [--issue-by USERNAME] [--issuer party|state]

Bad arguments print a Vietnamese message and exit with code 1. Writing a report changes nothing; with
``--issue-by`` (an account of the office) the report is also issued (``monitoring.services.report_issue``): its
per-task states become the baseline the next report of the same scope compares with.
"""

import datetime as dt
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from nq57.agencies.services import agency_lookup
from nq57.monitoring import exports, services
from nq57.monitoring.issuers import KINDS, issuer_for
from nq57.notices.models import Notice
from nq57.taxonomy.models import Theme

FORMATS = ("docx", "xlsx", "text")


ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.*)"), "không nhận ra tham số {0}"),
    (re.compile(r"argument (\S+?)(?:/\S+)?: expected one argument"), "thiếu giá trị cho {0}"),
)


def _parser_error(message):
    for pattern, vietnamese in ARGPARSE_MESSAGES:
        match = pattern.search(message)
        if match:
            message = vietnamese.format(*match.groups())
            break
    raise CommandError(f"Tham số không hợp lệ: {message}. Xem: nq57 report --help")


def parse_date(value: str, *, option: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày “{value}” của {option} không hợp lệ; hãy viết năm-tháng-ngày (2025-06-30) "
                       "hoặc ngày/tháng/năm (30/06/2025).")


def find_notice(number: str) -> Notice:
    wanted = number.strip()
    matches = list(Notice.objects.filter(number=wanted)[:2]) or list(Notice.objects.filter(number__iexact=wanted)[:2])
    if not matches:
        raise CommandError(f"Không tìm thấy thông báo số “{number}”.")
    if len(matches) > 1:
        raise CommandError(f"Có nhiều thông báo cùng số “{number}” (thuộc các chương trình khác nhau).")
    return matches[0]


def find_theme(value: str) -> Theme:
    from nq57.extraction.vietnamese import fold

    theme = Theme.objects.filter(code=value.strip()).first()
    if theme is None:
        key = fold(value)
        theme = next((t for t in Theme.objects.all() if fold(t.name) == key or fold(t.code) == key), None)
    if theme is None:
        codes = ", ".join(Theme.objects.values_list("code", flat=True)) or "chưa có chủ đề nào"
        raise CommandError(f"Không tìm thấy chủ đề “{value}”. Các chủ đề: {codes}.")
    return theme


class Command(BaseCommand):
    help = "Lập báo cáo tổng hợp tình hình thực hiện nhiệm vụ (Word, Excel hoặc văn bản)."
    requires_system_checks: list = []  # a read-only report; `nq57 check` covers the project

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _parser_error  # argparse speaks English and exits with 2; the office reads Vietnamese
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--notice", help="số hiệu thông báo, ví dụ 30-TB/TGV")
        parser.add_argument("--agency", help="tên cơ quan chủ trì (tên chính thức, viết tắt hoặc tên gọi khác)")
        parser.add_argument("--theme", help="mã hoặc tên chủ đề")
        parser.add_argument("--as-of", dest="as_of", help="tính đến ngày (mặc định: hôm nay)")
        parser.add_argument("--from", dest="date_from", help="chỉ các nhiệm vụ có hạn từ ngày")
        parser.add_argument("--to", dest="date_to", help="chỉ các nhiệm vụ có hạn đến ngày")
        parser.add_argument("--format", default="text", help="docx, xlsx hoặc text (mặc định)")
        parser.add_argument("-o", "--output", help="tệp kết quả (bắt buộc với docx/xlsx; text: mặc định ra màn hình)")
        parser.add_argument("--issue-by", dest="issue_by", metavar="TÊN_ĐĂNG_NHẬP",
                            help="ban hành báo cáo với tài khoản này (của Cơ quan Thường trực): báo cáo sau cùng phạm "
                                 "vi nêu thay đổi so với báo cáo này")
        parser.add_argument("--issuer", help="cơ quan ban hành bản Word: party (cơ quan của Đảng) hoặc state (cơ "
                                             "quan nhà nước); mặc định theo cấu hình REPORT_ISSUER_KIND")

    def run_from_argv(self, argv):
        """Like Django's, but a CommandError prints only its Vietnamese message (no class name) and exits 1."""
        self._called_from_command_line = True
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            self.stderr.write(f"Lỗi: {exc}")
            sys.exit(1)
        finally:
            connections.close_all()

    def handle(self, *args, **options):
        fmt = (options.get("format") or "text").lower()
        if fmt not in FORMATS:
            raise CommandError(f"Định dạng “{options.get('format')}” không hỗ trợ; hãy chọn docx, xlsx hoặc text.")
        output = options.get("output")
        if fmt in ("docx", "xlsx") and not output:
            raise CommandError(f"Định dạng {fmt} cần tên tệp kết quả: -o TỆP.{fmt}")
        kind = (options.get("issuer") or "").strip().lower()
        if kind and kind not in KINDS:
            raise CommandError(f"Cơ quan ban hành “{options['issuer']}” không hợp lệ; hãy chọn party hoặc state.")
        notice = find_notice(options["notice"]) if options.get("notice") else None
        agency = None
        if options.get("agency"):
            agency = agency_lookup(options["agency"])
            if agency is None:
                raise CommandError(f"Không tìm thấy cơ quan “{options['agency']}” trong danh mục cơ quan.")
        theme = find_theme(options["theme"]) if options.get("theme") else None
        as_of = parse_date(options["as_of"], option="--as-of") if options.get("as_of") else timezone.localdate()
        date_from = parse_date(options["date_from"], option="--from") if options.get("date_from") else None
        date_to = parse_date(options["date_to"], option="--to") if options.get("date_to") else None
        if date_from and date_to and date_to < date_from:
            raise CommandError("Ngày --to phải sau ngày --from.")
        if output and Path(output).parent and not Path(output).parent.exists():
            raise CommandError(f"Thư mục “{Path(output).parent}” không tồn tại.")

        scope = {"as_of": as_of, "notice": notice, "agency": agency, "theme": theme, "date_from": date_from,
                 "date_to": date_to}
        if options.get("issue_by"):
            from django.contrib.auth import get_user_model

            from nq57.core.errors import PermissionDeniedError

            actor = get_user_model().objects.filter(username=options["issue_by"]).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản “{options['issue_by']}”.")
            try:
                report, _ = services.report_issue(actor=actor, **scope)
            except PermissionDeniedError as exc:
                raise CommandError(exc.message) from exc
        else:
            report = services.consolidated_report(**scope)
        if fmt == "docx":
            Path(output).write_bytes(exports.report_docx(report, issuer=issuer_for(kind or None)))
        elif fmt == "xlsx":
            Path(output).write_bytes(exports.report_xlsx(report))
        else:
            text = exports.report_text(report)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
        if output and options.get("verbosity", 1) > 0:
            issued = " và ban hành" if options.get("issue_by") else ""
            self.stderr.write(f"Đã ghi{issued} báo cáo ({report.summary}) vào {output}")
