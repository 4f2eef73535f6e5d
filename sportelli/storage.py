"""The private storage of the desks' documents (service charters, agreements).

A draft or suspended desk is not public, and neither are its documents: they live
in a directory no URL serves and are handed out by ``sportelli:document``, which
applies the desk's visibility rule. The directory is ``SPORTELLI_DOCUMENT_ROOT``,
by default ``sportelli/`` inside ``KIT_PRIVATE_ROOT`` (read each time it is used).
"""

from pathlib import Path

from django.conf import settings

from portal.storage import PrivateStorage


def document_root() -> str:
    root = getattr(settings, "SPORTELLI_DOCUMENT_ROOT", "")
    return root or str(Path(settings.KIT_PRIVATE_ROOT) / "sportelli")


document_storage = PrivateStorage(root=document_root, served_by="sportelli:document")


def get_document_storage():
    """Callable for ``FileField(storage=...)``: keeps the path out of migrations."""
    return document_storage
