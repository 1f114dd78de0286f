from django.urls import path

from thidua.campaigns.views import board, campaigns, covenant, registrations

app_name = "campaigns"
C = "<str:code>/<int:year>/"
urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path(f"{C}new/", campaigns.campaign_create, name="create"),
    path(C, campaigns.campaign_detail, name="detail"),
    path(f"{C}settings/", campaigns.campaign_settings, name="settings"),
    path(f"{C}deadlines/", campaigns.campaign_deadlines, name="deadlines"),
    path(f"{C}phase/", campaigns.campaign_phase, name="phase"),
    path(f"{C}extensions/", campaigns.campaign_extensions, name="extensions"),
    path(f"{C}extensions/<int:pk>/revoke/", campaigns.extension_revoke, name="extension_revoke"),
    path(f"{C}registrations/", board.registrations, name="registrations"),
    path(f"{C}my-registration/", registrations.my_registration, name="my_registration"),
    path(f"{C}registrations/<str:school>/", registrations.registration_detail, name="registration"),
    path(f"{C}registrations/<str:school>/submit/", registrations.registration_submit, name="registration_submit"),
    path(f"{C}registrations/<str:school>/reopen/", registrations.registration_reopen, name="registration_reopen"),
    path(f"{C}covenant/", covenant.covenant_page, name="covenant"),
    path(f"{C}covenant/giao-uoc.docx", covenant.covenant_download_docx, name="covenant_docx"),
    path(f"{C}covenant/giao-uoc.pdf", covenant.covenant_download_pdf, name="covenant_pdf"),
    path(f"{C}covenant/scan/", covenant.covenant_scan, name="covenant_scan"),
]
