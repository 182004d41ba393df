from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_roles_and_agencies_become_memberships'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='accounts_user_focal_point_has_agency',
        ),
        migrations.RemoveField(
            model_name='historicaluser',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='historicaluser',
            name='role',
        ),
        migrations.RemoveField(
            model_name='user',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='user',
            name='role',
        ),
    ]
