"""Who may do what: the one place where permissions are decided, used by every view, the API and the services.

Roles come from memberships (``accounts.Membership``; codes registered in ``core.roles``): the Standing Office does
everything; a focal point sees every task but reports on, asks extensions for and breaks down only tasks where one of
their organisations (or one of its units) is lead or partner; a leader reads. A citizen (an account with no
membership) sees public pages and their own things only; anonymous visitors see public pages
(``core.middleware`` + ``core.public``).
"""

from nq57.core.errors import PermissionDeniedError


def agency_scope_ids(user) -> frozenset[int]:
    """The organisations where ``user`` is a focal point, and all of their subordinate units (to any depth).

    Computed once per user instance (so once per request for ``request.user``)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = user.__dict__.get("_agency_scope_ids")
    if cached is None:
        from nq57.monitoring.roles import FOCAL_POINT

        cached = user.__dict__["_agency_scope_ids"] = _descendant_ids(user.organisation_ids(FOCAL_POINT))
    return cached


def _descendant_ids(agency_ids) -> frozenset[int]:
    from nq57.agencies.models import Agency

    ids, frontier = set(agency_ids), list(agency_ids)
    while frontier:
        frontier = list(Agency.objects.filter(parent_id__in=frontier).exclude(id__in=ids).values_list("id", flat=True))
        ids.update(frontier)
    return frozenset(ids)


class SystemActor:
    """The platform itself acting outside any request: management commands, scheduled jobs, data loading.

    Passed explicitly as ``actor=SYSTEM`` to the few services that allow it (``can_manage_people``,
    ``can_manage_registry``); no view or API handler can obtain it, since ``request.user`` is always a real account.
    Audit history records no person for it."""

    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "Hệ thống"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


def can_view(user) -> bool:
    """The internal pages and data (tasks, reports, dashboards): staff-side members only (office, focal point,
    leader — roles registered with ``staff=True``); not citizens, not members with a generic role only."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff_side)


def is_party_to_task(user, task, *, roles: tuple[str, ...] = ("lead", "coordinating")) -> bool:
    scope = agency_scope_ids(user)
    if not scope:
        return False
    return task.assignments.filter(agency_id__in=scope, role__in=roles).exists()


def can_report_on(user, task) -> bool:
    if not can_view(user):
        return False
    if user.is_office:
        return True
    return user.is_focal_point and is_party_to_task(user, task)


def can_request_extension(user, task) -> bool:
    return can_report_on(user, task) and not task.is_recurring


def can_add_subtask(user, task) -> bool:
    if not can_view(user):
        return False
    if user.is_office:
        return True
    return user.is_focal_point and is_party_to_task(user, task, roles=("lead",))


def can_assess(user) -> bool:
    return can_view(user) and user.is_office


def can_edit_task(user, task) -> bool:
    """The office edits any task; a focal point edits the sub-tasks their own agency created."""
    if not can_view(user):
        return False
    if user.is_office:
        return True
    if user.is_focal_point and task.parent_id is not None:
        return is_party_to_task(user, task.parent, roles=("lead",))
    return False


def can_manage_notices(user) -> bool:
    return can_view(user) and user.is_office


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def can_manage_people(actor) -> bool:
    """Adding and removing memberships: the office, or the platform itself (``SYSTEM``)."""
    return is_system(actor) or (can_view(actor) and actor.is_office)


def can_manage_registry(actor) -> bool:
    """Changing the organisation registry (dissolving, merging): the office, or the platform itself."""
    return is_system(actor) or (can_view(actor) and actor.is_office)


def can_verify_organisations(actor) -> bool:
    """Verifying or rejecting a self-registered organisation: the Standing Office only (a person, never SYSTEM)."""
    return can_view(actor) and actor.is_office


def can_manage_webhooks(user) -> bool:
    """Webhook subscriptions send data out of the system: the office only."""
    return can_view(user) and user.is_office
