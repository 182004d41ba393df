from django.contrib import admin

from nq57.core.admin import ReadOnlyAdminMixin
from nq57.hub.models import Contract, ContractMilestone, Deal, Message, Offer, Outcome, Problem, ProblemAccess


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "trl_required", "is_featured", "created_at")
    list_filter = ("status", "is_featured")
    search_fields = ("title_key",)
    exclude = ("embedding",)


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "trl", "is_featured", "created_at")
    list_filter = ("kind", "is_featured")
    search_fields = ("title_key",)
    exclude = ("embedding",)


@admin.register(Deal)
class DealAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "owner", "partner", "stage", "updated_at")
    list_filter = ("stage",)


for model in (ProblemAccess, Message, Contract, ContractMilestone, Outcome):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
