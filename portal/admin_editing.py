"""Keep the Wagtail page editor's concurrent writes on one page from racing.

One click on a workflow action ("Approve and publish") can reach the server as
two POSTs on the same page: Wagtail 8's autosave and the action itself, or the
action twice after a double click. Each request loads the page and its workflow
state before writing, so the slower one acts on a stale copy: it finds no task
left to act on (a server error) or saves its stale form over the page the other
one has just published, taking it back to draft (the race described in Wagtail
pull request 14460).

``PageWriteLockMiddleware`` runs each such POST inside one transaction that
first locks the page's row, so the second request waits for the first to commit
and then starts from what it left. ``workflow_action_already_taken`` (a
``before_edit_page`` hook) turns a workflow action whose task is no longer open
into a redirect with an informational message instead of a plain save.
"""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from wagtail.models import Page

logger = logging.getLogger(__name__)

# The page views of Wagtail's admin that write a page or its workflow state.
LOCKED_VIEWS = frozenset(
    {
        "edit",
        "revisions_revert",
        "workflow_action",
        "unpublish",
        "delete",
        "convert_alias",
        "revisions_unschedule",
    }
)


def locked_page_id(request: HttpRequest) -> int | None:
    """The id of the page a POST to the admin writes, or None for any other request."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "wagtailadmin_pages" or match.url_name not in LOCKED_VIEWS:
        return None
    page_id = match.kwargs.get("page_id")
    return int(page_id) if page_id is not None else None


class PageWriteLockMiddleware:
    """Run the admin's writes on one page one at a time, in one transaction.

    The page's row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite,
    in IMMEDIATE transaction mode, takes its write lock when the transaction
    begins) before the view reads anything, so a second request on the same page
    sees the first one's result. A response with a server error rolls the whole
    request back: nothing half-done is kept, and the emails queued with
    ``transaction.on_commit`` are never sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page_id = locked_page_id(request)
        if page_id is None:
            return self.get_response(request)
        with transaction.atomic():
            list(
                Page.objects.select_for_update()
                .filter(pk=page_id)
                .values_list("pk", flat=True)
            )
            response = self.get_response(request)
            if response.status_code >= 500:
                logger.warning(
                    "Rolled back admin write on page %s: status %s",
                    page_id,
                    response.status_code,
                )
                transaction.set_rollback(True)
        return response


def workflow_action_already_taken(
    request: HttpRequest, page: Page
) -> HttpResponse | None:
    """Answer a workflow action on a task that is no longer open with a redirect.

    Wagtail would otherwise treat the POST as a plain save of the form the editor
    loaded before the task was completed (by another request or another editor).
    """
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    task = page.current_workflow_task
    if task is not None:
        wanted = request.POST.get("workflow-action-name")
        offered = {
            name for name, _label, _modal in task.get_actions(page, request.user)
        }
        if wanted in offered:
            return None
    logger.info(
        "Workflow action %r on page %s ignored: its task is no longer open",
        request.POST.get("workflow-action-name"),
        page.pk,
    )
    messages.info(
        request,
        _(
            "The review step on “%(title)s” had already been completed, "
            "so nothing else was done."
        )
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
