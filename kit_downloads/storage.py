"""The private storage of release files: a directory no URL serves."""

from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from . import conf


class PrivateStorage(FileSystemStorage):
    """File-system storage under ``KIT_PRIVATE_ROOT`` without a public base URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", conf.private_root())
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise NotImplementedError(
            "Release files have no public URL: use the kit_downloads:file view."
        )


class _LazyPrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateStorage()


private_storage = _LazyPrivateStorage()


def get_private_storage():
    """Callable for ``FileField(storage=...)``: keeps the path out of migrations."""
    return private_storage


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    # Tests point KIT_PRIVATE_ROOT at a temporary directory.
    if setting == "KIT_PRIVATE_ROOT":
        private_storage._wrapped = empty
