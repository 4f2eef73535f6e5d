"""Admin hooks of the portal's own pages."""

from wagtail import hooks

from .admin_editing import workflow_action_already_taken

hooks.register("before_edit_page", workflow_action_already_taken)
