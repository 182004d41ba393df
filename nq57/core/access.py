"""Who may do what: the one place where permissions are decided, used by every view, the API and the services.

Roles: the Standing Office does everything; a focal point sees every task but reports on, asks extensions for and
breaks down only tasks where their agency (or one of its units) is lead or partner; a leader reads; anonymous
users see the login page only (``core.middleware``).
"""

from nq57.core.errors import PermissionDeniedError


def agency_scope_ids(user) -> frozenset[int]:
    """The agency of a focal point and all of its subordinate units (to any depth)."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return frozenset()
    return _descendant_ids(user.agency_id)


def _descendant_ids(agency_id: int) -> frozenset[int]:
    from nq57.agencies.models import Agency

    ids, frontier = {agency_id}, [agency_id]
    while frontier:
        frontier = list(Agency.objects.filter(parent_id__in=frontier).exclude(id__in=ids).values_list("id", flat=True))
        ids.update(frontier)
    return frozenset(ids)


def can_view(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


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
        # a sub-task the office gave to another agency is not theirs to edit (nor to take over)
        return is_party_to_task(user, task.parent, roles=("lead",)) and not task.assignments.filter(
            role="lead").exclude(agency_id__in=agency_scope_ids(user)).exists()
    return False


def can_manage_notices(user) -> bool:
    return can_view(user) and user.is_office


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def can_manage_webhooks(user) -> bool:
    """Webhook subscriptions send data out of the system: the office only."""
    return can_view(user) and user.is_office
