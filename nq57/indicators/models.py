"""Indicators (targets to 2030 and beyond), their periodic values, the proposals read from notices, and scorecards.

An indicator's latest value and status are stored on the indicator (``latest_*``, ``status``), recomputed by
``services.indicator_refresh`` in the same transaction as every write of its values or targets, so lists and the
dashboard aggregate with grouped queries on one table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nq57.core import badges
from nq57.core.audit import history_user


class Direction(models.TextChoices):
    HIGHER = "higher", "Càng cao càng tốt"
    LOWER = "lower", "Càng thấp càng tốt"


class IndicatorKind(models.TextChoices):
    COUNT = "count", "Số lượng"
    AMOUNT = "amount", "Giá trị (tiền, khối lượng)"
    RATIO = "ratio", "Tỷ lệ, phần trăm"
    RANK = "rank", "Thứ hạng (top N)"
    MILESTONE = "milestone", "Mốc có/không"


class Period(models.TextChoices):
    QUARTERLY = "quarterly", "Hằng quý"
    YEARLY = "yearly", "Hằng năm"


class ValueSource(models.TextChoices):
    ENTERED = "entered", "Cơ quan nhập"
    COMPUTED = "computed", "Tính từ hệ thống"


class IndicatorStatus(models.TextChoices):
    ACHIEVED = "achieved", "Đã đạt"
    ON_TRACK = "on_track", "Đúng hướng"
    AT_RISK = "at_risk", "Có nguy cơ"
    OFF_TRACK = "off_track", "Chệch hướng"
    NO_DATA = "no_data", "Chưa đủ số liệu"


badges.register("indicator_status", IndicatorStatus, {
    IndicatorStatus.ACHIEVED: "success", IndicatorStatus.ON_TRACK: "info", IndicatorStatus.AT_RISK: "warning",
    IndicatorStatus.OFF_TRACK: "danger", IndicatorStatus.NO_DATA: "muted",
})


class Indicator(models.Model):
    code = models.CharField("mã", max_length=60, blank=True, db_index=True,
                            help_text="Mã chung của một chỉ tiêu đo ở nhiều cơ quan, địa phương (bộ tiêu chí)")
    name = models.CharField("tên chỉ tiêu", max_length=600)
    search_key = models.CharField(max_length=600, db_index=True, editable=False)
    unit = models.CharField("đơn vị tính", max_length=120, blank=True)
    direction = models.CharField("chiều tốt", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    kind = models.CharField("loại", max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.COUNT)
    baseline_value = models.DecimalField("giá trị cơ sở", max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("năm cơ sở", null=True, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="indicators", verbose_name="cơ quan chủ trì theo dõi")
    theme = models.ForeignKey("taxonomy.Theme", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="indicators", verbose_name="chủ đề")
    technology = models.ForeignKey("taxonomy.TechnologyField", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="indicators", verbose_name="lĩnh vực công nghệ chiến lược")
    method = models.TextField("phương pháp tính", blank=True)
    data_source = models.TextField("nguồn số liệu", blank=True)
    period = models.CharField("kỳ số liệu", max_length=10, choices=Period.choices, default=Period.YEARLY)
    value_source = models.CharField("cách có số liệu", max_length=10, choices=ValueSource.choices,
                                    default=ValueSource.ENTERED)
    computation = models.CharField("phép tính", max_length=60, blank=True,
                                   help_text="Khóa phép tính đã đăng ký (khi số liệu tính từ hệ thống)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # denormalised, written by services.indicator_refresh in the transaction of each write
    latest_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True, editable=False)
    latest_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    latest_quarter = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField("tình trạng", max_length=12, choices=IndicatorStatus.choices,
                              default=IndicatorStatus.NO_DATA, editable=False)
    next_target_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    next_target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True, editable=False)
    projected_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True, editable=False)
    values_count = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["search_key"])

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status"], name="indicators_status_idx"),
            models.Index(fields=["agency", "status"], name="indicators_agency_status_idx"),
            models.Index(fields=["theme", "status"], name="indicators_theme_status_idx"),
            models.Index(fields=["next_target_year", "status"], name="indicators_year_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("indicators:indicator_detail", args=[self.pk])

    @property
    def is_milestone(self) -> bool:
        return self.kind == IndicatorKind.MILESTONE


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("năm")
    value = models.DecimalField("giá trị mục tiêu", max_digits=20, decimal_places=4)
    text = models.CharField("mục tiêu như văn bản ghi", max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "mục tiêu"
        verbose_name_plural = "mục tiêu"
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicators_target_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.text or self.value}"


class IndicatorSource(models.Model):
    """Where the indicator was set: a notice and the sentence (or annex row) it came from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sources")
    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="indicator_sources", verbose_name="thông báo, văn bản")
    path = models.CharField("vị trí", max_length=60, blank=True)
    sentence = models.TextField("câu trong văn bản")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "nguồn chỉ tiêu"
        verbose_name_plural = "nguồn chỉ tiêu"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.notice or 'Không rõ văn bản'} {self.path}".strip()


