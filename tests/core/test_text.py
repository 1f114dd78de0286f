"""Vietnamese sort and search keys (PRODUCT.md §8), on real province and school names.

The expected orders below are written by hand from the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), letters compared word by word
before tones, so that the tests do not borrow the order from the code under test.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from tests.factories.organizations import OrganizationFactory
from thidua.core.text import search_key, sort_key
from thidua.demo.organizations import reference
from thidua.organizations.models import Organization

# The 63 provinces and centrally-run cities before 1 July 2025, in Vietnamese order.
PROVINCES_63 = [
    "An Giang",
    "Bà Rịa – Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thành phố Hồ Chí Minh",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]

# The 34 provinces and cities from 1 July 2025, in Vietnamese order.
PROVINCES_34 = [
    "An Giang",
    "Bắc Ninh",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Phòng",
    "Huế",
    "Hưng Yên",
    "Khánh Hòa",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Nghệ An",
    "Ninh Bình",
    "Phú Thọ",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sơn La",
    "Tây Ninh",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thành phố Hồ Chí Minh",
    "Tuyên Quang",
    "Vĩnh Long",
]

# Cluster 9's twelve schools (cluster9.yaml) by code, in Vietnamese order of their names:
# "Trường Chính trị tỉnh …" by province, then "Trường Chính trị Tôn Đức Thắng …" (i < ô).
CLUSTER9_ORDER = ["BL", "BT", "CM", "DT", "HG", "KG", "LA", "ST", "TG", "TV", "VL", "AG"]


def shuffled(items: list[str], seed: int = 2025) -> list[str]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


def vietnamese_sorted(items: list[str]) -> list[str]:
    return sorted(items, key=sort_key)


def test_the_province_lists_are_complete():
    assert len(PROVINCES_63) == len(set(PROVINCES_63)) == 63
    assert len(PROVINCES_34) == len(set(PROVINCES_34)) == 34


def test_the_63_provinces_sort_in_vietnamese_order():
    assert vietnamese_sorted(shuffled(PROVINCES_63)) == PROVINCES_63


def test_the_34_provinces_sort_in_vietnamese_order():
    assert vietnamese_sorted(shuffled(PROVINCES_34)) == PROVINCES_34


def test_cluster9_school_names_sort_in_vietnamese_order():
    schools = reference()["schools"]
    names = {code: name for code, (name, _province) in schools.items()}

    ordered = vietnamese_sorted(shuffled(list(names.values())))

    assert ordered == [names[code] for code in CLUSTER9_ORDER]


def test_the_vietnamese_letters_sort_in_alphabet_order():
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")

    assert vietnamese_sorted(shuffled(alphabet)) == alphabet


def test_tones_sort_level_grave_hook_tilde_acute_dot():
    assert vietnamese_sorted(shuffled(["a", "à", "ả", "ã", "á", "ạ"])) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert vietnamese_sorted(shuffled(["ma", "mà", "mả", "mã", "má", "mạ"])) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_letters_decide_before_tones():
    # "Bạc" and "Bác" differ by tone only, so they sit together, after the shorter "Ba"/"Bà"
    # and before "Bắc" whatever its tone: the letter ă outranks every tone of a.
    assert vietnamese_sorted(shuffled(["Bắc", "Bạc", "Bà", "Bác", "Ba"])) == ["Ba", "Bà", "Bác", "Bạc", "Bắc"]


def test_d_with_stroke_sorts_between_d_and_e_not_after_z():
    # Code-point order would put "Đ" (U+0110) after "Z"; Vietnamese order puts it after "D".
    assert vietnamese_sorted(["Yên Bái", "Điện Biên", "Ê Đê", "Dương"]) == ["Dương", "Điện Biên", "Ê Đê", "Yên Bái"]
    assert sorted(["Yên Bái", "Điện Biên"]) == ["Yên Bái", "Điện Biên"]  # what the keys fix


def test_case_is_ignored():
    assert sort_key("ĐỒNG THÁP") == sort_key("đồng tháp") == sort_key("Đồng Tháp")
    assert vietnamese_sorted(["bến tre", "AN GIANG", "Ấp Bắc"]) == ["AN GIANG", "Ấp Bắc", "bến tre"]


def test_a_shorter_word_sorts_before_a_longer_one_that_extends_it():
    assert vietnamese_sorted(["Anh", "An Giang", "An"]) == ["An", "An Giang", "Anh"]
    assert sort_key("An Giang") < sort_key("Anh")


def test_punctuation_and_repeated_spaces_only_separate_words():
    assert sort_key("Bà Rịa – Vũng Tàu") == sort_key("Bà Rịa  Vũng Tàu") == sort_key("Bà Rịa-Vũng Tàu")


def test_the_same_letters_composed_or_decomposed_give_the_same_key():
    name = "Trường Chính trị tỉnh Đồng Tháp"

    assert sort_key(unicodedata.normalize("NFD", name)) == sort_key(unicodedata.normalize("NFC", name))
    assert search_key(unicodedata.normalize("NFD", name)) == search_key(name)


def test_sort_keys_are_plain_ascii_for_any_database_collation():
    for name in PROVINCES_63:
        key = sort_key(name)
        assert key.isascii()
        assert key == key.lower()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Đà Nẵng", "da nang"),
        ("Đồng Tháp", "dong thap"),
        ("ĐỒNG THÁP", "dong thap"),
        ("Bà Rịa – Vũng Tàu", "ba ria vung tau"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Trường Chính trị Tôn Đức Thắng tỉnh An Giang", "truong chinh tri ton duc thang tinh an giang"),
        ("Ðồng Tháp", "dong thap"),  # a capital eth typed for Đ
    ],
)
def test_search_key_folds_to_lowercase_ascii_words(name, expected):
    assert search_key(name) == expected


def test_search_nang_finds_da_nang():
    assert search_key("nang") in search_key("Đà Nẵng")


def test_search_dong_thap_finds_dong_thap_and_its_school():
    assert search_key("dong thap") in search_key("Đồng Tháp")
    assert search_key("dong thap") in search_key("Trường Chính trị tỉnh Đồng Tháp")
    assert search_key("Đồng Tháp") == search_key("dong thap")


@pytest.mark.django_db
def test_ordering_by_name_sort_in_the_database_gives_vietnamese_order():
    for i, province in enumerate(shuffled(PROVINCES_63)):
        OrganizationFactory(name=province, short_code=f"P{i:02d}")

    names = list(Organization.objects.order_by("name_sort").values_list("name", flat=True))

    assert names == PROVINCES_63


@pytest.mark.django_db
def test_searching_the_database_by_name_search_ignores_diacritics():
    for i, province in enumerate(PROVINCES_63):
        OrganizationFactory(name=province, short_code=f"P{i:02d}")

    def found(query: str) -> list[str]:
        matches = Organization.objects.filter(name_search__contains=search_key(query)).order_by("name_sort")
        return list(matches.values_list("name", flat=True))

    assert found("nang") == ["Đà Nẵng"]
    assert found("dong") == ["Đồng Nai", "Đồng Tháp", "Lâm Đồng"]
    assert found("dong thap") == ["Đồng Tháp"]


@pytest.mark.django_db
def test_saving_only_the_name_refreshes_its_keys():
    org = OrganizationFactory(name="Trường Chính trị tỉnh Tiền Giang")
    org.name = "Trường Chính trị tỉnh Đồng Tháp"

    org.save(update_fields=["name"])

    org.refresh_from_db()
    assert org.name_search == "truong chinh tri tinh dong thap"
    assert org.name_sort == sort_key("Trường Chính trị tỉnh Đồng Tháp")
