from wagtail.permission_policies import ModelPermissionPolicy

from .models import OutboundEmail


class OutboundEmailPermissionPolicy(ModelPermissionPolicy):
    """Outgoing email is a record, not content: it can be viewed (``view``) and
    retried (``retry``), never added, edited or deleted in the admin, not even
    by a superuser."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


outbound_email_policy = OutboundEmailPermissionPolicy(OutboundEmail)
