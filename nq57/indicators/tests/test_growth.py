"""Growth accounting against a worked example written out here."""

import pytest

from nq57.indicators.growth import growth_accounting


def test_worked_example():
    # Y: 100 -> 106 -> 112.36 (6% a year); K: 200 -> 210 -> 220.5 (5%); L: 50 -> 50.5 -> 51.005 (1%); α = 0.4
    # each year: α·g_K = 0.4 × 0.05 = 0.02; (1 − α)·g_L = 0.6 × 0.01 = 0.006
    # g_TFP = 0.06 − 0.02 − 0.006 = 0.034; share = 0.034 / 0.06 = 0.5666…
    result = growth_accounting(output={2023: 100, 2024: 106, 2025: 112.36},
                               capital={2023: 200, 2024: 210, 2025: 220.5},
                               labour={2023: 50, 2024: 50.5, 2025: 51.005}, alpha=0.4,
                               digital={2024: 15.9, 2025: 20.2248})
    assert [r.year for r in result.years] == [2024, 2025]
    for row in result.years:
        assert row.g_y == pytest.approx(0.06)
        assert row.g_k == pytest.approx(0.05)
        assert row.g_l == pytest.approx(0.01)
        assert row.capital_contribution == pytest.approx(0.02)
        assert row.labour_contribution == pytest.approx(0.006)
        assert row.g_tfp == pytest.approx(0.034)
        assert row.tfp_share == pytest.approx(0.034 / 0.06)
    assert result.mean_tfp_share == pytest.approx(0.5666666, rel=1e-6)
    # digital economy: 15.9 / 106 = 0.15; 20.2248 / 112.36 = 0.18
    assert [(y, round(s, 4)) for y, _d, _g, s in result.digital_share] == [(2024, 0.15), (2025, 0.18)]


def test_missing_years_and_zero_growth():
    result = growth_accounting(output={2020: 100, 2021: 100, 2023: 110}, capital={2020: 1, 2021: 1.1, 2023: 2},
                               labour={2020: 1, 2021: 1, 2023: 1}, alpha=0.5)
    assert [r.year for r in result.years] == [2021]  # 2023 has no 2022
    assert result.years[0].tfp_share is None  # g_Y = 0
    assert result.years[0].g_tfp == pytest.approx(-0.05)
