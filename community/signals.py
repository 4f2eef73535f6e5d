"""What community writes change for anonymous visitors (public groups' pages,
feeds and search): declared to the page cache."""

from portal import pagecache
from portal.accounts.models import Membership

from .models import Attachment, CommunityProfile, Group, GroupMembership, Post, Thread

# Posts show their author's name, handle and approved administration.
pagecache.invalidate_on(
    Group, GroupMembership, Thread, Post, Attachment, CommunityProfile, Membership
)
