"""Notifications and claims no longer point at a task directly; the claim's unique constraints are per target."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0004_move_task_rows_to_targets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
