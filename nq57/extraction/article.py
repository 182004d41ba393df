"""News articles: a task is a sentence in which a leader assigns or requests work from an addressee."""

from __future__ import annotations

import re

from nq57.text.vietnamese import strip_markdown_emphasis

from .agencies import PREDICATE, RE_MEMBERS, AgencyParser, AgencyRef

RE_SENT = re.compile(r"(?<=[.!?…])(?<!\bTP\.)(?<!\bTp\.)\s+(?=[A-ZĐÀ-Ỹ“\"(])")
RE_CUE = re.compile(
    r"(?<!kiến\s)\b(?:đề\s+nghị|yêu\s+cầu|phải|nên|cần\s+phải)\b|(?:^|(?<=đồng\sý\s)|(?<=[,;]\s))[Gg]iao\b"
)
RE_REPORTED = re.compile(r"\b(?:cho\s+biết|cho\s+rằng|báo\s+cáo\s+tại|phát\s+biểu\s+tại|tham\s+dự|vẫn\s+phải)\b")
RE_GENERIC_ADDRESSEE = re.compile(
    r"(?P<det>từng\s+|các\s+|mỗi\s+)?(?P<noun>cơ\s+quan|đơn\s+vị)\s+(?P<mod>[a-zà-ỹđ][\wà-ỹđ ,]{2,80}?)"
    r"(?=\s+(?:tiếp\s+tục|phải|cần|nghiên\s+cứu|khẩn\s+trương|chủ\s+động|thực\s+hiện|rà\s+soát|báo\s+cáo)\b)"
)
RE_PARENS = re.compile(r"\([^()]*\)")
# "Về ..., Tổng Bí thư nêu rõ, " / "Đối với ..., Tổng Bí thư yêu cầu: " / "Cùng đó, ": what comes before the addressee
RE_SPEECH_PREFIX = re.compile(
    r"(?:(?:Về|Đối\s+với|Cùng\s+đó|Bên\s+cạnh\s+đó|Đồng\s+thời|Ngoài\s+ra)\b[^:]{0,160}?,\s*)?"
    r"(?:(?:Tổng\s+Bí\s+thư|Thủ\s+tướng|Chủ\s+tịch|Trưởng\s+Ban|đồng\s+chí)[^,:]{0,40}?\s"
    r"(?:nêu\s+rõ|nhấn\s+mạnh|chỉ\s+rõ|yêu\s+cầu|đề\s+nghị|lưu\s+ý|giao)\s*[,:]?\s*)?"
)
RE_GOVERNMENT = re.compile(r"(?P<who>(?:Thủ\s+tướng\s+)?Chính\s+phủ)(?=\s)")
_LEADER = (r"(?:(?:các\s+)?đồng\s+chí\s+)?(?P<who>(?:Phó\s+)?(?:Chủ\s+tịch|Thủ\s+tướng)\s+"
           r"(?:Quốc\s+hội|Chính\s+phủ|nước)|(?:Thủ\s+tướng\s+)?Chính\s+phủ)(?=\s)")
RE_LEADER = re.compile(_LEADER)
RE_AND_LEADER = re.compile(r"\s*(?:,|và)\s*" + _LEADER)
# the speaker himself ("Tổng Bí thư đánh giá cao ...") is no addressee
RE_SPEAKER = re.compile(r"Tổng\s+Bí\s+thư\b")
# the verb of a reported assignment, right after the addressee (or after "theo chức năng nhiệm vụ,")
RE_ASSIGNED_VERB = re.compile(
    r"\s*(?:,?\s*theo\s+chức\s+năng[^,.;]{0,40},\s*)?(?:\w+\s+)?(?:chỉ\s+đạo|có\s+kế\s+hoạch|trình|chủ\s+trì"
    r"|khẩn\s+trương|phải|cần\s+phải)\b"
)
# what follows the subject of a request: its verb (possibly after an adverb or a comma)
RE_SUBJECT_VERB = re.compile(
    r"\s*,?\s*(?:\w+\s+)?(?:" + PREDICATE.pattern[2:] + r"|\s*(?:đề\s+nghị|yêu\s+cầu|phải|cần|có|là)\b)")
