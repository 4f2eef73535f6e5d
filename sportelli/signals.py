"""A person who leaves an administration leaves its desks too.

``permissions.desk_access`` already ignores a desk role without a membership;
deleting the row keeps the desks' lists of people true as well.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from portal import pagecache
from portal.accounts.models import Membership, Organisation

from .models import (
    Agreement,
    DeskRole,
    DeskService,
    OpeningHours,
    ServiceCharter,
    Sportello,
    Vacancy,
)


@receiver(post_delete, sender=Membership, dispatch_uid="sportelli_membership_gone")
def _membership_deleted(sender, instance: Membership, **kwargs):
    DeskRole.objects.filter(
        user_id=instance.user_id, sportello__organisation_id=instance.organisation_id
    ).delete()


# The public directory and its open data show desks, their services, hours and
# documents, and only those of approved administrations; the job board, its feed
# and open data show vacancies (a vacancy past its date leaves the board within
# PAGE_CACHE_SECONDS, and at once when the daily expiry closes it).
pagecache.invalidate_on(
    Sportello,
    DeskService,
    OpeningHours,
    ServiceCharter,
    Agreement,
    Organisation,
    Vacancy,
)
