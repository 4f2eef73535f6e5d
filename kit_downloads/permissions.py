"""Who manages the kit area (release files, install base): a model permission,
granted through the admin group "Gestione kit" (superusers have it too)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

MANAGE_KIT = "kit_downloads.manage_kit"


def can_manage_kit(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_KIT))


class KitManagerPermissionPolicy(ModelPermissionPolicy):
    """Kit records managed in the admin (signing keys): whoever manages the kit
    may view, add and change them; nobody deletes them (a retired key stays
    published, deactivated, so that old signatures remain checkable)."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return can_manage_kit(user)

    def users_with_any_permission(self, actions):
        if set(actions) <= {"delete"}:
            return get_user_model().objects.none()
        app_label, codename = MANAGE_KIT.split(".")
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
        return (
            get_user_model()
            .objects.filter(
                (
                    Q(is_superuser=True)
                    | Q(user_permissions__in=permissions)
                    | Q(groups__permissions__in=permissions)
                )
                & Q(is_active=True)
            )
            .distinct()
        )
