"""Community pages. Every read goes through ``selectors``, every write through
``services``; a private group answers 404 to non-members on every URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.models import User
from portal.forbidden import Forbidden

from . import composer, emails, selectors, services
from .forms import (
    BanForm,
    EditForm,
    FlagForm,
    MemberAddForm,
    ProfileForm,
    ReplyForm,
    ThreadForm,
    WatchForm,
)
from .models import CommunityProfile, Flag, GroupMembership, Notification
from .moderation_forms import MoveWithReasonForm, PostModerateForm
from .permissions import can_moderate_all_groups
from .selectors import Access


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _base_context(request, access: Access | None = None, **extra) -> dict:
    badges = selectors.badges(user=request.user)
    context = {
        "access": access,
        "group": access.group if access else None,
        "unread_notifications": badges.unread_notifications,
        "community_badges": badges,
    }
    context.update(extra)
    return context


def _safe_next(request) -> str:
    """The ``next`` field of a moderation form, only if it stays on this site."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _thread_url(thread, page=None) -> str:
    url = reverse(
        "community:thread_detail", kwargs={"slug": thread.group.slug, "pk": thread.pk}
    )
    return f"{url}?page={page}" if page else url


def _thread_lookup(request, slug, pk, view_name: str, **kwargs):
    """The group access and the thread for a thread URL, or a permanent redirect
    when the URL names the wrong group (an old address after a move) and the
    reader may see the thread where it is; otherwise the usual 404."""
    try:
        access = selectors.group_get_readable(user=request.user, slug=slug)
        thread = selectors.thread_get_visible(
            user=request.user, access=access, pk=pk, **kwargs
        )
    except Http404:
        moved = selectors.thread_moved_from(user=request.user, slug=slug, pk=pk)
        if moved is None:
            raise
        url = reverse(
            f"community:{view_name}", kwargs={"slug": moved.group.slug, "pk": pk}
        )
        query = request.META.get("QUERY_STRING", "")
        if query:
            url = f"{url}?{query}"
        # 308 keeps the method and body of a form sent from an old page.
        if request.method in ("GET", "HEAD"):
            return None, None, HttpResponsePermanentRedirect(url)
        return None, None, HttpResponseRedirect(url, status=308)
    return access, thread, None


# --- Groups ---------------------------------------------------------------------


@require_GET
def group_list(request):
    groups = list(selectors.group_list_visible(user=request.user))
    memberships = {}
    if request.user.is_authenticated:
        memberships = {
            m.group_id: m
            for m in GroupMembership.objects.filter(
                user=request.user, group__in=[g.pk for g in groups]
            )
        }
    rows = [{"group": g, "membership": memberships.get(g.pk)} for g in groups]
    return render(
        request, "community/group_list.html", _base_context(request, rows=rows)
    )


@require_GET
def group_detail(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    threads = selectors.thread_list_visible(user=request.user, access=access)
    page = Paginator(threads, per_page=services.conf.threads_per_page()).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/group_detail.html",
        _base_context(
            request,
            access,
            page_obj=page,
            watch_form=WatchForm(
                initial={
                    "level": selectors.watch_level(
                        user=request.user, group=access.group
                    )
                }
            )
            if access.can_read and request.user.is_authenticated
            else None,
        ),
    )


