"""Evidence (minh chứng) URLs, included by ``assessments/urls.py`` under ``evidence/``.

No ``app_name`` here: the names join the including module's namespace
(``assessments:evidence_upload`` …). Every path starts with a word (``entry/``, ``item/``) so
that none can be mistaken for a school's page (``<cluster>/<year>/<school>/``).
"""

from django.urls import path

from thidua.assessments.views import evidence

urlpatterns = [
    path("entry/<int:entry_id>/", evidence.entry_evidence, name="evidence_entry"),
    path("entry/<int:entry_id>/upload/", evidence.upload, name="evidence_upload"),
    path("entry/<int:entry_id>/link/", evidence.add_link, name="evidence_add_link"),
    path("item/<int:evidence_id>/remove/", evidence.remove, name="evidence_remove"),
    path("item/<int:evidence_id>/download/", evidence.download, name="evidence_download"),
    path("item/<int:evidence_id>/preview/", evidence.preview, name="evidence_preview"),
]
