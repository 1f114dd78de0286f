"""Reconciliation (thống nhất điểm) and results (kết quả) pages. Mounted under ``reviews/``
beside the peer-review pages, so the paths stay those of the review stage they follow."""

from django.urls import path

from thidua.results.views import reconcile, results

app_name = "results"
C = "<str:code>/<int:year>/"
urlpatterns = [
    path(f"{C}discrepancies/<str:school>/", reconcile.discrepancies, name="discrepancies"),
    path(f"{C}reconciliation/", reconcile.reconciliation, name="reconciliation"),
    path(f"{C}reconciliation/unflagged/", reconcile.reconciliation_unflagged, name="reconcile_unflagged"),
    path(f"{C}reconciliation/accept/", reconcile.accept, name="reconcile_accept"),
    path(f"{C}reconciliation/override/", reconcile.override, name="reconcile_override"),
    path(f"{C}reconciliation/accept-unflagged/", reconcile.accept_unflagged, name="reconcile_accept_unflagged"),
    path(f"{C}reconciliation/lock/", reconcile.lock, name="reconcile_lock"),
    path(f"{C}results/", results.results_table, name="results"),
    path(f"{C}results/publish/", results.publish, name="results_publish"),
    path(f"{C}results/bands/", results.bands, name="results_bands"),
    path(f"{C}results/analytics/", results.analytics, name="results_analytics"),
    path(f"{C}results/results.xlsx", results.download_xlsx, name="results_xlsx"),
    path(f"{C}results/results.pdf", results.download_pdf, name="results_pdf"),
    path(f"{C}results/results.docx", results.download_docx, name="results_docx"),
    path(f"{C}results/export.json", results.download_export, name="results_export"),
    path(f"{C}results/<str:school>/", results.explanation, name="results_school"),
]
