import json

from nq57.extraction import extract_text
from nq57.extraction.cli import main

NOTICE = """Số: 99-TB/TGV
Hà Nội, ngày 10 tháng 3 năm 2026
THÔNG BÁO KẾT LUẬN
Ngày 09/3/2026, lãnh đạo Ban Chỉ đạo họp và yêu cầu triển khai các công việc sau:
1. Về hạ tầng số
a) Bộ Xây dựng:
- Chủ trì, phối hợp với Sở Thử nghiệm Lượng tử và các cơ quan liên quan xây dựng đề án. Hoàn thành trong tháng 5/2026.
- Rà soát quy hoạch. Báo cáo Thường trực Ban Chỉ đạo trước ngày 28/4.
b) Các cơ quan thuộc khối thử nghiệm: (1) Xây dựng kế hoạch. (2) Triển khai kế hoạch. **Nhiệm vụ thường xuyên.**
c) Bộ Y tế
- Số hóa hồ sơ.
- Kết nối dữ liệu.
Có báo cáo kết quả thực hiện, gửi Cơ quan Thường trực Ban Chỉ đạo trong tháng 9/2026.
2. Các Bộ: Tài chính, Công an phối hợp với Ủy ban nhân dân tỉnh Bắc Ninh triển khai. Hoàn thành trong Quý III/2026.
Thường trực Tổ Giúp việc trân trọng thông báo.
Nơi nhận:
- Như trên,
Phạm Văn Bình
"""


def _by_text(result, start):
    return [t for t in result["tasks"] if t["text"].startswith(start)][0]


def test_generic_notice():
    r = extract_text(NOTICE, source="x.txt")
    assert r["notice"]["number"] == "99-TB/TGV" and r["notice"]["date"] == "2026-03-10"
    assert r["notice"]["meeting_date"] == "2026-03-09" and r["notice"]["signer"] == "Phạm Văn Bình"
    assert len(r["tasks"]) == 7
    t = _by_text(r, "Chủ trì")
    assert t["lead"] == ["Bộ Xây dựng"] and t["coordinating"] == ["Sở Thử nghiệm Lượng tử"]
    assert t["coordinating_others"] is True and t["unknown_agencies"] == ["Sở Thử nghiệm Lượng tử"]
    assert t["deadline"] == {"kind": "month", "due": "2026-05-31", "raw": "Hoàn thành trong tháng 5/2026"}
    t = _by_text(r, "Rà soát")
    assert t["deadline"]["due"] == "2026-04-28" and t["report"]["due"] == "2026-04-28"
    parts = [t for t in r["tasks"] if t["path"].startswith("1.b.")]
    assert [p["text"] for p in parts] == ["Xây dựng kế hoạch.", "Triển khai kế hoạch."]
    assert all(p["deadline"]["kind"] == "recurring" for p in parts)
    assert parts[0]["lead"] == ["Các cơ quan thuộc khối thử nghiệm"]
    t = _by_text(r, "Số hóa")
    assert t["lead"] == ["Bộ Y tế"] and t["deadline"]["due"] == "2026-09-30" and t["report"]["due"] == "2026-09-30"
    t = _by_text(r, "Các Bộ")
    assert t["lead"] == ["Bộ Tài chính", "Bộ Công an"] and t["coordinating"] == ["Ủy ban nhân dân tỉnh Bắc Ninh"]
    assert t["deadline"]["kind"] == "quarter" and t["deadline"]["due"] == "2026-09-30"
    assert not any("trân trọng" in t["text"] for t in r["tasks"])


def test_cli_json_and_jsonl(tmp_path, capsys):
    f = tmp_path / "n.txt"
    f.write_text(NOTICE, encoding="utf-8")
    assert main([str(f), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"source", "notice", "tasks", "targets"}
    g = tmp_path / "m.txt"
    g.write_text(NOTICE, encoding="utf-8")
    assert main([str(tmp_path), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == 2 and all(json.loads(x)["tasks"] for x in lines)
    assert main([str(f), "--format", "table"]) == 0
    assert "Bộ Xây dựng" in capsys.readouterr().out


def test_cli_bad_input(tmp_path, capsys):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert main([str(f)]) == 1
    err = capsys.readouterr().err
    assert "rỗng" in err
    assert main([str(tmp_path / "missing.txt")]) == 1
    assert "Không mở được" in capsys.readouterr().err
