"""Who is told: the ONE place that turns "the focal points of agency X" or "the Standing Office" into users.

Every notification, reminder and digest asks here, so moving from ``User.role``/``User.agency`` to memberships is a
change to this module only.
"""

from collections.abc import Iterable

from django.db.models import Q

from nq57.accounts.models import Role, User


def agency_focal_points(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active focal points of each agency (one query), ordered by id; agencies without one are absent."""
    by_agency: dict[int, list[User]] = {}
    ids = {a for a in agency_ids if a is not None}
    if not ids:
        return by_agency
    for user in (User.objects.filter(role=Role.FOCAL_POINT, is_active=True, agency_id__in=ids)
                 .select_related("agency").order_by("id")):
        by_agency.setdefault(user.agency_id, []).append(user)
    return by_agency


def all_focal_points() -> dict[int, list[User]]:
    """Every agency's active focal points (for the weekly digest), by agency id."""
    by_agency: dict[int, list[User]] = {}
    for user in (User.objects.filter(role=Role.FOCAL_POINT, is_active=True, agency__isnull=False)
                 .select_related("agency").order_by("agency_id", "id")):
        by_agency.setdefault(user.agency_id, []).append(user)
    return by_agency


def office_members() -> list[User]:
    """The Standing Office's active members (and administrators), who receive the escalation list."""
    return list(User.objects.filter(Q(role=Role.OFFICE) | Q(is_superuser=True), is_active=True).order_by("id"))


def agencies_of(user) -> list[int]:
    """The agencies a person acts for (today: ``User.agency``)."""
    return [user.agency_id] if getattr(user, "agency_id", None) else []
