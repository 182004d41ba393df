from django.contrib import admin

from nq57.core.admin import ReadOnlyAdminMixin
from nq57.indicators.models import (
    AssessorScore,
    Framework,
    FrameworkVersion,
    Indicator,
    IndicatorProposal,
    IndicatorValue,
)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "unit", "agency", "status", "next_target_year")
    list_filter = ("status", "kind", "period")
    search_fields = ("name",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("indicator", "year", "quarter", "value", "state", "origin")
    list_filter = ("state", "origin")


@admin.register(IndicatorProposal)
class IndicatorProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "notice", "year", "state")
    list_filter = ("state",)


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "subject_kind")


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("framework", "number", "used")


@admin.register(AssessorScore)
class AssessorScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("criterion", "subject", "year", "score")
