"""Writes on people and organisations. Every change goes through these functions."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.mail.services import email_send_to_user
from portal.ratelimit import services as ratelimit
from portal.services import absolute_url

from . import selectors
from .models import JoinRequest, Membership, Organisation, User
from .permissions import can_review_registrations

logger = logging.getLogger(__name__)


def user_update_profile(
    *, user: User, first_name: str, last_name: str, language: str | None = None
) -> User:
    """Change the name a user is shown with and, when given, the language of the
    emails they receive."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    fields = ["first_name", "last_name"]
    if language is not None:
        user.language = language
        fields.append("language")
    user.full_clean()
    user.save(update_fields=fields)
    return user


@transaction.atomic
def organisation_get_or_create(
    *, name: str, kind: str, codice_ipa: str = "", **fields: str
) -> tuple[Organisation, bool]:
    """Find an organisation by IPA code (or by name when it has none), else create it.

    The organisation is validated (IPA code, codice fiscale check digit, PEC) before
    it is saved.
    """
    lookup = {"codice_ipa": codice_ipa} if codice_ipa else {"name": name}
    existing = Organisation.objects.filter(**lookup).first()
    if existing:
        return existing, False
    organisation = Organisation(name=name, kind=kind, codice_ipa=codice_ipa, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation, True


def membership_set(
    *, organisation: Organisation, user: User, role: str, job_title: str = ""
) -> Membership:
    """Make ``user`` a member of ``organisation`` with ``role`` (idempotent)."""
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"role": role, "job_title": job_title},
    )
    return membership


# --- Registration of administrations --------------------------------------------


class RegistrationError(ValueError):
    """A registration or review that the rules do not allow; the message says why."""


@dataclass(frozen=True)
class RegistrationResult:
    """What a registration produced: a new administration or a request to join one."""

    organisation: Organisation
    join_request: JoinRequest | None = None

    @property
    def is_join_request(self) -> bool:
        return self.join_request is not None


@dataclass(frozen=True)
class _Address:
    """A recipient known only by address: the email is written in the site's
    language (``portal.mail.services.user_language`` falls back to it)."""

    email: str
    language: str = ""

    def __str__(self) -> str:
        return self.email


def send_notification(
    *,
    to: Iterable[User | str],
    subject: str,
    template: str,
    context: dict,
    subject_params: dict | None = None,
) -> int:
    """Email each recipient separately, in their own language; returns how many
    emails were queued.

    ``to`` holds users or addresses; an address is looked up among the users
    (case-insensitively) so its owner still reads the email in their language,
    and an unknown one gets the site's language. ``subject`` is a lazy msgid
    with named placeholders filled from ``subject_params`` after translation;
    the template gets ``recipient`` and ``site_url`` (links must be absolute).
    One address receives one email, however often it is listed.
    """
    recipients: dict[str, User | _Address] = {}
    addresses: list[str] = []
    for item in to:
        if isinstance(item, User):
            if item.email:
                recipients.setdefault(item.email.lower(), item)
        elif item:
            addresses.append(item)
    unknown = {address.lower(): address for address in addresses}
    unknown = {key: value for key, value in unknown.items() if key not in recipients}
    if unknown:
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=list(unknown)
        ):
            recipients.setdefault(user.email.lower(), user)
        for key, address in unknown.items():
            recipients.setdefault(key, _Address(email=address))
    if not recipients:
        logger.warning("Email %s not sent: no recipient address", template)
        return 0
    for _key, recipient in sorted(recipients.items()):
        email_send_to_user(
            user=recipient,
            subject=subject,
            subject_params=subject_params,
            template=template,
            context=context,
        )
    return len(recipients)


def referenti(*, organisation: Organisation) -> list[User]:
    """An administration's contact people, who hear about its registration."""
    return [
        membership.user
        for membership in organisation.memberships.filter(
            role=Membership.Role.REFERENTE
        )
        .select_related("user")
        .order_by("user__email")
    ]


def _registration_reviewers_notify(
    *, organisation: Organisation, registered_again: bool
) -> int:
    """Tell every registration reviewer that an administration waits for them,
    each in their own language, with a link to its review page."""
    reviewers = list(selectors.registration_reviewer_list())
    if not reviewers:
        logger.warning(
            "Organisation %s waits for review but nobody can review it",
            organisation.pk,
        )
        return 0
    return send_notification(
        to=reviewers,
        subject=_("New registration to review: %(name)s"),
        subject_params={"name": organisation.name},
        template="accounts/email/registration_to_review.txt",
        context={
            "organisation": organisation,
            "registered_by": organisation.registered_by,
            "registered_again": registered_again,
            "review_url": absolute_url(
                reverse("accounts_admin:review", args=[organisation.pk])
            ),
        },
    )


