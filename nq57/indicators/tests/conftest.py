import pytest

from nq57.indicators import services


@pytest.fixture
def rising(cast):
    """An indicator of Bộ KH&CN (alice's organisation), yearly, higher is better, target 30 in 2030."""
    return services.indicator_create(actor=cast.office, name="Số doanh nghiệp khởi nguồn từ trường đại học",
                                     unit="doanh nghiệp", kind="count", agency=cast.kh, targets=[(2030, 30, "30")])
