"""Who manages the kit area (release files, install base): a model permission,
granted through the admin group "Gestione kit" (superusers have it too)."""

MANAGE_KIT = "kit_downloads.manage_kit"


def can_manage_kit(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_KIT))