@login_required
@require_POST
def group_join(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    try:
        membership = services.group_join(user=request.user, group=access.group)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect(access.group)
    if membership.status == GroupMembership.Status.PENDING:
        messages.info(
            request, _("Your request has been sent to the group's moderators.")
        )
    else:
        messages.success(request, _("You are now a member of the group."))
    return redirect(access.group)


@login_required
@require_POST
def group_leave(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    services.group_leave(user=request.user, group=access.group)
    messages.success(request, _("You have left the group."))
    if access.group.is_private:
        return redirect("community:group_list")
    return redirect(access.group)


@login_required
@require_POST
def group_watch(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    form = WatchForm(request.POST)
    if form.is_valid():
        services.watch_set(
            user=request.user, group=access.group, level=form.cleaned_data["level"]
        )
        messages.success(request, _("Notification level saved."))
    return redirect(access.group)


@login_required
@require_POST
def group_mark_read(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    services.group_mark_all_read(user=request.user, group=access.group)
    messages.success(request, _("All threads in this group are marked as read."))
    return redirect(access.group)


@require_GET
def group_members(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    members = (
        selectors.membership_list(access=access)
        if access.can_moderate
        else selectors.member_list_visible(access=access)
    )
    return render(
        request,
        "community/group_members.html",
        _base_context(
            request,
            access,
            members=members,
            add_form=MemberAddForm(),
            ban_form=BanForm(),
        ),
    )


@login_required
@require_POST
def group_member_action(request, slug, user_pk):
    """Moderators: approve, remove, ban, unban, promote or demote a member."""
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    target = get_object_or_404(User, pk=user_pk)
    action = request.POST.get("action")
    group = access.group
    try:
        if action == "approve":
            membership = get_object_or_404(GroupMembership, group=group, user=target)
            services.membership_approve(actor=request.user, membership=membership)
        elif action == "remove":
            services.member_remove(actor=request.user, group=group, user=target)
        elif action == "ban":
            form = BanForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give a reason for the ban."))
            services.member_ban(
                actor=request.user,
                group=group,
                user=target,
                reason=form.cleaned_data["reason"],
            )
        elif action == "unban":
            services.member_unban(actor=request.user, group=group, user=target)
        elif action in ("promote", "demote"):
            role = (
                GroupMembership.Role.MODERATOR
                if action == "promote"
                else GroupMembership.Role.MEMBER
            )
            services.member_set_role(
                actor=request.user, group=group, user=target, role=role
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect("community:group_members", slug=group.slug)


@login_required
@require_POST
def group_member_add(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    form = MemberAddForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if user is None:
            messages.error(request, _("No registered user has this email address."))
        else:
            try:
                services.member_add(actor=request.user, group=access.group, user=user)
            except ValidationError as error:
                for message in _errors(error):
                    messages.error(request, message)
            else:
                messages.success(request, _("Member added."))
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("community:group_members", slug=access.group.slug)


# --- Composer ---------------------------------------------------------------------


def _wants_preview(request) -> bool:
    """The form's second submit button: show the post, save nothing."""
    return request.method == "POST" and "preview" in request.POST


def _form_preview(
    request, form, *, access: Access, quote=None, body_field: str = "body"
) -> str | None:
    """The sanitised rendering of a bound composer form, or None (the errors are
    added to the form). Nothing is saved and no rate limit is counted."""
    if not form.is_valid():
        return None
    try:
        html = services.post_preview(
            author=request.user,
            group=access.group,
            body=form.cleaned_data[body_field],
            quote=quote,
        )
    except ValidationError as error:
        form.add_error(body_field, error)
        return None
    if request.FILES:
        messages.info(
            request,
            _(
                "A preview does not keep the chosen files: choose them again "
                "before publishing."
            ),
        )
    return composer.preview_render(html=html, access=access)


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"errors": [message]}, status=status)


@login_required
@require_POST
def post_preview(request, slug):
    """The JavaScript preview: {"html": ...} for the text in ``body``.

    Only for people who may post in the group; the text is bounded like a post
    (``COMMUNITY_MAX_POST_LENGTH``) and nothing is saved or counted.
    """
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if access.is_banned or not access.can_post:
        return _json_error(_("Only members of the group can write here."), 403)
    quote = None
    quote_id = request.POST.get("quote", "")
    if quote_id:
        try:
            quote, _quote_access = selectors.post_get_visible(
                user=request.user, pk=int(quote_id)
            )
        except (ValueError, Http404):
            return _json_error(_("The quoted post is not available."), 400)
    try:
        html = services.post_preview(
            author=request.user,
            group=access.group,
            body=request.POST.get("body", ""),
            quote=quote,
        )
    except ValidationError as error:
        return JsonResponse({"errors": _errors(error)}, status=400)
    except PermissionDenied:
        return _json_error(_("Only members of the group can write here."), 403)
    return JsonResponse({"html": composer.preview_render(html=html, access=access)})


@login_required
@require_GET
def mention_suggest(request, slug):
    """Members to mention: {"results": [{"handle", "name"}]} for ``q``."""
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if access.is_banned or not access.can_post:
        return _json_error(_("Only members of the group can write here."), 403)
    results = composer.mention_suggestions(
        access=access, prefix=request.GET.get("q", ""), user=request.user
    )
    return JsonResponse({"results": results})


@login_required
@require_GET
def person(request, handle):
    """A member's page: handle, administration, recent posts the viewer can read."""
    found = composer.person_get_visible(viewer=request.user, handle=handle)
    return render(
        request, "community/person.html", _base_context(request, person=found)
    )


# --- Threads ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if access.is_banned:
        raise Forbidden(_("You have been banned from this group."))
    if not access.can_post:
        messages.error(request, _("Join the group to start a discussion."))
        return redirect(access.group)
    form = ThreadForm(request.POST or None, request.FILES or None)
    preview = None
    if _wants_preview(request):
        preview = _form_preview(request, form, access=access)
    elif request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                author=request.user,
                group=access.group,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if thread.status != "published":
                messages.info(
                    request,
                    _("Your thread will be visible once a moderator approves it."),
                )
            return redirect(thread)
    return render(
        request,
        "community/thread_form.html",
        _base_context(request, access, form=form, preview=preview),
    )


@require_GET
def thread_detail(request, slug, pk):
    try:
        access, thread, moved = _thread_lookup(
            request, slug, pk, "thread_detail", watch_level=True
        )
    except Http404:
        return _thread_hidden_notice(request, slug, pk)
    if moved:
        return moved
    posts = selectors.post_list_visible(user=request.user, access=access, thread=thread)
    page = Paginator(posts, per_page=services.conf.posts_per_page()).get_page(
        request.GET.get("page")
    )
    page.object_list = composer.posts_prepare(
        page.object_list, user=request.user, access=access
    )
    if request.user.is_authenticated:
        services.thread_mark_read(user=request.user, thread=thread)
    return render(
        request,
        "community/thread_detail.html",
        _base_context(
            request,
            access,
            thread=thread,
            page_obj=page,
            reply_form=ReplyForm() if access.can_post else None,
            watch_form=WatchForm(initial={"level": thread.watch_level})
            if request.user.is_authenticated
            else None,
        ),
    )


def _thread_hidden_notice(request, slug, pk):
    """Tell the author of a thread hidden by a moderator why they cannot read
    it; anyone else gets the same 404 as for a thread that does not exist."""
    access = selectors.group_get_readable(user=request.user, slug=slug)
    hidden = selectors.thread_hidden_for_author(user=request.user, access=access, pk=pk)
    if hidden is None:
        raise Http404
    thread, reason = hidden
    return render(
        request,
        "community/thread_hidden.html",
        _base_context(request, access, thread=thread, reason=reason),
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_reply(request, slug, pk):
    access, thread, moved = _thread_lookup(request, slug, pk, "thread_reply")
    if moved:
        return moved
    if access.is_banned:
        raise Forbidden(_("You have been banned from this group."))
    if not access.can_post:
        messages.error(request, _("Join the group to reply."))
        return redirect(thread)
    quote = None
    quote_id = request.POST.get("quote") or request.GET.get("quote")
    if quote_id:
        try:
            quote, _quote_access = selectors.post_get_visible(
                user=request.user, pk=int(quote_id)
            )
        except (ValueError, Http404):
            quote = None
        if quote is not None and quote.thread_id != thread.pk:
            quote = None
    form = ReplyForm(request.POST or None, request.FILES or None)
    preview = None
    if _wants_preview(request):
        preview = _form_preview(request, form, access=access, quote=quote)
    elif request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(
                author=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                quote=quote,
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if post.status != "published":
                messages.info(
                    request,
                    _("Your reply will be visible once a moderator approves it."),
                )
            return redirect("community:post_goto", pk=post.pk)
    return render(
        request,
        "community/reply_form.html",
        _base_context(
            request, access, thread=thread, form=form, quote=quote, preview=preview
        ),
    )


@login_required
@require_POST
def thread_watch(request, slug, pk):
    _access, thread, moved = _thread_lookup(request, slug, pk, "thread_watch")
    if moved:
        return moved
    form = WatchForm(request.POST)
    if form.is_valid():
        services.watch_set(
            user=request.user, thread=thread, level=form.cleaned_data["level"]
        )
        messages.success(request, _("Notification level saved."))
    return redirect(thread)


@login_required
@require_POST
def thread_moderate(request, slug, pk):
    access, thread, moved = _thread_lookup(request, slug, pk, "thread_moderate")
    if moved:
        return moved
    try:
        services.thread_moderate(
            actor=request.user, thread=thread, action=request.POST.get("action", "")
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect(thread)
    messages.success(request, _("Done."))
    if thread.is_deleted:
        return redirect(access.group)
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_move(request, slug, pk):
    access, thread, moved = _thread_lookup(request, slug, pk, "thread_move")
    if moved:
        return moved
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    groups = selectors.group_list_visible(user=request.user).exclude(pk=access.group.pk)
    if not can_moderate_all_groups(request.user):
        groups = groups.filter(
            memberships__user=request.user,
            memberships__role=GroupMembership.Role.MODERATOR,
            memberships__status=GroupMembership.Status.ACTIVE,
        )
    form = MoveWithReasonForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        services.thread_move(
            actor=request.user,
            thread=thread,
            to_group=form.cleaned_data["group"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Thread moved."))
        return redirect(thread)
    return render(
        request,
        "community/thread_move.html",
        _base_context(request, access, thread=thread, form=form),
    )


# --- Posts ----------------------------------------------------------------------


@require_GET
def post_goto(request, pk):
    """Redirect to the page of the thread where a post is."""
    post, access = selectors.post_get_visible(user=request.user, pk=pk)
    before = (
        selectors.post_list_visible(
            user=request.user, access=access, thread=post.thread
        )
        .filter(pk__lt=post.pk)
        .count()
    )
    page = before // services.conf.posts_per_page() + 1
    return HttpResponseRedirect(f"{_thread_url(post.thread, page)}#post-{post.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post, access = selectors.post_get_visible(user=request.user, pk=pk)
    is_author = post.author_id == request.user.pk
    if not (access.can_moderate or (is_author and access.can_post)):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    preview = None
    if _wants_preview(request):
        preview = _form_preview(request, form, access=access)
    elif request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                editor=request.user, post=post, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Post updated."))
            return redirect("community:post_goto", pk=post.pk)
    return render(
        request,
        "community/post_edit.html",
        _base_context(
            request, access, post=post, thread=post.thread, form=form, preview=preview
        ),
    )


@login_required
@require_GET
def post_history(request, pk):
    post, access = selectors.post_get_visible(user=request.user, pk=pk)
    # The author may see what they changed; others see only the current text.
    if not (access.can_moderate or post.author_id == request.user.pk):
        raise Forbidden(_("Only the group's moderators can do this."))
    return render(
        request,
        "community/post_history.html",
        _base_context(
            request,
            access,
            post=post,
            thread=post.thread,
            revisions=post.revisions.select_related("edited_by"),
        ),
    )


@login_required
@require_POST
def post_delete(request, pk):
    post, access = selectors.post_get_visible(user=request.user, pk=pk)
    services.post_delete(actor=request.user, post=post)
    messages.success(request, _("Post deleted."))
    if post.thread.is_deleted or not selectors.thread_list_visible(
        user=request.user, access=access
    ).filter(pk=post.thread_id):
        return redirect(access.group)
    return redirect(post.thread)


@login_required
@require_POST
def post_moderate(request, pk):
    """Hide, restore or approve a post. Hiding needs a reason for the author
    (restoring may give one): a button without it opens the form that asks."""
    post, access = selectors.post_get_visible(user=request.user, pk=pk)
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    action = request.POST.get("action", "")
    if action not in PostModerateForm.ACTIONS:
        messages.error(request, _("Unknown moderation action."))
        return redirect("community:post_goto", pk=post.pk)
    # A hide or restore button without the reason field opens the form that
    # asks for one (required to hide, optional to restore), without errors yet.
    asks = "reason" not in request.POST and action in ("hide", "restore")
    form = PostModerateForm(request.POST, action=action)
    if asks or not form.is_valid():
        if asks:
            form = PostModerateForm(action=action)
        return render(
            request,
            "community/post_moderate.html",
            _base_context(
                request,
                access,
                post=post,
                thread=post.thread,
                form=form,
                action=action,
                next_url=_safe_next(request),
            ),
        )
    try:
        services.post_moderate(
            actor=request.user,
            post=post,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    next_url = _safe_next(request)
    if next_url:
        return HttpResponseRedirect(next_url)
    return redirect("community:post_goto", pk=post.pk)


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    post, access = selectors.post_get_visible(user=request.user, pk=pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_create(
            reporter=request.user,
            post=post,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(
            request, _("Thank you: the moderators will look at this post.")
        )
        return redirect("community:post_goto", pk=post.pk)
    return render(
        request,
        "community/post_flag.html",
        _base_context(request, access, post=post, thread=post.thread, form=form),
    )


@require_GET
def attachment(request, pk, filename):
    """Serve an attachment only to someone who may read its post; never inline."""
    item = selectors.attachment_get_visible(user=request.user, pk=pk, filename=filename)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- Moderation -----------------------------------------------------------------


@login_required
@require_GET
def moderation_queue(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    return render(
        request,
        "community/moderation_queue.html",
        _base_context(
            request,
            access,
            flags=selectors.flag_queue(user=request.user, group=access.group),
            pending_posts=selectors.pending_post_queue(
                user=request.user, group=access.group
            ),
            pending_members=selectors.pending_membership_queue(
                user=request.user, group=access.group
            ),
        ),
    )


@login_required
@require_GET
def moderation_queue_global(request):
    """Everything waiting in the groups the user moderates (every group for the
    portal's moderators)."""
    if not selectors.user_moderates_any_group(user=request.user):
        raise Forbidden(_("Only the groups' moderators can do this."))
    return render(
        request,
        "community/moderation_queue.html",
        _base_context(
            request,
            flags=selectors.flag_queue(user=request.user),
            pending_posts=selectors.pending_post_queue(user=request.user),
            pending_members=selectors.pending_membership_queue(user=request.user),
        ),
    )


@login_required
@require_POST
def flag_dismiss(request, pk):
    flag = get_object_or_404(Flag.objects.select_related("post__thread__group"), pk=pk)
    _post, access = selectors.post_get_visible(user=request.user, pk=flag.post_id)
    services.flag_dismiss(actor=request.user, flag=flag)
    messages.success(request, _("Flag dismissed."))
    next_url = _safe_next(request)
    if next_url:
        return HttpResponseRedirect(next_url)
    return redirect("community:moderation_queue", slug=access.group.slug)


@login_required
@require_GET
def moderation_log(request, slug):
    access = selectors.group_get_readable(user=request.user, slug=slug)
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    page = Paginator(selectors.moderation_log(access=access), per_page=50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/moderation_log.html",
        _base_context(request, access, page_obj=page),
    )


# --- Notifications and preferences ---------------------------------------------


@login_required
@require_GET
def notification_list(request):
    page = Paginator(
        selectors.notification_list(user=request.user), per_page=30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "community/notification_list.html",
        _base_context(request, page_obj=page),
    )


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("community:notification_list")


@login_required
@require_GET
def notification_open(request, pk):
    notification = get_object_or_404(
        selectors.notification_list(user=request.user), pk=pk
    )
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=services.timezone.now()
    )
    return HttpResponseRedirect(notification.get_target_url())


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    profile = services.profile_get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            handle=form.cleaned_data["handle"],
            email_mode=form.cleaned_data["email_mode"],
        )
        messages.success(request, _("Your preferences have been saved."))
        return redirect("community:preferences")
    return render(
        request, "community/preferences.html", _base_context(request, form=form)
    )


# The signed token is the credential; mail clients' one-click unsubscribe
# (RFC 8058) posts without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop all community emails from a link in an email, without logging in.

    GET asks for confirmation (mail scanners follow links); POST, including the
    one-click ``List-Unsubscribe-Post`` of mail clients, applies it.
    """
    user_id = emails.unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(
            request,
            "community/unsubscribe.html",
            _base_context(request, invalid=True),
            status=400,
        )
    done = False
    if request.method == "POST":
        profile = services.profile_get_or_create(user=user)
        CommunityProfile.objects.filter(pk=profile.pk).update(
            email_mode=CommunityProfile.EmailMode.OFF
        )
        done = True
    return render(
        request,
        "community/unsubscribe.html",
        _base_context(request, done=done, email=user.email),
    )
