from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user
from nq57.core.links import pk_url
from nq57.taxonomy.models import Programme  # moved to the taxonomy app; import it from there


class NoticeKind(models.TextChoices):
    CONCLUSION_NOTICE = "conclusion_notice", "Thông báo kết luận"
    ACTION_PROGRAMME = "action_programme", "Chương trình hành động"
    NEWS_ARTICLE = "news_article", "Tin bài về cuộc họp"
    OTHER = "other", "Văn bản khác"


class Notice(models.Model):
    """A document that assigns tasks: a conclusion notice (30-TB/TGV), an action programme, a meeting report."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="notices", verbose_name="chương trình"
    )
    number = models.CharField("số hiệu", max_length=100, blank=True, help_text="Ví dụ: 30-TB/TGV")
    title = models.CharField("trích yếu", max_length=500, blank=True)
    kind = models.CharField(
        "loại văn bản", max_length=30, choices=NoticeKind.choices, default=NoticeKind.CONCLUSION_NOTICE
    )
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True)
    meeting_date = models.DateField("ngày họp", null=True, blank=True)
    signer = models.CharField("người ký", max_length=200, blank=True)
    full_text = models.TextField("toàn văn", blank=True)
    source_file = models.FileField("tệp gốc", upload_to="notices/%Y/", blank=True)
    cited_numbers = models.JSONField("số hiệu văn bản được dẫn", default=list, blank=True)
    cites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="cited_by", verbose_name="văn bản được dẫn"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["full_text"], get_user=history_user)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], condition=~models.Q(number=""), name="notices_notice_unique_number"
            )
        ]

    #: what its label and heading read: the columns a page joining a notice loads (``core.columns.defer_unshown``)
    LABEL_FIELDS = ("programme", "number", "title", "kind", "issued_on")

    def __str__(self) -> str:
        return self.number or self.title or f"Văn bản ngày {self.issued_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return pk_url("notices:notice_detail", self.pk)


class NoticeDraft(models.Model):
    """An uploaded or pasted notice between extraction and the office's confirmation ("Nhập thông báo").

    ``extracted`` is the extractor's output as it came; ``proposal`` is what the reviewer currently proposes (the
    extracted values, then the reviewer's edits). Confirming turns the proposal into a Notice and its tasks; a
    confirmed draft is the record of that import: ``proposal`` is then what the office confirmed (each row with the
    ``task_id`` it became) and ``written`` the values each task had when the import finished, so the next import of
    the same notice compares documents with documents and sees what the system changed since.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="drafts", verbose_name="chương trình"
    )
    source_name = models.CharField("tên tệp", max_length=255, blank=True)
    source_file = models.FileField("tệp gốc", upload_to="notice_drafts/%Y/", blank=True)
    source_text = models.TextField("văn bản nguồn")
    source_size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    extracted = models.JSONField("kết quả bóc tách", default=dict)
    proposal = models.JSONField("nội dung đề xuất", default=dict)
    written = models.JSONField("giá trị đã ghi khi xác nhận", default=dict, blank=True)
    review_counts = models.JSONField(
        "chỉnh sửa khi xem lại", default=dict, blank=True,
        help_text="Tách, gộp, thêm trong lúc xem lại; khi xác nhận: các số đếm của notices.quality.draft_quality.")
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts", verbose_name="thông báo"
    )
    confirmed_at = models.DateTimeField("thời điểm xác nhận", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bản nhập thông báo"
        verbose_name_plural = "bản nhập thông báo"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.source_name or f"Bản nhập #{self.pk}"

    @property
    def source_format(self) -> str:
        from nq57.notices.reading import source_format

        return source_format(self.source_name)
