from django.db.models.signals import post_delete, post_save

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