class ValueState(models.TextChoices):
    SUBMITTED = "submitted", "Chờ xác nhận"
    VALIDATED = "validated", "Đã xác nhận"
    REJECTED = "rejected", "Không chấp nhận"


badges.register("indicator_value_state", ValueState, {
    ValueState.SUBMITTED: "attention", ValueState.VALIDATED: "success", ValueState.REJECTED: "danger",
})


class ValueOrigin(models.TextChoices):
    WEB = "web", "Nhập trên trang"
    EXCEL = "excel", "Nhập từ Excel"
    API = "api", "Qua API"
    COMPUTED = "computed", "Tính từ hệ thống"


def evidence_path(instance: "IndicatorValue", filename: str) -> str:
    return f"indicators/{instance.indicator_id}/{filename}"


class IndicatorValue(models.Model):
    """The actual value of one period (a year, or a quarter of it: ``quarter`` 1-4, 0 for a yearly value)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý", default=0)
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    note = models.TextField("ghi chú", blank=True)
    evidence_file = models.FileField("tệp minh chứng", upload_to=evidence_path, max_length=500, blank=True)
    evidence_name = models.CharField("tên tệp minh chứng", max_length=255, blank=True)
    evidence_link = models.URLField("liên kết minh chứng", max_length=1000, blank=True)
    origin = models.CharField("cách nhập", max_length=10, choices=ValueOrigin.choices, default=ValueOrigin.WEB)
    state = models.CharField("trạng thái", max_length=12, choices=ValueState.choices, default=ValueState.SUBMITTED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField("thời điểm nhập")
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    validated_at = models.DateTimeField("thời điểm xác nhận", null=True, blank=True)
    validation_note = models.TextField("ý kiến xác nhận", blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "giá trị chỉ tiêu"
        verbose_name_plural = "giá trị chỉ tiêu"
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="indicators_value_one_per_period"),
            models.CheckConstraint(name="indicators_value_quarter_0_4", condition=Q(quarter__lte=4)),
        ]
        indexes = [models.Index(fields=["state", "entered_at"], name="indicators_value_state_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.period_label}: {self.value}"

    @property
    def period_label(self) -> str:
        return f"Quý {self.quarter}/{self.year}" if self.quarter else f"Năm {self.year}"


class ProposalState(models.TextChoices):
    PENDING = "pending", "Chờ xử lý"
    CONFIRMED = "confirmed", "Đã tạo chỉ tiêu"
    MERGED = "merged", "Đã gộp vào chỉ tiêu có sẵn"
    DISMISSED = "dismissed", "Bỏ qua"


badges.register("indicator_proposal_state", ProposalState, {
    ProposalState.PENDING: "attention", ProposalState.CONFIRMED: "success", ProposalState.MERGED: "info",
    ProposalState.DISMISSED: "muted",
})


class IndicatorProposal(models.Model):
    """A target found in an imported document, waiting for the office: create an indicator, merge, or dismiss."""

    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="indicator_proposals")
    draft = models.ForeignKey("notices.NoticeDraft", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="indicator_proposals")
    path = models.CharField("vị trí", max_length=60, blank=True)
    sentence = models.TextField("câu trong văn bản")
    name = models.CharField("tên chỉ tiêu đề xuất", max_length=600)
    unit = models.CharField("đơn vị tính", max_length=120, blank=True)
    year = models.PositiveSmallIntegerField("năm mục tiêu", null=True, blank=True)
    value_text = models.CharField("mục tiêu như văn bản ghi", max_length=300, blank=True)
    value = models.DecimalField("giá trị mục tiêu", max_digits=20, decimal_places=4, null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    kind = models.CharField(max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.COUNT)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency_name = models.CharField("cơ quan theo văn bản", max_length=300, blank=True)
    suggested = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="chỉ tiêu có sẵn tương tự")
    state = models.CharField(max_length=12, choices=ProposalState.choices, default=ProposalState.PENDING)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="proposals")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "chỉ tiêu đề xuất"
        verbose_name_plural = "chỉ tiêu đề xuất"
        ordering = ["notice_id", "id"]
        indexes = [models.Index(fields=["state"], name="indicators_proposal_state_idx")]

    def __str__(self) -> str:
        return self.name


# --- scorecards ----------------------------------------------------------------------------------------------------

class SubjectKind(models.TextChoices):
    ORGANISATION = "organisation", "Doanh nghiệp, cơ sở đào tạo, tổ chức nghiên cứu"
    PROVINCE = "province", "Tỉnh, thành phố"


class Framework(models.Model):
    name = models.CharField("tên bộ tiêu chí", max_length=300, unique=True)
    subject_kind = models.CharField("áp dụng cho", max_length=20, choices=SubjectKind.choices)
    description = models.TextField("mô tả", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "FrameworkVersion | None":
        return self.versions.order_by("-number").first()


class FrameworkVersion(models.Model):
    """A frozen set of criteria once used (scored or exported): a change then makes a new version."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("phiên bản")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    used = models.BooleanField("đã sử dụng", default=False)
    note = models.TextField("nội dung thay đổi", blank=True)

    class Meta:
        verbose_name = "phiên bản bộ tiêu chí"
        verbose_name_plural = "phiên bản bộ tiêu chí"
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="indicators_framework_version")]

    def __str__(self) -> str:
        return f"{self.framework} — phiên bản {self.number}"


