"""The domain events and notification kinds the intake publishes (loaded from ``IntakeConfig.ready``)."""

from nq57.core.events import register_event
from nq57.monitoring.notifications import register_kind

register_event("intake.submitted", label="Có phản ánh, kiến nghị, sáng kiến mới")
register_event("intake.answered", label="Phản ánh, kiến nghị, sáng kiến đã được trả lời")

NEW = register_kind("intake.new", label="Phản ánh, kiến nghị mới cần phân loại").name
ROUTED = register_kind("intake.routed", label="Phản ánh, kiến nghị được chuyển đến cơ quan").name
DUE = register_kind("intake.answer_due", label="Sắp đến hạn trả lời phản ánh, kiến nghị").name
OVERDUE = register_kind("intake.overdue", label="Phản ánh, kiến nghị quá hạn trả lời").name
STATUS = register_kind("intake.status", label="Phản ánh, kiến nghị của bạn có tiến triển").name
