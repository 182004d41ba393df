

def test_only_the_office_or_the_platform_assigns_a_new_task(cast):
    """A top-level task is created by the office (a notice's confirmation, an import) or by the platform itself
    (``access.SYSTEM``); a focal point or a leader is refused, and a sub-task follows the sub-task rule."""
    import pytest

    from nq57.core.access import SYSTEM
    from nq57.core.errors import PermissionDeniedError
    from nq57.tasks.services import task_create

    for actor in (cast.alice, cast.leader):
        with pytest.raises(PermissionDeniedError, match="Chỉ Cơ quan Thường trực được giao nhiệm vụ mới"):
            task_create(notice=cast.notice, text="Nhiệm vụ tự giao", lead=[cast.kh], actor=actor)
    with pytest.raises(TypeError):
        task_create(notice=cast.notice, text="Không rõ ai giao", lead=[cast.kh])  # the actor is required
    assert task_create(notice=cast.notice, text="Nhiệm vụ do Thường trực giao", lead=[cast.kh], actor=cast.office)
    assert task_create(notice=cast.notice, text="Dữ liệu mẫu", lead=[cast.kh], actor=SYSTEM)
    with pytest.raises(PermissionDeniedError):  # bob's agency is only a partner of task_kh
        task_create(notice=cast.notice, parent=cast.task_kh, text="Nhiệm vụ con", lead=[cast.tc],
                    actor=cast.bob)
