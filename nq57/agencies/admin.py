from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyAlias


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    fields = ("alias",)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "parent", "successor", "dissolved_on")
    list_filter = ("kind", ("dissolved_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "short_name", "search_key", "aliases__alias")
    autocomplete_fields = ("parent", "successor", "members")
    inlines = [AgencyAliasInline]
