"""Who may review administrations: a model permission, granted through the admin
group "Revisione registrazioni" (superusers have it too)."""

REVIEW_REGISTRATION = "accounts.review_registration"


def can_review_registrations(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(REVIEW_REGISTRATION)
    )
