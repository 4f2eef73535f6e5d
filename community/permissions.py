"""Who reads and moderates every community group: a model permission, granted
through the admin group "Moderazione globale" (superusers have it too)."""

MODERATE_ALL_GROUPS = "community.moderate_all_groups"


def can_moderate_all_groups(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(MODERATE_ALL_GROUPS)
    )