class CriterionRule(models.TextChoices):
    THRESHOLD = "threshold", "Theo ngưỡng giá trị chỉ tiêu"
    LINEAR = "linear", "Chuẩn hóa tuyến tính giá trị chỉ tiêu"
    ASSESSOR = "assessor", "Người đánh giá chấm điểm"


class Criterion(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("tiêu chí", max_length=300)
    weight = models.DecimalField("trọng số", max_digits=8, decimal_places=3)
    rule = models.CharField("cách chấm", max_length=12, choices=CriterionRule.choices)
    indicator_code = models.CharField("mã chỉ tiêu", max_length=60, blank=True,
                                      help_text="Giá trị lấy từ chỉ tiêu có mã này của đối tượng được đánh giá")
    steps = models.JSONField("các ngưỡng [giá trị, điểm]", default=list, blank=True)
    worst = models.DecimalField("mức kém nhất (0 điểm)", max_digits=20, decimal_places=4, null=True, blank=True)
    best = models.DecimalField("mức tốt nhất (100 điểm)", max_digits=20, decimal_places=4, null=True, blank=True)
    lower_is_better = models.BooleanField("càng thấp càng tốt", default=False)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.name


class AssessorScore(models.Model):
    """An assessor's score (0-100) on one criterion for one subject and year, with its evidence."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    subject = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    score = models.DecimalField("điểm", max_digits=6, decimal_places=2)
    evidence = models.TextField("minh chứng")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "điểm đánh giá"
        verbose_name_plural = "điểm đánh giá"
        constraints = [models.UniqueConstraint(fields=["criterion", "subject", "year"],
                                               name="indicators_score_one_per_subject_year")]

    def __str__(self) -> str:
        return f"{self.criterion} — {self.subject} {self.year}: {self.score}"


class ScorecardSubject(models.Model):
    """The organisations or provinces a framework is applied to."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="subjects")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "đối tượng đánh giá"
        verbose_name_plural = "đối tượng đánh giá"
        constraints = [models.UniqueConstraint(fields=["framework", "agency"], name="indicators_subject_once")]

    def __str__(self) -> str:
        return str(self.agency)
