"""Events the hub publishes (``core.events``)."""

from nq57.core.events import register_event

register_event("hub.problem_posted", label="Đầu bài/đặt hàng mới trên Sàn 3 Nhà")
register_event("hub.offer_posted", label="Kết quả/sáng kiến mới trên Sàn 3 Nhà")
register_event("hub.interest_expressed", label="Quan tâm hợp tác trên Sàn 3 Nhà")
register_event("hub.message_posted", label="Trao đổi mới trên Sàn 3 Nhà")
register_event("hub.deal_agreed", label="Hai bên thống nhất hợp tác")
register_event("hub.contract_recorded", label="Hợp đồng hợp tác được ghi nhận")
register_event("hub.outcome_recorded", label="Kết quả thương mại hóa được ghi nhận")
register_event("hub.item_updated", label="Nội dung trên Sàn 3 Nhà được cập nhật")
register_event("hub.access_granted", label="Đối tác được xem chi tiết đầu bài")
register_event("hub.deal_withdrawn", label="Một bên dừng kết nối hợp tác")
register_event("hub.problem_closed", label="Đầu bài trên Sàn 3 Nhà được đóng")
register_event("hub.offer_withdrawn", label="Kết quả trên Sàn 3 Nhà ngừng chào")
register_event("hub.milestone_done", label="Mốc tiến độ hợp đồng hoàn thành")
