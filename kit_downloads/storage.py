"""The private storage of release files (``KIT_PRIVATE_ROOT``): no URL serves
them, the ``kit_downloads:file`` view does after checking who asks."""

from portal.storage import PrivateStorage

from . import conf

private_storage = PrivateStorage(root=conf.private_root, served_by="kit_downloads:file")


def get_private_storage():
    """Callable for ``FileField(storage=...)``: keeps the path out of migrations."""
    return private_storage
