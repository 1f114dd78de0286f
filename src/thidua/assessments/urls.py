from django.urls import URLPattern, URLResolver, include, path

from thidua.assessments.views import files, pages, workflow

app_name = "assessments"
school = "<str:cluster>/<int:year>/<str:school>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.assessment_index, name="index"),
    path(school, pages.assessment_detail, name="detail"),
    path(f"{school}start/", pages.assessment_start, name="start"),
    path(f"{school}entries/<int:entry_id>/", pages.entry_block, name="entry"),
    path(f"{school}entries/<int:entry_id>/save/", pages.entry_save, name="entry_save"),
    path(f"{school}summary/", pages.summary, name="summary"),
    path(f"{school}submit/", workflow.assessment_submit, name="submit"),
    path(f"{school}reopen/", workflow.assessment_reopen, name="reopen"),
    path(f"{school}xlsx/", files.xlsx_export, name="xlsx_export"),
    path(f"{school}xlsx/import/", files.xlsx_import, name="xlsx_import"),
    path(f"{school}report.docx", files.report_docx, name="report_docx"),
    path(f"{school}report.pdf", files.report_pdf, name="report_pdf"),
    # Evidence (files and links per criterion) has its own module.
    path("evidence/", include("thidua.assessments.urls_evidence")),
]
