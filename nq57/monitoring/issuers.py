"""Who issues the consolidated report, and so how its header, number and signature look.

Two kinds of issuer, two layouts:

* ``party`` — a Party body (Hướng dẫn 36-HD/VPTW on Party documents): "ĐẢNG CỘNG SẢN VIỆT NAM" on the right,
  underlined, over the place and date in italics; on the left the superior body, the issuer in bold, a star, and the
  number "Số      -BC/TGV" (no colon, a hyphen before the kind of document); signed "T/M …".
* ``state`` — a State body (Nghị định 30/2020/NĐ-CP): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh
  phúc" on the right over the place and date in italics; on the left the superior body (if any), the issuer in
  bold and underlined, and "Số:      /BC-BKHCN"; signed "KT. BỘ TRƯỞNG" / "TM. …".

The default issuer comes from the settings (``REPORT_ISSUER_KIND``, ``REPORT_ISSUER_NAME``, ``REPORT_ISSUER_PARENT``,
``REPORT_ISSUER_CODE``, ``REPORT_PLACE``; empty values keep that kind's preset); the report page's ``?issuer=party|
state`` and ``nq57 report --issuer party|state`` choose the other kind for one report.
"""

from dataclasses import dataclass, replace

from django.conf import settings

PARTY, STATE = "party", "state"
KINDS = {PARTY: "Cơ quan của Đảng", STATE: "Cơ quan nhà nước"}


@dataclass(frozen=True)
class Issuer:
    kind: str
    name: str  # upper case, as printed: "TỔ GIÚP VIỆC"
    parent: str  # the superior body, upper case; may be empty
    code: str  # the issuer's abbreviation in the number: "TGV", "BKHCN"
    in_sentence: str  # the issuer in a sentence: "Tổ Giúp việc Ban Chỉ đạo Trung ương"
    sign_on_behalf: str  # "T/M TỔ GIÚP VIỆC", "KT. BỘ TRƯỞNG"
    signer_title: str  # "TỔ TRƯỞNG", "THỨ TRƯỞNG"
    place: str = "Hà Nội"

    @property
    def is_party(self) -> bool:
        return self.kind == PARTY

    @property
    def motto(self) -> tuple[str, str]:
        """The right-hand heading: (first line, underlined second line; empty for a Party body)."""
        if self.is_party:
            return "ĐẢNG CỘNG SẢN VIỆT NAM", ""
        return "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"

    @property
    def number(self) -> str:
        """The number line with the number left blank for the clerk: Party "Số   -BC/TGV", State "Số:   /BC-BKHCN"."""
        blank = "\u00a0" * 6
        return f"Số{blank}-BC/{self.code}" if self.is_party else f"Số:{blank}/BC-{self.code}"

    def date_line(self, day) -> str:
        return f"{self.place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    @property
    def archive_line(self) -> str:
        return f"Lưu: {self.code}." if self.is_party else f"Lưu: VT, {self.code}."


PRESETS = {
    PARTY: Issuer(
        kind=PARTY,
        name="TỔ GIÚP VIỆC",
        parent="BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ",
        code="TGV",
        in_sentence="Tổ Giúp việc Ban Chỉ đạo Trung ương",
        sign_on_behalf="T/M TỔ GIÚP VIỆC",
        signer_title="TỔ TRƯỞNG",
    ),
    STATE: Issuer(
        kind=STATE,
        name="BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        parent="",
        code="BKHCN",
        in_sentence="Bộ Khoa học và Công nghệ",
        sign_on_behalf="KT. BỘ TRƯỞNG",
        signer_title="THỨ TRƯỞNG",
    ),
}


def default_kind() -> str:
    kind = (settings.REPORT_ISSUER_KIND or PARTY).strip().lower()
    return kind if kind in PRESETS else PARTY


def issuer_for(kind: str | None = None) -> Issuer:
    """The issuer of ``kind`` (``None``: the configured default). The configured name, parent and code apply to the
    configured kind only; the other kind is its preset."""
    chosen = kind if kind in PRESETS else default_kind()
    issuer = replace(PRESETS[chosen], place=settings.REPORT_PLACE or "Hà Nội")
    if chosen != default_kind():
        return issuer
    name = settings.REPORT_ISSUER_NAME.strip().upper()
    changes = {}
    if name and name != issuer.name:
        changes.update(name=name, in_sentence=settings.REPORT_ISSUER_NAME.strip(),
                       sign_on_behalf=f"T/M {name}" if issuer.is_party else f"TM. {name}", signer_title="")
    if settings.REPORT_ISSUER_PARENT.strip():
        changes["parent"] = settings.REPORT_ISSUER_PARENT.strip().upper()
    if settings.REPORT_ISSUER_CODE.strip():
        changes["code"] = settings.REPORT_ISSUER_CODE.strip().upper()
    return replace(issuer, **changes)
