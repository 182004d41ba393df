"""The consolidated report's issuer from the settings (REPORT_ISSUER_*): Party or State header, number and signature."""

import datetime as dt

from nq57.monitoring.issuers import issuer_for


def test_the_default_is_the_steering_committees_party_office(settings):
    issuer = issuer_for()
    assert issuer.is_party and issuer.motto == ("ĐẢNG CỘNG SẢN VIỆT NAM", "")
    assert issuer.number == "Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/TGV"
    assert issuer.date_line(dt.date(2025, 9, 1)) == "Hà Nội, ngày 01 tháng 09 năm 2025"
    assert issuer.sign_on_behalf == "T/M TỔ GIÚP VIỆC"


def test_a_configured_state_body_takes_the_motto_and_state_numbering(settings):
    settings.REPORT_ISSUER_KIND = "state"
    settings.REPORT_ISSUER_NAME = "Sở Khoa học và Công nghệ"
    settings.REPORT_ISSUER_PARENT = "Ủy ban nhân dân tỉnh Lâm Đồng"
    settings.REPORT_ISSUER_CODE = "skhcn"
    settings.REPORT_PLACE = "Lâm Đồng"
    issuer = issuer_for()
    assert not issuer.is_party
    assert issuer.motto == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert (issuer.parent, issuer.name, issuer.code) == ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                                                         "SKHCN")
    assert issuer.number == "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-SKHCN"
    assert issuer.sign_on_behalf == "TM. SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert issuer.in_sentence == "Sở Khoa học và Công nghệ"
    assert issuer.date_line(dt.date(2025, 9, 1)).startswith("Lâm Đồng, ngày 01")
    # the other kind stays its preset; an unknown kind is the configured one
    assert issuer_for("party").name == "TỔ GIÚP VIỆC"
    assert issuer_for("bogus").name == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    settings.REPORT_ISSUER_KIND = "nonsense"
    assert issuer_for().is_party
