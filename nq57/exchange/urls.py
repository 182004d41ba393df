from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export, name="export"),
    path("import/", views.import_json, name="import_json"),
    path("excel/", views.excel_upload, name="excel_upload"),
    path("excel/<int:pk>/", views.excel_preview, name="excel_preview"),
    path("excel/<int:pk>/confirm/", views.excel_confirm, name="excel_confirm"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/status.json", views.batch_status_json, name="batch_status"),
    path("batches/<int:pk>/resume/", views.batch_resume, name="batch_resume"),
]
