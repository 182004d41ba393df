"""Links between our tasks and the records other systems (the Resolution 71 system) keep for the same task."""

from django.conf import settings
from django.db import models


class ExternalKey(models.Model):
    """``(system, external_id)`` names one of our tasks in another system; at most one link per task and system."""

    system = models.CharField("hệ thống", max_length=50, help_text="Ví dụ: r71 (hệ thống Nghị quyết 71/NQ-CP)")
    external_id = models.CharField("mã bên ngoài", max_length=300)
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="external_keys",
                             verbose_name="nhiệm vụ")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "liên kết hệ thống ngoài"
        verbose_name_plural = "liên kết hệ thống ngoài"
        ordering = ["system", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "external_id"], name="exchange_key_system_external_id"),
            models.UniqueConstraint(fields=["system", "task"], name="exchange_key_system_task"),
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.external_id}"


class ImportKind(models.TextChoices):
    EXCEL = "excel", "Bảng tính Excel"
    JSON = "json", "Tệp trao đổi JSON"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Chờ ghi"
    RUNNING = "running", "Đang ghi"
    DONE = "done", "Đã ghi xong"
    FAILED = "failed", "Bị dừng"


class ImportBatch(models.Model):
    """An uploaded file: previewed first, then written in chunks that each commit on their own (``exchange.batches``).
    ``rows_done`` moves in the same transaction as each chunk, so a run that stops (a crash, a killed worker) resumes
    after the last committed chunk."""

    kind = models.CharField("loại", max_length=10, choices=ImportKind.choices)
    file = models.FileField("tệp", upload_to="exchange/uploads/%Y/%m/")
    original_name = models.CharField("tên tệp", max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField("ghi vào lúc", null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    system = models.CharField("hệ thống gửi", max_length=50, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    rows_total = models.PositiveIntegerField("số bản ghi", default=0)
    rows_done = models.PositiveIntegerField("đã ghi", default=0)
    started_at = models.DateTimeField("bắt đầu ghi", null=True, blank=True)
    heartbeat_at = models.DateTimeField("lần ghi gần nhất", null=True, blank=True)
    error = models.TextField("lý do dừng", blank=True)

    class Meta:
        verbose_name = "lượt nhập dữ liệu"
        verbose_name_plural = "lượt nhập dữ liệu"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        if self.kind == ImportKind.EXCEL and self.status == ImportStatus.PENDING:
            return reverse("exchange:excel_preview", args=[self.pk])
        return reverse("exchange:batch", args=[self.pk])


class ReportKey(models.Model):
    """``(system, external_id)`` names one of our progress reports in another system: an imported report is written
    once, however often the same file is imported."""

    system = models.CharField("hệ thống", max_length=50)
    external_id = models.CharField("mã bên ngoài", max_length=300)
    report = models.ForeignKey("reports.ProgressReport", on_delete=models.CASCADE, related_name="external_keys",
                               verbose_name="báo cáo")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "liên kết báo cáo hệ thống ngoài"
        verbose_name_plural = "liên kết báo cáo hệ thống ngoài"
        constraints = [
            models.UniqueConstraint(fields=["system", "external_id"], name="exchange_reportkey_system_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.external_id}"
