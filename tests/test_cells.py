"""Property tests of the cell parsers: only CellError ever escapes, and values round-trip.

The parsers read every cell of every input, so a value they cannot handle must become a
located input error (CellError), never a crash. The Hypothesis budget comes from the
profile: ``ci`` (fixed seed, bounded) unless ``HYPOTHESIS_PROFILE=long``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pairing.domain.cells import (
    EXCEL_EPOCH,
    QUOTE_LIMIT,
    CellError,
    clean_text,
    name_candidates,
    name_key,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_tags,
    quote,
)

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("long", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789-+."}

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.decimals(allow_nan=True),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.text(),
    st.text(alphabet="0123456789１２３４-+.,eE年月日/ \u200b\u3000"),
    st.sampled_from(["nan", "-inf", "1e999", "9" * 5000, "(" * 3000 + ")" * 3000, "2026-02-30"]),
)
PARSERS: list[Callable[[object], object]] = [parse_int, parse_float, parse_bool, parse_date]


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@given(value=anything)
def test_parsers_raise_only_cell_errors(parse: Callable[[object], object], value: object) -> None:
    """Whatever a cell holds, a parser returns a value or raises CellError with both texts."""
    try:
        parse(value)
    except CellError as error:
        assert error.zh and error.en
        assert len(error.zh) < 200 and len(error.en) < 200  # a long cell is quoted short


@given(anything)
def test_text_functions_never_raise(value: object) -> None:
    """clean_text, name_candidates, parse_tags and quote accept anything."""
    text = clean_text(value)
    assert text == text.strip()
    assert all(key for key in name_candidates(value))
    assert all(tag for tag in parse_tags(value))
    assert len(quote(value)) <= QUOTE_LIMIT


@given(st.text())
@example("e\u200b\u0301")  # an invisible character between a letter and its accent
def test_clean_text_is_idempotent(text: str) -> None:
    """Cleaning twice changes nothing (invisible characters go before normalisation)."""
    assert clean_text(clean_text(text)) == clean_text(text)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_int_round_trips(number: int) -> None:
    """A whole number reads back from an int, a float, its text and full-width text."""
    assert parse_int(number) == number
    assert parse_int(float(number)) == number
    assert parse_int(str(number)) == number
    assert parse_int(str(number).translate(FULL_WIDTH)) == number
    assert parse_int(f" {number}.0 ") == number


def test_full_width_and_grouped_numbers() -> None:
    """Full-width digits, a full-width minus and thousands separators read as numbers."""
    assert parse_int("１２３") == 123
    assert parse_float("－１.５") == -1.5
    assert parse_int("1,234") == 1234


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_float_round_trips(number: float) -> None:
    """A finite number reads back from itself and from its repr."""
    assert parse_float(number) == number
    assert parse_float(repr(number)) == number


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e13, 10**400, "1e999", "x", True])
def test_out_of_range_numbers_are_cell_errors(value: object) -> None:
    """NaN, infinity, absurd magnitudes, words and booleans are not numbers."""
    with pytest.raises(CellError):
        parse_float(value)


def test_fractions_are_not_whole_numbers() -> None:
    """2.5 is a number but not a count."""
    with pytest.raises(CellError):
        parse_int(2.5)


@given(st.sampled_from(["是", "Y", "yes", "TRUE", "1", "对", "√", " Yes "]))
def test_yes_words(word: str) -> None:
    """Every spelling of yes reads True."""
    assert parse_bool(word) is True


@given(st.sampled_from(["否", "N", "no", "False", "0", "×", ""]))
def test_no_words(word: str) -> None:
    """Every spelling of no (and blank) reads False."""
    assert parse_bool(word) is False


@given(st.booleans())
def test_bool_round_trips(value: bool) -> None:
    """A boolean cell reads as itself, and so does its clean text."""
    assert parse_bool(value) is value
    assert parse_bool(clean_text(value)) is value


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_date_text_round_trips(day: dt.date) -> None:
    """ISO, slashes, Chinese and compact spellings of a date read back to it."""
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    assert parse_date(text) == day
    assert parse_date(f"{day.year}/{day.month}/{day.day}") == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(text.replace("-", "")) == day
    assert parse_date(f"{text}T08:30:00") == day


@given(st.dates(min_value=dt.date(1899, 12, 31)))
def test_excel_serials_round_trip(day: dt.date) -> None:
    """An Excel serial number (days since 1899-12-30) and a datetime read as the date."""
    assert parse_date((day - EXCEL_EPOCH).days) == day
    assert parse_date(dt.datetime.combine(day, dt.time(13, 5))) == day


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "0000-01-01", "明天", "1.5.2026"])
def test_impossible_dates_are_cell_errors(text: str) -> None:
    """Dates that do not exist or are not written as dates are refused."""
    with pytest.raises(CellError):
        parse_date(text)


tags = st.lists(
    st.text(alphabet="abcxyz产业电商法律教育", min_size=1, max_size=4), min_size=1, max_size=5
)


@given(tags, st.sampled_from(["、", ",", "，", ";", "；", "/", " ", " 、 "]))
def test_tags_round_trip(words: list[str], separator: str) -> None:
    """Tags joined by any separator split back into the same set."""
    assert parse_tags(separator.join(words)) == frozenset(words)


@given(
    st.text(alphabet="单位编号村名abc_ -", min_size=1),
    st.from_regex(r"[a-f][a-f_]{0,8}", fullmatch=True),
)
def test_bilingual_headers_yield_both_names(zh: str, en: str) -> None:
    """``中文 (english)`` and ``中文（english）`` match by either part."""
    for header in (f"{zh} ({en})", f"{zh}（{en}）"):
        keys = name_candidates(header)
        assert name_key(en) in keys
        if name_key(zh):
            assert name_key(zh) in keys


def test_header_spellings_share_one_key() -> None:
    """Case, spaces, underscores, full width and invisible characters do not matter."""
    spellings = ["unit_id", "Unit ID", " UNIT-ID ", "ｕｎｉｔ＿ｉｄ", "unit\u200b_id"]
    assert {name_key(s) for s in spellings} == {"unitid"}
    assert {"所属镇", "town"} <= name_candidates("所属镇 town")


def test_whole_floats_print_as_ints() -> None:
    """An id typed as a number (101.0) reads as 101; invisible marks and BOMs are dropped."""
    assert clean_text(101.0) == "101"
    assert clean_text("\ufeff\u200fU1\u200b ") == "U1"
    assert clean_text(decimal.Decimal("2.50")) == "2.50"


def test_quote_shortens_long_cells() -> None:
    """Messages quote at most QUOTE_LIMIT characters of a cell."""
    assert quote("长" * 100).endswith("…") and len(quote("长" * 100)) == QUOTE_LIMIT
    assert quote("short") == "short"
