"""Writes on good practices: proposals from operators and what follows them."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Workflow

from portal.mail.services import email_send
from portal.ratelimit import services as ratelimit

from . import selectors
from .models import GoodPracticePage, PracticeIndexPage

WORKFLOW_NAME = "Moderazione buone pratiche"


def _paragraphs(text: str) -> str:
    """Plain text from a form as safe HTML paragraphs (the text is escaped)."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>{}</p>".format(escape(block).replace("\n", "<br>"))
        for block in blocks
        if block
    )


PROPOSAL_LIMIT_SCOPE = "practices:propose"


class ProposalLimitError(ValueError):
    """The user has too many proposals waiting, or has proposed too many today."""


def max_pending_proposals() -> int:
    """Proposals one user may have waiting for the editors; 0 turns it off."""
    return getattr(settings, "PRACTICES_MAX_PENDING_PROPOSALS", 5)


def max_proposals_per_day() -> int:
    """Proposals one user may send per day (UTC); 0 turns the limit off."""
    return getattr(settings, "PRACTICES_MAX_PROPOSALS_PER_DAY", 10)


def _proposal_limits_take(*, user) -> None:
    """Count one proposal against the user's limits, inside the saving transaction.

    The daily counter's row stays locked until the proposal is saved, so the
    pending count below cannot race a twin request (see portal.ratelimit).
    """
    daily = max_proposals_per_day()
    if not ratelimit.counter_hit(
        key=ratelimit.user_key(scope=PROPOSAL_LIMIT_SCOPE, user=user),
        limit=daily,
        window=timedelta(days=1),
    ):
        raise ProposalLimitError(
            _(
                "You have already sent %(count)s proposals today, the most allowed. "
                "Please try again tomorrow."
            )
            % {"count": daily}
        )
    pending = max_pending_proposals()
    if pending and selectors.proposal_pending_count(user=user) >= pending:
        raise ProposalLimitError(
            _(
                "You already have %(count)s proposals waiting for the editorial "
                "team, the most allowed. You can send a new one when they have been "
                "reviewed."
            )
            % {"count": pending}
        )


@transaction.atomic
def practice_propose(
    *, index_page: PracticeIndexPage, user, data: dict
) -> GoodPracticePage:
    """Save an operator's proposal as a draft and submit it to moderation.

    The draft is never live until an editor of the "Revisione" group approves it;
    the proposer is told by email when it is published or sent back. Raises
    ``ProposalLimitError`` (nothing saved) past the user's pending or daily limit.
    """
    _proposal_limits_take(user=user)
    page = GoodPracticePage(
        title=data["title"],
        summary=data["summary"],
        year_start=data["year_start"],
        year_end=data.get("year_end"),
        status=data["status"],
        description=_paragraphs(data["description"]),
        results=_paragraphs(data.get("results", "")),
        evidence_level=data["evidence_level"],
        contact_name=data.get("contact_name", ""),
        contact_email=data.get("contact_email", ""),
        live=False,
        owner=user,
    )
    page.proposed_by = user
    index_page.add_child(instance=page)
    page.territories.set(data["territories"])
    page.topics.set(data.get("topics") or [])
    page.target_groups.set(data.get("target_groups") or [])
    page.full_clean()
    page.save_revision(user=user, log_action=True)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    workflow = workflow or page.get_workflow()
    # A workflow without tasks would publish at once: never for a proposal. Without
    # one, the draft waits in the admin for an editor.
    if workflow is not None and workflow.tasks.filter(active=True).exists():
        _mute_admin_notifications(user)
        workflow.start(page, user)
    return page


def _mute_admin_notifications(user) -> None:
    """Operators without admin access hear from us (practice_notify_proposer), not
    from Wagtail's moderation emails, whose links lead into the admin."""
    from wagtail.users.models import UserProfile

    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    profile.approved_notifications = False
    profile.rejected_notifications = False
    profile.updated_comments_notifications = False
    profile.save()


def practice_notify_proposer(
    *, page: GoodPracticePage, outcome: str, comment: str = ""
) -> None:
    """Email the operator who proposed ``page`` that it was published or sent back.

    The email is queued when the current transaction commits, never before.
    """
    user = page.proposed_by
    if user is None or not user.email:
        return
    with translation.override(page.locale.language_code):
        context = {"page": page, "user": user, "outcome": outcome, "comment": comment}
        if outcome == "published":
            subject = _("Your good practice has been published")
        else:
            subject = _("Your good practice has been sent back")
        body = render_to_string("practices/email/proposal_outcome.txt", context)
    # email_send queues the message when the publication (or the sending back)
    # commits: a request that rolls back tells the proposer nothing.
    email_send(subject=f"[Esplora Lavoro] {subject}", body=body, to=[user.email])


@transaction.atomic
def editorial_workflow_ensure(
    *, index_page: PracticeIndexPage | None = None
) -> Workflow:
    """Create the editor groups and the moderation workflow, once.

    "Redazione" edits pages and submits them for moderation; "Revisione" approves
    and publishes. Proposals from operators go through the workflow's single task,
    approved by "Revisione". With ``index_page``, the workflow is assigned to it.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Page,
        WorkflowPage,
        WorkflowTask,
    )

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root = Page.get_first_root_node()
    rights = {
        "Redazione": ["add_page", "change_page"],
        "Revisione": ["add_page", "change_page", "publish_page"],
    }
    groups = {}
    for name, codenames in rights.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )
        groups[name] = group
    task, _created = GroupApprovalTask.objects.get_or_create(name="Revisione")
    task.groups.add(groups["Revisione"])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    if index_page is not None:
        WorkflowPage.objects.update_or_create(
            page=index_page, defaults={"workflow": workflow}
        )
    return workflow
