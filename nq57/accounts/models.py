"""People: an account (``User``) and its memberships of organisations (``Membership``), one role per membership.

An account with no membership is a citizen: it sees the public pages and its own things only. Other code asks
``accounts.selectors`` (``people_of``, ``memberships_of``...) and never queries memberships directly.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user
from nq57.core.columns import defer_unshown
from nq57.core.compiled import compiled_query


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships (see ``Membership``)."""

    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    #: activation changes are who-may-do-what changes: audited like the data they govern
    history = HistoricalRecords(excluded_fields=["password", "last_login"], get_user=history_user)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    #: what its label (``__str__``) and the access rules read: the columns a page joining an account loads
    #: (``core.columns.defer_unshown``)
    LABEL_FIELDS = ("username", "full_name", "is_active", "is_superuser")

    def __str__(self) -> str:
        return self.full_name or self.username

    # -- memberships, read once per instance (one query per request for ``request.user``) --------------------

    def membership_list(self) -> tuple["Membership", ...]:
        """Every membership with its organisation, loaded once per instance (one query per request)."""
        cached = self.__dict__.get("_memberships")
        if cached is None:
            cached = tuple(_memberships(user_id=self.pk)) if self.pk else ()
            for membership in cached:
                membership.user = self
            self.__dict__["_memberships"] = cached
        return cached

    def membership_pairs(self) -> tuple[tuple[int, str], ...]:
        """(organisation id, role code) of every membership."""
        return tuple((m.organisation_id, m.role) for m in self.membership_list())

    def forget_memberships(self) -> None:
        """Drop the cached memberships (after a membership of this instance changed)."""
        self.__dict__.pop("_memberships", None)
        self.__dict__.pop("_agency_scope_ids", None)  # computed from them by core.access.agency_scope_ids

    def has_role(self, *roles: str) -> bool:
        return self.is_active and any(role in roles for _, role in self.membership_pairs())

    def organisation_ids(self, *roles: str) -> tuple[int, ...]:
        """Organisations where the account holds one of ``roles`` (any role when none are given)."""
        if not self.is_active:
            return ()
        return tuple(dict.fromkeys(org for org, role in self.membership_pairs() if not roles or role in roles))

    @property
    def is_citizen(self) -> bool:
        """An account with no organisation membership (and not a superuser)."""
        return not self.is_superuser and not self.membership_pairs()

    @property
    def is_staff_side(self) -> bool:
        """Holds a staff-side role (office, focal point, leader...): may open the internal pages."""
        from nq57.core.roles import staff_role_codes

        return self.is_active and (self.is_superuser or self.has_role(*staff_role_codes()))

    @property
    def is_office(self) -> bool:
        from nq57.monitoring.roles import OFFICE

        return self.is_active and (self.is_superuser or self.has_role(OFFICE))

    @property
    def is_focal_point(self) -> bool:
        from nq57.monitoring.roles import FOCAL_POINT

        return self.has_role(FOCAL_POINT)

    @property
    def is_leader(self) -> bool:
        from nq57.monitoring.roles import LEADER

        return self.has_role(LEADER)

    @property
    def role_labels(self) -> list[str]:
        """The roles held, in Vietnamese, for display (one per role, in membership order)."""
        from nq57.core.roles import role_label

        labels = [role_label(role) for _, role in self.membership_pairs()]
        if self.is_superuser and not labels:
            labels = ["Quản trị hệ thống"]
        return list(dict.fromkeys(labels)) or ["Công dân"]


class Membership(models.Model):
    """A person's place in an organisation (``agencies.Agency``), with one role from the registry (``core.roles``).

    One person may belong to several organisations, and hold several roles in one (one row per role)."""

    user = models.ForeignKey(User, verbose_name="người dùng", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "agencies.Agency", verbose_name="tổ chức", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("vai trò", max_length=40)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "thành viên tổ chức"
        verbose_name_plural = "thành viên tổ chức"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="accounts_membership_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="accounts_membership_org_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.role_label} — {self.organisation}"

    @property
    def role_label(self) -> str:
        from nq57.core.roles import role_label

        return role_label(self.role)

    def clean(self) -> None:
        from nq57.core.roles import role

        if role(self.role) is None:
            raise ValidationError({"role": f"Vai trò không có trong danh mục: {self.role}."})


@compiled_query
def _memberships(*, user_id: int):
    """``User.membership_list``'s query (every request reads it), compiled once per process (``core.compiled``)."""
    from nq57.agencies.models import Agency

    return (Membership.objects.filter(user_id=user_id).select_related("organisation")
            .defer(*defer_unshown("organisation", Agency)).order_by("id"))
