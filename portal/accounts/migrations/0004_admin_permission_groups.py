"""The admin groups that carry the portal's own rights.

A Wagtail administrator gives a colleague a right by adding them to one of these
groups in the admin's user form: nothing depends on Django's ``is_staff`` flag,
which that form cannot set.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

# group name -> (app label, codename) of its permissions
GROUPS = {
    "Revisione registrazioni": [
        ("accounts", "review_registration"),
        ("accounts", "view_organisation"),
        ("accounts", "change_organisation"),
    ],
    "Gestione kit": [("kit_downloads", "manage_kit")],
    "Moderazione globale": [("community", "moderate_all_groups")],
}
ACCESS_ADMIN = ("wagtailadmin", "access_admin")


def create_groups(apps, schema_editor):
    # Permissions are normally created after the last migration; the groups need
    # them now.
    for label in ("accounts", "kit_downloads", "community", "wagtailadmin"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in [*wanted, ACCESS_ADMIN]:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_add_review_registration_permission"),
        ("kit_downloads", "0002_add_manage_kit_permission"),
        ("community", "0002_add_moderate_all_groups_permission"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
