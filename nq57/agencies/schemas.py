"""The API shapes of the agency registry and their one serialiser each."""

import datetime as dt

from nq57.api.schemas import Out, PageMeta


class AgencyBrief(Out):
    id: int
    name: str
    short_name: str


class AgencyOut(AgencyBrief):
    kind: str
    parent_id: int | None
    successor_id: int | None
    dissolved_on: dt.date | None


class AgencyPage(PageMeta):
    results: list[AgencyOut]


def agency_brief(agency) -> dict:
    """``AgencyBrief`` of an agency (also nested in reports, extensions, ``/me``)."""
    return {"id": agency.pk, "name": agency.name, "short_name": agency.short_name}


def agency_out(agency) -> dict:
    """``AgencyOut`` of an agency."""
    return {**agency_brief(agency), "kind": agency.kind, "parent_id": agency.parent_id,
            "successor_id": agency.successor_id, "dissolved_on": agency.dissolved_on}
