"""Addressee analysis: who leads (chủ trì), who coordinates (phối hợp), and agency lists in general."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nq57.text.vietnamese import fold, strip_markdown_emphasis

from .registry import AgencyResolver, loose_key

_F = re.IGNORECASE

# Head words that open the name of an organisation.
_HEADS = (
    "Ủy ban", "Uỷ ban", "UBND", "Bộ", "Ban", "Văn phòng", "Cơ quan", "Đài", "Viện", "Trung tâm", "Đại học", "Trường",
    "Học viện", "Ngân hàng", "Thanh tra", "Kiểm toán", "Tòa án", "Toà án", "Đảng ủy", "Đảng uỷ", "Tỉnh ủy", "Tỉnh uỷ",
    "Thành ủy", "Thành uỷ", "Thông tấn xã", "Hội đồng", "Tập đoàn", "Tổng công ty", "Công ty", "Cục", "Tổng cục", "Sở",
    "Quỹ", "Hiệp hội", "Liên hiệp", "Mặt trận", "Tổ", "Thường trực", "Quân ủy", "Quân uỷ", "Bảo hiểm", "Hội",
    # provincial and local bodies, departments of a ministry
    "Công an", "Bộ Chỉ huy", "Bộ Tư lệnh", "Kho bạc", "Chi cục", "Phòng", "Đoàn", "Liên đoàn", "Tổng Liên đoàn",
    "Thuế", "Hải quan", "Chi nhánh", "Ban Quản lý", "Ủy ban nhân dân", "Hội đồng nhân dân", "Đảng đoàn", "Đảng bộ",
    "Ban cán sự đảng", "Tổ đảng", "Chi bộ", "Vụ",
)
# a local body named by its level only: "Công an tỉnh", "Thuế tỉnh", "Bộ Chỉ huy Quân sự tỉnh"
RE_MANAGEMENT_BOARD = re.compile(
    r"Ban\s+Quản\s+lý\s+(?:các\s+)?(?:khu\s+(?:công\s+nghiệp|kinh\s+tế|chế\s+xuất|công\s+nghệ\s+cao)"
    r"(?:\s*(?:,|và)\s*khu\s+(?:công\s+nghiệp|kinh\s+tế|chế\s+xuất|công\s+nghệ\s+cao))*|dự\s+án(?:\s+đầu\s+tư)?(?:\s+xây\s+dựng)?"
    # "... công trình giao thông", "... công trình dân dụng và công nghiệp", "... phát triển đô thị"
    r"(?:\s+(?:các\s+)?(?:công\s+trình|giao\s+thông|dân\s+dụng|công\s+nghiệp|nông\s+nghiệp|phát\s+triển|đô\s+thị"
    r"|hạ\s+tầng|khu\s+vực|chuyên\s+ngành|và)){0,6})"
    r"(?:\s+(?:tỉnh|thành\s+phố))?(?:\s+[A-ZĐ][\wà-ỹđ]*)*"
)
_DEPARTMENT_HEADS = {"Cục", "Tổng cục", "Vụ", "Viện", "Chi cục", "Phòng"}
RE_PARENT_AT = re.compile(r"\s*(?:,|\()\s*(?=Bộ\s|Ủy\s+ban|Văn\s+phòng|Ngân\s+hàng\s+Nhà\s+nước)")
_LOCAL_HEADS = {"Công an", "Thuế", "Kho bạc", "Hải quan", "Bảo hiểm", "Bộ Chỉ huy", "Ủy ban", "Sở", "Ủy ban nhân dân",
                "Hội đồng nhân dân"}
RE_LOCAL_LEVEL = re.compile(r"\s+(?:tỉnh|thành\s+phố|cấp\s+tỉnh|cấp\s+xã|xã|phường|huyện|quận)\b")
RE_HEAD = re.compile(r"(?:" + "|".join(re.escape(h) for h in sorted(_HEADS, key=len, reverse=True)) + r")\b")

# Generic nouns of collective addressees ("các bộ, ngành, địa phương").
_NOUNS = (
    "cơ quan ngang bộ", "cơ quan thuộc Chính phủ", "cơ quan Đảng", "cơ quan đảng", "cơ quan", "bộ", "ngành",
    "đơn vị", "địa phương", "tổ chức", "doanh nghiệp nhà nước", "doanh nghiệp", "tập đoàn", "hiệp hội", "tỉnh",
    "thành phố", "viện nghiên cứu", "viện", "trường đại học", "trường", "cơ sở đào tạo", "cơ sở nghiên cứu",
    "chuyên gia", "nhà khoa học", "cá nhân", "ban", "sở", "cấp ủy", "tổ chức đảng", "đảng ủy", "tỉnh ủy", "thành ủy",
    "đại học", "ngân hàng", "cơ sở giáo dục đại học", "học viện", "tổ chức chính trị - xã hội", "hộ gia đình",
    "phường", "xã", "đặc khu", "sở, ban, ngành", "tổng công ty nhà nước", "tổng công ty", "cơ quan thông tấn, báo chí",
)
_NOUN = r"(?:" + "|".join(re.escape(n) for n in sorted(_NOUNS, key=len, reverse=True)) + r")(?![\w])"
_QUAL = (
    r"(?:\s+(?P<qual>(?:có\s+)?liên\s+quan|trực\s+thuộc\s+(?:Trung\s+ương|TW)|ở\s+Trung\s+ương\s+và\s+(?:các\s+)?địa\s+phương"
    r"|(?:có\s+)?đủ\s+điều\s+kiện|được\s+lựa\s+chọn|là\s+[^;]+$"
    # "các cơ quan của Đảng", "các cơ quan, đơn vị của Trung ương": of a named body (capitalised words)
    r"|(?:của|thuộc)\s+(?:Trung\s+ương|Nhà\s+nước|(?:Ủy\s+ban|Hội\s+đồng)\s+nhân\s+dân(?:\s+(?:tỉnh|thành\s+phố|cấp\s+tỉnh))?)"
    r"(?=\s*(?:[,;.:]|$|\s(?-i:[a-zà-ỹđ])))"
    r"|(?:của|thuộc)\s+(?-i:[A-ZĐÂÊÔƠƯÁÀẢÃẠ][\wà-ỹđ]*)(?:\s+(?-i:[A-ZĐ][\wà-ỹđ]*))*(?=\s*(?:[,;.:]|$|\s(?-i:[a-zà-ỹđ])))"
    r"|(?:ở\s+)?trung\s+ương\s+và\s+(?:các\s+)?địa\s+phương|hữu\s+quan|khác(?:\s+(?:có\s+)?liên\s+quan)?))?"
)
RE_COLLECTIVE = re.compile(
    # ", các <noun>" opens the next collective ("các bộ, ngành, địa phương, các cơ quan thông tấn, báo chí"); "và các
    # <noun>" goes on with this one ("các bộ, ngành và các địa phương")
    r"(?P<pre>các\s+|một\s+số\s+|những\s+)?(?P<nouns>" + _NOUN + r"(?:(?:\s*,\s*|\s+và\s+(?:các\s+)?)" + _NOUN + r")*)"
    + _QUAL,
    _F,
)
RE_AND_SPLIT = re.compile(r"\s+và\s+(?:các\s+)?", _F)
RE_NOUN_SPLIT = re.compile(r"\s*,\s*(?:các\s+)?|\s+và\s+(?:các\s+)?", _F)
# "các Bộ: Tài chính, Khoa học và Công nghệ" / "các địa phương Bắc Ninh, Bình Dương"
RE_ENUM_HEAD = re.compile(
    r"(?:các\s+đồng\s+chí\s+)?(?:bộ\s+trưởng\s+)?(?:(?:chủ\s+tịch\s+)?(?:ủy\s+ban\s+nhân\s+dân|ubnd)\s+)?"
    r"các\s+(?P<head>Bộ|đại\s+học|thành\s+ủy|tỉnh\s+ủy|địa\s+phương|tỉnh|thành\s+phố(?=\s*:)"
    r"|cơ\s+quan(?=\s*:)|đơn\s+vị(?=\s*:))"
    r"(?:\s*,\s*cơ\s+quan(?:\s+ngang)?)?\s*(?::\s*|\s+(?=[A-ZĐÀ-Ỹ]))",
    _F,
)
RE_SEP = re.compile(r"\s*(?:[,;]\s*(?:và\s+|cùng\s+)?|\s+và\s+|\s+cùng\s+(?:với\s+)?|\s+với\s+)\s*|\s+", _F)
RE_PERSON_PREFIX = re.compile(r"(?:các\s+)?đồng\s+chí\s*:?\s*", _F)
# the title of the head of an agency, before the agency's name: "Bộ trưởng Bộ Y tế", "Chủ tịch UBND tỉnh X",
# "Thống đốc Ngân hàng Nhà nước Việt Nam", "Tổng Kiểm toán Nhà nước" (the title stands for the agency it heads)
RE_HEAD_TITLE = re.compile(
    r"(?:(?:các\s+)?đồng\s+chí\s+)?(?:(?:Phó\s+)?(?:Bộ\s+trưởng|Thủ\s+trưởng|Chủ\s+tịch|Chủ\s+nhiệm|Trưởng"
    r"|Bí\s+thư|(?-i:Lãnh)\s+đạo|(?-i:Tổ)\s+trưởng|Chánh\s+Văn\s+phòng|Chánh\s+án|Viện\s+trưởng|Thống\s+đốc|Tổng\s+Giám\s+đốc|Giám\s+đốc|Tổng(?=\s+Kiểm\s+toán)"
    r"|Tổng\s+Thanh\s+tra(?=\s+Chính\s+phủ)|Chủ\s+tịch\s+Hội\s+đồng\s+thành\s+viên)\s*,?\s+)+",
    _F,
)
RE_MEMBERS = re.compile(r"(?:từng|các|mỗi)\s+(?:đồng\s+chí\s+)?thành\s+viên\s+(?=[A-ZĐ])", re.IGNORECASE)
RE_COLLECTIVE_PRE = re.compile(r"(?:các|những)\s", _F)
RE_TITLE_KEEP = re.compile(r"Tổng\s+Thanh\s+tra\s+$", _F)
_SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Tô Trương Đinh Lâm Mai Đào Tạ Cao Hà "
    "Lương Trịnh Đoàn Vương Thái Lưu Quách Chu Tăng Kiều La Giang Châu Triệu Tống Hứa Lại Nông Thân Từ Mạc Doãn Khuất"
).split()
RE_PERSON = re.compile(r"(?:" + "|".join(_SURNAMES) + r")(?:\s+[A-ZĐÀ-Ỹ][\wà-ỹ]*){1,3}")
RE_TITLES = re.compile(
    r"(?:Phó\s+)?(?:Thủ\s+tướng(?:\s+Chính\s+phủ)?|Tổng\s+Bí\s+thư|Chủ\s+tịch(?:\s+nước)?|Bộ\s+trưởng|Trưởng\s+ban)\s+",
)
# lower-case verbs that open a predicate (so the subject ends before them)
PREDICATE = re.compile(
    r"\b(?:tiếp\s+tục|tăng\s+cường|chủ\s+trì|phối\s+hợp|chủ\s+động|khẩn\s+trương|chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm"
    r"|chỉ\s+đạo|triển\s+khai|xây\s+dựng|hoàn\s+thiện|hoàn\s+chỉnh|nghiên\s+cứu|rà\s+soát|tổ\s+chức|thực\s+hiện|bảo\s+đảm"
    r"|đảm\s+bảo|đẩy\s+mạnh|cập\s+nhật|công\s+bố|ban\s+hành|trình|tập\s+trung|hướng\s+dẫn|theo\s+dõi|đôn\s+đốc|kiểm\s+tra"
    r"|giám\s+sát|phát\s+huy|quan\s+tâm|bố\s+trí|đề\s+xuất|tham\s+mưu|cần|phải|nên|sớm|hoàn\s+thành|trên\s+cơ\s+sở"
    r"|đầu\s+tư|thành\s+lập|lựa\s+chọn|duy\s+trì|xử\s+lý|chuẩn\s+bị|tổng\s+hợp|báo\s+cáo|thúc\s+đẩy|kết\s+nối|phát\s+triển"
    r"|tuyên\s+truyền|định\s+kỳ|chủ\s+trì,|lập|cử|giao|rà|sửa\s+đổi|bổ\s+sung|làm\s+rõ|theo)\b"
)
RE_NEXT_PERSON = re.compile(r",?\s+(?:và\s+)?(?:các\s+)?đồng\s+chí\b|,\s*(?=(?:" + "|".join(_SURNAMES) + r")\s)")
RE_NAME_TOKEN = re.compile(r"[ \t]+(?P<w>[\wà-ỹđĐ&-]+)")
_NAME_STOP = set(
    "chủ phối triển xây hoàn nghiên rà tổ thực bảo đảm đẩy cập công ban trình tập hướng theo đôn kiểm giám phát quan "
    "bố đề tham cần phải nên sớm khẩn tiếp tăng chịu có chỉ và các của về tại trong với để được đã sẽ đang là cùng "
    "liên nhằm thì mà như gồm".split()
)
# words that never belong inside a name (a name ends before them)
_NAME_FUNCTION = set(
    "và các của về tại trong với để được đã sẽ đang là cùng liên nhằm thì mà như gồm có trên theo thuộc này đó "
    "khác những mọi từng cho sau trước".split()
)
# a field abbreviation inside a name, read as one capitalised word: "KH,CN&MT", "TN&MT", "NN&PTNT"
RE_NAME_ABBREV = re.compile(r"[ \t]+(?P<w>[A-ZĐ]{1,4}(?:\s*[,&]\s*[A-ZĐ]{1,5})+|(?<=ban|ồng)[ \t]+nhân\s+dân)\b")
RE_NAME_COMMA = re.compile(r",(?=\s+[" + "A-ZĐÀ-Ỹ" + r"])")
# "Cục Thông tin, Thống kê chủ trì ...": the words after the comma run to a verb / the end, not to another comma
RE_NAME_COMMA_END = re.compile(r"\s+[A-ZĐÀ-Ỹ][\wà-ỹđ]*(?:\s+[a-zà-ỹđ][\wà-ỹđ]*)?(?=\s+[a-zà-ỹđ]|\s*[.;:]|\s*$)")
RE_RELATED_TAIL = re.compile(r"^\s*(?:có\s+)?liên\s+quan\b", _F)
# "phối hợp với", "phối hợp chặt chẽ, quyết liệt với", "cùng với" ("hợp tác với" is no partner in the work: "hợp tác
# với các đại học uy tín")
_HOW = r"(?:chặt\s+chẽ|quyết\s+liệt|hiệu\s+quả|đồng\s+bộ|tốt)"
RE_PARTNER = re.compile(
    r"(?:phối\s+h[ợo]p(?:\s+" + _HOW + r"(?:\s*,\s*" + _HOW + r")*)?(?:\s+(?:với|cùng(?:\s+với)?))?"
    r"|cùng\s+với|chủ\s+trì\s+cùng)\s+", _F)
RE_ADVERBIAL = re.compile(
    r"^(?:Trên\s+cơ\s+sở|Căn\s+cứ|Để|Đối\s+với|Về|Theo|Sau\s+khi|Trước\s+mắt|Đồng\s+thời|Do\s+đó|Vì\s+vậy|Trong|Nếu"
    r"|Khi|Ngoài\s+ra|Bên\s+cạnh|Từ\s+nay|Định\s+kỳ|Hằng\s+năm|Hàng\s+năm|Hằng\s+quý|Hàng\s+quý|Hằng\s+tháng"
    r"|Hàng\s+tháng|Trước\s+ngày|Trong\s+năm)\b"
)
# a request verb before the addressee: "Đề nghị Bộ Y tế ...", "Giao Bộ Công an chủ trì ...", "Yêu cầu các tỉnh ..."
# (a speck an OCR run left before the verb, "1 Đề nghị ...", is no part of it)
RE_REQUEST = re.compile(
    r"(?:[\d|!]\s+(?=\S+\s+nghị|Yêu))?(?:Kính\s+)?(?:Đề\s+nghị|Giao(?:\s+cho)?|Yêu\s+cầu)\s+(?=\S)(?!cho\s)")
RE_REQUEST_AFTER = re.compile(r"\s*,?\s*(?:đề\s+nghị|yêu\s+cầu|giao(?:\s+cho)?)\s*:?\s+(?=\S)", _F)
# "Đối với Bộ Y tế", "Đối với các địa phương, cần ...": the addressee after "đối với"
RE_AS_FOR = re.compile(r"(?:Riêng\s+)?(?:Đối\s+với|Với)\s+")
RE_AS_FOR_END = re.compile(r"\s*(?:[:.]\s*)?$|\s*[,:]\s*")
RE_DIRECTING_END = re.compile(r"\bchỉ\s+đạo\s*:?\s*$", _F)
RE_RESPONSIBLE = re.compile(r"^\s*(?:chủ\s+trì|chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm)\b", _F)

# Hot-path patterns compiled once. The "_AT" variants of "^"-anchored patterns are used with match(text, pos), which
# is equivalent to matching text[pos:] (no lookbehind, no "^", no leading \b) without copying the tail of the text.
RE_RESPONSIBLE_AT = re.compile(RE_RESPONSIBLE.pattern[1:], _F)
RE_RELATED_TAIL_AT = re.compile(r"\s*(?:có\s+)?liên\s+quan\b", _F)
RE_JOINT_VERB_AT = re.compile(r"\s+" + PREDICATE.pattern[2:])
RE_NOT_JOINT_AT = re.compile(r"\s+(?:chỉ\s+đạo|phối\s+hợp|theo|giao|định\s+kỳ|báo\s+cáo)\b", _F)
# "Tỉnh ủy, Ủy ban nhân dân tỉnh X" / "Thành ủy và UBND Thành phố X": the Party committee shares the province name
RE_SHARED_PROVINCE = re.compile(
    r"(?P<level>Tỉnh|Thành)\s+ủy\s*(?:,|\s+và)\s*(?=(?:Ủy\s+ban\s+nhân\s+dân|UBND)\s+(?:tỉnh|thành\s+phố|TP\.?)\s)", _F
)
RE_PROVINCE_PREFIX = re.compile(r"^Ủy ban nhân dân (?:tỉnh|Thành phố) ")
RE_PAREN_NOTE = re.compile(r"\s*\([^()]{1,40}\)")
RE_LIST_PUNCT = re.compile(r"[,;]")
RE_OF_TAIL = re.compile(r"\s*(?:của|thuộc)\b")
# upper-case letters only ("À-Ỹ" as a range also holds the lower-case Vietnamese letters: "đào" is not a name)
_UPPER = "A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x1EFA)) if ch.isalpha() and ch.isupper())
RE_CAP_AFTER_SPACE = re.compile(r"\s+[" + _UPPER + "]")
RE_CAP = re.compile(r"[" + _UPPER + "]")
RE_LOWER_TAIL = re.compile(r"(?:\s+[a-zà-ỹđ][\wà-ỹđ]*)+\s*$")
RE_RELATED_QUAL = re.compile(r"(?:có\s+)?liên\s+quan", _F)
RE_ENUM_SEP = re.compile(r"\s*[,;]\s*|\s+và\s+(?![Cc]ác\s)")
RE_CLAUSE_END = re.compile(r"[.;:]\s")
RE_COMMA = re.compile(r",\s*")
RE_GENERIC_BRACKET = re.compile(r"(?:các\s+)?(?:cơ\s+quan|đơn\s+vị|bộ)[^(),.;:]{0,40}\(", _F)
RE_SENTENCE_GAP = re.compile(r"[;.]\s+")
# a lower-case modifier after a collective noun ("các doanh nghiệp công nghệ", "các hiệp hội ngành nghề"): at most four
# syllables, and only when a clear boundary follows it (punctuation, a predicate verb, a function word, "liên quan")
RE_MODIFIER_WORD = re.compile(r" (?P<w>[a-zà-ỹđ][\wà-ỹđ]*)")
RE_MODIFIER_BOUNDARY = re.compile(r"\s*(?:$|[,;.:)]|(?:có\s+)?liên\s+quan\b)")
_MODIFIER_STOP = set(
    "và các của về tại trong với để được đã sẽ đang là cùng nhằm thì mà như gồm có ở trên theo thuộc này đó khác "
    "nói dưới ngoài trực đủ lựa chịu".split()
)
# verbs the PREDICATE pattern does not list but that open a predicate after a collective partner
RE_MODIFIER_VERB = re.compile(
    r"(?:đào\s+tạo|cung\s+cấp|hỗ\s+trợ|ứng\s+dụng|tham\s+gia|sản\s+xuất|kinh\s+doanh|hoạt\s+động|quản\s+lý|vận\s+hành"
    r"|giải\s+quyết|nâng\s+cao|khai\s+thác|huy\s+động|đặt\s+hàng|tiếp\s+nhận|nhận|góp\s+ý|cho\s+ý\s+kiến|thống\s+nhất"
    r"|thẩm\s+định|đánh\s+giá|vận\s+động|chia\s+sẻ|đăng\s+ký|ký|mở|đưa|xác\s+định|giúp|tiếp\s+nhận|lãnh\s+đạo"
    r"|giám\s+sát|thẩm\s+tra|kiến\s+nghị|đề\s+nghị|yêu\s+cầu|quyết\s+định|phê\s+duyệt|thông\s+qua|ban\s+hành"
    r"|tạo\s+(?:điều\s+kiện|thuận\s+lợi|môi\s+trường))\b"
)

_DISPLAY_ABBREV = (
    (re.compile(r"\bCSDLQG\b"), "cơ sở dữ liệu quốc gia"),
    (re.compile(r"\bCSDL\b"), "cơ sở dữ liệu"),
    # field abbreviations inside names: "Ủy ban KH,CN&MT", "Sở TN&MT", "Sở NN&PTNT", "Sở GD&ĐT"
    (re.compile(r"\bKH\s*,\s*CN\s*&\s*MT\b"), "Khoa học, Công nghệ và Môi trường"),
    (re.compile(r"\bKH\s*,\s*CN\s*(?:&|,)\s*ĐMST\b"), "khoa học, công nghệ và đổi mới sáng tạo"),
    (re.compile(r"\bKH\s*&\s*CN\b|\bKHCN\b"), "Khoa học và Công nghệ"),
    (re.compile(r"\bTN\s*&\s*MT\b|\bTNMT\b"), "Tài nguyên và Môi trường"),
    (re.compile(r"\bNN\s*&\s*PTNT\b|\bNN\s+và\s+PTNT\b"), "Nông nghiệp và Phát triển nông thôn"),
    (re.compile(r"\bNN\s*&\s*MT\b"), "Nông nghiệp và Môi trường"),
    (re.compile(r"\bGD\s*&\s*ĐT\b|\bGDĐT\b"), "Giáo dục và Đào tạo"),
    (re.compile(r"\bLĐ\s*-?\s*TB\s*&\s*XH\b"), "Lao động - Thương binh và Xã hội"),
    (re.compile(r"\bVH\s*,\s*TT\s*&\s*DL\b"), "Văn hóa, Thể thao và Du lịch"),
    (re.compile(r"\bTT\s*&\s*TT\b"), "Thông tin và Truyền thông"),
    (re.compile(r"\bUBTVQH\b"), "Ủy ban Thường vụ Quốc hội"),
    (re.compile(r"\bĐBQH\b"), "đại biểu Quốc hội"),
    (re.compile(r"\bTW\b"), "Trung ương"),
    (re.compile(r"\bUBND\b"), "Ủy ban nhân dân"),
)


RE_ANY_DISPLAY_ABBREV = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in _DISPLAY_ABBREV))


def expand_abbreviations(name: str) -> str:
    if not RE_ANY_DISPLAY_ABBREV.search(name):
        return name
    for rx, rep in _DISPLAY_ABBREV:
        name = rx.sub(rep, name)
    # "Ủy ban UBTVQH": the head word written before an abbreviation that already holds it
    return RE_DOUBLED_HEAD.sub(r"\1", name)


RE_DOUBLED_HEAD = re.compile(r"\b(Ủy ban|Ban|Bộ|Văn phòng|Hội đồng)\s+\1\b")


# the rest of a joint subject the registry cannot read ("..., Hội doanh nghiệp nhỏ và vừa, các hội nghề nghiệp, các tổ
# chức xã hội, đoàn thể nhân dân có biện pháp ..."): comma-separated members up to the verb that opens the predicate
RE_LOOSE_VERB = re.compile(PREDICATE.pattern[:-3] + r"|có\s+(?:biện\s+pháp|giải\s+pháp|kế\s+hoạch|phương\s+án"
                           r"|chương\s+trình)|tạo\s+điều\s+kiện|quán\s+triệt|động\s+viên|vận\s+động)\b")
RE_LOOSE_SPLIT = re.compile(r"\s*,\s*|\s+và\s+(?=các\s|[" + "A-ZĐ" + r"])")
RE_LOOSE_MEMBER = re.compile(r"(?:các|những)\s+\S|[A-ZĐÂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]")


def _lower1(s: str) -> str:
    return s[:1].lower() + s[1:] if s else s


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


@dataclass
class AgencyRef:
    name: str  # official name when known, else as written (cleaned)
    known: bool
    related: bool = False  # "... liên quan": a generic tail
    collective: bool = False
    person: bool = False
    role: str = ""  # "chair" / "partner" when marked "(chủ trì)" / "(phối hợp)" after the name


@dataclass
class Assignment:
    lead: list[AgencyRef] = field(default_factory=list)
    coordinating: list[AgencyRef] = field(default_factory=list)
    others: bool = False
    directing: bool = False  # the subject only "chỉ đạo" (directs) the items below it
    subject_end: int = 0  # offset in the cleaned text where the predicate starts (0 if no subject)


class AgencyParser:
    def __init__(self, resolver: AgencyResolver):
        self.resolver = resolver

    # --- single mentions ----------------------------------------------------------------------------------------
    def _collective(self, text: str, pos: int, cell: bool) -> tuple[list[AgencyRef], int] | None:
        m = RE_COLLECTIVE.match(text, pos)
        if not m:
            return None
        nouns_end = m.end("nouns")
        after = text[nouns_end:nouns_end + 2]
        qual = m.group("qual")
        # "Bộ Tài chính", "Trung tâm ...": a generic noun followed by a capitalised name is not a collective
        if not qual and RE_CAP_AFTER_SPACE.match(text, nouns_end, nouns_end + 3) and "," not in m.group("nouns"):
            return None
        # "Đảng ủy cơ quan Văn phòng Quốc hội": a capitalised noun without "các" opens the name of one body
        if not m.group("pre") and RE_CAP.match(text, m.start()) and "," not in m.group("nouns") \
                and " và " not in m.group("nouns") and RE_CAP_AFTER_SPACE.search(text, nouns_end, nouns_end + 40):
            return None
        end = m.end()
        pre = (m.group("pre") or "").strip().lower()
        nouns_txt = m.group("nouns")
        nouns = [n for n in RE_NOUN_SPLIT.split(nouns_txt) if n]
        if cell and not qual:
            tail = RE_LOWER_TAIL.match(text, end)
            if tail and not PREDICATE.match(tail.group(0).strip()):
                qual = tail.group(0).strip()
                end = len(text)
        if not qual and not cell and pre == "các" and len(nouns) == 1:
            end = self._modifier(text, end)
        written = text[m.start():end].strip()
        if end > m.end() and not qual:
            official = self.resolver.resolve(written)
            name = official or expand_abbreviations(_cap(written))
            return [AgencyRef(name, official is not None, collective=True)], end
        if qual and RE_RELATED_QUAL.search(qual):
            official = self.resolver.resolve(written)
            name = official or _cap(("các " + _lower1(written) if not pre else written).strip())
            return [AgencyRef(expand_abbreviations(name), official is not None, related=True, collective=True)], end
        if qual or pre in ("một số", "những"):
            official = self.resolver.resolve(written)
            if official:
                return [AgencyRef(official, True, collective=True)], end
            name = written if pre else "các " + _lower1(written)
            return [AgencyRef(expand_abbreviations(_cap(name)), False, collective=True)], end
        # plain noun list: one collective as written ("các bộ, ngành, cơ quan thuộc Chính phủ") when only commas join
        # it; otherwise segment it into registry collectives
        if len(nouns) > 1 and pre == "các":
            official = self.resolver.resolve(written)
            if official:
                return [AgencyRef(official, True, collective=True)], end
            groups = [g for g in RE_AND_SPLIT.split(written[len(m.group("pre")):]) if g.strip()]
            if len(groups) > 1 and all(len(RE_NOUN_SPLIT.split(g)) == 1 for g in groups):
                groups = [", ".join(groups)]  # "các bộ và ngành": one collective
            out = []
            for g in groups:
                official = self.resolver.resolve("các " + g)
                out.append(AgencyRef(official or _cap(expand_abbreviations("các " + g.strip())), official is not None,
                                     collective=True))
            return out, end
        out: list[AgencyRef] = []
        i = 0
        while i < len(nouns):
            for j in range(len(nouns), i, -1):
                official = self.resolver.resolve(", ".join(nouns[i:j]))
                if official:
                    out.append(AgencyRef(official, True, collective=True))
                    i = j
                    break
            else:
                rest = nouns[i:]
                if len(rest) == 1 and fold(rest[0]) in ("bo", "co quan", "don vi", "nganh", "ban", "to chuc"):
                    i = len(nouns)
                    break
                out.append(AgencyRef(_cap("các " + ", ".join(rest)), False, collective=True))
                i = len(nouns)
        del after
        return out, end

    @staticmethod
    def _modifier(text: str, end: int) -> int:
        """End of a lower-case modifier of a collective noun, or *end* when there is none (or no clear boundary)."""
        p = end
        for _ in range(4):
            w = RE_MODIFIER_WORD.match(text, p)
            if not w or w.group("w") in _MODIFIER_STOP or PREDICATE.match(text, w.start("w")) \
                    or RE_MODIFIER_VERB.match(text, w.start("w")):
                break
            p = w.end()
            if RE_MODIFIER_BOUNDARY.match(text, p):
                return p
            nxt = RE_MODIFIER_WORD.match(text, p)
            if nxt and (nxt.group("w") in _MODIFIER_STOP or PREDICATE.match(text, nxt.start("w"))
                        or RE_MODIFIER_VERB.match(text, nxt.start("w"))):
                return p
        return end

    def _enumerated(self, text: str, pos: int) -> tuple[list[AgencyRef], int] | None:
        m = RE_ENUM_HEAD.match(text, pos)
        if not m:
            return None
        head = fold(m.group("head"))
        prefix = {"bo": "Bộ ", "dai hoc": "Đại học ", "thanh uy": "Thành ủy ", "tinh uy": "Tỉnh ủy ",
                  "dia phuong": "", "tinh": "tỉnh ", "thanh pho": "", "co quan": "", "don vi": ""}.get(head, "")
        out: list[AgencyRef] = []
        p = m.end()
        while p < len(text):
            chunk = prefix + text[p:p + 160]
            hit = self.resolver.match_at(chunk, 0)
            if not hit or hit[1] <= len(prefix):
                if prefix:
                    break
                got = self._unknown(text, p)
                if not got:
                    break
                out.extend(got[0])
                p = got[1]
            else:
                out.append(AgencyRef(hit[0], True))
                p += hit[1] - len(prefix)
            sep = RE_ENUM_SEP.match(text, p)
            if not sep or not RE_CAP.match(text, sep.end(), sep.end() + 1):
                break
            nxt = prefix + text[sep.end():sep.end() + 160]
            nhit = self.resolver.match_at(nxt, 0)
            if not (nhit and nhit[1] > len(prefix)) and prefix:
                break
            p = sep.end()
        if not out:
            return None
        return out, p

    def _person(self, text: str, pos: int) -> tuple[list[AgencyRef], int] | None:
        m = RE_PERSON_PREFIX.match(text, pos)
        p = m.end() if m else pos
        t = RE_TITLES.match(text, p)
        while t:
            p = t.end()
            t = RE_TITLES.match(text, p)
        if not m and p == pos:
            return None
        pm = RE_PERSON.match(text, p)
        if not pm:
            return None
        end = pm.end()
        # skip an appositive (", Phó Trưởng Ban Chỉ đạo") up to the next person or the predicate
        rest = text[end:]
        stop = len(rest)
        for rx in (RE_NEXT_PERSON, PREDICATE):
            mm = rx.search(rest)
            if mm and mm.start() < stop:
                stop = mm.start()
        if rest[:1] == ",":
            end += stop
        return [AgencyRef(pm.group(0).strip(), False, person=True)], end

    def _unknown(self, text: str, pos: int) -> tuple[list[AgencyRef], int] | None:
        """A name the registry does not know: head word + capitalised words (and their lower-case syllables)."""
        m = RE_HEAD.match(text, pos)
        if not m:
            return None
        end = m.end()
        lower_run = 0  # lower-case syllables since the last capitalised word ("Phát triển", "Quỹ đất")
        caps = 0
        p = end
        while True:
            tok = RE_NAME_ABBREV.match(text, p) or RE_NAME_TOKEN.match(text, p)
            if tok is None:
                # "Cục Thông tin, Thống kê": a comma inside the name, before a capitalised word that opens no new name
                cm = RE_NAME_COMMA.match(text, p)
                after = cm.end() + 1 if cm else 0
                if cm and caps and not RE_HEAD.match(text, after) and not RE_HEAD_TITLE.match(text, after) \
                        and RE_NAME_COMMA_END.match(text, cm.end()) \
                        and self.resolver.match_at(text, after) is None:
                    p = cm.end()
                    continue
                break
            if "\n" in tok.group(0):
                break
            word = tok.group("w")
            if word[:1].isupper() or word.startswith("nhân"):  # "Hội đồng nhân dân" inside a name
                caps += 1
                lower_run = 0
            elif word in ("và", "của", "thuộc", "-") and RE_CAP_AFTER_SPACE.match(text, tok.end(), tok.end() + 2) \
                    and not (word == "và" and RE_HEAD.match(text, tok.end() + 1)):
                lower_run = 0  # "Bộ Văn hóa, Thể thao và Du lịch", "Ban Kinh tế - Ngân sách" (not "Sở A và Sở B")
            elif word not in _NAME_FUNCTION and not PREDICATE.match(text, tok.start("w")) \
                    and not RE_MODIFIER_VERB.match(text, tok.start("w")) and (
                        lower_run < 3 or self._capital_ahead(text, tok.end())):
                # "Viện Khoa học xã hội vùng Nam Bộ": a longer lower-case run goes on when a capitalised word closes it
                lower_run += 1
            else:
                break
            end = p = tok.end()
        level = RE_LOCAL_LEVEL.match(text, end)
        if caps and level and not RE_NAME_TOKEN.match(text, level.end()):
            end = level.end()  # "Đảng đoàn Hội đồng nhân dân tỉnh"
        elif caps and level:
            nxt = RE_NAME_TOKEN.match(text, level.end())
            if PREDICATE.match(text, nxt.start("w")) or RE_MODIFIER_VERB.match(text, nxt.start("w")):
                end = level.end()
        if caps == 0 or fold(m.group(0)) == "thue":
            board = RE_MANAGEMENT_BOARD.match(text, pos)
            local = RE_LOCAL_LEVEL.match(text, m.end())
            if board:
                end = board.end()
            elif local and m.group(0) in _LOCAL_HEADS:
                end = local.end()
            else:
                return None
        name = text[pos:end].strip()
        while name.split()[-1] in ("và", "của", "thuộc"):
            name = name.rsplit(" ", 1)[0]
            end = pos + len(name)
        if m.group(0) in _DEPARTMENT_HEADS:
            # "Vụ Pháp chế, Bộ Tài chính", "Cục Đổi mới sáng tạo (Bộ Khoa học và Công nghệ)": a department tied to
            # the ministry the document names beside it
            pm = RE_PARENT_AT.match(text, end)
            parent = self.resolver.match_at(text, pm.end()) if pm else None
            if parent and (not pm.group(0).strip().startswith("(") or text[parent[1]:parent[1] + 1] == ")"):
                rec = self.resolver.records.get(parent[0])
                if rec is not None and rec.kind != "collective":
                    end = parent[1] + (1 if pm.group(0).strip().startswith("(") else 0)
                    name = f"{name} thuộc {parent[0]}"
        return [AgencyRef(expand_abbreviations(name), False)], end

    @staticmethod
    def _capital_ahead(text: str, pos: int) -> bool:
        """At most two more lower-case name syllables, then a capitalised word (the name goes on to it)."""
        for _ in range(3):
            tok = RE_NAME_TOKEN.match(text, pos)
            if tok is None or "\n" in tok.group(0):
                return False
            word = tok.group("w")
            if word[:1].isupper():
                return True
            if word in _NAME_FUNCTION or PREDICATE.match(text, tok.start("w")):
                return False
            pos = tok.end()
        return False

    def _shared_province(self, text: str, pos: int) -> tuple[list[AgencyRef], int] | None:
        """"Tỉnh ủy, UBND tỉnh X" names two agencies of one province: its Party committee and its People's Committee."""
        m = RE_SHARED_PROVINCE.match(text, pos)
        if not m:
            return None
        hit = self.resolver.match_at(text, m.end())
        if not hit or not RE_PROVINCE_PREFIX.match(hit[0]):
            return None
        province = RE_PROVINCE_PREFIX.sub("", hit[0])
        committee = ("Tỉnh ủy " if m.group("level").lower() == "tỉnh" else "Thành ủy ") + province
        official = self.resolver.resolve(committee)
        return self._tail([AgencyRef(official or committee, official is not None), AgencyRef(hit[0], True)],
                          text, pos, hit[1])

    def mention(self, text: str, pos: int, cell: bool = False) -> tuple[list[AgencyRef], int] | None:
        """One agency mention (possibly expanding to several agencies) starting at *pos*."""
        for fn in (self._shared_province, self._person, self._enumerated, self._members):
            got = fn(text, pos)
            if got:
                return got
        tm = RE_HEAD_TITLE.match(text, pos)
        if tm:
            start = tm.end()
            if RE_TITLE_KEEP.search(tm.group(0)):  # "Tổng Thanh tra Chính phủ" heads the "Thanh tra Chính phủ"
                start -= len("Thanh tra ")
            hit = self.resolver.match_at(text, start)
            if not hit and fold(tm.group(0)).rstrip().endswith("bo truong"):
                # "Bộ trưởng Công an": the minister of the "Bộ Công an"
                ministry = self.resolver.match_at("Bộ " + text[start:start + 120], 0)
                if ministry and ministry[1] > 3:
                    return self._tail([AgencyRef(ministry[0], True)], text, pos, start + ministry[1] - 3)
            if hit:
                rec = self.resolver.records.get(hit[0])
                if rec is not None and rec.kind != "collective":
                    return self._tail([AgencyRef(hit[0], True)], text, pos, hit[1])
                if rec is not None and not RE_COLLECTIVE_PRE.match(text, start):
                    # "Trưởng Đoàn đại biểu Quốc hội": the head of each body of the collective the registry knows
                    return self._tail([AgencyRef(hit[0], True, collective=True)], text, pos, hit[1])
            # "Thủ trưởng các cơ quan, đơn vị": the heads stand for their collective
            coll = self._collective(text, start, cell)
            if coll and coll[0] and RE_COLLECTIVE_PRE.match(text, start):
                return self._tail(coll[0], text, pos, coll[1])
            if not hit and RE_HEAD.match(text, start):  # "Lãnh đạo Ban Dân nguyện": the body the title heads
                unk = self._unknown(text, start)
                if unk:
                    return self._tail(unk[0], text, pos, unk[1])
        cands: list[tuple[list[AgencyRef], int]] = []
        hit = self.resolver.match_at(text, pos)
        if hit:
            rec = self.resolver.records.get(hit[0])
            cands.append(([AgencyRef(hit[0], True, collective=bool(rec and rec.kind == "collective"))], hit[1]))
        coll = self._collective(text, pos, cell)
        if coll:
            cands.append(coll)
        if not cands:
            unk = self._unknown(text, pos)
            return unk
        best = max(cands, key=lambda c: c[1])
        if hit and best[1] == hit[1]:
            best = cands[0]
        refs, end = best
        if not refs:
            return [], end
        return self._tail(refs, text, pos, end)

    def _members(self, text: str, pos: int) -> tuple[list[AgencyRef], int] | None:
        """"Các thành viên Đảng đoàn Quốc hội", "từng đồng chí thành viên Ban Chỉ đạo": the members of one body."""
        if text[pos:pos + 1] not in "cCtTmM":
            return None
        m = RE_MEMBERS.match(text, pos)
        if not m:
            return None
        body = self.mention(text, m.end())
        if not body or len(body[0]) != 1 or body[0][0].collective or body[0][0].person:
            return None
        return [AgencyRef("Các thành viên " + body[0][0].name, False, collective=True)], body[1]

    def _tail(self, refs: list[AgencyRef], text: str, pos: int, end: int) -> tuple[list[AgencyRef], int]:
        """What may follow a name: "(NIC)", "(chủ trì)", "có liên quan"."""
        # "(NIC)" or "(viết tắt là ...)" after a name
        par = RE_PAREN_NOTE.match(text, end)
        if par and not RE_LIST_PUNCT.search(par.group(0)):
            end = par.end()
            role = fold(par.group(0).strip(" ()"))
            if role in ("chu tri", "don vi chu tri", "co quan chu tri"):
                for r in refs:
                    r.role = "chair"
            elif role in ("phoi hop", "tham gia"):
                for r in refs:
                    r.role = "partner"
        tail = RE_RELATED_TAIL_AT.match(text, end)
        if fold(text[pos:end]).endswith("lien quan"):
            for r in refs:
                r.related = True
        if tail:
            for r in refs:
                r.related = True
            end = tail.end()
        return refs, end

    def agency_list(self, text: str, pos: int = 0, cell: bool = False) -> tuple[list[AgencyRef], int]:
        """A list of agencies separated by commas, semicolons, "và", "cùng": (refs, end offset)."""
        refs: list[AgencyRef] = []
        end = pos
        p = pos
        while p < len(text):
            got = self.mention(text, p, cell)
            if got is None:
                break
            items, e = got
            if e <= p:
                break
            refs.extend(items)
            end = e
            # a generic subject with the named list in brackets: "các cơ quan chủ trì soạn thảo (Bộ A, Bộ B...)"
            sep = RE_SEP.match(text, e)
            if not sep:
                break
            p = sep.end()
        return refs, end

    # --- whole assignments -------------------------------------------------------------------------------------
    def subject(self, text: str) -> tuple[list[AgencyRef], int]:
        """The agencies a sentence addresses (its grammatical subject), skipping an opening adverbial clause."""
        starts = [0]
        m = RE_REQUEST.match(text)
        if m:
            refs, end = self.agency_list(text, m.end())
            if refs:
                return self._loose_members(refs, text, end)
        m = RE_AS_FOR.match(text)
        if m:
            refs, end = self.agency_list(text, m.end())
            if refs and RE_AS_FOR_END.match(text, end):
                return refs, end
        if RE_ADVERBIAL.match(text):
            first = RE_CLAUSE_END.split(text, maxsplit=1)[0]
            starts = [m.end() for m in RE_COMMA.finditer(first)]
        for s in starts:
            refs, end = self.agency_list(text, s)
            if not refs:
                bracket = self._generic_with_brackets(text, s)
                if bracket:
                    return bracket
                continue
            if RE_OF_TAIL.match(text, end):
                continue
            # "Ủy ban nhân dân Thành phố X đề nghị các sở, ban, ngành ...": the requester names the addressees
            req = RE_REQUEST_AFTER.match(text, end)
            if req:
                asked, asked_end = self.agency_list(text, req.end())
                if asked:
                    return asked, asked_end
            return self._loose_members(refs, text, end)
        return [], 0

    def _loose_members(self, refs: list[AgencyRef], text: str, end: int) -> tuple[list[AgencyRef], int]:
        """Members of a joint subject after those the registry read: each opens with a capital or "các", a segment
        opening in lower case carries on the one before ("các tổ chức xã hội, đoàn thể nhân dân"); the list ends at
        the verb of the predicate. Nothing is added unless the predicate is found within a short span."""
        sep = re.match(r"\s*,\s*|\s+và\s+", text[end:end + 6])
        if not sep:
            return refs, end
        start = end + sep.end()
        verb = None
        for v in RE_LOOSE_VERB.finditer(text, start, start + 160):
            if not re.search(r"(?:các|những)\s+$", text[max(start, v.start() - 8):v.start()], re.IGNORECASE):
                verb = v  # "các tổ chức": a noun, not the verb "tổ chức"
                break
        if not verb or verb.start() <= start:
            return refs, end
        span = text[start:verb.start()].rstrip(" ,")
        if re.search(r"[.;:()\d]", span):
            return refs, end
        members: list[str] = []
        for seg in RE_LOOSE_SPLIT.split(span):
            seg = seg.strip()
            if not seg:
                return refs, end
            if RE_LOOSE_MEMBER.match(seg):
                members.append(seg)
            elif members:
                members[-1] += ", " + seg
            else:
                return refs, end
        if not members or any(len(m.split()) > 12 for m in members):
            return refs, end
        out = list(refs)
        for m in members:
            tm = RE_HEAD_TITLE.match(m)
            if tm:  # a leader by title: the body he or she heads ("Tổng giám đốc các tập đoàn, ...")
                m = m[tm.end():].strip()
                if not re.match(r"(?:các|những)\s", m, re.IGNORECASE) and not self.resolver.resolve(m):
                    continue  # "Chủ tịch Hội đồng thành viên": the board of the bodies named next, not one of its own
            got, e = self.agency_list(m, 0)
            if got and e >= len(m) - 1:
                out.extend(got)
                continue
            official = self.resolver.resolve(m)
            out.append(AgencyRef(official or expand_abbreviations(_cap(m)), official is not None,
                                 collective=m[:4].lower() in ("các ", "nhữn")))
        return out, verb.start()

    def _generic_with_brackets(self, text: str, pos: int) -> tuple[list[AgencyRef], int] | None:
        m = RE_GENERIC_BRACKET.match(text, pos)
        if not m:
            return None
        inner_start = m.end()
        close = text.find(")", inner_start)
        if close < 0:
            return None
        refs, _ = self.agency_list(text[inner_start:close].rstrip(". "), 0)
        if not refs:
            return None
        return refs, close + 1

    def partners(self, text: str) -> tuple[list[AgencyRef], bool]:
        out: list[AgencyRef] = []
        others = False
        for m in RE_PARTNER.finditer(text):
            refs, _ = self.agency_list(text, m.end())
            for r in refs:
                if r.related:
                    others = True
                else:
                    out.append(r)
        return out, others

    def analyse(self, raw_text: str) -> Assignment:
        text = " ".join(strip_markdown_emphasis(raw_text).split())  # == re.sub(r"\s+", " ", ...).strip()
        res = Assignment()
        subj, end = self.subject(text)
        subj, partners_marked = split_roles(subj)
        if subj:
            res.subject_end = end
            res.lead = subj
            if len(text) - end < 15 and RE_DIRECTING_END.search(text):
                res.directing = True
        # joint leads in later clauses: "...; Bộ A, Bộ B chịu trách nhiệm ..."
        for m in RE_SENTENCE_GAP.finditer(text):
            req = RE_REQUEST.match(text, m.end()) if text[m.start()] == "." else None
            if req:
                # ". Yêu cầu các bộ, ngành, địa phương thường xuyên kiểm tra ...": a later request adds its addressees
                refs, _ = self.subject(text[m.end():m.end() + 400])
                if refs and not any(r.person for r in refs):
                    res.lead.extend(refs)
                continue
            refs, e = self.agency_list(text, m.end())
            if not refs or any(r.person for r in refs):
                continue
            # "...; Ủy ban nhân dân Thành phố X bố trí nguồn lực ...": a later clause with its own subject and verb
            # makes that subject a joint lead (not one that only directs or coordinates)
            if RE_RESPONSIBLE_AT.match(text, e) or (
                    text[m.start()] == ";" and not any(r.related for r in refs)
                    and RE_JOINT_VERB_AT.match(text, e) and not RE_NOT_JOINT_AT.match(text, e)):
                res.lead.extend(refs)
        partners, others = self.partners(text)
        res.coordinating = partners_marked + partners
        res.others = others
        return res


def split_roles(refs: list[AgencyRef]) -> tuple[list[AgencyRef], list[AgencyRef]]:
    """"Bộ A (chủ trì), Bộ B, Bộ C": Bộ A leads, the others are partners. Returns (lead, partners)."""
    chairs = [r for r in refs if r.role == "chair"]
    if chairs:
        return chairs, [r for r in refs if r.role != "chair"]
    partners = [r for r in refs if r.role == "partner"]
    if partners and len(partners) < len(refs):
        return [r for r in refs if r.role != "partner"], partners
    return refs, []


def dedupe(refs: list[AgencyRef]) -> list[AgencyRef]:
    seen: set[str] = set()
    out = []
    for r in refs:
        k = loose_key(r.name)
        if k and k not in seen:
            seen.add(k)
            out.append(r)
    return out
