"""Notifications and claims about any object (content type + object id) instead of only tasks; kinds named by the
app that registers them; per-person notification preferences; claim attempts (for the retry of unsent claims)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


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
    ]
