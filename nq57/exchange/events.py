"""The domain events the exchange app publishes (loaded from ``ExchangeConfig.ready``)."""

from nq57.core.events import register_event

# one per committed import chunk (not one ``task.created`` per task: an import is not 100,000 notifications)
register_event("exchange.imported", label="Dữ liệu trao đổi được nhập (một phần của lượt nhập)")
