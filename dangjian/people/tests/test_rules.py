"""RULES.md §8.3 test vectors, copied verbatim with their labels."""

import datetime as dt

import pytest

from dangjian.people.rules import age_on, check_id_number, mask_id_number, mask_phone

TODAY = dt.date(2026, 11, 23)

# §8.3 Test vectors
VALID = [
    ("I1", "11010519491231002X", dt.date(1949, 12, 31), "F"),
    ("I2", "11010519491231002x", dt.date(1949, 12, 31), "F"),
    ("I3", "440304200002291236", dt.date(2000, 2, 29), "M"),
    ("I4", "511902199001010010", dt.date(1990, 1, 1), "M"),
    ("I5", "360922200812314562", dt.date(2008, 12, 31), "F"),
]
INVALID = [
    ("I6", "110105194912310021", "校验位错误，应为X"),
    ("I7", "110105190002290017", "出生日期1900-02-29不存在"),
    ("I8", "11010519491231002", "应为18位，实为17位"),
]


@pytest.mark.parametrize(("label", "raw", "birth", "sex"), VALID)
def test_id_number_valid_vectors(label, raw, birth, sex):
    result = check_id_number(raw, TODAY)
    assert result.valid, label
    assert result.birth_date == birth
    assert result.sex == sex


def test_id_number_normalises_lowercase_x():
    assert check_id_number("11010519491231002x", TODAY).normalized == "11010519491231002X"


@pytest.mark.parametrize(("label", "raw", "error"), INVALID)
def test_id_number_invalid_vectors(label, raw, error):
    result = check_id_number(raw, TODAY)
    assert not result.valid, label
    assert result.error == error


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("110105491231002", "请填写18位公民身份号码"),
        ("９１０１０５１９４９１２３１００２Ｘ", "地址码前两位「91」不是有效的省级行政区划代码"),
        ("1101051949-231002X", "前17位只能是数字"),
        ("11010519491231002Y", "第18位只能是数字或X"),
        ("110105203001010014", "出生日期不在合理范围内"),
    ],
)
def test_id_number_platform_rules(raw, error):
    assert check_id_number(raw, TODAY).error == error


def test_id_number_fullwidth_digits_are_normalised():
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY).valid


def test_age_on_leap_day_birthday():
    assert age_on(dt.date(2000, 2, 29), dt.date(2018, 2, 27)) == 17
    assert age_on(dt.date(2000, 2, 29), dt.date(2018, 2, 28)) == 18


def test_masks():
    assert mask_id_number("110105194912310021") == "110105********0021"
    assert mask_phone("13812345678") == "138****5678"
