"""What every install has without demo data: the programmes, the themes and the strategic-technology catalogue.

Rows an office already has (same code / decision number) are left as they are; a default programme is only chosen
when none is. Reversing leaves the rows (notices and tasks may point at them).

Sources:
- programmes: Nghị quyết 57-NQ/TW (22/12/2024); Nghị quyết 03/NQ-CP (09/01/2025), the Government action programme
  (``../shared/corpus/03-NQ-CP.txt``); Nghị quyết 71/NQ-CP (01/04/2025) amending it, named by the notices.
- themes: the slices the glossary names (3 Nhà, khu công nghệ cao, đô thị thông minh, trí tuệ nhân tạo, nhân lực, thể
  chế, hạ tầng) with the keywords the demo data used, now matched as whole words (``taxonomy.matching``).
- catalogue: Quyết định 1131/QĐ-TTg ngày 12/6/2025 of the Prime Minister (11 groups, 35 product groups). Groups 1-4 and
  their 15 product groups as reported by Khoa học & Phát triển (MOST) on 13/6/2025 and other press; the product groups
  of groups 5-11 are not entered (the version's note says so) until checked against the decision's annex.
"""

import datetime as dt

from django.db import migrations

PROGRAMMES = [
    ("57-NQ/TW", "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
                 "quốc gia", True),
    ("03/NQ-CP", "Chương trình hành động của Chính phủ thực hiện Nghị quyết 57-NQ/TW", False),
    ("71/NQ-CP", "Nghị quyết 71/NQ-CP sửa đổi, bổ sung, cập nhật Chương trình hành động của Chính phủ thực hiện Nghị "
                 "quyết 57-NQ/TW", False),
]

THEMES = [
    ("3-nha", "Mô hình 3 Nhà", ["3 nhà", "ba nhà", "nhà trường", "viện, trường", "đặt hàng", "thương mại hóa"]),
    ("khu-cong-nghe-cao", "Khu công nghệ cao", ["khu công nghệ cao", "khu CNC"]),
    ("do-thi-thong-minh", "Đô thị thông minh", ["đô thị thông minh", "thành phố thông minh"]),
    ("tri-tue-nhan-tao", "Trí tuệ nhân tạo", ["trí tuệ nhân tạo", "AI", "dữ liệu lớn"]),
    ("nhan-luc", "Nhân lực", ["nhân lực", "chuyên gia", "nhân tài", "đào tạo"]),
    ("the-che", "Thể chế", ["nghị định", "luật", "thông tư", "cơ chế, chính sách", "thể chế", "quy định"]),
    ("ha-tang", "Hạ tầng", ["hạ tầng", "phòng thí nghiệm", "trung tâm dữ liệu", "nguồn cung điện", "5G"]),
]

