from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user
from nq57.core.links import pk_url


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
    INSTITUTE = "institute", "Viện, tổ chức khoa học và công nghệ"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    ASSOCIATION = "association", "Hội, hiệp hội"
    STEERING_BODY = "steering_body", "Ban Chỉ đạo, cơ quan thường trực"
    COLLECTIVE = "collective", "Nhóm cơ quan (tập thể)"
    UNIT = "unit", "Đơn vị trực thuộc"
    OTHER = "other", "Khác"


#: kinds an organisation may choose when it registers itself on the public form
SELF_REGISTRATION_KINDS = (
    AgencyKind.UNIVERSITY, AgencyKind.ACADEMY, AgencyKind.INSTITUTE, AgencyKind.ENTERPRISE, AgencyKind.ASSOCIATION,
    AgencyKind.OTHER,
)

#: the Standing Office's organisation row, created by ``accounts`` migration 0003 when missing
STANDING_OFFICE_NAME = (
    "Cơ quan Thường trực Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
)


class Verification(models.TextChoices):
    VERIFIED = "verified", "Đã xác minh"
    PENDING = "pending", "Chờ xác minh"
    REJECTED = "rejected", "Bị từ chối"


class Agency(models.Model):
    """An organisation: the one list of everyone the notices name and everyone who works on the platform.

    Ministries, provinces, Party bodies, universities, institutes, enterprises, associations, collectives. Rows
    the office enters (registry, admin, imports) are verified; an organisation that registers itself on the public
    form is ``pending`` until the Standing Office verifies it, and cannot publish before (``can_publish``).

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
    is_standing_office = models.BooleanField(
        "là Cơ quan Thường trực", default=False, editable=False,
        help_text="Tổ chức của cán bộ Cơ quan Thường trực; chỉ có một.",
    )
    tax_code = models.CharField("mã số thuế/mã đăng ký", max_length=40, blank=True)
    address = models.CharField("địa chỉ", max_length=500, blank=True)
    contact_name = models.CharField("người liên hệ", max_length=200, blank=True)
    contact_email = models.EmailField("thư điện tử liên hệ", blank=True)
    contact_phone = models.CharField("điện thoại liên hệ", max_length=40, blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", verbose_name="người đăng ký", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="registered_organisations", editable=False,
    )
    registered_at = models.DateTimeField("đăng ký lúc", null=True, blank=True, editable=False)
    verification = models.CharField(
        "xác minh", max_length=20, choices=Verification.choices, default=Verification.VERIFIED, editable=False
    )
    verified_by = models.ForeignKey(
        "accounts.User", verbose_name="người xác minh/từ chối", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    verified_at = models.DateTimeField("xác minh/từ chối lúc", null=True, blank=True, editable=False)
    verification_reason = models.TextField("ghi chú xác minh/lý do từ chối", blank=True, editable=False)
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
            models.UniqueConstraint(
                fields=["is_standing_office"], condition=models.Q(is_standing_office=True),
                name="agencies_agency_one_standing_office",
            ),
        ]

    #: what its label, ``display_name``, links and the access rules read (not its registration, contact and
    #: verification record): the columns a page joining an agency loads (``core.columns.defer_unshown``)
    LABEL_FIELDS = ("name", "kind", "short_name", "parent", "successor", "dissolved_on", "is_standing_office")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from nq57.extraction.vietnamese import fold

        self.search_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return pk_url("agencies:agency_detail", self.pk)

    @property
    def display_name(self) -> str:
        """The one official short form shown in charts, tables, reports and mail (rule: ``agencies.naming``)."""
        from nq57.agencies.naming import display_name

        return display_name(self.name, self.short_name)

    @property
    def is_collective(self) -> bool:
        return self.kind == AgencyKind.COLLECTIVE

    @property
    def can_publish(self) -> bool:
        """Only a verified organisation that still exists may publish anything on the platform."""
        return self.verification == Verification.VERIFIED and self.dissolved_on is None

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
