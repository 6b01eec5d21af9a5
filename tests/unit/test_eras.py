"""The Japanese era calendar from the era table in data/eras.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intake.config import Defaults
from intake.domain.eras import load_eras
from intake.domain.yamlfile import DataFileError

ERAS = load_eras(Path(Defaults.ERAS_FILE))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 12, 31), "令和元年12月31日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2026, 11, 26), "令和8年11月26日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
    ],
)
def test_era_dates(day, text):
    assert ERAS.format_date(day) == text


def test_western_year_where_the_office_wants_it():
    assert ERAS.format_date(date(2026, 11, 26), western=True) == "令和8年11月26日（2026年）"


def test_a_new_era_is_one_line_of_data(tmp_path):
    table = tmp_path / "eras.yaml"
    table.write_text(
        'eras:\n  - {name: 令和, start: "2019-05-01"}\n  - {name: 新元号, start: "2040-01-01"}\n', encoding="utf-8"
    )
    eras = load_eras(table)
    assert eras.format_date(date(2040, 1, 1)) == "新元号元年1月1日"
    assert eras.format_date(date(2039, 12, 31)) == "令和21年12月31日"
    with pytest.raises(ValueError):
        eras.format_date(date(2000, 1, 1))


def test_a_broken_era_table_says_where(tmp_path):
    table = tmp_path / "eras.yaml"
    table.write_text(
        'eras:\n  - {name: 令和, start: "2019-05-01"}\n  - {name: 平成, start: "1989-01-08"}\n', encoding="utf-8"
    )
    with pytest.raises(DataFileError):
        load_eras(table)
    table.write_text("eras: []\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        load_eras(table)
