"""Exchange keys and import batches: read-only in the admin (written only by ``nq57.exchange.services``)."""

from django.contrib import admin

from nq57.core.admin import ReadOnlyAdminMixin

from .models import ExternalKey, ImportBatch


@admin.register(ExternalKey)
class ExternalKeyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "kind", "created_by", "created_at", "committed_at")
