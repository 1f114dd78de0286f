from django.urls import path

from thidua.voting.views import ballots, conference, presets, public

app_name = "voting"
C = "<str:code>/<int:year>/"
B = f"{C}ballots/<int:pk>/"
urlpatterns = [
    path("", conference.conference_list, name="list"),
    path("vote/", public.vote, name="vote"),
    path("vote/receipt/", public.receipt_check, name="receipt"),
    path(C, conference.conference_detail, name="detail"),
    path(f"{C}edit/", conference.conference_edit, name="edit"),
    path(f"{C}delegates/", conference.delegate_add, name="delegate_add"),
    path(f"{C}delegates/<int:pk>/check-in/", conference.delegate_check_in, name="check_in"),
    path(f"{C}delegates/<int:pk>/remove/", conference.delegate_remove, name="delegate_remove"),
    path(f"{C}bien-ban-hop-cum.docx", conference.minutes_docx, name="minutes_docx"),
    path(f"{C}bien-ban-hop-cum.pdf", conference.minutes_pdf, name="minutes_pdf"),
    path(f"{C}ballots/new/", conference.ballot_create, name="ballot_create"),
    path(f"{C}presets/", presets.preset_list, name="presets"),
    path(f"{C}presets/<int:pk>/copy/", presets.preset_copy, name="preset_copy"),
    path(f"{C}presets/<int:pk>/", presets.preset_edit, name="preset_edit"),
    path(f"{B}written-vote/", ballots.written_vote, name="written_vote"),
    path(B, ballots.ballot_detail, name="ballot"),
    path(f"{B}open/", ballots.ballot_open, name="ballot_open"),
    path(f"{B}close/", ballots.ballot_close, name="ballot_close"),
    path(f"{B}codes/", ballots.ballot_codes, name="ballot_codes"),
    path(f"{B}tally/<int:entry>/", ballots.paper_tally, name="paper_tally"),
    path(f"{B}next-round/", ballots.ballot_next_round, name="next_round"),
    path(f"{B}decision/", ballots.ballot_decision, name="decision"),
    path(f"{B}bien-ban-kiem-phieu.docx", ballots.tally_minutes_docx, name="tally_docx"),
    path(f"{B}bien-ban-kiem-phieu.pdf", ballots.tally_minutes_pdf, name="tally_pdf"),
]
