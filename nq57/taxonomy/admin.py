from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CatalogueVersion, Programme, TechnologyField, Theme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_default")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


class TechnologyFieldInline(admin.TabularInline):
    model = TechnologyField
    extra = 0
    fields = ("code", "name", "parent", "keywords", "position")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(SimpleHistoryAdmin):
    """Read-only: a new version is published through ``taxonomy.services.catalogue_publish`` (entries of a version
    never change, so links to them keep their meaning)."""

    list_display = ("decision_number", "issued_on", "is_current")
    readonly_fields = ("decision_number", "issued_on", "title", "issuer", "is_current", "supersedes", "note")
    inlines = [TechnologyFieldInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
