from django.urls import path

from thidua.awards.views import awards, downloads, proposals

app_name = "awards"
C = "<str:code>/<int:year>/"
urlpatterns = [
    path("", awards.index, name="index"),
    path("new/", awards.award_edit, name="award_create"),
    path("install/", awards.install_defaults, name="install"),
    path("<int:pk>/edit/", awards.award_edit, name="award_edit"),
    path("records/new/", awards.record_add, name="record_add"),
    path("proposals/", proposals.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/delete/", proposals.proposal_delete, name="proposal_delete"),
    path("proposals/<int:pk>/decide/", proposals.proposal_decide, name="proposal_decide"),
    path("proposals/<int:pk>/bao-cao-thanh-tich.docx", downloads.report_docx, name="report_docx"),
    path("proposals/<int:pk>/bao-cao-thanh-tich.pdf", downloads.report_pdf, name="report_pdf"),
    path("proposals/<int:pk>/ho-so.zip", downloads.proposal_zip, name="proposal_zip"),
    path(C, proposals.campaign_proposals, name="campaign"),
    path(f"{C}to-trinh.docx", downloads.letter_docx, name="letter_docx"),
    path(f"{C}to-trinh.pdf", downloads.letter_pdf, name="letter_pdf"),
    path(f"{C}ho-so.zip", downloads.year_zip, name="year_zip"),
]
