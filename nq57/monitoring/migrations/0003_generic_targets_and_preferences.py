"""Notifications and claims about any object (content type + object id) instead of only tasks; kinds named by the
app that registers them; per-person notification preferences; claim attempts (for the retry of unsent claims)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


KIND_NAMES = {"reminder": "task.reminder", "overdue": "task.overdue", "overdue_event": "task.overdue_event",
              "digest": "monitoring.digest", "escalation": "monitoring.escalation"}


def tasks_to_targets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _ = ContentType.objects.get_or_create(app_label="tasks", model="task")
    for name in ("Notification", "Dispatch"):
        model = apps.get_model("monitoring", name)
        model.objects.filter(task__isnull=False).update(content_type=task_type, object_id=models.F("task_id"))
        for old, new in KIND_NAMES.items():
            model.objects.filter(kind=old).update(kind=new)


def targets_to_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type = ContentType.objects.filter(app_label="tasks", model="task").first()
    for name in ("Notification", "Dispatch"):
        model = apps.get_model("monitoring", name)
        if task_type is not None:
            model.objects.filter(content_type=task_type).update(task_id=models.F("object_id"))
        model.objects.exclude(content_type=task_type).filter(content_type__isnull=False).delete()
        for old, new in KIND_NAMES.items():
            model.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('tasks', '0003_alter_taskassignment_agency_historicaltaskassignment'),
        ('monitoring', '0002_report_snapshot_entries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalNotificationPreference',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('email_enabled', models.BooleanField(default=True, verbose_name='nhận thư điện tử')),
                ('weekly_digest', models.BooleanField(default=True, verbose_name='nhận bản tổng hợp hằng tuần')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='cập nhật lúc')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical tùy chọn nhận thông báo',
                'verbose_name_plural': 'historical tùy chọn nhận thông báo',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email_enabled', models.BooleanField(default=True, verbose_name='nhận thư điện tử')),
                ('weekly_digest', models.BooleanField(default=True, verbose_name='nhận bản tổng hợp hằng tuần')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
            ],
            options={
                'verbose_name': 'tùy chọn nhận thông báo',
                'verbose_name_plural': 'tùy chọn nhận thông báo',
            },
        ),
        migrations.RemoveConstraint(
            model_name='dispatch',
            name='monitoring_dispatch_unique_task_recipient',
        ),
        migrations.RemoveConstraint(
            model_name='dispatch',
            name='monitoring_dispatch_unique_task_event',
        ),
        migrations.RemoveConstraint(
            model_name='dispatch',
            name='monitoring_dispatch_unique_recipient_period',
        ),
        migrations.AddField(
            model_name='dispatch',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='dispatch',
            name='content_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='dispatch',
            name='object_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='content_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='loại đối tượng'),
        ),
        migrations.AddField(
            model_name='notification',
            name='dispatch',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notification', to='monitoring.dispatch'),
        ),
        migrations.AddField(
            model_name='notification',
            name='object_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='mã đối tượng'),
        ),
        migrations.AlterField(
            model_name='dispatch',
            name='kind',
            field=models.CharField(max_length=50),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(max_length=50, verbose_name='loại'),
        ),
        migrations.RunPython(tasks_to_targets, targets_to_tasks),
        migrations.RemoveField(
            model_name='dispatch',
            name='task',
        ),
        migrations.RemoveField(
            model_name='notification',
            name='task',
        ),
        migrations.AddIndex(
            model_name='dispatch',
            index=models.Index(fields=['content_type', 'object_id'], name='monitoring_dispatch_target_idx'),
        ),
        migrations.AddIndex(
            model_name='dispatch',
            index=models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['claimed_at'], name='monitoring_dispatch_unsent_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['content_type', 'object_id'], name='monitoring_notif_target_idx'),
        ),
        migrations.AddConstraint(
            model_name='dispatch',
            constraint=models.UniqueConstraint(condition=models.Q(('object_id__isnull', False), ('recipient__isnull', False)), fields=('content_type', 'object_id', 'recipient', 'kind', 'due_on', 'step'), name='monitoring_dispatch_unique_target_recipient'),
        ),
        migrations.AddConstraint(
            model_name='dispatch',
            constraint=models.UniqueConstraint(condition=models.Q(('object_id__isnull', False), ('recipient__isnull', True)), fields=('content_type', 'object_id', 'kind', 'due_on', 'step'), name='monitoring_dispatch_unique_target_event'),
        ),
        migrations.AddConstraint(
            model_name='dispatch',
            constraint=models.UniqueConstraint(condition=models.Q(('object_id__isnull', True), ('recipient__isnull', False)), fields=('recipient', 'kind', 'due_on', 'step'), name='monitoring_dispatch_unique_recipient_period'),
        ),
        migrations.AddField(
            model_name='historicalnotificationpreference',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalnotificationpreference',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người dùng'),
        ),
        migrations.AddField(
            model_name='notificationpreference',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL, verbose_name='người dùng'),
        ),
    ]
