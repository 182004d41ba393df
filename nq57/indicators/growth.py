"""Growth accounting (the contribution of total factor productivity to GDP growth) and the digital economy's share of
GDP: plain functions on yearly series, every intermediate figure returned so the page can show it.

Method (Solow residual, discrete yearly growth rates):
- growth of a series from year t-1 to t: ``g_X = (X_t - X_{t-1}) / X_{t-1}``;
- contributions: capital ``α·g_K``, labour ``(1 - α)·g_L`` (``α``: the capital share of income, between 0 and 1);
- TFP growth (the residual): ``g_TFP = g_Y - α·g_K - (1 - α)·g_L``;
- the TFP share of GDP growth: ``g_TFP / g_Y`` (undefined when ``g_Y = 0``);
- over the whole span, the average of the yearly growth rates and the share of the averages;
- digital economy share of GDP in year t: ``D_t / Y_t`` (both in the same money unit).
A year is computed only when both it and the year before have Y, K and L (and α when α is a series).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

METHOD_TEXT = [
    "Tốc độ tăng của một chuỗi từ năm t−1 đến năm t: g = (X(t) − X(t−1)) / X(t−1).",
    "Đóng góp của vốn: α × g_K; đóng góp của lao động: (1 − α) × g_L, trong đó α là tỷ phần vốn trong thu nhập "
    "(hệ số co giãn của sản lượng theo vốn), 0 < α < 1.",
    "Tăng trưởng năng suất nhân tố tổng hợp (phần dư Solow): g_TFP = g_Y − α × g_K − (1 − α) × g_L.",
    "Tỷ lệ đóng góp của TFP vào tăng trưởng GDP: g_TFP / g_Y (không xác định khi g_Y = 0).",
    "Cả giai đoạn: trung bình cộng các tốc độ tăng hằng năm, tỷ lệ đóng góp tính trên các giá trị trung bình.",
    "Tỷ trọng kinh tế số trong GDP năm t: giá trị tăng thêm của kinh tế số / GDP (cùng đơn vị tiền tệ).",
    "Chỉ tính năm có đủ số liệu GDP, vốn, lao động (và α nếu α là chuỗi số liệu) của năm đó và năm trước.",
]


@dataclass(frozen=True)
class GrowthYear:
    year: int
    y: float
    k: float
    l: float  # noqa: E741 - labour, the usual letter
    alpha: float
    g_y: float
    g_k: float
    g_l: float
    capital_contribution: float
    labour_contribution: float
    g_tfp: float
    tfp_share: float | None


@dataclass(frozen=True)
class GrowthResult:
    years: list[GrowthYear]
    mean_g_y: float | None
    mean_g_k: float | None
    mean_g_l: float | None
    mean_g_tfp: float | None
    mean_tfp_share: float | None
    digital_share: list[tuple[int, float, float, float]]  # (year, digital value, GDP, share)


def growth_rate(previous: float, current: float) -> float:
    if previous == 0:
        raise ZeroDivisionError("growth from zero")
    return (current - previous) / previous


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def growth_accounting(*, output: Mapping[int, float], capital: Mapping[int, float], labour: Mapping[int, float],
                      alpha: float | Mapping[int, float], digital: Mapping[int, float] | None = None) -> GrowthResult:
    years: list[GrowthYear] = []
    for year in sorted(output):
        before = year - 1
        a = alpha if isinstance(alpha, (int, float)) else alpha.get(year)
        if a is None or any(year not in s or before not in s for s in (output, capital, labour)):
            continue
        if 0 in (output[before], capital[before], labour[before]):
            continue
        a = float(a)
        g_y = growth_rate(output[before], output[year])
        g_k = growth_rate(capital[before], capital[year])
        g_l = growth_rate(labour[before], labour[year])
        cap, lab = a * g_k, (1 - a) * g_l
        g_tfp = g_y - cap - lab
        years.append(GrowthYear(year=year, y=output[year], k=capital[year], l=labour[year], alpha=a, g_y=g_y,
                                g_k=g_k, g_l=g_l, capital_contribution=cap, labour_contribution=lab, g_tfp=g_tfp,
                                tfp_share=g_tfp / g_y if g_y else None))
    mean_y = _mean([r.g_y for r in years])
    mean_tfp = _mean([r.g_tfp for r in years])
    shares = []
    for year in sorted(digital or {}):
        if year in output and output[year]:
            shares.append((year, float(digital[year]), float(output[year]), float(digital[year]) / output[year]))
    return GrowthResult(years=years, mean_g_y=mean_y, mean_g_k=_mean([r.g_k for r in years]),
                        mean_g_l=_mean([r.g_l for r in years]), mean_g_tfp=mean_tfp,
                        mean_tfp_share=(mean_tfp / mean_y) if mean_y else None, digital_share=shares)