RE_AFTER_CUE = re.compile(r"^[\s,:]*(?:\d+\s+[\wà-ỹđ]+(?:\s+[\wà-ỹđ]+)?\s+là\s+)?(?:các\s+đồng\s+chí\s+)?")


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in RE_SENT.split(paragraph) if s.strip()]


def reported_assignment(plain: str, parser: AgencyParser) -> list[AgencyRef]:
    """"Bộ trưởng Bộ X chỉ đạo xây dựng ...", "Tổng Bí thư nêu rõ, Thường trực Ban Bí thư ... chỉ đạo ...": the work a
    leader hands out, reported as what each addressee is to do; [] when the sentence is no such assignment."""
    m = RE_SPEECH_PREFIX.match(plain)
    start = m.end() if m else 0
    rest = plain[start:]
    mm = RE_MEMBERS.match(rest)
    if mm:  # "từng đồng chí thành viên Ban Chỉ đạo phải ...": the members of a body
        body, body_end = parser.agency_list(rest, mm.end())
        if len(body) == 1 and not body[0].collective and RE_ASSIGNED_VERB.match(rest, body_end):
            return [AgencyRef("Các thành viên " + body[0].name, False, collective=True)]
    gm = RE_GOVERNMENT.match(rest) or RE_LEADER.match(rest)
    if gm:  # the Government, its head, the leaders of the state are addressees of a Party leader's conclusions
        refs, end = [AgencyRef(" ".join(gm.group("who").split()), True)], gm.end()
        while (more := RE_AND_LEADER.match(rest, end)) is not None:
            refs.append(AgencyRef(" ".join(more.group("who").split()), True))
            end = more.end()
    else:
        refs, end = parser.agency_list(rest, 0)
    refs = [r for r in refs if not r.person]
    if not refs or end == 0 or RE_SPEAKER.match(rest):
        return []
    return refs if RE_ASSIGNED_VERB.match(rest, end) else []


def article_tasks(paragraphs: list[str], parser: AgencyParser) -> list[tuple[str, str, list[AgencyRef], bool]]:
    """(path, sentence, addressees, others) for each directive sentence of an article."""
    out = []
    for pi, para in enumerate(paragraphs, 1):
        if len(para) < 40:
            continue
        for si, sent in enumerate(split_sentences(para), 1):
            plain = RE_PARENS.sub(" ", strip_markdown_emphasis(sent))
            reported = reported_assignment(plain, parser)
            if reported:
                _partners, others = parser.partners(plain)
                out.append((f"p{pi}.{si}", sent, reported, others))
                continue
            cue = RE_CUE.search(plain)
            if not cue or RE_REPORTED.search(plain[: cue.start() + 1]):
                continue
            refs, end = parser.subject(plain)
            refs = [r for r in refs if not r.person]
            if refs and not RE_SUBJECT_VERB.match(plain, end):
                refs = []  # "..., chuyên gia đầu ngành ...": a noun inside a clause, not the subject of a request
            if not refs:
                for c in RE_CUE.finditer(plain):
                    after = plain[c.end():]
                    m = RE_AFTER_CUE.match(after)
                    start = c.end() + (m.end() if m else 0)
                    got, _ = parser.agency_list(plain, start)
                    if not got:
                        g = RE_GENERIC_ADDRESSEE.search(plain, c.end(), min(len(plain), c.end() + 120))
                        if g:
                            det = "các " if g.group("det") else ""
                            name = (det + g.group("noun") + " " + g.group("mod")).strip().capitalize()
                            got = [AgencyRef(name, False)]
                    refs.extend(got)
            if not refs:  # a request with no addressee ("Tổng Bí thư lưu ý ... phải ...") assigns no one
                continue
            partners, others = parser.partners(plain)
            out.append((f"p{pi}.{si}", sent, refs, others))
    return out
