from django.contrib import admin

from nq57.core.admin import ReadOnlyAdminMixin
from nq57.search.models import SearchEntry


@admin.register(SearchEntry)
class SearchEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "object_id", "title", "is_public", "updated_at")
    list_filter = ("kind", "is_public")
    search_fields = ("title",)
