from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user


class Role(models.TextChoices):
    OFFICE = "office", "Cơ quan Thường trực"
    FOCAL_POINT = "focal_point", "Cán bộ đầu mối"
    LEADER = "leader", "Lãnh đạo"


class User(AbstractUser):
    """A person who signs in. The role decides what they may do; a focal point belongs to one agency."""

    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.LEADER)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Bắt buộc với cán bộ đầu mối: cơ quan mà người này báo cáo thay mặt.",
    )
    #: role, agency and activation changes are who-may-do-what changes: audited like the data they govern
    history = HistoricalRecords(excluded_fields=["password", "last_login"], get_user=history_user)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                name="accounts_user_focal_point_has_agency",
                condition=~models.Q(role="focal_point") | models.Q(agency__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_office(self) -> bool:
        return self.is_active and (self.role == Role.OFFICE or self.is_superuser)

    @property
    def is_focal_point(self) -> bool:
        return self.is_active and self.role == Role.FOCAL_POINT and self.agency_id is not None

    @property
    def is_leader(self) -> bool:
        return self.is_active and self.role == Role.LEADER
