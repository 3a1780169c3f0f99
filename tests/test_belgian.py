"""Belgian amounts, dates, enterprise numbers and NIS codes, as registries write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from loaders.belgian import BelgianFormatError
from loaders.belgian import parse_amount
from loaders.belgian import parse_date
from loaders.belgian import parse_end_date
from loaders.belgian import parse_enterprise_number
from loaders.belgian import parse_nis_code
from loaders.nis import municipality_name


@pytest.mark.parametrize(("text", "amount"), [
    ("1.234,56", "1234.56"),
    ("1 234,56", "1234.56"),
    ("1\u00a0234,56", "1234.56"),
    ("1\u202f234,56", "1234.56"),
    ("475 000€", "475000"),
    ("475 000 €", "475000"),
    ("EUR 12.345,00", "12345.00"),
    ("€ 1.050.000,00", "1050000.00"),
    ("1.050.000,00", "1050000.00"),
    ("-1.234,56", "-1234.56"),
    ("1234,5", "1234.5"),
    ("1234", "1234"),
    ("1.234", "1234"),
])
def test_amounts_in_belgian_notation(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("cell", [1050000.0, 1050000, Decimal("1050000")])
def test_amounts_from_number_cells(cell: object) -> None:
    assert parse_amount(cell) == Decimal(1050000)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cell", "cents"), [
    (294365872.44137821, "294365872.44"),  # what an XLSX formula cell carries
    (0.1 + 0.2, "0.30"),
    (470773.975, "470773.98"),  # a half: away from zero
    (-470773.975, "-470773.98"),
    (2.675, "2.68"),  # the float is 2.67499…, but Excel showed 2.675
    (12.004999, "12.00"),
    (Decimal("1.005"), "1.01"),
    (7, "7.00"),
])
def test_number_cells_are_rounded_to_the_cent_halves_away_from_zero(cell: object,
                                                                    cents: str) -> None:
    amount = parse_amount(cell)  # type: ignore[arg-type]
    assert str(amount) == cents


@pytest.mark.parametrize(("text", "cents"), [
    ("83450.25", "83450.25"),   # a program's decimal dot: the dot cannot group thousands
    ("1050000.0", "1050000.00"),
    ("-12.5", "-12.50"),
    ("12.5", "12.50"),
    ("0.125", "0.13"),          # a group never starts with 0
    ("1234.567", "1234.57"),    # four digits before the dot: not a group
    ("1.2345", "1.23"),
    ("1.234", "1234.00"),       # exactly three digits after one to three: a group
    ("1.234.567", "1234567.00"),
    ("999.999", "999999.00"),
    ("1.234,565", "1234.57"),   # Belgian decimals past the cent, rounded
    ("-1.234,565", "-1234.57"),
])
def test_decimal_dot_where_it_cannot_group_thousands(text: str, cents: str) -> None:
    assert str(parse_amount(text)) == cents


@pytest.mark.parametrize("text", ["12,34.5", "1.234 567,00", "", "=SUM(A1:A3)",
                                  "+1+1", "@SUM(A1)", "-", "douze", "1,2,3", "+-5", "--5",
                                  "1.234.5", "1 234.56", "1,234.56"])
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(BelgianFormatError) as caught:
        parse_amount(text)
    assert caught.value.type == "invalid-amount"
    assert "1.234,56" in caught.value.expected


@pytest.mark.parametrize(("text", "why"), [
    ("1,234.56", "written the English way"),
    ("-", "no digits; if it means 'nothing', list it among the column's \"null\" values"),
    ("n.c.", "it holds no digits"),
    ("12 EUR HT", "characters other than digits"),
    ("1.234.5", "not all between groups of three"),
    ("1 234.56", "spaces between thousands and a decimal dot"),
])
def test_why_an_amount_is_refused(text: str, why: str) -> None:
    with pytest.raises(BelgianFormatError, match=why):
        parse_amount(text)


@pytest.mark.parametrize("cell", [float("inf"), float("nan"), 1e300, "1" * 45])
def test_what_no_amount_of_money_is(cell: object) -> None:
    with pytest.raises(BelgianFormatError) as caught:
        parse_amount(cell)  # type: ignore[arg-type]
    assert caught.value.type == "invalid-amount"


@pytest.mark.parametrize(("text", "day"), [
    ("31/12/2024", dt.date(2024, 12, 31)),
    ("31.12.2024", dt.date(2024, 12, 31)),
    ("1/3/2024", dt.date(2024, 3, 1)),
    ("29/02/2024", dt.date(2024, 2, 29)),
    ("2024-03-01", dt.date(2024, 3, 1)),
    (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
    (dt.datetime(2024, 3, 1, 0, 0), dt.date(2024, 3, 1)),
])
def test_dates(text: object, day: dt.date) -> None:
    assert parse_date(text) == day  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "00/01/2024", "12/13/2024",
                                  "2024/03/01", "1 mars 2024", "45000"])
def test_impossible_or_unknown_dates_are_errors(text: str) -> None:
    with pytest.raises(BelgianFormatError) as caught:
        parse_date(text)
    assert caught.value.type == "invalid-date"


def test_a_month_day_swap_says_what_is_wrong() -> None:
    with pytest.raises(BelgianFormatError, match="31/02/2024 is not a real date"):
        parse_date("31/02/2024")


def test_the_open_end_date_means_no_end() -> None:
    assert parse_end_date("31/12/9999") is None
    assert parse_end_date(dt.date(9999, 12, 31)) is None
    assert parse_end_date("30/06/2027") == dt.date(2027, 6, 30)
    assert parse_date("31/12/9999") == dt.date(9999, 12, 31)


@pytest.mark.parametrize("cell", ["0203.071.973", "203071973", "BE0203071973", "BE 0203.071.973",
                                  "0203 071 973", 203071973, 203071973.0])
def test_enterprise_numbers_normalised_to_ten_digits(cell: object) -> None:
    assert parse_enterprise_number(cell) == "0203071973"  # type: ignore[arg-type]


def test_enterprise_numbers_starting_with_one() -> None:
    assert parse_enterprise_number("1002.339.503") == "1002339503"


@pytest.mark.parametrize(("cell", "why"), [
    ("0203.071.974", "check digits"),
    ("12345", "ten digits"),
    ("2203.071.973", "0 or 1"),
    ("NL0203071973", "not a number"),
    ("=HYPERLINK(\"x\")", "not a number"),
    (None, "not a number"),
])
def test_invalid_enterprise_numbers(cell: object, why: str) -> None:
    with pytest.raises(BelgianFormatError, match=why) as caught:
        parse_enterprise_number(cell)  # type: ignore[arg-type]
    assert caught.value.type == "invalid-enterprise-number"


@pytest.mark.parametrize("cell", ["21004", 21004, 21004.0, " 92094 "])
def test_nis_codes(cell: object) -> None:
    assert parse_nis_code(cell) in ("21004", "92094")  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["2100", "021004", "A1004", "01004", 210040])
def test_invalid_nis_codes(cell: object) -> None:
    with pytest.raises(BelgianFormatError) as caught:
        parse_nis_code(cell)  # type: ignore[arg-type]
    assert caught.value.type == "invalid-nis-code"


def test_municipality_names_in_french_and_dutch() -> None:
    assert municipality_name("21004", "fr") == "Bruxelles"
    assert municipality_name("21004", "nl") == "Brussel"
    assert municipality_name("99999") is None
