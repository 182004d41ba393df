from django.urls import path

from nq57.hub import views

app_name = "hub"

urlpatterns = [
    path("", views.home, name="home"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/access/<int:organisation_id>/", views.problem_grant, name="problem_grant"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("problems/<int:pk>/close/", views.problem_close, name="problem_close"),
    path("<str:kind>/<int:pk>/interest/", views.interest, name="interest"),
    path("<str:kind>/<int:pk>/feature/", views.feature, name="feature"),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/message/", views.deal_message, name="deal_message"),
    path("deals/<int:pk>/agree/", views.deal_agree, name="deal_agree"),
    path("deals/<int:pk>/contract/", views.deal_contract, name="deal_contract"),
    path("deals/<int:pk>/outcome/", views.deal_outcome, name="deal_outcome"),
    path("deals/<int:pk>/withdraw/", views.deal_withdraw, name="deal_withdraw"),
    path("deals/<int:pk>/milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("figures/", views.figures, name="figures"),
    path("fields/<int:pk>/", views.field_detail, name="field_detail"),
]
