"""The admin group "Gestione sportelli": staff who manage every job desk.

As in accounts' 0004: a Wagtail administrator grants the right by adding a
colleague to the group, with no dependence on ``is_staff``.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Gestione sportelli"
PERMISSIONS = [
    ("sportelli", "manage_sportelli"),
    ("sportelli", "view_sportello"),
    ("sportelli", "change_sportello"),
    ("wagtailadmin", "access_admin"),
]


def create_group(apps, schema_editor):
    for label in ("sportelli", "wagtailadmin"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sportelli", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
