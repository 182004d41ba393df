"""``nq57 report``: through call_command, and once end to end as a separate process."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from docx import Document
from openpyxl import load_workbook

from nq57.agencies.models import AgencyAlias
from nq57.monitoring.models import ReportSnapshot
from nq57.monitoring.tests.helpers import HAND_COUNT, build_scope
from nq57.taxonomy.models import Theme

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_it_writes_word_excel_and_text(cast, tmp_path):
    build_scope(cast)
    docx_file, xlsx_file = tmp_path / "bc.docx", tmp_path / "bc.xlsx"
    call_command("report", "--notice", "40-TB/TGV", "--as-of", "2025-09-01", "--format", "docx", "-o",
                 str(docx_file), verbosity=0)
    paragraphs = [p.text for p in Document(docx_file).paragraphs]
    assert any(HAND_COUNT["summary"] in p for p in paragraphs)
    call_command("report", "--notice", "40-TB/TGV", "--as-of", "01/09/2025", "--format", "xlsx", "-o",
                 str(xlsx_file), verbosity=0)
    assert load_workbook(xlsx_file)["Tổng hợp"]["A3"].value == HAND_COUNT["summary"]
    out = io.StringIO()
    call_command("report", "--notice", "40-TB/TGV", "--as-of", "2025-09-01", stdout=out)
    assert HAND_COUNT["summary"] in out.getvalue()
    assert not ReportSnapshot.objects.exists()  # writing a report issues nothing
    call_command("report", "--notice", "40-TB/TGV", "--as-of", "2025-09-01", "--issue-by", cast.office.username,
                 stdout=io.StringIO())
    call_command("report", "--notice", "40-TB/TGV", "--as-of", "2025-09-01", "--issue-by", cast.office.username,
                 stdout=io.StringIO())
    assert ReportSnapshot.objects.count() == 1  # one per scope and date
    with pytest.raises(CommandError, match="Chỉ Cơ quan Thường trực được ban hành"):
        call_command("report", "--as-of", "2025-09-01", "--issue-by", cast.leader.username, stdout=io.StringIO())
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("report", "--issue-by", "nobody", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_agency_is_found_by_any_alias_and_the_theme_by_code_or_name(cast):
    build_scope(cast)
    AgencyAlias.objects.create(agency=cast.tc, alias="BTC")
    Theme.objects.get_or_create(code="the-che", defaults={"name": "Thể chế"})
    out = io.StringIO()
    call_command("report", "--agency", "btc", "--notice", "40-TB/TGV", "--as-of", "2025-09-01", stdout=out)
    assert "do Bộ Tài chính chủ trì" in out.getvalue()
    assert "1/3 nhiệm vụ đã hoàn thành" in out.getvalue()
    out = io.StringIO()
    call_command("report", "--theme", "The che", "--as-of", "2025-09-01", stdout=out)
    assert "thuộc chủ đề “Thể chế”" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["--agency", "Bộ Không Tồn Tại"], "Không tìm thấy cơ quan “Bộ Không Tồn Tại”"),
    (["--notice", "99-TB/TGV"], "Không tìm thấy thông báo số “99-TB/TGV”"),
    (["--as-of", "hôm qua"], "Ngày “hôm qua” của --as-of không hợp lệ"),
    (["--format", "pdf"], "Định dạng “pdf” không hỗ trợ"),
    (["--format", "docx"], "cần tên tệp kết quả"),
    (["--theme", "vũ trụ"], "Không tìm thấy chủ đề “vũ trụ”"),
    (["--issuer", "quốc hội"], "Cơ quan ban hành “quốc hội” không hợp lệ; hãy chọn party hoặc state"),
])
def test_bad_arguments_are_refused_in_vietnamese(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args)


def test_unknown_options_are_refused_in_vietnamese():
    from nq57.monitoring.management.commands.report import Command

    parser = Command().create_parser("nq57", "report")
    with pytest.raises(CommandError, match="Tham số không hợp lệ: không nhận ra tham số --bogus"):
        parser.parse_args(["--bogus"])
    with pytest.raises(CommandError, match="Tham số không hợp lệ: thiếu giá trị cho --agency"):
        parser.parse_args(["--agency"])


@pytest.mark.django_db(transaction=True)
def test_nq57_report_runs_end_to_end_as_a_command(tmp_path):
    """``nq57 report`` in its own process, on a copy of the test database (SQLite) or the test database itself."""
    from nq57.core.testing import build_cast

    cast = build_cast()
    build_scope(cast)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nq57.settings", "NQ57_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    if connection.vendor == "sqlite":
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        target = sqlite3.connect(data_dir / "nq57.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env["NQ57_DATA_DIR"] = str(data_dir)
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env["NQ57_DATA_DIR"] = str(tmp_path)
    output = tmp_path / "bao-cao.docx"
    command = [sys.executable, "-m", "nq57.cli", "report", "--notice", "40-TB/TGV", "--agency", "Bộ KH&CN",
               "--as-of", "2025-09-01", "--format", "docx", "-o", str(output)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Đã ghi báo cáo" in done.stderr
    texts = [p.text for p in Document(output).paragraphs]
    assert "Tình hình thực hiện các nhiệm vụ theo Thông báo số 40-TB/TGV do Bộ KH&CN chủ trì" in texts

    bad = subprocess.run(command[:4] + ["--agency", "Bộ Không Tồn Tại"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stderr.strip() == "Lỗi: Không tìm thấy cơ quan “Bộ Không Tồn Tại” trong danh mục cơ quan."
