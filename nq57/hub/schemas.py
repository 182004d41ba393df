"""The hub's API shapes (public parts only: a problem's confidential details are never in the API) and their one
serialiser each."""

import datetime as dt

from pydantic import Field

from nq57.api.schemas import Instant, Out, PageMeta


class HubOrganisation(Out):
    id: int
    name: str
    kind: str


class HubField(Out):
    id: int
    code: str
    name: str


class ProblemOut(Out):
    id: int
    title: str
    summary: str
    expected_result: str
    acceptance: str
    organisation: HubOrganisation
    field: HubField | None
    trl_required: int
    budget_vnd: int | None
    cofunding_vnd: int | None
    due_on: dt.date | None
    timeline: str
    ip_terms: str
    status: str
    is_featured: bool
    created_at: Instant
    url: str = Field(description="Trang công khai của đầu bài")


class OfferOut(Out):
    id: int
    kind: str
    title: str
    summary: str
    organisation: HubOrganisation
    field: HubField | None
    trl: int
    ip_status: str
    expected_product: str
    market_evidence: str
    team: str
    labs: str
    licensing_terms: str
    asking_price_vnd: int | None
    is_featured: bool
    created_at: Instant
    url: str


class ProblemPage(PageMeta):
    results: list[ProblemOut]


class OfferPage(PageMeta):
    results: list[OfferOut]


class MatchOut(Out):
    id: int
    title: str
    organisation: HubOrganisation
    score: float
    reasons: list[str]
    url: str


class MatchList(Out):
    results: list[MatchOut]


def _organisation(agency) -> dict:
    return {"id": agency.pk, "name": agency.name, "kind": agency.kind}


def _field(field) -> dict | None:
    return None if field is None else {"id": field.pk, "code": field.code, "name": field.name}


def problem_out(problem) -> dict:
    """``ProblemOut``: the public part of a problem (no ``details``, whoever asks)."""
    return {
        "id": problem.pk, "title": problem.title, "summary": problem.summary,
        "expected_result": problem.expected_result, "acceptance": problem.acceptance,
        "organisation": _organisation(problem.organisation), "field": _field(problem.field),
        "trl_required": problem.trl_required, "budget_vnd": problem.budget_vnd,
        "cofunding_vnd": problem.cofunding_vnd, "due_on": problem.due_on, "timeline": problem.timeline,
        "ip_terms": problem.ip_terms, "status": problem.status, "is_featured": problem.is_featured,
        "created_at": problem.created_at, "url": problem.get_absolute_url(),
    }


def offer_out(offer) -> dict:
    return {
        "id": offer.pk, "kind": offer.kind, "title": offer.title, "summary": offer.summary,
        "organisation": _organisation(offer.organisation), "field": _field(offer.field), "trl": offer.trl,
        "ip_status": offer.ip_status, "expected_product": offer.expected_product,
        "market_evidence": offer.market_evidence, "team": offer.team, "labs": offer.labs,
        "licensing_terms": offer.licensing_terms, "asking_price_vnd": offer.asking_price_vnd,
        "is_featured": offer.is_featured, "created_at": offer.created_at, "url": offer.get_absolute_url(),
    }


def match_out(match) -> dict:
    item = match.item
    return {"id": item.pk, "title": item.title, "organisation": _organisation(item.organisation),
            "score": round(match.score, 4), "reasons": match.reasons, "url": item.get_absolute_url()}
