"""The API shapes of notices and their one serialiser each."""

import datetime as dt

from nq57.api.schemas import Out, PageMeta


class NoticeBrief(Out):
    id: int
    number: str
    issued_on: dt.date


class NoticeOut(NoticeBrief):
    title: str
    kind: str
    issuer: str
    programme: str
    meeting_date: dt.date | None
    signer: str


class NoticeDetail(NoticeOut):
    cited_numbers: list[str]
    task_count: int


class NoticePage(PageMeta):
    results: list[NoticeOut]


def notice_out(notice) -> dict:
    """``NoticeOut`` of a notice (its programme loaded)."""
    return {"id": notice.pk, "number": notice.number, "issued_on": notice.issued_on, "title": notice.title,
            "kind": notice.kind, "issuer": notice.issuer, "programme": notice.programme.code,
            "meeting_date": notice.meeting_date, "signer": notice.signer}


def notice_detail_out(notice) -> dict:
    """``NoticeDetail`` of a notice annotated with ``task_count``."""
    return {**notice_out(notice), "cited_numbers": [str(n) for n in notice.cited_numbers or []],
            "task_count": notice.task_count}