CATALOGUE_1131 = {
    "decision_number": "1131/QĐ-TTg",
    "issued_on": dt.date(2025, 6, 12),
    "title": "Ban hành Danh mục công nghệ chiến lược và sản phẩm công nghệ chiến lược",
    "issuer": "Thủ tướng Chính phủ",
    "note": "Danh mục gồm 11 nhóm công nghệ chiến lược với 35 nhóm sản phẩm. Đã nhập các nhóm sản phẩm của nhóm 1–4; "
            "nhóm sản phẩm của các nhóm 5–11 sẽ được bổ sung sau khi đối chiếu với Phụ lục của Quyết định.",
    "groups": [
        ("1", "Công nghệ trí tuệ nhân tạo, bản sao số, thực tế ảo/thực tế tăng cường",
         ["trí tuệ nhân tạo", "AI", "bản sao số", "thực tế ảo", "thực tế tăng cường"], [
             ("1.1", "Mô hình ngôn ngữ lớn tiếng Việt", ["mô hình ngôn ngữ lớn", "LLM"]),
             ("1.2", "Trợ lý ảo", ["trợ lý ảo"]),
             ("1.3", "Trí tuệ nhân tạo chuyên ngành", ["trí tuệ nhân tạo chuyên ngành", "AI chuyên ngành"]),
             ("1.4", "Trí tuệ nhân tạo phân tích", ["trí tuệ nhân tạo phân tích", "AI phân tích"]),
             ("1.5", "Bản sao số (Digital Twin)", ["bản sao số", "digital twin"]),
             ("1.6", "Vũ trụ ảo (Metaverse)", ["vũ trụ ảo", "metaverse"]),
         ]),
        ("2", "Công nghệ điện toán đám mây, lượng tử, dữ liệu lớn",
         ["điện toán đám mây", "lượng tử", "dữ liệu lớn", "big data"], [
             ("2.1", "Dịch vụ điện toán đám mây", ["điện toán đám mây", "dịch vụ đám mây"]),
             ("2.2", "Dịch vụ điện toán lượng tử, truyền thông lượng tử", ["điện toán lượng tử", "truyền thông lượng tử"]),
             ("2.3", "Trung tâm dữ liệu quy mô lớn", ["trung tâm dữ liệu"]),
         ]),
        ("3", "Công nghệ Blockchain", ["blockchain", "chuỗi khối"], [
            ("3.1", "Tài sản số, tiền số, tiền mã hóa", ["tài sản số", "tiền số", "tiền mã hóa", "tài sản mã hóa"]),
            ("3.2", "Hạ tầng mạng Blockchain", ["hạ tầng mạng blockchain", "hạ tầng blockchain"]),
            ("3.3", "Hệ thống truy xuất nguồn gốc", ["truy xuất nguồn gốc"]),
        ]),
        ("4", "Công nghệ mạng di động thế hệ sau (5G/6G)", ["5G", "6G", "mạng di động thế hệ sau"], [
            ("4.1", "Thiết bị, giải pháp mạng truy cập vô tuyến 5G/6G theo chuẩn ORAN",
             ["ORAN", "Open RAN", "mạng truy cập vô tuyến"]),
            ("4.2", "Mạng lõi 5G/6G", ["mạng lõi"]),
            ("4.3", "Giải pháp truyền dẫn IP tốc độ cao", ["truyền dẫn IP"]),
        ]),
        ("5", "Công nghệ robot và tự động hóa", ["robot", "rô-bốt", "tự động hóa"], []),
        ("6", "Công nghệ chip bán dẫn", ["chip", "bán dẫn", "vi mạch"], []),
        ("7", "Công nghệ an ninh mạng", ["an ninh mạng", "an toàn thông tin mạng"], []),
        ("8", "Công nghệ năng lượng và vật liệu tiên tiến", ["năng lượng mới", "vật liệu tiên tiến", "vật liệu mới"], []),
        ("9", "Công nghệ sinh học tiên tiến", ["công nghệ sinh học", "sinh học tiên tiến"], []),
        ("10", "Công nghệ hàng không, vũ trụ",
         ["hàng không", "công nghệ vũ trụ", "vệ tinh", "UAV", "bay không người lái"], []),
        ("11", "Công nghệ biển, đại dương và lòng đất", ["công nghệ biển", "đại dương", "lòng đất"], []),
    ],
}


def seed(apps, schema_editor):
    Programme = apps.get_model("taxonomy", "Programme")
    Theme = apps.get_model("taxonomy", "Theme")
    CatalogueVersion = apps.get_model("taxonomy", "CatalogueVersion")
    TechnologyField = apps.get_model("taxonomy", "TechnologyField")

    has_default = Programme.objects.filter(is_default=True).exists()
    for code, name, default in PROGRAMMES:
        Programme.objects.get_or_create(code=code, defaults={"name": name, "is_default": default and not has_default})
    for code, name, keywords in THEMES:
        Theme.objects.get_or_create(code=code, defaults={"name": name, "keywords": keywords})

    data = CATALOGUE_1131
    if CatalogueVersion.objects.filter(decision_number=data["decision_number"]).exists():
        return
    version = CatalogueVersion.objects.create(
        decision_number=data["decision_number"], issued_on=data["issued_on"], title=data["title"],
        issuer=data["issuer"], note=data["note"],
        is_current=not CatalogueVersion.objects.filter(is_current=True).exists(),
    )
    position = 0
    for code, name, keywords, products in data["groups"]:
        position += 1
        group = TechnologyField.objects.create(version=version, code=code, name=name, keywords=keywords,
                                               position=position)
        for p_code, p_name, p_keywords in products:
            position += 1
            TechnologyField.objects.create(version=version, parent=group, code=p_code, name=p_name,
                                           keywords=p_keywords, position=position)


class Migration(migrations.Migration):

    dependencies = [
        ("taxonomy", "0002_strategic_technology_catalogue"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
