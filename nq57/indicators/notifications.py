"""Notification kinds of the indicators app (``monitoring.notifications.register_kind``)."""

from nq57.monitoring.notifications import register_kind

VALUE_DUE = "indicators.value_due"
VALUE_OVERDUE = "indicators.value_overdue"

register_kind(VALUE_DUE, label="Sắp đến hạn nhập giá trị chỉ tiêu")
register_kind(VALUE_OVERDUE, label="Quá hạn nhập giá trị chỉ tiêu (báo Cơ quan Thường trực)")
