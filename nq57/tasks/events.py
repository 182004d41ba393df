"""The domain events the tasks app publishes (loaded from ``TasksConfig.ready``)."""

from nq57.core.events import register_event

register_event("task.created", label="Nhiệm vụ mới được tạo")
register_event("task.status_changed", label="Nhiệm vụ đổi trạng thái")
register_event("task.overdue", label="Nhiệm vụ quá hạn")
register_event("task.assigned", label="Nhiệm vụ được giao cho cơ quan")
