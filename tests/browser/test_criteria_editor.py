"""An Academy officer builds a small criteria framework in the editor — one criterion of each
rule, a bonus, a penalty and a condition — watches the audit list follow each edit without a
reload, sees the validation error, fixes it, publishes, and tries a criterion and a bonus item
to see their points."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser]


def form_row(page: Page):
    return page.locator("tr.node-form-row")


def open_add_form(page: Page, link_name: str):
    page.get_by_role("link", name=link_name, exact=True).click()
    row = form_row(page)
    expect(row).to_have_count(1)
    return row


def fill_basics(row, code: str, title: str, max_points: str | None = None) -> None:
    row.get_by_label("Mã").fill(code)
    row.get_by_label("Nội dung").fill(title)
    if max_points is not None:
        row.get_by_label("Điểm tối đa").fill(max_points)


def choose(row, label: str, option: str, then_visible: str) -> None:
    """Pick a rule (or formula) and wait for its parameter fields to be redrawn."""
    row.get_by_label(label).select_option(label=option)
    expect(row.get_by_text(then_visible).first).to_be_visible()


def save(page: Page, row, button: str, code: str) -> None:
    row.get_by_role("button", name=button).click()
    expect(form_row(page)).to_have_count(0)
    expect(page.locator("#tree")).to_contain_text(code)


def add_group(page: Page, code: str, title: str, max_points: str) -> None:
    row = open_add_form(page, "Thêm nhóm tiêu chí")
    fill_basics(row, code, title, max_points)
    save(page, row, "Thêm nhóm tiêu chí", code)


def add_leaf(page: Page, group: str, code: str, title: str, max_points: str, setup) -> None:
    row = open_add_form(page, f"Thêm tiêu chí vào nhóm {group}")
    fill_basics(row, code, title, max_points)
    setup(row)
    save(page, row, "Thêm tiêu chí", code)


def quantitative(formula: str, *, extra=None):
    def setup(row) -> None:
        choose(row, "Cách chấm", "Định lượng (so với chỉ tiêu)", "Công thức")
        if formula != "Tỷ lệ thực hiện so với chỉ tiêu":
            choose(row, "Công thức", formula, "Chiều so sánh")
        if extra is not None:
            extra(row)

    return setup


def test_an_academy_officer_builds_validates_publishes_and_tries_a_framework(demo, page, live_server, sign_in):
    sign_in("hocvien")
    page.get_by_role("link", name="Bảng tiêu chí", exact=True).click()
    page.get_by_role("link", name="Tạo bảng tiêu chí mới").click()
    page.get_by_label("Tên bảng tiêu chí").fill("Bảng tiêu chí thử nghiệm 2026")
    page.get_by_label("Tổng điểm").fill("25")
    page.get_by_label("Điểm thưởng tối đa").fill("2")
    page.get_by_label("Điểm trừ tối đa").fill("2")
    page.get_by_role("button", name="Tạo bản nháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng tiêu chí thử nghiệm 2026")

    add_group(page, "I", "Lãnh đạo, quản lý", "10")
    add_group(page, "II", "Đào tạo, nghiên cứu", "10")

    def manual(row) -> None:
        row.get_by_label("Bước chấm").fill("0,5")

    def levels(row) -> None:
        choose(row, "Cách chấm", "Theo mức", "Các mức và số điểm")
        row.get_by_label("Tên mức 1").fill("Tốt")
        row.get_by_label("Điểm của mức 1").fill("3")
        row.get_by_label("Tên mức 2").fill("Đạt")
        row.get_by_label("Điểm của mức 2").fill("1,5")

    def count(row) -> None:
        choose(row, "Cách chấm", "Chấm thẳng (theo số lần)", "Điểm mỗi lần")
        row.get_by_label("Điểm mỗi lần").fill("0,5")

    def pass_fail(row) -> None:
        row.get_by_label("Cách chấm").select_option(label="Định tính (đạt / không đạt)")
        expect(row.get_by_label("Bước chấm")).to_have_count(0)

    add_leaf(page, "I", "I.1", "Tổ chức phong trào thi đua", "3", manual)
    add_leaf(page, "I", "I.2", "Công khai tài chính", "2", pass_fail)
    add_leaf(page, "I", "I.3", "Xây dựng kế hoạch năm", "3", levels)
    add_leaf(page, "I", "I.4", "Thao giảng, dự giờ", "2", count)

    def ratio_per_lecturer(row) -> None:
        expect(row.get_by_label("Các trường đăng ký chỉ tiêu cho tiêu chí này")).to_be_checked()
        row.get_by_label("Tính bình quân theo").select_option(label="Số giảng viên")

    def tiers(row) -> None:
        row.get_by_label("Ngưỡng 1", exact=True).fill("80")
        row.get_by_label("Điểm ở ngưỡng 1").fill("2")
        row.get_by_label("Ngưỡng 2", exact=True).fill("50")
        row.get_by_label("Điểm ở ngưỡng 2").fill("1")

    def no_target(row) -> None:
        # Relative-to-best takes no registered target: the author leaves the box unticked.
        row.get_by_label("Các trường đăng ký chỉ tiêu cho tiêu chí này").set_checked(False)

    def with_target(row) -> None:
        expect(row.get_by_label("Các trường đăng ký chỉ tiêu cho tiêu chí này")).to_be_checked()

    add_leaf(
        page,
        "II",
        "II.1",
        "Số ngày đi thực tế mỗi giảng viên",
        "3",
        quantitative("Tỷ lệ thực hiện so với chỉ tiêu", extra=ratio_per_lecturer),
    )
    add_leaf(page, "II", "II.2", "Tỷ lệ học viên khá, giỏi (%)", "2", quantitative("Theo ngưỡng", extra=tiers))
    add_leaf(
        page, "II", "II.3", "Bài viết đăng tạp chí", "2", quantitative("So với đơn vị cao nhất cụm", extra=no_target)
    )
    add_leaf(
        page,
        "II",
        "II.4",
        "Số lớp mở so với kế hoạch",
        "3",
        quantitative("Vượt chỉ tiêu và đơn vị dẫn đầu", extra=with_target),
    )

    # The audit list follows each edit made in place: no reload of the page.
    reloads: list[str] = []

    def on_navigation(frame) -> None:
        if frame == page.main_frame:
            reloads.append(frame.url)

    page.on("framenavigated", on_navigation)
    row = open_add_form(page, "Thêm mục điểm thưởng")
    fill_basics(row, "B.1", "Sáng kiến được công nhận")
    row.get_by_label("Điểm mỗi lần").fill("1")
    row.get_by_label("Tối đa cho mục này").fill("2")
    save(page, row, "Thêm điểm thưởng", "B.1")
    latest = page.locator("#audit tbody tr").first
    expect(latest).to_contain_text("criterion.add")
    expect(latest).to_contain_text("code: B.1")

    page.get_by_role("button", name="Chuyển I.4 lên").click()
    expect(latest).to_contain_text("criterion.move")
    expect(latest).to_contain_text("code: I.4")
    page.remove_listener("framenavigated", on_navigation)
    assert reloads == []

    row = open_add_form(page, "Thêm mục điểm trừ")
    fill_basics(row, "P.1", "Nộp báo cáo chậm hạn")
    row.get_by_label("Điểm mỗi lần").fill("0,5")
    save(page, row, "Thêm điểm trừ", "P.1")

    row = open_add_form(page, "Thêm điều kiện")
    fill_basics(row, "C.1", "Không có cán bộ bị kỷ luật")
    row.get_by_label("Danh hiệu bị chặn khi không đạt điều kiện").fill("Cờ thi đua\nBằng khen")
    save(page, row, "Thêm điều kiện", "C.1")

    # The groups' maxima (20) do not add up to the total (25): an error blocks publishing.
    errors = page.locator("#problems-errors")
    expect(errors).to_contain_text("Điểm tối đa của các nhóm cộng lại là 20, khác tổng điểm 25 của bảng tiêu chí.")
    expect(page.get_by_role("button", name="Ban hành")).to_be_disabled()

    errors.get_by_role("link", name="Sửa thông tin chung").click()
    page.get_by_label("Tổng điểm").fill("20")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#problems")).to_contain_text("Không có vấn đề nào: bảng tiêu chí sẵn sàng ban hành.")
    expect(page.locator("#tree")).to_contain_text("Theo ngưỡng: từ 80 trở lên: 2 điểm; từ 50 trở lên: 1 điểm")
    expect(page.locator("#tree")).to_contain_text("Tính bình quân: chia kết quả cho số giảng viên của trường")

    page.get_by_role("button", name="Ban hành").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã ban hành “Bảng tiêu chí thử nghiệm 2026”.")
    expect(page.locator("#framework-meta")).to_contain_text("Đã ban hành")
    expect(page.get_by_role("link", name="Sửa I.1")).to_have_count(0)

    # Try it: a school 20 % above its target while the leader is 50 % above.
    page.get_by_role("link", name="Thử chấm II.4").click()
    trial = page.locator("tr.try-row")
    trial.get_by_label(re.compile("^Kết quả thực hiện")).fill("12")
    trial.get_by_label(re.compile("^Chỉ tiêu đăng ký")).fill("10")
    trial.get_by_label("Trường khác 1: kết quả thực hiện").fill("15")
    trial.get_by_label("Trường khác 1: chỉ tiêu đăng ký").fill("10")
    trial.get_by_role("button", name="Tính điểm").click()
    result = trial.locator(".try-result")
    expect(result).to_contain_text("2,1 điểm")
    expect(result).to_contain_text("Vượt chỉ tiêu 20 % (12/10); trường dẫn đầu vượt chỉ tiêu 50 %")

    page.get_by_role("link", name="Thử chấm I.1").click()
    manual_trial = page.locator("tr.try-row").filter(has_text="Thử chấm I.1")
    manual_trial.get_by_label("Điểm chấm").fill("2,25")
    manual_trial.get_by_role("button", name="Tính điểm").click()
    expect(manual_trial.get_by_role("alert")).to_contain_text("Điểm 2,25 không đúng bước 0,5")
    manual_trial.get_by_label("Điểm chấm").fill("2,5")
    manual_trial.get_by_role("button", name="Tính điểm").click()
    expect(manual_trial.locator(".try-result")).to_contain_text(re.compile(r"2,5 điểm\s*/ tối đa 3"))

    # A bonus item is tried the same way: three occurrences of 1 point, capped at 2.
    page.get_by_role("link", name="Thử chấm B.1").click()
    bonus_trial = page.locator("tr.try-row").filter(has_text="Thử chấm B.1")
    bonus_trial.get_by_label("Số lần").fill("-1")
    bonus_trial.get_by_role("button", name="Tính điểm").click()
    expect(bonus_trial.get_by_role("alert")).to_contain_text("Số lần phải là số nguyên không âm")
    bonus_trial.get_by_label("Số lần").fill("3")
    bonus_trial.get_by_role("button", name="Tính điểm").click()
    bonus_result = bonus_trial.locator(".try-result")
    expect(bonus_result).to_contain_text(re.compile(r"Cộng 2 điểm\s*/ tối đa 2 cho mục này"))
    expect(bonus_result).to_contain_text("3 × 1 điểm = 3 điểm, vượt mức tối đa 2 → 2 điểm")
