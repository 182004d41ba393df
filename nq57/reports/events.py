"""The domain events the reports app publishes (loaded from ``ReportsConfig.ready``)."""

from nq57.core.events import register_event

register_event("report.submitted", label="Có báo cáo tiến độ mới")
register_event("report.assessed", label="Báo cáo tiến độ được đánh giá")
register_event("extension.requested", label="Có đề nghị gia hạn")
register_event("extension.decided", label="Đề nghị gia hạn được quyết định")
