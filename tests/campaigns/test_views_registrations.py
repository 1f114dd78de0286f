"""The registration page: a school fills its targets, titles and commitment; bad input is
refused and kept; a stale form overwrites nothing; the principal signs off and the page is
read-only; another school's registration does not exist for a fellow member (404); the
secretariat reads every registration in one table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.campaigns.conftest import register
from tests.factories.organizations import OrganizationFactory
from thidua.campaigns import services
from thidua.campaigns.common import when
from thidua.campaigns.models import Deadline, Registration, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.organizations.models import Membership

pytestmark = pytest.mark.django_db

URL = "/campaigns/K/2020/registrations/"


def form_data(**changes: object) -> dict[str, object]:
    return {
        "version": 0,
        "target_I.1": "40",
        "target_I.2": "95,5",
        "aimed_titles": ["Bằng khen"],
        "other_titles": "Tập thể lao động xuất sắc",
        "commitment": "Hoàn thành vượt mức các chỉ tiêu.",
        **changes,
    }


def targets_of(registration: Registration) -> dict[str, Decimal]:
    return {t.node.code: t.target for t in registration.targets.select_related("node")}


def test_a_school_officer_sees_an_empty_form_with_units_and_the_deadline(year, client_for, html):
    response = client_for(year.world.bob).get(f"{URL}B/")

    assert response.status_code == 200
    assert html.rows(response, "targets") == [
        ["I.1. Số lớp đào tạo, bồi dưỡng mở so với kế hoạch", "", ""],
        ["I.2. Tỷ lệ báo cáo gửi đúng hạn (%) Tỷ lệ phần trăm, từ 0 đến 100.", "", "%"],
    ]
    due = when(Deadline.objects.get(phase=Phase.REGISTRATION).due_at)
    assert html.text(response, "registration-deadline") == f"Hạn đăng ký: {due}"
    assert html.text(response, "registration-status") == "Chưa đăng ký"
    assert not html.has(response, "sign-off")


def test_the_officer_saves_the_registration_with_vietnamese_decimals(year, client_for, html):
    response = client_for(year.world.bob).post(f"{URL}B/", form_data(), follow=True)

    registration = Registration.objects.get()
    assert targets_of(registration) == {"I.1": Decimal(40), "I.2": Decimal("95.5")}
    assert registration.aimed_titles == ["Bằng khen", "Tập thể lao động xuất sắc"]
    assert registration.commitment == "Hoàn thành vượt mức các chỉ tiêu."
    assert "Đã lưu bản đăng ký (chưa gửi: cần lãnh đạo trường ký duyệt)." in html.text(response)
    assert html.text(response, "registration-status").startswith("Đang soạn")


def test_a_bad_number_is_refused_with_its_criterion_and_everything_typed_is_kept(year, client_for, html):
    response = client_for(year.world.bob).post(
        f"{URL}B/", form_data(**{"target_I.1": "bốn mươi", "target_I.2": "120", "commitment": "Cam kết dài"})
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "“bốn mươi” không phải là một số. Hãy viết số như 3 hoặc 0,25." in html.text(response, "targets")
    assert 'value="bốn mươi"' in body
    assert "Cam kết dài" in body
    assert "Chưa lưu được: hãy xem các lỗi bên dưới. Những gì bạn đã nhập vẫn còn nguyên." in html.text(response)
    assert not Registration.objects.exists()


def test_a_percentage_above_100_is_refused_by_the_service_on_its_field(year, client_for, html):
    response = client_for(year.world.bob).post(f"{URL}B/", form_data(**{"target_I.2": "120"}))

    assert response.status_code == 400
    assert "Chỉ tiêu của I.2 là tỷ lệ phần trăm nên không thể lớn hơn 100." in html.text(response, "targets")
    assert not Registration.objects.exists()


def test_a_stale_form_is_refused_without_overwriting_and_keeps_the_input(year, client_for, html):
    registration = register(year, year.world.school_b)  # version 1, I.1 = 40
    client = client_for(year.world.bob)
    client.post(f"{URL}B/", form_data(version=1, **{"target_I.1": "45"}))  # someone saves: version 2

    response = client.post(f"{URL}B/", form_data(version=1, **{"target_I.1": "50"}))

    assert response.status_code == 400
    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in html.text(response)
    assert 'value="50"' in response.content.decode()
    assert targets_of(Registration.objects.get(pk=registration.pk))["I.1"] == Decimal(45)


def test_late_work_is_refused_on_the_page_naming_the_deadline_and_the_form_is_read_only(year, client_for, html):
    register(year, year.world.school_b)
    due = timezone.now() - datetime.timedelta(hours=1)
    Deadline.objects.filter(phase=Phase.REGISTRATION).update(due_at=due)
    client = client_for(year.world.bob)

    page = client.get(f"{URL}B/")
    refused = client.post(f"{URL}B/", form_data(version=1, **{"target_I.1": "66"}))

    message = f"Đã quá hạn đăng ký thi đua ({when(due)}). Hãy liên hệ Thường trực Cụm nếu cần gia hạn."
    assert html.text(page, "registration-closed") == message
    assert not html.has(page, "registration-form")
    assert message in html.text(refused, "registration-form")
    assert 'value="66"' in refused.content.decode()  # what was typed is still there to copy


def test_the_principal_signs_off_and_the_page_becomes_read_only(year, client_for, html):
    registration = register(year, year.world.school_b)
    client = client_for(year.binh)

    response = client.post(f"{URL}B/submit/", {"version": registration.version}, follow=True)

    registration.refresh_from_db()
    assert registration.status == SubmissionStatus.SUBMITTED
    assert "Đã ký duyệt và gửi bản đăng ký thi đua của Trường Chính trị tỉnh Bạc Liêu." in html.text(response)
    assert html.text(response, "registration-status").startswith("Đã ký duyệt bởi Bình Lê lúc")
    assert not html.has(response, "registration-form")
    assert not html.has(response, "sign-off")
    assert html.rows(response, "targets") == [
        ["I.1. Số lớp đào tạo, bồi dưỡng mở so với kế hoạch", "40", ""],
        ["I.2. Tỷ lệ báo cáo gửi đúng hạn (%)", "95", "%"],
    ]


def test_an_edit_posted_after_the_sign_off_is_refused_and_keeps_what_was_typed(year, client_for, html):
    registration = register(year, year.world.school_b)
    client = client_for(year.world.bob)
    client.get(f"{URL}B/")  # bob opens the form …
    services.submit_registration(actor=year.binh, registration=registration)  # … the principal signs off

    response = client.post(f"{URL}B/", form_data(version=registration.version, **{"target_I.1": "77"}))

    assert response.status_code == 400
    assert "đã được lãnh đạo trường ký duyệt" in html.text(response, "registration-form")
    assert 'value="77"' in response.content.decode()
    assert targets_of(Registration.objects.get())["I.1"] == Decimal(40)


def test_an_officer_who_is_not_a_leader_cannot_sign_off(year, client_for, html):
    registration = register(year, year.world.school_b)
    client = client_for(year.world.bob)

    page = client.get(f"{URL}B/")
    response = client.post(f"{URL}B/submit/", {"version": registration.version})

    assert not html.has(page, "sign-off")
    assert response.status_code == 403
    assert Registration.objects.get().status == SubmissionStatus.DRAFT


def test_signing_off_an_incomplete_registration_names_what_is_missing(year, client_for, html):
    registration = register(year, year.world.school_b, targets={"I.2": Decimal(90)})

    response = client_for(year.binh).post(f"{URL}B/submit/", {"version": registration.version}, follow=True)

    assert "Chưa đăng ký chỉ tiêu cho: I.1." in html.text(response)
    assert Registration.objects.get().status == SubmissionStatus.DRAFT


def test_a_double_submit_signs_off_once(year, client_for, html):
    registration = register(year, year.world.school_b)
    client = client_for(year.binh)

    client.post(f"{URL}B/submit/", {"version": registration.version})
    second = client.post(f"{URL}B/submit/", {"version": registration.version}, follow=True)

    assert "đã được lãnh đạo trường ký duyệt" in html.text(second)
    assert Registration.objects.get().version == registration.version + 1


@pytest.mark.parametrize("path", ["", "submit/", "reopen/"])
def test_a_fellow_member_cannot_read_or_act_on_another_schools_draft(year, client_for, dung, path):
    register(year, year.world.school_b, titles=("Cờ thi đua",))
    client = client_for(dung)

    response = client.post(f"{URL}B/{path}", {"reason": "x"}) if path else client.get(f"{URL}B/")

    assert response.status_code == 404
    assert b"C\xe1\xbb\x9d thi \xc4\x91ua" not in response.content


def test_a_school_without_a_registration_is_a_404_too_for_a_fellow_member(year, client_for, dung):
    assert client_for(dung).get(f"{URL}B/").status_code == 404


def test_a_school_outside_the_cluster_year_is_a_404(year, client_for):
    assert client_for(year.world.alice).get(f"{URL}C/").status_code == 404


def test_the_secretariat_reads_a_schools_registration_without_being_able_to_edit_it(year, client_for, html):
    register(year, year.world.school_b)

    response = client_for(year.world.alice).get(f"{URL}B/")

    assert response.status_code == 200
    assert not html.has(response, "registration-form")
    assert html.text(response, "commitment") == "Trường Chính trị tỉnh Bạc Liêu cam kết hoàn thành vượt mức chỉ tiêu."


def test_the_secretariat_reopens_a_signed_registration_with_a_reason(year, client_for, html):
    registration = register(year, year.world.school_b, submit=True)
    client = client_for(year.world.alice)

    refused = client.post(f"{URL}B/reopen/", {"reason": "", "version": registration.version}, follow=True)
    done = client.post(f"{URL}B/reopen/", {"reason": "Sai chỉ tiêu I.1", "version": registration.version}, follow=True)

    assert "Mở lại bản đăng ký cần ghi lý do (trường sẽ thấy lý do này)." in html.text(refused)
    assert "Đã mở lại bản đăng ký của Trường Chính trị tỉnh Bạc Liêu." in html.text(done)
    assert Registration.objects.get().status == SubmissionStatus.DRAFT


def test_my_registration_leads_to_the_users_own_school(year, client_for):
    response = client_for(year.world.bob).get("/campaigns/K/2020/my-registration/")

    assert response["Location"] == f"{URL}B/"


# --- the secretariat's table ----------------------------------------------------------------


def test_the_secretariat_sees_every_registration_in_one_table(year, client_for, html):
    register(year, year.world.school_a, submit=True, titles=("Cờ thi đua",))
    register(year, year.world.school_b, targets={"I.1": Decimal("1234.5")})

    response = client_for(year.world.alice).get("/campaigns/K/2020/registrations/")

    assert html.rows(response, "registrations-table") == [
        ["Trường Chính trị tỉnh Bạc Liêu", "Đang soạn", "1.234,5", "—", "Bằng khen"],
        ["Trường Chính trị tỉnh Tiền Giang", "Đã ký duyệt", "40", "95", "Cờ thi đua"],
    ]
    assert html.text(response, "registrations-summary") == "1/2 trường đã ký duyệt bản đăng ký."


def test_a_member_school_does_not_see_the_table_of_registrations(year, client_for):
    assert client_for(year.world.bob).get("/campaigns/K/2020/registrations/").status_code == 403


def add_schools(year, count: int) -> None:
    for _ in range(count):
        school = OrganizationFactory()
        Membership.objects.create(cluster_year=year.world.year_2020, organization=school)
        register(year, school, submit=True)


@pytest.mark.parametrize("size", [3, 25])
def test_the_registrations_table_costs_the_same_queries_whatever_the_number_of_schools(
    year, client_for, django_assert_num_queries, size
):
    add_schools(year, size)
    client = client_for(year.world.alice)
    client.get("/campaigns/K/2020/registrations/")  # warm the content-type cache

    with django_assert_num_queries(9):
        response = client.get("/campaigns/K/2020/registrations/")

    assert len(response.context["rows"]) == size + 2
