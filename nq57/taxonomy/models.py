"""Reference data every install has: programmes, themes and the versioned strategic-technology catalogue.

``Programme`` and ``Theme`` moved here from the notices and tasks apps; they keep their tables (``notices_programme``,
``tasks_theme``) so existing rows and the links to them stay as they were.
"""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user


class Programme(models.Model):
    """The policy a set of notices implements: Resolution 57-NQ/TW by default, others side by side."""

    code = models.CharField("số hiệu", max_length=50, unique=True, help_text="Ví dụ: 57-NQ/TW, 03/NQ-CP")
    name = models.CharField("tên", max_length=300)
    is_default = models.BooleanField("mặc định", default=False)

    class Meta:
        db_table = "notices_programme"
        verbose_name = "chương trình"
        verbose_name_plural = "chương trình"
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="notices_programme_one_default"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Theme(models.Model):
    """How leaders slice the work: 3 Nhà, khu công nghệ cao, đô thị thông minh, trí tuệ nhân tạo, ..."""

    code = models.SlugField("mã", max_length=50, unique=True)
    name = models.CharField("tên", max_length=200)
    keywords = models.JSONField(
        "từ khóa", default=list, blank=True,
        help_text="Nhiệm vụ có chứa một trong các từ khóa (nguyên từ, không phân biệt dấu, hoa thường) được gắn chủ "
                  "đề này. Từ viết tắt viết hoa (AI, 5G) chỉ khớp khi văn bản cũng viết hoa.",
    )

    class Meta:
        db_table = "tasks_theme"
        verbose_name = "chủ đề"
        verbose_name_plural = "chủ đề"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CatalogueVersion(models.Model):
    """One issue of the national strategic-technology list (Quyết định 1131/QĐ-TTg, later amendments).

    The list is reviewed and changed over time: a new decision becomes a new version and the current one; the
    entries of earlier versions stay, so whatever was linked to them keeps its meaning.
    """

    decision_number = models.CharField("số quyết định", max_length=50, unique=True, help_text="Ví dụ: 1131/QĐ-TTg")
    issued_on = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=500)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    is_current = models.BooleanField("đang áp dụng", default=False)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by",
        verbose_name="thay thế danh mục",
    )
    note = models.TextField("ghi chú", blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "danh mục công nghệ chiến lược"
        verbose_name_plural = "danh mục công nghệ chiến lược"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="taxonomy_catalogue_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"Danh mục công nghệ chiến lược theo {self.decision_number}"


class TechnologyField(models.Model):
    """An entry of a catalogue version: a strategic-technology group (no parent) or one of its product groups."""

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="fields", verbose_name="danh mục"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="products", verbose_name="nhóm công nghệ"
    )
    code = models.CharField("mã", max_length=20, help_text="Số thứ tự trong danh mục, ví dụ: 1, 1.2")
    name = models.CharField("tên", max_length=500)
    keywords = models.JSONField(
        "từ khóa", default=list, blank=True, help_text="Văn bản chứa một trong các từ khóa được gắn lĩnh vực này."
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "công nghệ chiến lược"
        verbose_name_plural = "công nghệ chiến lược"
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="taxonomy_field_code_per_version")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:catalogue") + f"#cn-{self.code}"

    @property
    def is_group(self) -> bool:
        return self.parent_id is None
