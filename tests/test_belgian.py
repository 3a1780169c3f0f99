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


def test_fractions_from_number_cells_keep_their_digits() -> None:
    assert parse_amount(470773.975) == Decimal("470773.975")


@pytest.mark.parametrize("text", ["1.5", "12,34.5", "1.234 567,00", "", "=SUM(A1:A3)",
                                  "+1+1", "@SUM(A1)", "-", "douze", "1,2,3"])
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(BelgianFormatError) as caught:
        parse_amount(text)
    assert caught.value.type == "invalid-amount"
    assert "1.234,56" in caught.value.expected


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
