"""Agency registry: the facts about the addressees of notices, as plain data.

Used by the extractor to turn any spelling into the full official name, and by the Django side to seed the
``Agency`` table. ``AgencyResolver`` builds its alias index once (cache it with :func:`default_resolver`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from nq57.text.vietnamese import fold

__all__ = ["AGENCIES", "KINDS", "AgencyRecord", "AgencyResolver", "default_resolver", "loose_key", "key_tokens"]

KINDS = (
    "party_body", "national_assembly_body", "ministry", "ministerial_agency", "government_body", "province",
    "provincial_party_committee", "university", "academy", "enterprise", "collective", "other",
)


@dataclass(frozen=True)
class AgencyRecord:
    name: str  # full official name, "Bộ Khoa học và Công nghệ"
    kind: str  # one of KINDS
    short_names: tuple[str, ...] = ()  # "Bộ KH&CN", "KHCN", "VTV"
    aliases: tuple[str, ...] = ()  # other spellings
    parent: str | None = None  # name of the parent record
    successor: str | None = None  # for dissolved agencies: the name of the successor
    dissolved_on: date | None = None  # 2025-03-01 for merged ministries, 2025-07-01 for merged provinces
    member_kinds: tuple[str, ...] = ()  # for collective addressees: kinds whose (non-dissolved) records are members
    members: tuple[str, ...] = ()  # or explicit member names


MINISTRY_MERGE = date(2025, 3, 1)
PROVINCE_MERGE = date(2025, 7, 1)


def _ministries() -> list[AgencyRecord]:
    m = "ministry"
    return [
        AgencyRecord("Bộ Quốc phòng", m, ("BQP",)),
        AgencyRecord("Bộ Công an", m, ("BCA",)),
        AgencyRecord("Bộ Ngoại giao", m, ("BNG",)),
        AgencyRecord("Bộ Nội vụ", m, ("BNV",)),
        AgencyRecord("Bộ Tư pháp", m, ("BTP",)),
        AgencyRecord("Bộ Tài chính", m, ("BTC",)),
        AgencyRecord("Bộ Công Thương", m, ("BCT",), ("Bộ Công thương",)),
        AgencyRecord("Bộ Nông nghiệp và Môi trường", m, ("Bộ NN&MT", "NN&MT", "BNNMT")),
        AgencyRecord("Bộ Xây dựng", m, ("BXD",)),
        AgencyRecord("Bộ Văn hóa, Thể thao và Du lịch", m, ("Bộ VHTTDL", "VHTTDL", "BVHTTDL")),
        AgencyRecord("Bộ Khoa học và Công nghệ", m, ("Bộ KH&CN", "KH&CN", "KHCN", "BKHCN")),
        AgencyRecord("Bộ Giáo dục và Đào tạo", m, ("Bộ GD&ĐT", "GD&ĐT", "BGDĐT", "GDĐT")),
        AgencyRecord("Bộ Y tế", m, ("BYT",)),
        AgencyRecord("Bộ Dân tộc và Tôn giáo", m, ("BDTTG",)),
        AgencyRecord("Ngân hàng Nhà nước Việt Nam", "ministerial_agency", ("NHNN",), ("Ngân hàng Nhà nước",)),
        AgencyRecord("Thanh tra Chính phủ", "ministerial_agency", ("TTCP",)),
        AgencyRecord("Văn phòng Chính phủ", "ministerial_agency", ("VPCP",)),
        # merged away on 1 March 2025 (older documents still name them)
        AgencyRecord("Bộ Kế hoạch và Đầu tư", m, ("Bộ KH&ĐT", "KH&ĐT", "BKHĐT"),
                     successor="Bộ Tài chính", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Bộ Thông tin và Truyền thông", m, ("Bộ TT&TT", "TT&TT", "BTTTT"),
                     successor="Bộ Khoa học và Công nghệ", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Bộ Giao thông vận tải", m, ("Bộ GTVT", "GTVT", "BGTVT"),
                     successor="Bộ Xây dựng", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Bộ Tài nguyên và Môi trường", m, ("Bộ TN&MT", "TN&MT", "BTNMT"),
                     successor="Bộ Nông nghiệp và Môi trường", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Bộ Nông nghiệp và Phát triển nông thôn", m, ("Bộ NN&PTNT", "NN&PTNT", "BNNPTNT"),
                     successor="Bộ Nông nghiệp và Môi trường", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Bộ Lao động - Thương binh và Xã hội", m, ("Bộ LĐTB&XH", "LĐTB&XH", "BLĐTBXH"),
                     ("Bộ Lao động, Thương binh và Xã hội",), successor="Bộ Nội vụ", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Ủy ban Dân tộc", "ministerial_agency", ("UBDT",),
                     successor="Bộ Dân tộc và Tôn giáo", dissolved_on=MINISTRY_MERGE),
    ]


def _government_bodies() -> list[AgencyRecord]:
    g = "government_body"
    return [
        AgencyRecord("Đài Truyền hình Việt Nam", g, ("VTV",)),
        AgencyRecord("Đài Tiếng nói Việt Nam", g, ("VOV",)),
        AgencyRecord("Thông tấn xã Việt Nam", g, ("TTXVN",)),
        AgencyRecord("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "academy", ("VAST",)),
        AgencyRecord("Viện Hàn lâm Khoa học xã hội Việt Nam", "academy", ("VASS",)),
        AgencyRecord("Bảo hiểm xã hội Việt Nam", g, ("BHXH Việt Nam", "BHXHVN")),
        AgencyRecord("Ban Cơ yếu Chính phủ", g, (), parent="Bộ Quốc phòng"),
        AgencyRecord("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", g, (),
                     ("Ủy ban Quản lý vốn nhà nước", "Ủy ban Quản lý vốn Nhà nước tại doanh nghiệp"),
                     successor="Bộ Tài chính", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Trung tâm Đổi mới sáng tạo Quốc gia", g, ("NIC",), parent="Bộ Tài chính"),
        AgencyRecord("Quỹ Đổi mới công nghệ quốc gia", "other", ("NATIF",), parent="Bộ Khoa học và Công nghệ"),
        AgencyRecord("Học viện Chính trị quốc gia Hồ Chí Minh", "academy"),
    ]


def _party_and_state() -> list[AgencyRecord]:
    p = "party_body"
    na = "national_assembly_body"
    steering = "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    helper = "Tổ Giúp việc " + steering
    return [
        AgencyRecord("Bộ Chính trị", p),
        AgencyRecord("Ban Bí thư", p, (), ("Ban Bí thư Trung ương Đảng",)),
        AgencyRecord(steering, p, ("BCĐTW",), ("Ban Chỉ đạo Trung ương",)),
        AgencyRecord(helper, p, ("TGV",), ("Tổ Giúp việc Ban Chỉ đạo Trung ương", "Tổ Giúp việc Ban Chỉ đạo",
                                          "Tổ Giúp việc"), parent=steering),
        AgencyRecord("Thường trực " + helper, p, (), ("Thường trực Tổ Giúp việc Ban Chỉ đạo",
                                                      "Thường trực Tổ Giúp việc"), parent=steering),
        AgencyRecord("Văn phòng Trung ương Đảng", p, ("VPTW",)),
        AgencyRecord("Cục Chuyển đổi số - Cơ yếu", p, (), parent="Văn phòng Trung ương Đảng"),
        AgencyRecord("Ủy ban Kiểm tra Trung ương", p, ("UBKTTW",)),
        AgencyRecord("Ban Tổ chức Trung ương", p, ("BTCTW",)),
        AgencyRecord("Ban Tuyên giáo và Dân vận Trung ương", p),
        AgencyRecord("Ban Tuyên giáo Trung ương", p, (), successor="Ban Tuyên giáo và Dân vận Trung ương"),
        AgencyRecord("Ban Dân vận Trung ương", p, (), successor="Ban Tuyên giáo và Dân vận Trung ương"),
        AgencyRecord("Ban Chính sách, chiến lược Trung ương", p, (), ("Ban Chính sách và Chiến lược Trung ương",)),
        # merged into the Ban Chính sách, chiến lược Trung ương in the 2025 restructuring
        AgencyRecord("Ban Kinh tế Trung ương", p, (), successor="Ban Chính sách, chiến lược Trung ương"),
        AgencyRecord("Ban Nội chính Trung ương", p),
        AgencyRecord("Ban Đối ngoại Trung ương", p),
        AgencyRecord("Đảng ủy Chính phủ", p),
        AgencyRecord("Đảng ủy Quốc hội", p),
        AgencyRecord("Đảng ủy các cơ quan Đảng Trung ương", p),
        AgencyRecord("Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương", p, (),
                     ("Đảng ủy Mặt trận Tổ quốc Việt Nam, các đoàn thể Trung ương",)),
        AgencyRecord("Đảng ủy Công an Trung ương", p),
        AgencyRecord("Quân ủy Trung ương", p),
        AgencyRecord("Văn phòng Tổng Bí thư", "other"),
        AgencyRecord("Hội đồng Tư vấn Quốc gia", "other", (), ("Hội đồng Tư vấn quốc gia",)),
        AgencyRecord("Quốc hội", na),
        AgencyRecord("Ủy ban Thường vụ Quốc hội", na, ("UBTVQH",)),
        AgencyRecord("Văn phòng Quốc hội", na),
        AgencyRecord("Hội đồng Dân tộc của Quốc hội", na, (), ("Hội đồng Dân tộc",)),
        AgencyRecord("Ủy ban Pháp luật và Tư pháp của Quốc hội", na, (), ("Ủy ban Pháp luật và Tư pháp",)),
        AgencyRecord("Ủy ban Khoa học, Công nghệ và Môi trường của Quốc hội", na, (),
                     ("Ủy ban Khoa học, Công nghệ và Môi trường",)),
        AgencyRecord("Ủy ban Kinh tế và Tài chính của Quốc hội", na, (), ("Ủy ban Kinh tế và Tài chính",)),
        AgencyRecord("Ủy ban Văn hóa và Xã hội của Quốc hội", na, (), ("Ủy ban Văn hóa và Xã hội",)),
        AgencyRecord("Ủy ban Quốc phòng, An ninh và Đối ngoại của Quốc hội", na, (),
                     ("Ủy ban Quốc phòng, An ninh và Đối ngoại",)),
        AgencyRecord("Ủy ban Công tác đại biểu", na),
        AgencyRecord("Ủy ban Dân nguyện và Giám sát", na),
        # the boards of the Standing Committee before they became committees of the National Assembly (2025)
        AgencyRecord("Ban Công tác đại biểu", na, successor="Ủy ban Công tác đại biểu", dissolved_on=MINISTRY_MERGE),
        AgencyRecord("Ban Dân nguyện", na, successor="Ủy ban Dân nguyện và Giám sát", dissolved_on=MINISTRY_MERGE),
        # committees merged by the National Assembly's 2025 restructuring (older documents still name them)
        *[AgencyRecord(f"{old} của Quốc hội", na, (), (old,), successor=f"{new} của Quốc hội")
          for old, new in (("Ủy ban Pháp luật", "Ủy ban Pháp luật và Tư pháp"),
                           ("Ủy ban Tư pháp", "Ủy ban Pháp luật và Tư pháp"),
                           ("Ủy ban Kinh tế", "Ủy ban Kinh tế và Tài chính"),
                           ("Ủy ban Tài chính, Ngân sách", "Ủy ban Kinh tế và Tài chính"),
                           ("Ủy ban Quốc phòng và An ninh", "Ủy ban Quốc phòng, An ninh và Đối ngoại"),
                           ("Ủy ban Đối ngoại", "Ủy ban Quốc phòng, An ninh và Đối ngoại"),
                           ("Ủy ban Văn hóa, Giáo dục", "Ủy ban Văn hóa và Xã hội"),
                           ("Ủy ban Xã hội", "Ủy ban Văn hóa và Xã hội"))],
        AgencyRecord("Văn phòng Chủ tịch nước", "other"),
        AgencyRecord("Tòa án nhân dân tối cao", "other", ("TANDTC",)),
        AgencyRecord("Viện Kiểm sát nhân dân tối cao", "other", ("VKSNDTC",)),
        AgencyRecord("Kiểm toán Nhà nước", "other"),
        AgencyRecord("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "other", (),
                     ("Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam")),
        # the socio-political organisations (the "đoàn thể Trung ương") and the umbrella associations
        AgencyRecord("Tổng Liên đoàn Lao động Việt Nam", "other"),
        AgencyRecord("Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh", "other", (),
                     ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Trung ương Đoàn")),
        AgencyRecord("Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "other", (), ("Hội Liên hiệp Phụ nữ Việt Nam",)),
        AgencyRecord("Trung ương Hội Nông dân Việt Nam", "other", (), ("Hội Nông dân Việt Nam",)),
        AgencyRecord("Trung ương Hội Cựu chiến binh Việt Nam", "other", (), ("Hội Cựu chiến binh Việt Nam",)),
        AgencyRecord("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", "other", ("VUSTA",)),
        AgencyRecord("Phòng Thương mại và Công nghiệp Việt Nam", "other", ("VCCI",)),
    ]


def _institutions() -> list[AgencyRecord]:
    u, e = "university", "enterprise"
    return [
        AgencyRecord("Đại học Quốc gia Hà Nội", u, ("ĐHQGHN", "ĐHQG Hà Nội")),
        AgencyRecord("Đại học Quốc gia Thành phố Hồ Chí Minh", u, ("ĐHQG-HCM", "ĐHQG TP.HCM", "ĐHQGHCM")),
        AgencyRecord("Đại học Bách khoa Hà Nội", u, ("HUST",), ("Trường Đại học Bách khoa Hà Nội",)),
        AgencyRecord("Đại học Đà Nẵng", u),
        AgencyRecord("Đại học Huế", u),
        AgencyRecord("Đại học Thái Nguyên", u),
        AgencyRecord("Tập đoàn Công nghiệp - Viễn thông Quân đội", e, ("Viettel",), ("Tập đoàn Viettel",)),
        AgencyRecord("Tập đoàn Bưu chính Viễn thông Việt Nam", e, ("VNPT",), ("Tập đoàn VNPT",)),
        AgencyRecord("Tổng công ty Viễn thông MobiFone", e, ("MobiFone",), ("Tổng công ty MobiFone",)),
        AgencyRecord("Tập đoàn Công nghệ CMC", e, ("CMC",), ("Tập đoàn CMC",)),
        AgencyRecord("Tập đoàn FPT", e, ("FPT",), ("Công ty Cổ phần FPT",)),
        AgencyRecord("Tập đoàn MK", e, ("MK Group",)),
        AgencyRecord("Tập đoàn Trí Nam", e),
        AgencyRecord("Tập đoàn Dầu khí Việt Nam", e, ("Petrovietnam", "PVN"), ("Dầu khí Việt Nam",)),
        AgencyRecord("Tập đoàn Vingroup", e, ("VinGroup", "Vingroup"), ("Tập đoàn VinGroup",)),
        AgencyRecord("Tập đoàn BRG", e, ("BRG",)),
        AgencyRecord("Tập đoàn Điện lực Việt Nam", e, ("EVN",)),
        AgencyRecord("Tập đoàn Xăng dầu Việt Nam", e, ("Petrolimex",)),
        AgencyRecord("Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam", e, ("TKV", "Vinacomin")),
        AgencyRecord("Tập đoàn Hóa chất Việt Nam", e, ("Vinachem",)),
        AgencyRecord("Tập đoàn Công nghiệp Cao su Việt Nam", e, ("VRG",)),
        AgencyRecord("Tổng công ty Hàng không Việt Nam", e, ("Vietnam Airlines",)),
        AgencyRecord("Tổng công ty Đầu tư và Kinh doanh vốn nhà nước", e, ("SCIC",)),
        AgencyRecord("Tổng công ty Bưu điện Việt Nam", e, ("Vietnam Post", "VNPost")),
        AgencyRecord("Tổng công ty Cảng hàng không Việt Nam", e, ("ACV",)),
        AgencyRecord("Tổng công ty Đường sắt Việt Nam", e, ("VNR",)),
        AgencyRecord("Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam", e, ("Agribank",)),
        AgencyRecord("Ngân hàng Thương mại cổ phần Ngoại thương Việt Nam", e, ("Vietcombank",)),
        AgencyRecord("Ngân hàng Thương mại cổ phần Công Thương Việt Nam", e, ("VietinBank",)),
        AgencyRecord("Ngân hàng Thương mại cổ phần Đầu tư và Phát triển Việt Nam", e, ("BIDV",)),
        AgencyRecord("Học viện Công nghệ Bưu chính Viễn thông", u, ("PTIT",), parent="Bộ Khoa học và Công nghệ"),
        # no short name "NEU": it folds to "nếu" (if)
        AgencyRecord("Đại học Kinh tế Quốc dân", u, (), ("Trường Đại học Kinh tế Quốc dân",)),
    ]


CITIES = ("Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ")
PROVINCES = (
    "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
    "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Trị",
    "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang",
)
# former unit -> unit it merged into on 1 July 2025 (cities given by their bare name)
MERGED_PROVINCES = {
    "Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai", "Bắc Kạn": "Thái Nguyên", "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ", "Bắc Giang": "Bắc Ninh", "Thái Bình": "Hưng Yên", "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình", "Nam Định": "Ninh Bình", "Quảng Bình": "Quảng Trị", "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai", "Ninh Thuận": "Khánh Hòa", "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng", "Phú Yên": "Đắk Lắk", "Bình Dương": "Hồ Chí Minh", "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai", "Long An": "Tây Ninh", "Sóc Trăng": "Cần Thơ", "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long", "Trà Vinh": "Vĩnh Long", "Tiền Giang": "Đồng Tháp", "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
}
_EXTRA_PLACE_ALIASES = {
    "Hồ Chí Minh": ("HCM", "TPHCM", "TP HCM", "TP.HCM", "Sài Gòn"), "Huế": ("Thừa Thiên Huế",),
    "Hà Nội": ("Thủ đô Hà Nội",),
    "Đắk Lắk": ("Đăk Lăk", "Đắc Lắc"), "Đắk Nông": ("Đăk Nông",), "Kon Tum": ("Kontum",),
}


def _ubnd(place: str) -> str:
    return f"Ủy ban nhân dân Thành phố {place}" if place in CITIES else f"Ủy ban nhân dân tỉnh {place}"


def _party(place: str) -> str:
    if place == "Hồ Chí Minh":
        return "Thành ủy Thành phố Hồ Chí Minh"
    return f"Thành ủy {place}" if place in CITIES else f"Tỉnh ủy {place}"


def _place_records(place: str, successor: str | None) -> list[AgencyRecord]:
    city = place in CITIES
    unit = "thành phố" if city else "tỉnh"
    extra = _EXTRA_PLACE_ALIASES.get(place, ())
    ubnd_aliases = [place, f"{unit} {place}", f"Ủy ban nhân dân {place}", f"UBND {place}"]
    party_aliases = [f"{'Thành' if city else 'Tỉnh'} ủy {unit} {place}", f"Ban Thường vụ {_party(place)}"]
    for x in extra:
        ubnd_aliases += [x, f"{unit} {x}", f"Ủy ban nhân dân {x}", f"Ủy ban nhân dân {unit} {x}"]
        party_aliases += [f"{'Thành' if city else 'Tỉnh'} ủy {x}"]
    if city:
        party_aliases.append(f"Thành ủy {place}")
    dissolved = PROVINCE_MERGE if successor else None
    return [
        AgencyRecord(_ubnd(place), "province", (), tuple(ubnd_aliases),
                     successor=_ubnd(successor) if successor else None, dissolved_on=dissolved),
        AgencyRecord(_party(place), "provincial_party_committee", (), tuple(party_aliases),
                     successor=_party(successor) if successor else None, dissolved_on=dissolved),
    ]


def _places() -> list[AgencyRecord]:
    out: list[AgencyRecord] = []
    for place in CITIES + PROVINCES:
        out += _place_records(place, None)
    for place, succ in MERGED_PROVINCES.items():
        out += _place_records(place, succ)
    return out


def _collectives() -> list[AgencyRecord]:
    c = "collective"
    gov = ("ministry", "ministerial_agency", "government_body")
    cities = tuple(_ubnd(x) for x in CITIES)
    return [
        AgencyRecord("Các bộ, ngành, địa phương", c, (),
                     ("Bộ, ngành, địa phương", "Các bộ, ngành và địa phương", "Các bộ, ngành và các địa phương",
                      "Các bộ, ngành, các địa phương", "Các bộ, cơ quan, địa phương",
                      "Các bộ, ngành trung ương và địa phương", "Các bộ, ngành, cơ quan trung ương và địa phương"),
                     member_kinds=gov + ("province",)),
        AgencyRecord("Các bộ, ngành", c, (), ("Bộ, ngành", "Các bộ, cơ quan"), member_kinds=gov),
        AgencyRecord("Các bộ, ngành liên quan", c, (), ("Các bộ, ngành có liên quan", "Bộ, ngành liên quan"),
                     member_kinds=gov),
        AgencyRecord("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", c, (),
                     ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                      "Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ",
                      "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ",
                      "Các bộ, cơ quan ngang bộ, các cơ quan thuộc Chính phủ"),
                     member_kinds=gov),
        AgencyRecord("Các bộ, cơ quan ngang bộ", c, (), ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ",),
                     member_kinds=("ministry", "ministerial_agency")),
        AgencyRecord("Các địa phương", c, (), ("Địa phương",), member_kinds=("province",)),
        AgencyRecord("Các tỉnh, thành phố trực thuộc Trung ương", c, (), ("Các tỉnh, thành phố",),
                     member_kinds=("province",)),
        AgencyRecord("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", c, (),
                     ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
                      "Ủy ban nhân dân các tỉnh, thành phố", "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"),
                     member_kinds=("province",)),
        AgencyRecord("Ủy ban nhân dân các thành phố trực thuộc Trung ương", c, (),
                     ("Chủ tịch Ủy ban nhân dân các thành phố trực thuộc Trung ương",), members=cities),
        AgencyRecord("Các thành phố trực thuộc Trung ương", c, (), (), members=cities),
        AgencyRecord("Ủy ban nhân dân các phường, xã", c, (),
                     ("Ủy ban nhân dân cấp xã", "Ủy ban nhân dân các xã, phường",
                      "Ủy ban nhân dân các xã, phường, đặc khu", "Ủy ban nhân dân các phường, xã, đặc khu",
                      "Ủy ban nhân dân xã, phường")),
        AgencyRecord("Ủy ban nhân dân các cấp", c, (), ("Ủy ban nhân dân cấp tỉnh, cấp xã",)),
        AgencyRecord("Các tỉnh ủy, thành ủy", c, (), ("Tỉnh ủy, thành ủy", "Bí thư tỉnh ủy, thành ủy",
                                                    "Các đồng chí Bí thư tỉnh ủy, thành ủy"),
                     member_kinds=("provincial_party_committee",)),
        AgencyRecord("Các doanh nghiệp nhà nước", c, (), ("Doanh nghiệp nhà nước",), member_kinds=("enterprise",)),
        AgencyRecord("Các doanh nghiệp", c, (), ("Doanh nghiệp",), member_kinds=("enterprise",)),
        AgencyRecord("Các trường đại học, viện nghiên cứu", c, (), ("Các trường đại học, các viện nghiên cứu",),
                     member_kinds=("university", "academy")),
        AgencyRecord("Các cơ quan của Quốc hội", c, (), ("Các cơ quan Quốc hội",),
                     member_kinds=("national_assembly_body",)),
        AgencyRecord("Các Ủy ban của Quốc hội", c, (), ("Các Ủy ban Quốc hội", "Các Ủy ban của QH"),
                     member_kinds=("national_assembly_body",)),
        AgencyRecord("Các cơ quan thuộc Ủy ban Thường vụ Quốc hội", c, (), ("Các cơ quan thuộc UBTVQH",)),
        AgencyRecord("Các Đoàn đại biểu Quốc hội", c, (),
                     ("Các Đoàn ĐBQH", "Đoàn đại biểu Quốc hội các tỉnh, thành phố")),
        AgencyRecord("Các đại biểu Quốc hội", c, (), ("Các ĐBQH", "Đại biểu Quốc hội")),
        AgencyRecord("Các cơ quan Đảng", c, (), ("Các cơ quan đảng", "Các cơ quan Đảng Trung ương",
                                              "Các cơ quan đảng ở Trung ương"), member_kinds=("party_body",)),
        AgencyRecord("Các cơ quan đảng ở Trung ương và địa phương", c, (),
                     member_kinds=("party_body", "provincial_party_committee")),
        AgencyRecord("Các ban đảng Trung ương", c, (), ("Các ban đảng ở Trung ương", "Các ban của Đảng"),
                     member_kinds=("party_body",)),
        AgencyRecord("Các đảng ủy trực thuộc Trung ương", c, (), (), member_kinds=("party_body",)),
        AgencyRecord("Các cơ quan đại diện Việt Nam ở nước ngoài", c),
    ]


AGENCIES: tuple[AgencyRecord, ...] = tuple(
    _ministries() + _government_bodies() + _party_and_state() + _institutions() + _places() + _collectives()
)

# --------------------------------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------------------------------

# token -> expansion (applied on folded tokens)
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "tp": ("thanh", "pho"),
    "tphcm": ("thanh", "pho", "ho", "chi", "minh"),
    "hcm": ("ho", "chi", "minh"),
    "ubnd": ("uy", "ban", "nhan", "dan"),
    "hdnd": ("hoi", "dong", "nhan", "dan"),
    "tw": ("trung", "uong"),
    "csdl": ("co", "so", "du", "lieu"),
    "csdlqg": ("co", "so", "du", "lieu", "quoc", "gia"),
    "dhqg": ("dai", "hoc", "quoc", "gia"),
    "dh": ("dai", "hoc"),
    "nhnn": ("ngan", "hang", "nha", "nuoc"),
    "vpcp": ("van", "phong", "chinh", "phu"),
    "vptw": ("van", "phong", "trung", "uong", "dang"),
    "bcdtw": ("ban", "chi", "dao", "trung", "uong"),
    "mttq": ("mat", "tran", "to", "quoc"),
    "tmcp": ("thuong", "mai", "co", "phan"),
    # field abbreviations inside names ("Ủy ban KH,CN&MT", "Sở TN&MT", "Bộ NN&PTNT", "Sở GD&ĐT")
    "kh": ("khoa", "hoc"),
    "cn": ("cong", "nghe"),
    "mt": ("moi", "truong"),
    "tn": ("tai", "nguyen"),
    "ptnt": ("phat", "trien", "nong", "thon"),
    "gd": ("giao", "duc"),
    "dmst": ("doi", "moi", "sang", "tao"),
    "qh": ("quoc", "hoi"),
}
# tokens that never distinguish two agencies ("và", "các", "của"... plus "có" in "có liên quan")
_IGNORED = {"va", "cac", "&"}
_TOKEN = re.compile(r"[^\W_]+|&")


@lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    return fold(token)


def key_tokens(text: str) -> list[str]:
    """Folded, abbreviation-expanded tokens without the filler words: the comparison key of a name."""
    out: list[str] = []
    toks = _TOKEN.findall(fold(re.sub(r"\([^)]*\)", " ", text or "")))
    for i, t in enumerate(toks):
        if t in _IGNORED:
            continue
        if t == "co" and i + 1 < len(toks) and toks[i + 1] == "lien":
            continue
        out.extend(ABBREVIATIONS.get(t, (t,)))
    return out


@lru_cache(maxsize=16384)  # agency names: the same few hundred strings recur in every document
def loose_key(text: str) -> str:
    return " ".join(key_tokens(text))


class AgencyResolver:
    """Official name for any alias / short name / spelling of an agency known to the registry."""

    def __init__(self, records: tuple[AgencyRecord, ...] | list[AgencyRecord] = AGENCIES):
        self.records: dict[str, AgencyRecord] = {}
        self._index: dict[str, str] = {}
        self._trie: dict = {}
        for rec in records:
            self.records[rec.name] = rec
        # later (more specific) spellings never override an official name
        for rec in records:
            self._add(rec.name, rec.name, strong=True)
        for rec in records:
            for alias in rec.short_names + rec.aliases:
                self._add(alias, rec.name)
            if rec.name.endswith(" Việt Nam"):
                self._add(rec.name[: -len(" Việt Nam")], rec.name)
            if rec.name.endswith(" của Quốc hội"):
                self._add(rec.name[: -len(" của Quốc hội")] + " Quốc hội", rec.name)

    def _add(self, spelling: str, official: str, strong: bool = False) -> None:
        toks = key_tokens(spelling)
        if not toks:
            return
        k = " ".join(toks)
        if k in self._index and not strong:
            return
        self._index[k] = official
        node = self._trie
        for t in toks:
            node = node.setdefault(t, {})
        if strong or "\0" not in node:
            node["\0"] = official

    def resolve(self, name: str) -> str | None:
        """Official name, or None when the registry does not know *name*."""
        if not name:
            return None
        k = loose_key(name)
        hit = self._index.get(k)
        if hit:
            return hit
        for prefix in ("dong chi ", "lanh dao "):
            if k.startswith(prefix) and k[len(prefix):] in self._index:
                return self._index[k[len(prefix):]]
        return None

    def record(self, name: str) -> AgencyRecord | None:
        official = self.resolve(name)
        return self.records.get(official) if official else None

    def members(self, name: str) -> list[str]:
        """Expansion of a collective addressee into its (non-dissolved) member agencies."""
        rec = self.record(name)
        if rec is None:
            return []
        out = list(rec.members)
        if rec.member_kinds:
            out += [r.name for r in self.records.values()
                    if r.kind in rec.member_kinds and r.dissolved_on is None and r.successor is None]
        return list(dict.fromkeys(out))

    def match_at(self, text: str, pos: int = 0) -> tuple[str, int] | None:
        """Longest registry name starting at *pos* of *text*: (official name, end offset) or None."""
        node = self._trie
        best: tuple[str, int] | None = None
        for m in _TOKEN.finditer(text, pos):
            start = m.start()
            if start != pos:
                gap = text[pos:start]
                if gap.strip(" ,.-–&") or "\n" in gap:
                    break  # only spaces and light punctuation may separate the tokens of one name
            tok = _fold_token(m.group())
            end = m.end()
            if tok in _IGNORED:
                pos = end
                continue
            if tok == "co" and fold(text[end:end + 5]).strip().startswith("lien"):
                pos = end
                continue
            expansion = ABBREVIATIONS.get(tok)
            if expansion is None:
                node = node.get(tok)
            else:
                for t in expansion:
                    node = node.get(t)
                    if node is None:
                        break
            if node is None:
                break
            pos = end
            if "\0" in node:
                best = (node["\0"], end)
        return best


@lru_cache(maxsize=1)
def default_resolver() -> AgencyResolver:
    """The resolver over :data:`AGENCIES`, built once."""
    return AgencyResolver(AGENCIES)


_EXTENDED: dict[tuple[int, tuple[str, ...]], AgencyResolver] = {}


def resolver_with(base: AgencyResolver, names) -> AgencyResolver:
    """*base* plus the agencies named in *names* (official names, e.g. from the caller's database) that it does not
    know yet. Built once per (base, set of names) and kept (a server passes the same list again and again)."""
    extra = tuple(sorted({" ".join(str(n).split()) for n in names if n and str(n).strip()}))
    key = (id(base), extra)
    got = _EXTENDED.get(key)
    if got is not None:
        return got
    new = tuple(AgencyRecord(n, "other") for n in extra if base.resolve(n) is None)
    got = AgencyResolver(tuple(base.records.values()) + new) if new else base
    if len(_EXTENDED) > 16:
        _EXTENDED.clear()
    _EXTENDED[key] = got
    return got
