"""Notification kinds of the hub (``monitoring.notifications``)."""

from nq57.monitoring.notifications import register_kind

INTEREST = register_kind("hub.interest", label="Có tổ chức quan tâm hợp tác").name
MESSAGE = register_kind("hub.message", label="Tin nhắn mới trong trao đổi hợp tác").name
ACCESS = register_kind("hub.access", label="Được xem chi tiết đầu bài").name
AGREED = register_kind("hub.agreed", label="Thống nhất hợp tác").name
WITHDRAWN = register_kind("hub.withdrawn", label="Bên kia dừng kết nối hợp tác").name
ITEM_CLOSED = register_kind("hub.item_closed", label="Nội dung đang trao đổi đã đóng").name
MILESTONE = register_kind("hub.milestone", label="Mốc tiến độ hợp đồng hoàn thành").name
