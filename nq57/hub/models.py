"""The 3 Nhà hub (State – university – enterprise): problems and orders, results and offers, and the path from a
match to a contract and its commercial outcomes.

- ``Problem`` (đầu bài, đặt hàng): posted by an enterprise or a State body; a public summary and confidential
  ``details`` shown only to the poster's organisation, the office and the organisations the poster approved
  (``ProblemAccess``).
- ``Offer``: a research result, an initiative (Cổng sáng kiến) or a technology offered on the exchange (Sàn giao
  dịch), posted by a university, an institute or an enterprise.
- ``Deal``: one organisation's interest in a problem or an offer, the conversation (``Message``), the agreement,
  then the ``Contract`` and its ``Outcome``s (product, licence, spin-off, revenue by year).

Every item carries a strategic-technology field (``taxonomy.TechnologyField``) and, once the background job ran, a
stored sentence embedding (``embedding``: float16 bytes, see ``nq57.text.embeddings``) used by ``hub.matching``.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core import badges
from nq57.core.audit import history_user
from nq57.core.links import pk_url

TRL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]
TRL_CHOICES = [(n, f"TRL {n}") for n in range(1, 10)]
#: derived columns written by the platform itself, not by people: no history row for them
HUB_ITEM_UNAUDITED = ["embedding", "embedding_model", "embedded_at", "title_key", "text_key", "match_terms",
                      "vector_list"]


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Đang mở"
    IN_TALKS = "in_talks", "Đang trao đổi"
    CONTRACTED = "contracted", "Đã ký hợp đồng"
    CLOSED = "closed", "Đã đóng"


class OfferKind(models.TextChoices):
    RESULT = "result", "Kết quả nghiên cứu"
    INITIATIVE = "initiative", "Sáng kiến, sản phẩm dự kiến"
    TECHNOLOGY = "technology", "Công nghệ chào bán/chuyển giao"


class IpStatus(models.TextChoices):
    PATENT = "patent", "Bằng độc quyền sáng chế/giải pháp hữu ích"
    APPLICATION = "application", "Đã nộp đơn đăng ký"
    KNOW_HOW = "know_how", "Bí quyết kỹ thuật"
    NONE = "none", "Chưa có"


class DealStage(models.TextChoices):
    INTEREST = "interest", "Quan tâm"
    TALKS = "talks", "Đang trao đổi"
    AGREED = "agreed", "Đã thống nhất"
    CONTRACTED = "contracted", "Đã ký hợp đồng"
    WITHDRAWN = "withdrawn", "Đã dừng"


class OutcomeKind(models.TextChoices):
    PRODUCT = "product", "Sản phẩm đưa ra thị trường"
    LICENCE = "licence", "Li-xăng/chuyển giao công nghệ"
    SPINOFF = "spinoff", "Doanh nghiệp spin-off"
    OTHER = "other", "Kết quả khác"


badges.register("hub_problem_status", ProblemStatus, {
    ProblemStatus.OPEN: "success", ProblemStatus.IN_TALKS: "info", ProblemStatus.CONTRACTED: "attention",
    ProblemStatus.CLOSED: "muted",
})
badges.register("hub_deal_stage", DealStage, {
    DealStage.INTEREST: "info", DealStage.TALKS: "info", DealStage.AGREED: "warning",
    DealStage.CONTRACTED: "success", DealStage.WITHDRAWN: "muted",
})
badges.register("hub_ip_status", IpStatus, {
    IpStatus.PATENT: "success", IpStatus.APPLICATION: "info", IpStatus.KNOW_HOW: "attention", IpStatus.NONE: "muted",
})


class HubItem(models.Model):
    """What problems and offers share: who posted it, the public text, the field, and the stored embedding."""

    organisation = models.ForeignKey("agencies.Agency", verbose_name="tổ chức", on_delete=models.PROTECT,
                                     related_name="+")
    created_by = models.ForeignKey("accounts.User", verbose_name="người đăng", on_delete=models.PROTECT,
                                   related_name="+")
    title = models.CharField("tên", max_length=300)
    summary = models.TextField("tóm tắt công khai", max_length=4000)
    field = models.ForeignKey("taxonomy.TechnologyField", verbose_name="lĩnh vực công nghệ chiến lược", null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    is_featured = models.BooleanField("Cơ quan Thường trực giới thiệu", default=False, editable=False)
    created_at = models.DateTimeField("đăng lúc", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    #: folded title (no diacritics, lower case): the duplicate check
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    #: folded public text (``matching_text``): the lexical side of matching reads it without folding again
    text_key = models.TextField(blank=True, editable=False)
    embedding = models.BinaryField(null=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)
    embedded_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: the content words and word pairs matching compares (``hub.matching.terms`` of ``text_key``, joined by "|")
    match_terms = models.TextField(blank=True, editable=False)
    #: the list of the vector index (``hub.matching``: nearest stored centroid) the embedding falls in
    vector_list = models.IntegerField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from nq57.hub.matching import stored_terms
        from nq57.text.vietnamese import fold

        self.text_key = fold(self.matching_text())
        self.match_terms = stored_terms(self.text_key)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_key", "match_terms"}
        super().save(*args, **kwargs)

    def matching_text(self) -> str:
        """The public text that matching and the embedding read (never the confidential details)."""
        raise NotImplementedError


class Problem(HubItem):
    expected_result = models.TextField("kết quả mong đợi", max_length=4000)
    acceptance = models.TextField("cách nghiệm thu", max_length=2000, blank=True)
    trl_required = models.PositiveSmallIntegerField("mức sẵn sàng công nghệ yêu cầu (TRL)", choices=TRL_CHOICES,
                                                    validators=TRL_VALIDATORS, default=5)
    budget_vnd = models.BigIntegerField("kinh phí dự kiến (đồng)", null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    cofunding_vnd = models.BigIntegerField("đối ứng/đồng tài trợ (đồng)", null=True, blank=True,
                                           validators=[MinValueValidator(0)])
    due_on = models.DateField("cần có kết quả trước ngày", null=True, blank=True)
    timeline = models.CharField("tiến độ", max_length=500, blank=True)
    ip_terms = models.TextField("điều kiện chia sẻ sở hữu trí tuệ", max_length=2000, blank=True)
    details = models.TextField("chi tiết bảo mật", max_length=8000, blank=True,
                               help_text="Chỉ tổ chức của bạn, Cơ quan Thường trực và đối tác bạn chấp thuận xem được.")
    status = models.CharField("tình trạng", max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN,
                              db_index=True)
    history = HistoricalRecords(excluded_fields=HUB_ITEM_UNAUDITED, get_user=history_user)

    class Meta:
        verbose_name = "đầu bài, đặt hàng"
        verbose_name_plural = "đầu bài, đặt hàng"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["field", "status"], name="hub_problem_field_status")]

    def get_absolute_url(self) -> str:
        return pk_url("hub:problem_detail", self.pk)

    def matching_text(self) -> str:
        return "\n".join(p for p in (self.title, self.summary, self.expected_result) if p)


class Offer(HubItem):
    kind = models.CharField("loại", max_length=20, choices=OfferKind.choices, default=OfferKind.RESULT)
    trl = models.PositiveSmallIntegerField("mức sẵn sàng công nghệ (TRL)", choices=TRL_CHOICES,
                                           validators=TRL_VALIDATORS, default=4)
    ip_status = models.CharField("tình trạng sở hữu trí tuệ", max_length=20, choices=IpStatus.choices,
                                 default=IpStatus.NONE)
    expected_product = models.TextField("sản phẩm dự kiến", max_length=2000, blank=True)
    market_evidence = models.TextField("bằng chứng nhu cầu thị trường", max_length=4000, blank=True)
    team = models.TextField("nhóm nghiên cứu", max_length=2000, blank=True)
    labs = models.TextField("phòng thí nghiệm, thiết bị", max_length=2000, blank=True)
    licensing_terms = models.TextField("điều kiện chuyển giao, li-xăng", max_length=2000, blank=True)
    asking_price_vnd = models.BigIntegerField("giá chào (đồng)", null=True, blank=True,
                                              validators=[MinValueValidator(0)])
    brochure = models.FileField("tài liệu giới thiệu", upload_to="hub/brochures/%Y/%m/", blank=True)
    brochure_name = models.CharField("tên tệp gốc", max_length=300, blank=True, editable=False)
    is_active = models.BooleanField("đang chào", default=True)
    history = HistoricalRecords(excluded_fields=HUB_ITEM_UNAUDITED, get_user=history_user)

    class Meta:
        verbose_name = "kết quả, sáng kiến, công nghệ"
        verbose_name_plural = "kết quả, sáng kiến, công nghệ"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["field", "trl"], name="hub_offer_field_trl")]

    def get_absolute_url(self) -> str:
        return pk_url("hub:offer_detail", self.pk)

    def matching_text(self) -> str:
        return "\n".join(p for p in (self.title, self.summary, self.expected_product) if p)


class ProblemAccess(models.Model):
    """The poster approved this organisation to read the problem's confidential details."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="accesses")
    organisation = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "quyền xem chi tiết đầu bài"
        verbose_name_plural = "quyền xem chi tiết đầu bài"
        constraints = [models.UniqueConstraint(fields=["problem", "organisation"], name="hub_access_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.problem}"


class Deal(models.Model):
    """An organisation's interest in a problem or an offer, followed to agreement and contract.

    ``owner`` is the organisation that posted the item; ``partner`` the one that expressed interest. ``offer`` may be
    set on a problem's deal (the result the partner proposes) and ``problem`` on an offer's deal."""

    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="deals")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="deals")
    owner = models.ForeignKey("agencies.Agency", verbose_name="bên đăng", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey("agencies.Agency", verbose_name="bên quan tâm", on_delete=models.PROTECT,
                                related_name="+")
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("giai đoạn", max_length=20, choices=DealStage.choices, default=DealStage.INTEREST,
                             db_index=True)
    agreed_terms = models.TextField("nội dung thống nhất", max_length=4000, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)
    #: who stopped the deal (one of the two parties), when and why (``services.deal_withdraw``)
    withdrawn_by = models.ForeignKey("agencies.Agency", verbose_name="bên dừng kết nối", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField("dừng lúc", null=True, blank=True)
    withdraw_reason = models.TextField("lý do dừng", max_length=2000, blank=True)

    class Meta:
        verbose_name = "kết nối hợp tác"
        verbose_name_plural = "kết nối hợp tác"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(name="hub_deal_has_item",
                                   condition=models.Q(problem__isnull=False) | models.Q(offer__isnull=False)),
            models.CheckConstraint(name="hub_deal_two_parties", condition=~models.Q(owner=models.F("partner"))),
        ]

    def __str__(self) -> str:
        item = self.problem or self.offer
        return f"{self.partner} — {item}"

    def get_absolute_url(self) -> str:
        return pk_url("hub:deal_detail", self.pk)

    @property
    def item(self):
        return self.problem or self.offer

    def party_ids(self) -> tuple[int, int]:
        return (self.owner_id, self.partner_id)


class Message(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    body = models.TextField("nội dung", max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tin nhắn"
        verbose_name_plural = "tin nhắn"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body[:60]}"


class Contract(models.Model):
    deal = models.OneToOneField(Deal, on_delete=models.PROTECT, related_name="contract")
    number = models.CharField("số hợp đồng", max_length=100)
    title = models.CharField("tên hợp đồng", max_length=300)
    value_vnd = models.BigIntegerField("giá trị (đồng)", validators=[MinValueValidator(0)])
    cofunding_vnd = models.BigIntegerField("vốn đối ứng/Nhà nước hỗ trợ (đồng)", default=0,
                                           validators=[MinValueValidator(0)])
    cofunder = models.ForeignKey("agencies.Agency", verbose_name="cơ quan nhà nước đồng tài trợ", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    ip_split = models.CharField("phân chia quyền sở hữu trí tuệ", max_length=500)
    signed_on = models.DateField("ngày ký")
    starts_on = models.DateField("bắt đầu", null=True, blank=True)
    ends_on = models.DateField("kết thúc", null=True, blank=True)
    field = models.ForeignKey("taxonomy.TechnologyField", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "hợp đồng hợp tác"
        verbose_name_plural = "hợp đồng hợp tác"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return pk_url("hub:deal_detail", self.deal_id)


class Outcome(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField("loại kết quả", max_length=20, choices=OutcomeKind.choices)
    title = models.CharField("mô tả ngắn", max_length=300)
    year = models.PositiveSmallIntegerField("năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    revenue_vnd = models.BigIntegerField("doanh thu trong năm (đồng)", default=0, validators=[MinValueValidator(0)])
    spinoff_name = models.CharField("tên doanh nghiệp spin-off", max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "kết quả thương mại hóa"
        verbose_name_plural = "kết quả thương mại hóa"
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.year})"


class ContractMilestone(models.Model):
    """A milestone of a contract (due date and content, set when the contract is recorded), marked done by either
    party with the date and a note (``services.milestone_mark_done``). One row per milestone rather than a JSON list
    on the contract: each mark is its own audited change, two parties marking two milestones never overwrite each
    other, and overdue milestones can be counted in the database."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    title = models.CharField("nội dung", max_length=300)
    due_on = models.DateField("hạn", null=True, blank=True)
    done_on = models.DateField("hoàn thành ngày", null=True, blank=True)
    note = models.TextField("ghi chú", max_length=2000, blank=True)
    done_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    done_by_organisation = models.ForeignKey("agencies.Agency", verbose_name="bên xác nhận", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "mốc tiến độ hợp đồng"
        verbose_name_plural = "mốc tiến độ hợp đồng"
        ordering = ["contract", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_late(self, today) -> bool:
        return self.due_on is not None and (self.done_on or today) > self.due_on


class MatchingCentroid(models.Model):
    """A list of the hub's vector index: the centre of a group of stored embeddings of one kind (k-means, built by
    ``manage.py hub_matching_index``); items carry the number of their nearest list (``vector_list``)."""

    kind = models.CharField(max_length=20)  # "problem" or "offer"
    number = models.IntegerField()
    vector = models.BinaryField()
    size = models.IntegerField(default=0)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tâm cụm vectơ ghép nối"
        verbose_name_plural = "tâm cụm vectơ ghép nối"
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="hub_centroid_unique")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.number} ({self.size})"