REGISTRATION_LIMIT_SCOPE = "accounts:register"


def max_pending_registrations() -> int:
    """Administrations one user may have waiting for approval; 0 turns it off."""
    return getattr(settings, "ACCOUNTS_MAX_PENDING_REGISTRATIONS", 1)


def max_registrations_per_day() -> int:
    """Registrations (and requests to join) one user may send per day (UTC)."""
    return getattr(settings, "ACCOUNTS_MAX_REGISTRATIONS_PER_DAY", 3)


def _registration_limit_take(*, user: User) -> None:
    """Count one registration against the user's daily limit, inside the saving
    transaction; the counter row stays locked until it commits, so the pending
    check that follows cannot race a twin request (see portal.ratelimit)."""
    daily = max_registrations_per_day()
    if not ratelimit.counter_hit(
        key=ratelimit.user_key(scope=REGISTRATION_LIMIT_SCOPE, user=user),
        limit=daily,
        window=timedelta(days=1),
    ):
        raise RegistrationError(
            _(
                "You have already sent %(count)s registrations today, the most "
                "allowed. Please try again tomorrow."
            )
            % {"count": daily}
        )


def _pending_registration_check(*, user: User) -> None:
    limit = max_pending_registrations()
    if not limit:
        return
    pending = Organisation.objects.filter(
        registered_by=user, status=Organisation.Status.PENDING
    ).count()
    if pending >= limit:
        raise RegistrationError(
            _(
                "You have already registered an administration that is waiting "
                "for approval. You can register another one once it has been "
                "reviewed."
            )
        )


@transaction.atomic
def organisation_register(
    *,
    user: User,
    name: str,
    kind: str,
    codice_ipa: str,
    codice_fiscale: str,
    pec: str,
    region: str,
    province: str,
    municipality: str,
    first_name: str,
    last_name: str,
    job_title: str,
    phone: str,
    intended_use: str,
) -> RegistrationResult:
    """Register an administration for the SILLA kit on behalf of ``user``.

    The user must have a verified email address and must have accepted the licence
    terms (the caller's form asks). A new codice IPA creates a *pending*
    administration with ``user`` as its referente; a codice IPA that is already
    registered becomes a request to join it, decided by its referente. A rejected
    administration can be registered again: it returns to pending with the new data.

    Limits: a few registrations a day per user (``max_registrations_per_day``),
    and at most ``max_pending_registrations`` new administrations waiting for
    approval; past them ``RegistrationError`` says so and nothing is saved.
    """
    if not user_has_verified_email(user=user):
        raise RegistrationError(_("Verify your email address before registering."))
    _registration_limit_take(user=user)
    user_update_profile(user=user, first_name=first_name, last_name=last_name)
    codice_ipa = codice_ipa.strip().lower()
    existing = (
        Organisation.objects.select_for_update().filter(codice_ipa=codice_ipa).first()
    )
    if existing is not None and existing.status != Organisation.Status.REJECTED:
        if existing.memberships.filter(user=user).exists():
            raise RegistrationError(
                _("You are already a member of this administration.")
            )
        if existing.join_requests.filter(
            user=user, status=JoinRequest.Status.PENDING
        ).exists():
            raise RegistrationError(
                _("You have already asked to join this administration.")
            )
        join_request = JoinRequest(
            organisation=existing,
            user=user,
            job_title=job_title.strip(),
            phone=phone.strip(),
            message=intended_use.strip(),
        )
        join_request.full_clean()
        join_request.save()
        send_notification(
            to=referenti(organisation=existing),
            subject=_("Request to join %(name)s"),
            subject_params={"name": existing.name},
            template="accounts/email/join_request_created.txt",
            context={"organisation": existing, "join_request": join_request},
        )
        return RegistrationResult(organisation=existing, join_request=join_request)

    _pending_registration_check(user=user)
    registered_again = existing is not None
    organisation = existing or Organisation(codice_ipa=codice_ipa)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.codice_fiscale = codice_fiscale.strip()
    organisation.pec = pec.strip().lower()
    organisation.region = region
    organisation.province = province.strip()
    organisation.municipality = municipality.strip()
    organisation.intended_use = intended_use.strip()
    organisation.status = Organisation.Status.PENDING
    organisation.status_reason = ""
    organisation.status_changed_at = timezone.now()
    organisation.registered_by = user
    organisation.licence_accepted_at = timezone.now()
    organisation.full_clean()
    organisation.save()
    membership = Membership(
        organisation=organisation,
        user=user,
        role=Membership.Role.REFERENTE,
        job_title=job_title.strip(),
        phone=phone.strip(),
    )
    Membership.objects.filter(organisation=organisation, user=user).delete()
    membership.full_clean()
    membership.save()
    send_notification(
        to=[user],
        subject=_("Registration of %(name)s received"),
        subject_params={"name": organisation.name},
        template="accounts/email/registration_received.txt",
        context={"organisation": organisation, "user": user},
    )
    _registration_reviewers_notify(
        organisation=organisation, registered_again=registered_again
    )
    return RegistrationResult(organisation=organisation)


