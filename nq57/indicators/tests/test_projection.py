"""Projections and statuses against series computed by hand."""

import pytest

from nq57.indicators import projection as p


def test_period_time_axis():
    assert p.period_t(2025) == 2025.0
    assert p.period_t(2025, 4) == 2025.0
    assert p.period_t(2026, 1) == 2025.25


def test_least_squares_by_hand():
    # points (2021, 10), (2022, 12), (2023, 15), (2024, 17)
    # mean t = 2022.5, mean v = 13.5; Σ(t-t̄)(v-v̄) = (-1.5)(-3.5)+(-0.5)(-1.5)+(0.5)(1.5)+(1.5)(3.5) = 12.0
    # Σ(t-t̄)² = 2.25+0.25+0.25+2.25 = 5  -> slope 2.4, intercept 13.5 - 2.4*2022.5
    # fitted 9.9, 12.3, 14.7, 17.1 -> residuals .1 -.3 .3 -.1 -> Σr² = 0.2 -> std sqrt(0.2/2) = 0.316227...
    line = p.fit([(2021, 10), (2022, 12), (2023, 15), (2024, 17)])
    assert line.slope == pytest.approx(2.4)
    assert line.at(2024) == pytest.approx(17.1)
    assert line.residual_std == pytest.approx(0.1 ** 0.5)


def test_projection_two_trends_and_band():
    points = [(2021, 10), (2022, 12), (2023, 15), (2024, 17)]
    proj = p.project(points, 2030)
    # all values: 17.1 + 6*2.4 = 31.5
    assert proj.linear == pytest.approx(31.5)
    # last three (2022,12),(2023,15),(2024,17): slope (−1)(−2.667)+(0)+(1)(2.333) / 2 = 2.5; at 2030: 14.667+7*2.5
    assert proj.recent == pytest.approx(14 + 2 / 3 + 17.5)
    assert proj.central == pytest.approx((31.5 + 32.1666667) / 2)
    assert proj.low == pytest.approx(31.5 - 0.1 ** 0.5)
    assert proj.high == pytest.approx(32.1666667 + 0.1 ** 0.5)


@pytest.mark.parametrize(("target", "expected"), [
    (30, p.ON_TRACK),     # both trends (31.5 and 32.17) reach 30
    (32, p.AT_RISK),      # only the band's upper edge (32.48) reaches 32
    (33, p.OFF_TRACK),    # even the upper edge misses 33
    (16, p.ACHIEVED),     # the latest value (17) already meets 16
])
def test_status_higher_is_better(target, expected):
    points = [(2021, 10), (2022, 12), (2023, 15), (2024, 17)]
    assert p.status_for(points, [(2030, target)], direction=p.HIGHER).code == expected


def test_status_lower_is_better_rank():
    # a rank falling 80, 70, 62, 55 (lower is better); mean 66.75; linear slope:
    # Σ(t-t̄)(v-v̄) = (-1.5)(13.25)+(-.5)(3.25)+(.5)(-4.75)+(1.5)(-11.75) = -41.5; / 5 = -8.3
    # -> at 2030: 66.75 - 8.3 × 7.5 = 4.5; last three: slope (55 - 70) / 2 = -7.5, mean 62.33 -> 62.33 - 7.5 × 7 = 9.83
    # the less favourable of the two (9.83) still reaches 10: on track
    points = [(2021, 80), (2022, 70), (2023, 62), (2024, 55)]
    status = p.status_for(points, [(2030, 10)], direction=p.LOWER)
    assert status.projection.linear == pytest.approx(4.5)
    assert status.projection.recent == pytest.approx(62 + 1 / 3 - 52.5)
    assert status.code == p.ON_TRACK
    assert p.status_for(points, [(2030, 8)], direction=p.LOWER).code == p.AT_RISK  # only the band's low edge
    assert p.status_for(points, [(2030, 60)], direction=p.LOWER).code == p.ACHIEVED
    assert p.status_for(points, [(2030, -30)], direction=p.LOWER).code == p.OFF_TRACK


def test_next_target_and_passed_year():
    points = [(2021, 10), (2022, 11)]
    assert p.next_target([(2025, 20), (2030, 40)], 2022) == (2025, 20)
    assert p.next_target([(2025, 20), (2030, 40)], 2026) == (2030, 40)
    assert p.next_target([(2025, 20)], 2027) == (2025, 20)
    assert p.status_for(points, [(2023, 30)], direction=p.HIGHER, today_t=2024.5).code == p.OFF_TRACK


def test_not_enough_values_and_milestones():
    assert p.status_for([(2024, 5)], [(2030, 50)], direction=p.HIGHER).code == p.NO_DATA
    assert p.status_for([(2024, 5), (2025, 6)], [], direction=p.HIGHER).code == p.NO_DATA
    assert p.status_for([(2025, 1)], [(2030, 1)], direction=p.HIGHER, milestone=True).code == p.ACHIEVED
    assert p.status_for([(2025, 0)], [(2030, 1)], direction=p.HIGHER, milestone=True, today_t=2026).code == \
        p.ON_TRACK
    assert p.status_for([], [(2030, 1)], direction=p.HIGHER, milestone=True, today_t=2029.5).code == p.AT_RISK
    assert p.status_for([], [(2030, 1)], direction=p.HIGHER, milestone=True, today_t=2031).code == p.OFF_TRACK
