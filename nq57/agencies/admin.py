from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nq57.agencies.services import agency_save

from .models import Agency, AgencyAlias


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    fields = ("alias",)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    """Registry data: editable, but every save (with members and aliases) goes through ``agency_save``. The successor
    and the dissolution date are read-only here: ``agency_dissolve`` sets them and moves the open tasks."""

    list_display = ("name", "short_name", "kind", "parent", "successor", "dissolved_on")
    list_filter = ("kind", ("dissolved_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "short_name", "search_key", "aliases__alias")
    autocomplete_fields = ("parent", "members")
    readonly_fields = ("successor", "dissolved_on")
    inlines = [AgencyAliasInline]

    def has_delete_permission(self, request, obj=None):  # tasks keep their agencies: dissolve into a successor
        return False

    def save_model(self, request, obj, form, change):
        """Saved in ``save_related``, together with its members and aliases, by the service."""

    def save_related(self, request, form, formsets, change):
        aliases = [row.cleaned_data["alias"] for formset in formsets for row in formset.forms
                   if getattr(row, "cleaned_data", None) and not row.cleaned_data.get("DELETE")
                   and row.cleaned_data.get("alias")]
        agency_save(actor=request.user, agency=form.instance, members=form.cleaned_data.get("members"),
                    aliases=aliases)
        for formset in formsets:  # what the admin's change message lists; the service already wrote everything
            formset.save(commit=False)

    def has_change_history_permission(self, request, obj=None):  # a revert would bypass agency_save
        return False
