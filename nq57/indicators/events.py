"""The domain events the indicators app publishes (loaded from ``IndicatorsConfig.ready``)."""

from nq57.core.events import register_event

register_event("indicator.created", label="Chỉ tiêu mới được tạo")
register_event("indicator.value_submitted", label="Có giá trị chỉ tiêu mới")
register_event("indicator.value_validated", label="Giá trị chỉ tiêu được xác nhận hoặc không chấp nhận")
register_event("indicator.status_changed", label="Chỉ tiêu đổi tình trạng")
register_event("indicator.proposals_created", label="Có chỉ tiêu đề xuất từ văn bản mới nhập")
