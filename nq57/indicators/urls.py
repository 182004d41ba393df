from django.urls import path

from . import views

app_name = "indicators"

urlpatterns: list = [
    path("", views.indicator_list, name="indicator_list"),
    path("new/", views.indicator_new, name="indicator_new"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/values/", views.value_enter, name="value_enter"),
    path("values/<int:pk>/validate/", views.value_validate, name="value_validate"),
    path("values/<int:pk>/evidence/", views.evidence_download, name="evidence_download"),
    path("values/import/", views.values_import, name="values_import"),
    path("values/template.xlsx", views.values_template, name="values_template"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/collect/", views.proposals_collect, name="proposals_collect"),
    path("proposals/sheet/", views.proposals_from_sheet, name="proposals_from_sheet"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("growth/", views.growth_page, name="growth"),
    path("scorecards/", views.scorecard_list, name="scorecard_list"),
    path("scorecards/new/", views.framework_new, name="framework_new"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard_detail"),
    path("scorecards/<int:pk>/revise/", views.framework_revise, name="framework_revise"),
    path("scorecards/criteria/<int:pk>/score/", views.score_enter, name="score_enter"),
]
