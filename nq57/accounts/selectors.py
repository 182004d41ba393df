"""Who belongs where: the only module that queries memberships. Other code asks these functions.

Roles are codes from the registry (``core.roles``), e.g. ``monitoring.roles.FOCAL_POINT``.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from nq57.accounts.models import Membership, User


def people_of(organisation_ids: Iterable[int] | None = None, *, roles: Iterable[str] = (),
              active: bool = True) -> QuerySet[User]:
    """Accounts holding one of ``roles`` (any role when empty) in one of ``organisation_ids`` (any when None)."""
    memberships = Membership.objects.all()
    if organisation_ids is not None:
        memberships = memberships.filter(organisation_id__in=list(organisation_ids))
    roles = tuple(roles)
    if roles:
        memberships = memberships.filter(role__in=roles)
    people = User.objects.filter(pk__in=memberships.values("user_id"))
    return people.filter(is_active=True) if active else people


def people_by_organisation(organisation_ids: Iterable[int] | None = None, *,
                           roles: Iterable[str] = ()) -> dict[int, list[User]]:
    """Active accounts holding one of ``roles``, grouped by organisation id (each list ordered by account id);
    two queries whatever the number of organisations."""
    memberships = Membership.objects.filter(user__is_active=True)
    if organisation_ids is not None:
        memberships = memberships.filter(organisation_id__in=list(organisation_ids))
    roles = tuple(roles)
    if roles:
        memberships = memberships.filter(role__in=roles)
    pairs = list(memberships.order_by("organisation_id", "user_id")
                 .values_list("organisation_id", "user_id").distinct())
    users = User.objects.in_bulk({user_id for _, user_id in pairs})
    grouped: dict[int, list[User]] = {}
    for organisation_id, user_id in pairs:
        grouped.setdefault(organisation_id, []).append(users[user_id])
    return grouped


def office_staff() -> QuerySet[User]:
    """Active Standing Office staff (membership role ``office``) and superusers, ordered by id."""
    from nq57.monitoring.roles import OFFICE

    office = Membership.objects.filter(role=OFFICE).values("user_id")
    return User.objects.filter(Q(pk__in=office) | Q(is_superuser=True), is_active=True).order_by("id")


def organisations_of(user, *roles: str):
    """The organisations (``Agency`` queryset) where ``user`` holds one of ``roles`` (any role when none)."""
    from nq57.agencies.models import Agency

    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=user.organisation_ids(*roles)).order_by("name")


def memberships_of(user) -> QuerySet[Membership]:
    """A person's memberships with their organisations, for display."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name", "role")


def members_of(organisation) -> QuerySet[Membership]:
    """The active members of an organisation with their roles, for the organisation's page."""
    return (Membership.objects.filter(organisation=organisation, user__is_active=True).select_related("user")
            .order_by("user__full_name", "user__username", "role"))


def primary_organisation(user):
    """The organisation shown beside a person's name: their first focal-point organisation, else their first.
    No query beyond the user's cached memberships."""
    from nq57.monitoring.roles import FOCAL_POINT

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    memberships = user.membership_list()
    chosen = next((m for m in memberships if m.role == FOCAL_POINT), memberships[0] if memberships else None)
    return chosen.organisation if chosen else None
