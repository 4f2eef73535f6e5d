"""Admin hooks of the portal's own pages."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from wagtail import hooks

from .admin_editing import workflow_action_already_taken

hooks.register("before_edit_page", workflow_action_already_taken)


@hooks.register("insert_editor_js")
def editor_error_summary_js():
    """The error summary of page and snippet forms that Wagtail refused
    (static/js/admin-form-errors.js), with the public forms' translated
    strings: the title's "Error: " and, for a summary without Wagtail's
    banner, the heading in the singular and plural ("%(counter)s" is filled
    in by the script, which picks one for 1 and the other otherwise: the
    plural rule of Italian and English)."""
    return format_html(
        '<script src="{}" data-error-prefix="{}" data-heading-one="{}"'
        ' data-heading-other="{}" defer></script>',
        static("js/admin-form-errors.js"),
        gettext("Error: "),
        ngettext("There is a problem", "There are %(counter)s problems", 1),
        ngettext("There is a problem", "There are %(counter)s problems", 2),
    )
