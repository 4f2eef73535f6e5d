from django.db.models.signals import post_delete, post_save

from portal import pagecache

from .models import Territory
from .selectors import TERM_MODELS, vocabulary_invalidate


def _term_changed(sender, **kwargs):
    vocabulary_invalidate(sender)


for _model in TERM_MODELS:
    post_save.connect(
        _term_changed, sender=_model, dispatch_uid=f"vocab-{_model.__name__}"
    )
    post_delete.connect(
        _term_changed, sender=_model, dispatch_uid=f"vocab-d-{_model.__name__}"
    )

# Terms and places are shown on pages and filters: a change makes cached pages stale.
pagecache.invalidate_on(*TERM_MODELS, Territory)
