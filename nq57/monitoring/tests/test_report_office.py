"""The consolidated .docx as an office prints it: rendered to PDF by LibreOffice (``soffice``), its pages counted and
its header read back with ``pdftotext`` (issue 9: a report of 30 late tasks ran to 16 pages, and a Party body's
report carried the State motto).

Marked ``office``: deselect with ``-m "not office"`` on a machine without LibreOffice. Where it is missing the test
FAILS (never skips): ``.ci/run`` installs it (``apt-get install libreoffice-writer-nogui poppler-utils``)."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from nq57.core.testing import NoticeFactory, make_task
from nq57.monitoring import exports, services
from nq57.monitoring.issuers import issuer_for

pytestmark = [pytest.mark.django_db, pytest.mark.office]

AS_OF = dt.date(2025, 9, 1)
# a task as notices word them: about 300 characters
TASK_TEXT = ("Chủ trì, phối hợp với các bộ, ngành và địa phương xây dựng, trình cấp có thẩm quyền ban hành cơ chế, "
             "chính sách đặc thù thúc đẩy phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong "
             "lĩnh vực được giao, bảo đảm đồng bộ với hạ tầng số quốc gia; báo cáo kết quả (nhiệm vụ số {n}).")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install LibreOffice and poppler (apt-get install -y libreoffice-writer-nogui "
                    "poppler-utils; .ci/run does it), or deselect with -m 'not office'.", pytrace=False)
    return path


def render(docx: bytes, folder: Path) -> tuple[int, str]:
    """(pages, text) of ``docx`` printed to PDF by LibreOffice; the text in reading order, runs of white space as one
    space (a long name wraps in its header cell)."""
    source = folder / "report.docx"
    source.write_bytes(docx)
    profile = folder / "lo-profile"  # its own profile: runs in parallel never share LibreOffice's lock
    subprocess.run([_tool("soffice"), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=240)
    pdf = folder / "report.pdf"
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run([_tool("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return pages, " ".join(text.split())


@pytest.fixture
def thirty_late(cast):
    notice = NoticeFactory(number="41-TB/TGV", issued_on=dt.date(2025, 3, 1))
    agencies = [cast.kh, cast.tc, cast.xd]
    for n in range(1, 31):
        make_task(notice=notice, lead=[agencies[n % 3]], path=f"{n}", due=dt.date(2025, 6, 1) + dt.timedelta(days=n),
                  text=TASK_TEXT.format(n=n))
    report = services.consolidated_report(as_of=AS_OF, notice=notice)
    assert report.late_total == 30
    return report


def test_a_party_report_of_thirty_late_tasks_fits_on_a_few_pages(thirty_late, tmp_path):
    pages, text = render(exports.report_docx(thirty_late, issuer=issuer_for("party")), tmp_path)
    assert pages <= 6, f"{pages} pages for 30 late tasks"
    head = text[:600]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in head
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
    assert "TỔ GIÚP VIỆC" in head and "-BC/TGV" in head and "Số:" not in head
    assert "Hà Nội, ngày 01 tháng 09 năm 2025" in head
    assert "T/M TỔ GIÚP VIỆC" in text
    # the task column is the widest: a task's 300 characters take a few lines, not a dozen
    assert "(nhiệm vụ số 30)" in text


def test_a_state_report_has_the_national_motto_and_state_numbering(thirty_late, tmp_path):
    pages, text = render(exports.report_docx(thirty_late, issuer=issuer_for("state")), tmp_path)
    assert pages <= 6, f"{pages} pages for 30 late tasks"
    head = text[:600]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head and "Độc lập - Tự do - Hạnh phúc" in head
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in head and "/BC-BKHCN" in head and "Số:" in head
    assert "KT. BỘ TRƯỞNG" in text


def test_the_configured_issuer_heads_the_command_line_report(thirty_late, tmp_path, settings):
    settings.REPORT_ISSUER_KIND = "state"
    settings.REPORT_ISSUER_NAME = "Ủy ban nhân dân Thành phố Hà Nội"
    settings.REPORT_ISSUER_CODE = "UBND"
    output = tmp_path / "cli.docx"
    call_command("report", "--notice", "41-TB/TGV", "--as-of", "2025-09-01", "--format", "docx", "-o", str(output),
                 verbosity=0)
    pages, text = render(output.read_bytes(), tmp_path)
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" in text[:600] and "/BC-UBND" in text[:600]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text[:600]
    call_command("report", "--notice", "41-TB/TGV", "--as-of", "2025-09-01", "--format", "docx", "-o", str(output),
                 "--issuer", "party", verbosity=0)
    pages, text = render(output.read_bytes(), tmp_path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text[:600] and "-BC/TGV" in text[:600]
