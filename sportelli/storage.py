"""The private storage of the desks' documents (service charters, agreements).

A draft or suspended desk is not public, and neither are its documents: they live
in a directory no URL serves and are handed out by ``sportelli:document``, which
applies the desk's visibility rule. The directory is ``SPORTELLI_DOCUMENT_ROOT``,
by default ``sportelli/`` inside ``KIT_PRIVATE_ROOT`` (read when first used).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


def document_root() -> str:
    root = getattr(settings, "SPORTELLI_DOCUMENT_ROOT", "")
    return root or str(Path(settings.KIT_PRIVATE_ROOT) / "sportelli")


class DocumentStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", document_root())
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise NotImplementedError(
            "Desk documents have no public URL: use the sportelli:document view."
        )


class _LazyDocumentStorage(LazyObject):
    def _setup(self):
        self._wrapped = DocumentStorage()


document_storage = _LazyDocumentStorage()


def get_document_storage():
    """Callable for ``FileField(storage=...)``: keeps the path out of migrations."""
    return document_storage


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting in {"KIT_PRIVATE_ROOT", "SPORTELLI_DOCUMENT_ROOT"}:
        document_storage._wrapped = empty
