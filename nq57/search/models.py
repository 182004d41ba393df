"""The platform's full-text index: one row per searchable object of any app (``kind`` names the app's noun).

The rows are derived data, written only by ``search.services`` from the owning app's services; the full-text
structures live beside the table and are created by the migrations per database:

* SQLite: an external-content FTS5 table ``search_entry_fts(kind, text_folded)`` with
  ``tokenize='unicode61 remove_diacritics 2'``, kept in step by triggers;
* PostgreSQL: a stored generated column ``tsv = to_tsvector('simple', text_folded)`` with a GIN index.

``text_folded`` is ``fold(canon(title + text))`` (no diacritics, đ -> d, lower case), so a query folded the same way
matches whatever the spelling of tone marks, NFC/NFD or diacritics. ``SearchTermStat`` keeps the number of entries
of each kind that hold each word: the rarity of a word, used to pick the words that retrieve similar entries.
"""

from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField("loại", max_length=60)
    object_id = models.BigIntegerField("mã đối tượng")
    title = models.CharField("tiêu đề", max_length=500, blank=True)
    text = models.TextField("nội dung", blank=True)  # as written (canon): snippets and shared passages
    text_folded = models.TextField("nội dung chuẩn hoá", blank=True)
    is_public = models.BooleanField("công khai", default=True)
    organisation_id = models.BigIntegerField("tổ chức", null=True, blank=True)
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        verbose_name = "mục chỉ mục tìm kiếm"
        verbose_name_plural = "chỉ mục tìm kiếm"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_kind_object")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id}"


class SearchTermStat(models.Model):
    """How many entries of ``kind`` contain ``term`` (``term == ""``: how many entries of ``kind`` there are)."""

    kind = models.CharField(max_length=60)
    term = models.CharField(max_length=80)
    docs = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="search_term_kind_term")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.term}={self.docs}"
