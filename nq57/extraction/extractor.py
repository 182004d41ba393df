"""From the text of a notice / action programme / news article to the task schema of SCHEMA.md."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from nq57.text.vietnamese import (
    NO_DEADLINE,
    Deadline,
    Report,
    analyse_schedule,
    canon,
    find_deadlines,
    fold,
    parse_deadline,
    parse_report,
    strip_markdown_emphasis,
)

from .agencies import (
    PREDICATE,
    RE_HEAD,
    AgencyParser,
    AgencyRef,
    Assignment,
    dedupe,
    expand_abbreviations,
    split_roles,
)
from .article import article_tasks
from .errors import ExtractionError
from .notice import (
    find_issue_date,
    find_issuer,
    find_meeting_date,
    find_number,
    find_references,
    find_signer,
    sentence_targets,
    table_year,
    target_year,
)
from .registry import AgencyResolver, default_resolver, resolver_with
from .structure import RE_SCHEDULE_LINE, Node, iter_nodes, parse_document
from .tables import joined_text, parse_table

RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# letters only Vietnamese uses (d with stroke, breve, horn, dot below, hook above, circumflex + tone)
RE_VI_MARKED = re.compile(r"[ăđơưạảẽẹỉịỏọủụỳỷỹỵằắẳẵặầấẩẫậềếểễệồốổỗộờớởỡợừứửữự]", re.IGNORECASE)
# runs of letters: summing the run lengths counts the letters without building one string per character
RE_LETTER_RUN = re.compile(r"[^\W\d_]+")
RE_VI_WORDS = re.compile(r"\b(?:và|của|các|được|những|trong|với|cho|này|không|người|nhiệm vụ)\b", re.IGNORECASE)
RE_RECITAL_SECTION = re.compile(
    r"\b(?:ket qua|tinh hinh|danh gia|han che|ton tai|quan diem|muc tieu|boi canh|muc dich|yeu cau)\b"
)
# "... Bộ X xác định các nhiệm vụ trọng tâm sau:", "Bộ X có trách nhiệm thực hiện các nhiệm vụ sau:": the items below
# are the addressee's tasks (the heading itself assigns nothing)
RE_LEADIN_FORMULA = re.compile(
    r"(?:(?:theo|trong\s+phạm\s+vi)\s+chức\s+năng,?\s+nhiệm\s+vụ[^:;.]{0,40},?\s*)?(?:chủ\s+trì,?\s+)?(?:xác\s+định|thực\s+hiện|triển\s+khai"
    r"|tập\s+trung(?:\s+thực\s+hiện)?|có\s+trách\s+nhiệm(?:\s+thực\s+hiện)?|chịu\s+trách\s+nhiệm(?:\s+thực\s+hiện)?"
    r"|được\s+giao|cần)\s+(?:các|những|một\s+số)\s+(?:nhiệm\s+vụ|nội\s+dung|công\s+việc|giải\s+pháp)"
    r"[^:;.]{0,60}?(?:sau|như\s+sau|dưới\s+đây)"
    # "..., hoàn thành trong Quý III/2026:": the schedule of the whole group, which its items inherit
    r"(?:\s*,\s*(?:hoàn\s+thành|thực\s+hiện|báo\s+cáo|trước|trong)\b[^:;]{0,80}?)?\s*:\s*$",
    re.IGNORECASE,
)
# the closing clause of a lead-in that introduces the items below it
RE_LEADIN_TAIL = re.compile(r",?\s*(?:trong\s+đó|cụ\s+thể(?:\s+là)?|bao\s+gồm|gồm|như\s+sau"
                            r"|với\s+các\s+(?:nội\s+dung|nhiệm\s+vụ|giải\s+pháp|công\s+việc|vấn\s+đề|yêu\s+cầu))\b[^:]*:?\s*$"
                            r"|[^,;]*\bsau\s*:\s*$", re.IGNORECASE)
RE_ARTICLE_TOPIC = re.compile(r"(?:Về|Đối\s+với)\s[^,:.;]{3,160}[,:]")
RE_PROGRAMME_TASKS = re.compile(r"\bto chuc thuc hien\b|\bche do bao cao\b")
RE_SPLIT_MARK = re.compile(r"\((\d{1,2}|[ivx]{1,4})\)\s*")
# a heading of goals, folded: "Phấn đấu đạt các mục tiêu, chỉ tiêu ...", "Mục tiêu cụ thể", "Các chỉ tiêu chủ yếu"
# (a bare "Mục tiêu" section of a programme states its purposes, not quantities: not one)
RE_GOAL_HEADING = re.compile(r"^(?:phan dau (?:dat |thuc hien )?(?:cac |mot so |nhung )?(?:muc tieu|chi tieu)"
                             r"|(?:cac |mot so |nhung )?(?:chi tieu|muc tieu cu the|muc tieu, chi tieu))\b")
RE_ROLE_WORDS = re.compile(r"[\s,]*(?:và\s+)?(?:chủ\s+trì(?P<partner>\s+cùng(?:\s+với)?\s+)?"
                           r"|(?P<p2>phối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với|cùng)\s+))", re.IGNORECASE)
RE_INLINE_DASH = re.compile(r"(?<=[;.])\s+[-+–]\s+(?=\S)")
RE_TRAILING_BOLD = re.compile(r"\s*(\*\*[^*]+\*\*)\s*$")
MAX_CHARS = 5_000_000
RE_GENERIC_ADDRESSEE = re.compile(
    r"^(?:Các|Một\s+số|Những)\s+(?:cơ\s+quan|đơn\s+vị|bộ|ngành|tổ\s+chức|doanh\s+nghiệp|địa\s+phương|tỉnh|thành\s+phố"
    r"|trường|viện|tập\s+đoàn|sở|ban)\b",
    re.IGNORECASE,
)


def looks_like_addressee(text: str) -> bool:
    """An addressee the registry does not know, written as a plain noun phrase ("Các cơ quan thuộc khối X")."""
    t = text.strip(" :*_")
    if not t or len(t.split()) > 15 or re.search(r"[.;()]", t):
        return False
    if not (RE_GENERIC_ADDRESSEE.match(t) or RE_HEAD.match(t)):
        return False
    return not PREDICATE.search(t.lower().split(" ", 2)[-1] if len(t.split()) > 2 else "")
# an official document's layout (the national motto, its number line, its recipients), not a news article
RE_OFFICIAL_LAYOUT = re.compile(
    r"CỘNG\s+H[OÒ][ÀA]\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|^\s*Số\s*:|^[*_\s]*Nơi\s+nhận\s*:",
    re.MULTILINE,
)
RE_PROSE_CONTEXT = re.compile(
    r"^(?:Kính\s+gửi|Căn\s+cứ|Xét|Theo\s+đề\s+nghị|Thực\s+hiện\s+(?:ý\s+kiến|chỉ\s+đạo|Nghị|Quyết|Kết)|Số\s*:|V/v|Ngày\s+\d)",
    re.IGNORECASE,
)
RE_CLOSING_FORMULA = re.compile(
    r"\b(?:thông\s+báo\s+để|xin\s+thông\s+báo|trân\s+trọng\s+thông\s+báo|biết,?\s+thực\s+hiện\s*\.?/?\.?$)",
    re.IGNORECASE,
)
RE_REQUEST_CUE = re.compile(r"(?:^|\s)(?:đề\s+nghị|yêu\s+cầu|giao)\s", re.IGNORECASE)
RE_PROSE_CLAUSE = re.compile(r"(?<=[.!?])\s+(?=\S)")
RE_SEMICOLON = re.compile(r";\s+")
RE_RECIPIENTS_START = re.compile(r"^[*_]*\s*Nơi\s+nhận\b", re.IGNORECASE)
RE_NOT_ASSIGNING = re.compile(r"(?:đã|được|là|có\s+ý\s+kiến|cho\s+biết|báo\s+cáo\s+(?:về|tại))\b", re.IGNORECASE)
RE_ASSIGNING = re.compile(
    r"(?:có\s+ý\s+kiến\s+(?:đối\s+với|về)|có\s+trách\s+nhiệm|gửi|nộp|thực\s+hiện|chỉ\s+đạo|kiểm\s+tra|nghiên\s+cứu"
    r"|xem\s+xét|khẩn\s+trương|chủ\s+động)\b",
    re.IGNORECASE,
)
RE_NEW_ASSIGNMENT = re.compile(r"\s*(?:chủ\s+trì|chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm|khẩn\s+trương|phối\s+hợp"
                               r"|thường\s+xuyên|tiếp\s+tục|tập\s+trung)\b")
RE_OWN_CADENCE = re.compile(r"\s*(?:,\s*)?thường\s+xuyên\s+(?!liên\s)\w", re.IGNORECASE)
RE_SHORT_NAME = re.compile(r"\(\s*sau\s+đây\s+gọi\s+(?:tắt\s+|chung\s+)?là\s+([^()]{3,100})\)", re.IGNORECASE)
RE_REQUEST_OPENING = re.compile(r"(?:Đề\s+nghị|Yêu\s+cầu)\s+\S")


@dataclass(frozen=True)
class Inherited:
    lead: tuple[AgencyRef, ...] = ()
    coordinating: tuple[AgencyRef, ...] = ()
    others: bool = False
    deadline: Deadline = NO_DEADLINE
    report: Report | None = None


_PARSERS: dict[int, AgencyParser] = {}


def _parser(resolver: AgencyResolver) -> AgencyParser:
    p = _PARSERS.get(id(resolver))
    if p is None or p.resolver is not resolver:
        p = AgencyParser(resolver)
        _PARSERS[id(resolver)] = p
    return p


def normalise_text(text: str) -> str:
    if not isinstance(text, str):
        raise ExtractionError("Nội dung văn bản không hợp lệ (không phải chuỗi ký tự).")
    if len(text) > MAX_CHARS:
        raise ExtractionError("Văn bản quá dài để trích xuất (vượt quá giới hạn cho phép).")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\t", " ")
    text = RE_CONTROL.sub("", text)
    return canon(text)


def check_vietnamese(text: str) -> None:
    text = text[:6_000]
    marked = len(RE_VI_MARKED.findall(text))
    # Fast path: every marked character is a letter and there are at most len(text) letters, so with
    # marked >= 20 and marked / len(text) >= 0.02 both tests below pass whatever the exact letter count.
    if marked >= 20 and marked * 50 >= len(text):
        return
    letters = sum(map(len, RE_LETTER_RUN.findall(text)))
    if letters < 20:
        raise ExtractionError("Văn bản trống hoặc quá ngắn, không có nội dung để trích xuất nhiệm vụ.")
    # the word count only matters for text with few Vietnamese letters: count it lazily
    if marked / letters < 0.02 and (marked == 0 or len(RE_VI_WORDS.findall(text)) < 3):
        raise ExtractionError(
            "Tệp không phải văn bản tiếng Việt (hoặc không đọc được dấu tiếng Việt), không thể trích xuất nhiệm vụ."
        )


def _clean(text: str) -> str:
    return " ".join(text.split())  # == re.sub(r"\s+", " ", text).strip(): str.split and \s agree on whitespace


def _cap1(s: str) -> str:
    return s[:1].upper() + s[1:]


RE_FULL_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _next_year(d):
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return None


def _names(refs) -> list[str]:
    return [r.name for r in refs]


def _lead_refs(lead: list[AgencyRef]) -> tuple[list[AgencyRef], bool]:
    """Drop a generic "... liên quan" tail from a lead list that also names agencies (it sets others instead)."""
    named = [r for r in lead if not r.related]
    if named and len(named) < len(lead):
        return named, True
    return lead, False


class _Extractor:
    def __init__(self, text: str, source: str | None, resolver: AgencyResolver):
        self.text = text
        self.source = source
        self.resolver = resolver
        self.parser = _parser(resolver)
        self.number = find_number(text)
        self.issue = find_issue_date(text)
        self.year = self.issue.year if self.issue else None
        self.tasks: list[dict] = []
        self.targets: list[dict] = []
        # walk() and inherit() classify the same heading texts: memoise per document (results are never mutated)
        self._headings: dict[str, tuple[str, object]] = {}
        self._goal_items: set[int] = set()  # the nodes read as targets under a heading of goals

    # --- helpers -----------------------------------------------------------------------------------------------
    def subject_check(self, line: str) -> bool:
        """An unnumbered paragraph that opens with its own addressee and assigns work (a new task)."""
        refs, end = self.parser.subject(line[:400])
        if not refs or end == 0:
            return False
        if RE_REQUEST_OPENING.match(line):  # "Đề nghị Kiểm toán Nhà nước ...": a request of its own
            return True
        rest = line[end:end + 60]
        return bool(RE_NEW_ASSIGNMENT.match(rest))

    def addressee_check(self, line: str) -> bool:
        """A paragraph that opens with its addressee (not a request, not "Đối với ...")."""
        refs, end = self.parser.subject(line[:400])
        return bool(refs) and 0 < end and self.parser.agency_list(line[:400], 0)[1] == end

    def subheading_check(self, line: str) -> bool:
        """An unnumbered line ending with ":" that heads the items after it: an agency alone, or a topic with a date
        ("Bộ Y tế:", "Các nhiệm vụ hoàn thành trong Quý I năm 2026:")."""
        plain = _clean(strip_markdown_emphasis(line)).rstrip(" *_")
        if not plain.endswith(":") or len(plain) > 200:
            return False
        kind, _ = self.heading_assignment(plain)
        if kind == "agency":
            return True
        return kind == "topic" and self.schedule_of_heading(plain)[0].kind != "none"

    def schedule_of_heading(self, text: str) -> tuple[Deadline, Report | None]:
        if not text:
            return NO_DEADLINE, None
        plain = _clean(strip_markdown_emphasis(text))
        last = re.split(r"(?<=[.!?])\s+", plain)[-1]
        mentions = [m for m in find_deadlines(last, year_hint=self.year)
                    if not fold(m.deadline.raw or "").startswith(("vao", "tu "))]
        if mentions:
            return max(mentions, key=lambda m: m.deadline.due).deadline, None
        if re.search(r"\bnhiệm\s+vụ\s+thường\s+xuyên\b", plain, re.IGNORECASE) and len(plain) < 120:
            return Deadline("recurring", None, "Nhiệm vụ thường xuyên"), None
        return NO_DEADLINE, None

    def group_schedule(self, lines: list[str]) -> tuple[Deadline, Report | None]:
        dl, rep = NO_DEADLINE, None
        for ln in lines:
            d, r = analyse_schedule(ln, year_hint=self.year)
            if d.kind != "none":
                dl = d
            if r is not None:
                rep = r
        return dl, rep

    def heading_assignment(self, text: str) -> tuple[str, object]:
        """Classify a heading: ('agency', Assignment) / ('directing', None) / ('topic', None) / ('content', a)."""
        got = self._headings.get(text)
        if got is None:
            got = self._headings[text] = self._heading_assignment(text)
        return got

    def _heading_assignment(self, text: str) -> tuple[str, object]:
        plain = _clean(strip_markdown_emphasis(text))
        if not plain:
            return "topic", None
        a = self.parser.analyse(plain)
        if a.lead:
            rest = plain[a.subject_end:].strip()
            if a.directing:
                return "directing", None
            if not rest.strip(" :.") or re.fullmatch(r"[:.]?\s*", rest) or RE_LEADIN_FORMULA.match(rest):
                return "agency", a
            m = re.match(r"(?:khẩn\s+trương\s+)?(?:chủ\s+trì|phối\s+hợp)\b,?\s*", rest, re.IGNORECASE)
            if m:
                after = rest[m.end():]
                pm = re.match(r"(?:phối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+(?:với|cùng))?\s+)?", after, re.IGNORECASE)
                refs, end = self.parser.agency_list(after, pm.end())
                if not after[end:].strip(" :."):
                    return "agency", a
            return "content", a
        if looks_like_addressee(plain) and (plain.endswith(":") or len(plain.split()) <= 12):
            name = expand_abbreviations(plain.strip(" :*_"))
            return "agency", Assignment(lead=[AgencyRef(name, False, collective=True)])
        return "topic", None

    def inherit(self, node: Node, inh: Inherited) -> Inherited:
        kind, a = self.heading_assignment(node.leadin) if node.leadin else ("topic", None)
        if kind not in ("agency", "directing") and node.leadin:
            # a lead-in that opens with its own addressee ("Bộ X chủ trì, ... báo cáo các vấn đề sau:"): its items
            # are that addressee's work
            own = self.parser.analyse(_clean(strip_markdown_emphasis(node.leadin)))
            if own.lead and own.subject_end > 0 and not own.directing:
                kind, a = "agency", own
        if kind not in ("agency", "directing"):
            kind, a = self.heading_assignment(node.text)
        if kind == "agency" and a is not None:
            lead, others = _lead_refs(a.lead)
            inh = replace(inh, lead=tuple(lead), coordinating=tuple(a.coordinating), others=a.others or others)
        elif kind == "directing":
            inh = replace(inh, lead=(), coordinating=(), others=False)
        dl, rep = self.schedule_of_heading(node.leadin) if node.leadin else (NO_DEADLINE, None)
        if node.leadin and rep is None:
            # "Bộ X chủ trì ..., báo cáo Thủ tướng Chính phủ trong tháng 3 năm 2026 các vấn đề sau:": the report is
            # each item's
            rep = parse_report(_clean(strip_markdown_emphasis(node.leadin)), year_hint=self.year)
        if dl.kind == "none":
            dl2, rep2 = self.schedule_of_heading(node.text)
            if dl2.kind != "none":
                dl, rep = dl2, rep2
        cdl, crep = self.group_schedule(node.closing)
        if cdl.kind != "none":
            dl = cdl
        if crep is not None:
            rep = crep
        if dl.kind != "none":
            inh = replace(inh, deadline=dl)
        if rep is not None:
            inh = replace(inh, report=rep)
        return inh

    def settle(self, dl: Deadline, rep: Report | None) -> tuple[Deadline, Report | None, bool]:
        """A due date before the document's own date is never accepted as such. A day or month written without its
        year that the document's year puts in the past is the coming one when that is near (a December document's
        "trước ngày 15/01"), else no due date (the phrase kept for review). One written in full is kept as the
        document writes it (a typo in the source is annotated as written) and flagged for the office to confirm."""
        issue = self.issue
        if issue is None:
            return dl, rep, False
        flagged = False
        if dl.due is not None and dl.due < issue:
            if RE_FULL_YEAR.search(dl.raw or ""):
                flagged = True
            else:
                ahead = _next_year(dl.due)
                dl = replace(dl, due=ahead) if ahead and (ahead - issue).days <= 183 else Deadline("none", None, dl.raw)
        if rep is not None and rep.due is not None and rep.due < issue and not RE_FULL_YEAR.search(rep.raw or ""):
            ahead = _next_year(rep.due)
            rep = replace(rep, due=ahead if ahead and (ahead - issue).days <= 183 else None)
        return dl, rep, flagged

    # --- task assembly ------------------------------------------------------------------------------------------
    def make_task(self, path: str, section: str | None, raw_text: str, inh: Inherited,
                  extra_schedule: tuple[Deadline, Report | None] | None = None, imperative_ok: bool = True,
                  lead_override: list[AgencyRef] | None = None) -> None:
        text = _clean(raw_text)
        if not text:
            return
        plain = _clean(strip_markdown_emphasis(text))
        a = self.parser.analyse(plain)
        if lead_override:
            lead, others_from_lead = _lead_refs(lead_override)
            coordinating = list(a.coordinating)
            others = a.others or others_from_lead
        elif a.lead and not a.directing and a.subject_end == 0 and inh.lead:
            # no subject of its own, a joint lead in a later clause: it joins the inherited lead
            later, others_from_lead = _lead_refs(a.lead)
            lead = dedupe(list(inh.lead) + later)
            coordinating = list(inh.coordinating) + list(a.coordinating)
            others = inh.others or a.others or others_from_lead
        elif a.lead and not a.directing:
            lead, others_from_lead = _lead_refs(a.lead)
            coordinating = list(a.coordinating)
            others = a.others or others_from_lead
        elif a.lead and a.directing:
            return
        else:
            lead = list(inh.lead)
            coordinating = list(inh.coordinating) + list(a.coordinating)
            others = inh.others or a.others
            if not lead:
                first = plain.split(" ", 2)
                # an item without an addressee of its own or above it: kept when it reads as an instruction (never
                # dropped for its first word alone), not when it is a bare phrase or a heading
                if not imperative_ok or not first or (not PREDICATE.match(plain[:30].lower())
                                                      and (len(first) < 3 or len(plain.split()) < 8)):
                    return
        lead = dedupe(lead)
        coordinating = dedupe(coordinating)
        dl, rep = analyse_schedule(plain, year_hint=self.year)
        if extra_schedule is not None:
            edl, erep = extra_schedule
            if dl.kind == "none" or (dl.kind in ("event", "roadmap") and edl.kind not in ("none",)):
                if edl.kind != "none":
                    dl = edl
            if rep is None and erep is not None:
                rep = erep
        if dl.kind == "none" and a.subject_end and RE_OWN_CADENCE.match(plain, a.subject_end):
            dl = Deadline("recurring", None, "thường xuyên")  # "Bộ X và các bộ thường xuyên theo dõi ..."
        if dl.kind == "none":
            dl = inh.deadline
        if rep is None:
            rep = inh.report
        if rep is not None and dl.kind == "none":
            dl = Deadline("recurring", None, rep.raw) if rep.cadence else Deadline(
                "date" if rep.due else "none", rep.due, rep.raw if rep.due else None)
        dl, rep, early = self.settle(dl, rep)
        unknown = [r.name for r in lead + coordinating if not r.known and not r.person]
        task = {
            "path": path,
            "section": section,
            "text": text,
            "lead": _names(lead),
            "coordinating": _names(coordinating),
            "coordinating_others": bool(others),
            "deadline": dl.as_dict(),
            "report": rep.as_dict() if rep else None,
        }
        if early:
            task["deadline_before_document"] = True
        if unknown:
            task["unknown_agencies"] = list(dict.fromkeys(unknown))
        self.tasks.append(task)

    def leadin_is_task(self, leadin: str) -> bool:
        """A lead-in paragraph ("Các bộ ... chủ động phối hợp thường xuyên với ..., trong đó tập trung vào một số nội
        dung sau:") that assigns work of its own before introducing its items, not only a formula introducing them."""
        plain = _clean(strip_markdown_emphasis(leadin))
        a = self.parser.analyse(plain)
        if not a.lead or a.subject_end == 0 or a.directing:
            return False
        rest = plain[a.subject_end:]
        if RE_LEADIN_FORMULA.match(rest):
            return False
        cut = list(RE_LEADIN_TAIL.finditer(rest))
        own = rest[:cut[-1].start()] if cut else rest
        return len(own.split()) >= 12 and not self.only_roles(own)

    def only_roles(self, text: str) -> bool:
        """"phối hợp với Ban X và chủ trì cùng các bộ, ngành:": nothing but the roles of the addressee and its
        partners (the items below carry the work)."""
        pos, text = 0, text.rstrip(" :.")
        while pos < len(text):
            m = RE_ROLE_WORDS.match(text, pos)
            if not m:
                return False
            pos = m.end()
            if m.group("partner") or m.group("p2"):
                _, end = self.parser.agency_list(text, pos)
                if end <= pos:
                    return False
                pos = end
        return True

    def split_inline(self, raw: str) -> tuple[list[str], str] | None:
        """"Addressee: (1) ... (2) ..." -> (parts, trailing marker) when the text before the colon is an addressee."""
        colon = raw.find(":")
        if colon < 0 or colon > 300:
            return None
        pre = _clean(strip_markdown_emphasis(raw[:colon]))
        refs, end = self.parser.agency_list(pre, 0)
        if (not refs or len(pre) - end > 2) and not looks_like_addressee(pre):
            return None
        body = raw[colon + 1:].strip().lstrip("*_ ").strip()
        if body.startswith(("- ", "+ ", "– ")):
            # "Sở Y tế: - Triển khai ...; - Kết nối ...": dashes written inline, each after the end of a clause
            parts = [p.strip(" ;") for p in RE_INLINE_DASH.split(body[2:])]
            if len(parts) >= 2 and all(parts):
                return parts, ""
            return None
        marks = list(RE_SPLIT_MARK.finditer(body))
        if len(marks) < 2 or marks[0].start() > 3:
            return None
        expected = ["1", "i"]
        labels = [m.group(1) for m in marks]
        if labels[0] not in expected:
            return None
        parts = []
        for i, m in enumerate(marks):
            end_i = marks[i + 1].start() if i + 1 < len(marks) else len(body)
            parts.append(body[m.end():end_i].strip())
        marker = ""
        last = parts[-1]
        bm = RE_TRAILING_BOLD.search(last)
        if bm and RE_SCHEDULE_LINE.match(strip_markdown_emphasis(bm.group(1)).strip()):
            marker = bm.group(1)
            parts[-1] = last[: bm.start()].strip()
        else:
            sents = re.split(r"(?<=[.!?])\s+", last)
            tail = []
            while len(sents) > 1 and RE_SCHEDULE_LINE.match(strip_markdown_emphasis(sents[-1]).strip()):
                tail.insert(0, sents.pop())
            if tail:
                marker = " ".join(tail)
                parts[-1] = " ".join(sents)
        return parts, marker

    def walk(self, node: Node, inh: Inherited, prefix: list[str], section: str | None, top: bool) -> None:
        outer = inh
        for child in node.children:
            inh = self.inherit(Node("group", "", child.group), outer) if child.group else outer
            label = child.label or str(child.ordinal)
            if child.kind.startswith("bullet"):
                label = str(child.ordinal)
            if child.kind == "roman":
                self.walk_roman(child, inh)
                continue
            path = prefix + [label]
            sec = section
            if top and child.children:
                sec = _clean(strip_markdown_emphasis(child.text)).rstrip(":. ")
            if child.children:
                if child.leadin and self.leadin_is_task(child.leadin):
                    self.make_task(".".join(path), sec, child.leadin, self.inherit(child, inh))
                kind, _ = self.heading_assignment(child.text)
                if kind == "content" and _clean(strip_markdown_emphasis(child.text)).endswith(":") \
                        and not child.leadin and all(not c.children for c in child.children):
                    merged = child.text + " " + " ".join("- " + c.text for c in child.children)
                    self.make_task(".".join(path), sec, merged, self.inherit(child, inh))
                    continue
                self.walk(child, self.inherit(child, inh), path, sec, False)
                continue
            child_inh = inh
            if child.closing:
                child_inh = self.inherit(child, inh)
            split = self.split_inline(child.text)
            if split:
                parts, marker = split
                head = child.text[: child.text.find(":")]
                kind, a = self.heading_assignment(head)
                sub_inh = child_inh
                if kind == "agency" and a is not None:
                    lead, others = _lead_refs(a.lead)
                    sub_inh = replace(child_inh, lead=tuple(lead), coordinating=tuple(a.coordinating),
                                      others=a.others or others)
                extra = analyse_schedule(marker, year_hint=self.year) if marker else None
                for i, part in enumerate(parts, 1):
                    self.make_task(".".join(path + [str(i)]), sec, part, sub_inh, extra)
                continue
            self.make_task(".".join(path), sec if not top else None, child.text, child_inh)

    def walk_roman(self, node: Node, inh: Inherited) -> None:
        title = fold(strip_markdown_emphasis(node.text))
        if self.kind == "action_programme":
            if not RE_PROGRAMME_TASKS.search(title):
                return
            sec = _clean(strip_markdown_emphasis(node.text))
            sec = sec[:1] + sec[1:].lower() if sec.isupper() else sec
            self.walk(node, self.inherit(node, inh), [node.label], sec, False)
            return
        if RE_RECITAL_SECTION.search(title) and not re.search(r"\bnhiem vu\b", title):
            return
        self.walk(node, self.inherit(node, inh), [], None, True)


    # --- document kinds ------------------------------------------------------------------------------------------
    def run(self) -> dict:
        doc = parse_document(self.text, self.subject_check, self.subheading_check, self.addressee_check)
        tables = [t for t in (parse_table(b) for b in doc.tables) if t is not None]
        task_tables = [t for t in tables if t.kind == "tasks" and t.rows]
        has_items = any(c.kind in ("num", "letter", "roman") for c in doc.root.children)
        if task_tables:
            self.kind = "action_programme"
        elif self.number is None and not has_items and not RE_OFFICIAL_LAYOUT.search(self.text[:3000]):
            self.kind = "news_article"
        else:
            self.kind = "conclusion_notice"
        preamble = "\n".join(doc.preamble)
        default = NO_DEADLINE
        if self.kind != "news_article":
            last = [p for p in doc.preamble if p.rstrip(" *").endswith(":")]
            if last:
                default, _ = self.schedule_of_heading(last[-1])
            romans = [c for c in doc.root.children if c.kind == "roman" and c.leadin]
            if default.kind == "none":
                for r in romans:
                    if not RE_RECITAL_SECTION.search(fold(r.text)) or re.search(r"\bnhiem vu\b", fold(r.text)):
                        d, _ = self.schedule_of_heading(r.leadin)
                        if d.kind != "none":
                            default = d
                            break
        inh = Inherited(deadline=default, lead=self.addressees_named_short(doc.preamble))
        if self.kind == "news_article":
            self.run_article(doc)
        elif not has_items and not task_tables:
            self.run_prose(doc)
        else:
            self.walk(doc.root, inh, [], None, True)
            for t in task_tables:
                self.run_table(t)
            for t in tables:
                if t.kind == "targets":
                    self.table_targets(t)
            self.goal_targets(doc.root)
            for n in iter_nodes(doc.root):
                if id(n) in self._goal_items:
                    continue  # read whole as a target already
                for t in sentence_targets(n.text):
                    t["path"] = n.label
                    self.targets.append(t)
            for table in task_tables:
                for row in table.rows:
                    for t in sentence_targets(_clean(joined_text(row, "text"))):
                        t["path"] = row.number
                        self.targets.append(t)
        seen = set()
        targets = []
        for t in self.targets:
            k = (fold(t["text"]), t.get("year"))
            if k not in seen:
                seen.add(k)
                targets.append(t)
        notice = {
            "number": self.number,
            "date": self.issue.isoformat() if self.issue else None,
            "kind": self.kind,
            "issuer": find_issuer(self.number, self.text, self.resolver),
            "meeting_date": None,
            "signer": None if self.kind == "news_article" else find_signer(self.text.split("\n")),
            "references": find_references(self.text, self.number),
            "default_deadline": default.as_dict() if default.kind != "none" else None,
        }
        if self.kind != "action_programme":
            md = find_meeting_date(preamble if self.kind != "news_article" else self.text[:3000], self.issue)
            notice["meeting_date"] = md.isoformat() if md else None
        if self.kind == "news_article":
            summary = status_summary(self.text)
            if summary:
                notice["status_summary"] = summary
        return {"source": self.source, "notice": notice, "tasks": self.tasks, "targets": targets}

    def goal_targets(self, root: Node) -> None:
        """The items under a heading of goals ("Phấn đấu đạt các mục tiêu, chỉ tiêu ...", "Mục tiêu cụ thể") are
        targets, each for the year its nearest heading names ("a) Giai đoạn từ nay đến năm 2030:"), else its own
        latest year."""
        for node in iter_nodes(root):
            if not node.children or not RE_GOAL_HEADING.match(fold(strip_markdown_emphasis(node.text))):
                continue
            if any(RE_GOAL_HEADING.match(fold(strip_markdown_emphasis(a.text))) for a in node.ancestors()):
                continue  # an inner goal heading: its items are read from the outer one
            for leaf in iter_nodes(node):
                if leaf.children:
                    continue
                text = _clean(strip_markdown_emphasis(leaf.text))
                colon = text.find(":")
                year = target_year(text[:colon]) if 0 < colon < 80 else None
                up = leaf.parent
                while year is None and up is not None and up is not node.parent:
                    year = target_year(_clean(strip_markdown_emphasis(up.text)))
                    up = up.parent
                if year is None:
                    year = target_year(text)
                self.targets.append({"path": leaf.label, "text": _clean(leaf.text), "year": year, "value": None,
                                     "unit": None})
                self._goal_items.add(id(leaf))

    def addressees_named_short(self, preamble: list[str]) -> tuple[AgencyRef, ...]:
        """"Yêu cầu Bộ trưởng ..., Chủ tịch ... (sau đây gọi tắt là các bộ, cơ quan trung ương và địa phương) ...:": the
        addressees the document gives one short name before its items lead every item that names no one else."""
        if not preamble or not preamble[-1].rstrip(" *_").endswith(":"):
            return ()
        m = RE_SHORT_NAME.search(_clean(" ".join(preamble[-12:])))
        if not m:
            return ()
        written = m.group(1).strip(" ,.")
        refs, end = self.parser.agency_list(written, 0)
        if refs and end >= len(written) - 1:
            return tuple(refs)
        if not RE_GENERIC_ADDRESSEE.match(_cap1(written)):
            return ()
        official = self.resolver.resolve(written)
        return (AgencyRef(official or _cap1(written), official is not None, collective=True),)

    def prose_assignment(self, paragraph: str) -> list[AgencyRef]:
        """The addressees of a paragraph of an unnumbered letter or notice that assigns work, or [] when it does not
        (a recital, a reference, the closing formula). Each sentence (and each clause after ";") may name its own."""
        plain = _clean(strip_markdown_emphasis(paragraph))
        if len(plain) < 40 or RE_PROSE_CONTEXT.match(plain) or RE_CLOSING_FORMULA.search(plain):
            return []
        lead: list[AgencyRef] = []
        clauses = []
        for sentence in RE_PROSE_CLAUSE.split(plain):
            # each sentence, and each clause after ";" that opens with its own subject
            clauses.append(sentence)
            clauses.extend(RE_SEMICOLON.split(sentence)[1:])
        for clause in clauses:
            refs, end = self.parser.subject(clause)
            refs = [r for r in refs if not r.person]
            if not refs or end == 0:
                continue
            rest = clause[end:].lstrip(" ,:")
            if not RE_REQUEST_CUE.search(clause[:end]) and (RE_NOT_ASSIGNING.match(rest) or not (
                    PREDICATE.match(rest[:40].lower()) or RE_ASSIGNING.match(rest))):
                continue
            lead.extend(refs)
        return dedupe(lead)

    def run_prose(self, doc) -> None:
        """A letter or notice without numbered items: each body paragraph that assigns work is a task."""
        n = 0
        started = False
        paragraphs = doc.paragraphs
        if len(paragraphs) < 4:  # no blank lines between paragraphs (a .docx, a pasted text): one paragraph a line
            paragraphs = [ln.strip() for ln in self.text.split("\n") if ln.strip()]
        for para in paragraphs:
            plain = strip_markdown_emphasis(para).strip()
            if RE_RECIPIENTS_START.match(plain):
                break
            if not started:
                # the body starts after the header (title, subject line, "Kính gửi" list)
                started = bool(re.search(r"[.:;]$", plain)) and len(plain) > 80
                if not started:
                    continue
            lead = self.prose_assignment(para)
            if not lead:
                continue
            n += 1
            self.make_task(str(n), None, para, Inherited(), lead_override=lead)

    def run_article(self, doc) -> None:
        # "Về một số nhiệm vụ trọng tâm trong Quý I năm 2025, ...": a topic opening a paragraph dates the assignments
        # under it, in that paragraph and the following ones, until the next topic ("Về ...", "Đối với ...")
        topic_of: dict[int, Deadline] = {}
        current = NO_DEADLINE
        for pi, para in enumerate(doc.paragraphs, 1):
            tm = RE_ARTICLE_TOPIC.match(strip_markdown_emphasis(para).strip())
            if tm:
                found = find_deadlines(tm.group(0), year_hint=self.year)
                current = found[-1].deadline if found else NO_DEADLINE
            topic_of[pi] = current
        for path, sent, refs, others in article_tasks(doc.paragraphs, self.parser):
            dl, rep = analyse_schedule(sent, year_hint=self.year)
            if dl.kind == "none":
                dl = topic_of.get(int(path[1:].split(".")[0]), NO_DEADLINE)
            lead, lead_others = _lead_refs(refs)
            dl, rep, early = self.settle(dl, rep)
            task = {
                "path": path, "section": None, "text": _clean(sent), "lead": _names(dedupe(lead)),
                "coordinating": [], "coordinating_others": bool(others or lead_others),
                "deadline": dl.as_dict(), "report": rep.as_dict() if rep else None,
            }
            if early:
                task["deadline_before_document"] = True
            unknown = [r.name for r in lead if not r.known and not r.person]
            if unknown:
                task["unknown_agencies"] = unknown
            self.tasks.append(task)

    def run_table(self, table) -> None:
        for row in table.rows:
            text = _clean(joined_text(row, "text"))
            if not text:
                continue
            lead_cell = strip_markdown_emphasis(row.cells.get("lead", ""))
            if not lead_cell.strip():
                lead_cell = strip_markdown_emphasis(joined_text(row, "lead"))
            coord_cell = strip_markdown_emphasis(row.cells.get("coordinating", ""))
            lead_refs, _ = self.parser.agency_list(_clean(lead_cell), 0, cell=True)
            coord_refs, _ = self.parser.agency_list(_clean(coord_cell), 0, cell=True)
            lead_refs, marked = split_roles(lead_refs)
            lead, others = _lead_refs(lead_refs)
            coordinating = marked + [r for r in coord_refs if not r.related]
            others = others or any(r.related for r in coord_refs)
            if not lead and lead_cell.strip():
                lead = [AgencyRef(_clean(lead_cell), False)]
            dl_cell = row.cells.get("deadline", "") or joined_text(row, "deadline")
            dl = parse_deadline(dl_cell, year_hint=self.year) or NO_DEADLINE
            _, rep = analyse_schedule(text, year_hint=self.year)
            dl, rep, early = self.settle(dl, rep)
            task = {
                "path": row.number, "section": row.section, "text": text,
                "lead": _names(dedupe(lead)), "coordinating": _names(dedupe(coordinating)),
                "coordinating_others": bool(others), "deadline": dl.as_dict(),
                "report": rep.as_dict() if rep else None,
            }
            if early:
                task["deadline_before_document"] = True
            unknown = [r.name for r in lead + coordinating if not r.known and not r.person]
            if unknown:
                task["unknown_agencies"] = list(dict.fromkeys(unknown))
            self.tasks.append(task)

    def table_targets(self, table) -> None:
        for row in table.rows:
            value = strip_markdown_emphasis(row.cells.get("result", "")).strip()
            text = _clean(strip_markdown_emphasis(row.cells.get("indicator", "")))
            if not value or not text:
                continue
            self.targets.append({"path": row.number, "text": text, "year": table_year(row.section),
                                 "value": value, "unit": row.cells.get("unit") or None})


RE_STATUS = re.compile(
    r"(\d+)\s*/\s*(\d+)\s+nhiệm\s+vụ\s+(đã\s+hoàn\s+thành|hoàn\s+thành\s+một\s+phần|chưa\s+hoàn\s+thành)", re.IGNORECASE
)


def status_summary(text: str) -> dict | None:
    out: dict[str, int] = {}
    for m in RE_STATUS.finditer(text):
        key = {"da hoan thanh": "done", "hoan thanh mot phan": "partial", "chua hoan thanh": "not_done"}[
            fold(m.group(3))]
        out.setdefault("total", int(m.group(2)))
        out.setdefault(key, int(m.group(1)))
    return out or None


def extract_text(text: str, *, source: str | None = None, resolver: AgencyResolver | None = None,
                 agencies: Iterable[str] | None = None) -> dict:
    """Extract the notice metadata, tasks and targets of *text* (see SCHEMA.md).

    *agencies*: official names of further agencies the caller knows (the organisations of its database), recognised
    beside the built-in registry: a name written in full in the text is then kept whole and not flagged unknown."""
    text = normalise_text(text)
    check_vietnamese(text)
    if agencies:
        resolver = resolver_with(resolver or default_resolver(), agencies)
    try:
        return _Extractor(text, source, resolver or default_resolver()).run()
    except ExtractionError:
        raise
    except (RecursionError, MemoryError) as exc:  # pathological input
        raise ExtractionError("Văn bản có cấu trúc bất thường, không thể trích xuất nhiệm vụ.") from exc


__all__ = ["check_vietnamese", "extract_text", "normalise_text", "status_summary"]
