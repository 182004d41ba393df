import unicodedata

from nq57.text.similarity import cosine, shared_passages, shingles, similarity, snippet, terms, vector, word_spans


def test_terms_fold_diacritics_nfd_tone_placement_and_d():
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân Đà Nẵng hoá đơn")
    assert terms(nfd) == ["uy", "ban", "nhan", "dan", "da", "nang", "hoa", "don"]
    assert terms("Uỷ ban") == terms("Ủy ban") == ["uy", "ban"]
    assert terms("") == []


def test_word_spans_point_into_the_original_text():
    text = "Thủ tục   cấp phép, quá chậm!"
    spans = word_spans(text)
    assert [text[s:e] for _, s, e in spans] == ["Thủ", "tục", "cấp", "phép", "quá", "chậm"]
    nfd = unicodedata.normalize("NFD", "Thủ tục")
    assert [nfd[s:e] for _, s, e in word_spans(nfd)] == nfd.split(" ")


def test_shingles():
    assert shingles(["a", "b", "c"], 2) == ["a b", "b c"]
    assert shingles("Công nghệ số", 2) == ["cong nghe", "nghe so"]


def test_cosine_and_similarity():
    assert cosine({}, {"a": 1.0}) == 0.0
    v = vector(["cong", "nghe", "cong"])
    assert abs(cosine(v, v) - 1.0) < 1e-9
    a = "Đề nghị đơn giản hoá thủ tục cấp phép nhập khẩu thiết bị nghiên cứu khoa học"
    b = "De nghi don gian hoa thu tuc cap phep nhap khau thiet bi nghien cuu khoa hoc"
    c = "Hỗ trợ doanh nghiệp khởi nghiệp sáng tạo tiếp cận vốn vay ưu đãi"
    assert similarity(a, b) > 0.99
    assert similarity(a, c) < 0.2
    # word order matters through the word pairs
    assert similarity("thủ tục cấp phép chậm", "chậm phép cấp tục thủ") < similarity(a, b)


def test_shared_passages_map_back_to_each_original():
    a = "Kính gửi Bộ. Đề nghị đơn giản hoá thủ tục cấp phép nhập khẩu thiết bị cho phòng thí nghiệm. Xin cảm ơn."
    b = "Chúng tôi đề nghị ĐƠN GIẢN HÓA thủ tục cấp phép nhập khẩu thiết bị, vì hiện rất chậm."
    found = shared_passages(a, b)
    assert found
    p = found[0]
    assert p.words == 13
    assert p.a_text == "Đề nghị đơn giản hoá thủ tục cấp phép nhập khẩu thiết bị"
    assert p.b_text == "đề nghị ĐƠN GIẢN HÓA thủ tục cấp phép nhập khẩu thiết bị"
    assert a[p.a_start : p.a_end] == p.a_text and b[p.b_start : p.b_end] == p.b_text
    assert shared_passages(a, "hoàn toàn khác") == []


def test_snippet_centres_on_the_query_words():
    text = " ".join(["mở đầu"] * 30) + " trung tâm dữ liệu quốc gia " + " ".join(["kết thúc"] * 30)
    out = snippet(text, terms("du lieu quoc gia"), width=10)
    assert "dữ liệu quốc gia" in out and out.startswith("… ") and out.endswith(" …")
    assert snippet("ngắn gọn", ["x"]) == "ngắn gọn"
