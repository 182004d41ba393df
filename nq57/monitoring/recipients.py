"""Who is told: the ONE place in monitoring that turns "the focal points of agency X" or "the Standing Office" into
users. Every notification, reminder and digest asks here; the memberships behind it are read through
``accounts.selectors``.
"""

from collections.abc import Iterable

from nq57.accounts import selectors as people
from nq57.accounts.models import User
from nq57.monitoring.roles import FOCAL_POINT


def agency_focal_points(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active focal points of each agency, ordered by id; agencies without one are absent."""
    ids = {a for a in agency_ids if a is not None}
    if not ids:
        return {}
    return people.people_by_organisation(ids, roles=(FOCAL_POINT,))


def all_focal_points() -> dict[int, list[User]]:
    """Every agency's active focal points (for the weekly digest), by agency id."""
    return people.people_by_organisation(roles=(FOCAL_POINT,))


def office_members() -> list[User]:
    """The Standing Office's active members (and administrators), who receive the escalation list."""
    return list(people.office_staff())


def agencies_of(user) -> list[int]:
    """The agencies a person acts for as a focal point."""
    return list(user.organisation_ids(FOCAL_POINT)) if getattr(user, "is_authenticated", False) else []
