from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user


class AgencyKind(models.TextChoices):
    PARTY_BODY = "party_body", "Cơ quan Đảng"
    NATIONAL_ASSEMBLY_BODY = "national_assembly_body", "Cơ quan của Quốc hội"
    MINISTRY = "ministry", "Bộ"
    MINISTERIAL_AGENCY = "ministerial_agency", "Cơ quan ngang bộ"
    GOVERNMENT_BODY = "government_body", "Cơ quan thuộc Chính phủ"
    PROVINCE = "province", "Ủy ban nhân dân tỉnh, thành phố"
    PROVINCIAL_PARTY_COMMITTEE = "provincial_party_committee", "Tỉnh ủy, thành ủy"
    UNIVERSITY = "university", "Đại học, học viện"
    ACADEMY = "academy", "Viện hàn lâm, viện nghiên cứu"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    COLLECTIVE = "collective", "Nhóm cơ quan (tập thể)"
    UNIT = "unit", "Đơn vị trực thuộc"
    OTHER = "other", "Khác"


class Agency(models.Model):
    """An organisation notices address: a ministry, a province's People's Committee, a university, a collective.

    Agencies change. A dissolved agency keeps its row with ``successor`` and ``dissolved_on``; its open tasks pass
    to the successor (see ``agencies.services.agency_dissolve``) while the task keeps the name it was assigned under.
    """

    name = models.CharField("tên chính thức", max_length=300, unique=True)
    kind = models.CharField("loại", max_length=40, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="cơ quan cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name="cơ quan kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    dissolved_on = models.DateField("ngày giải thể/sáp nhập", null=True, blank=True)
    members = models.ManyToManyField(
        "self",
        verbose_name="thành viên",
        symmetrical=False,
        blank=True,
        related_name="collectives",
        help_text='Với nhóm cơ quan ("Các bộ, ngành, địa phương"): các cơ quan thuộc nhóm.',
    )
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_key"], get_user=history_user)

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="agencies_kind_name_idx")]
        constraints = [
            models.CheckConstraint(
                name="agencies_agency_successor_not_self", condition=~models.Q(successor=models.F("id"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from nq57.extraction.vietnamese import fold

        self.search_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("agencies:agency_detail", args=[self.pk])

    @property
    def is_collective(self) -> bool:
        return self.kind == AgencyKind.COLLECTIVE

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def current(self) -> "Agency":
        """Follow the successor chain to the agency that exists today."""
        agency, seen = self, set()
        while agency.successor_id and agency.pk not in seen:
            seen.add(agency.pk)
            agency = agency.successor
        return agency


class AgencyAlias(models.Model):
    """Another way notices write an agency's name ("Bộ KH&CN", "UBND TP. Hồ Chí Minh").

    ``key`` is the folded form (no diacritics, NFC/NFD and tone-mark style removed) used for lookups.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases", verbose_name="cơ quan")
    alias = models.CharField("tên gọi khác", max_length=300)
    key = models.CharField(max_length=300, unique=True, editable=False)

    class Meta:
        verbose_name = "tên gọi khác"
        verbose_name_plural = "tên gọi khác"
        ordering = ["alias"]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        from nq57.extraction.vietnamese import fold

        self.key = fold(self.alias)
        super().save(*args, **kwargs)