REVIEW_TRANSITIONS = {
    "approve": (
        {Organisation.Status.PENDING, Organisation.Status.REJECTED},
        Organisation.Status.APPROVED,
    ),
    "reject": ({Organisation.Status.PENDING}, Organisation.Status.REJECTED),
    "suspend": ({Organisation.Status.APPROVED}, Organisation.Status.SUSPENDED),
    "reinstate": ({Organisation.Status.SUSPENDED}, Organisation.Status.APPROVED),
}
REASON_REQUIRED = {"reject", "suspend"}


@transaction.atomic
def organisation_review(
    *, organisation: Organisation, decision: str, by: User, reason: str = ""
) -> Organisation:
    """Approve, reject, suspend or reinstate an administration; registration
    reviewers only (``accounts.review_registration``).

    Rejecting and suspending need a reason, which is emailed to the referenti
    together with the outcome. Any other transition raises ``RegistrationError``.
    """
    if not can_review_registrations(by):
        raise RegistrationError(_("You are not allowed to review administrations."))
    if decision not in REVIEW_TRANSITIONS:
        raise RegistrationError(_("Unknown decision."))
    allowed_from, target = REVIEW_TRANSITIONS[decision]
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status not in allowed_from:
        raise RegistrationError(
            _("An administration that is %(status)s cannot be changed this way.")
            % {"status": organisation.get_status_display().lower()}
        )
    reason = reason.strip()
    if decision in REASON_REQUIRED and not reason:
        raise RegistrationError(_("Give a reason: it is sent to the administration."))
    organisation.status = target
    organisation.status_reason = reason
    organisation.status_changed_at = timezone.now()
    organisation.reviewed_by = by
    organisation.full_clean()
    organisation.save()
    subjects = {
        "approve": _("%(name)s is approved: you can download the SILLA kit"),
        "reject": _("The registration of %(name)s was not approved"),
        "suspend": _("%(name)s is suspended"),
        "reinstate": _("%(name)s is active again"),
    }
    # The referenti and whoever registered it, even if no longer a referente:
    # the outcome answers their request.
    recipients = [*referenti(organisation=organisation), organisation.registered_by]
    send_notification(
        to=[recipient for recipient in recipients if recipient is not None],
        subject=subjects[decision],
        subject_params={"name": organisation.name},
        template=f"accounts/email/organisation_{decision}.txt",
        context={"organisation": organisation, "reason": reason},
    )
    return organisation


def user_can_manage_organisation(*, user: User, organisation: Organisation) -> bool:
    """Registration reviewers and the administration's referenti manage its users."""
    if not user.is_authenticated:
        return False
    if can_review_registrations(user):
        return True
    return organisation.memberships.filter(
        user=user, role=Membership.Role.REFERENTE
    ).exists()


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, by: User, approve: bool
) -> JoinRequest:
    """The referente (or staff) accepts or refuses a request to join; the requester
    is told by email. Accepting makes the requester an operator of the administration.
    """
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    organisation = join_request.organisation
    if not user_can_manage_organisation(user=by, organisation=organisation):
        raise RegistrationError(_("Only the referente decides on requests to join."))
    if join_request.status != JoinRequest.Status.PENDING:
        raise RegistrationError(_("This request has already been decided."))
    join_request.status = (
        JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    )
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        membership_set(
            organisation=organisation,
            user=join_request.user,
            role=Membership.Role.OPERATOR,
            job_title=join_request.job_title,
        )
    send_notification(
        to=[join_request.user],
        subject=(
            _("You have joined %(name)s")
            if approve
            else _("Your request to join %(name)s was not accepted")
        ),
        subject_params={"name": organisation.name},
        template="accounts/email/join_request_decided.txt",
        context={"organisation": organisation, "approved": approve},
    )
    return join_request


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """A referente removes a user from the administration; the last referente
    cannot be removed (the administration would have nobody to manage it)."""
    organisation = membership.organisation
    if not user_can_manage_organisation(user=by, organisation=organisation):
        raise RegistrationError(_("Only the referente manages the users."))
    if (
        membership.role == Membership.Role.REFERENTE
        and organisation.memberships.filter(role=Membership.Role.REFERENTE).count() <= 1
    ):
        raise RegistrationError(_("The last referente cannot be removed."))
    membership.delete()


def user_has_verified_email(*, user: User) -> bool:
    """Whether the user has confirmed an email address (allauth)."""
    return (
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )
