"""Private file storage: folders no URL serves, whose files are handed out only
by a view that checks who asks (kit releases, discussion attachments, the job
desks' charters and agreements). One class for all of them.

The folder is read from the settings each time it is used, so tests and
deployments can move it without rebuilding anything.
"""

import os
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class NoPublicURL(NotImplementedError, ValueError):
    """A private file has no URL. Django's storage contract says "this storage
    has no URLs" with NotImplementedError; for the caller who asked for one it
    is also a wrong value, hence both."""


class PrivateStorage(FileSystemStorage):
    """File-system storage in ``root()`` without a base URL; ``served_by`` names
    the view that serves its files (said in the error when a URL is asked)."""

    def __init__(self, *, root: Callable[[], str | Path], served_by: str):
        self._root = root
        self._served_by = served_by
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(self._root())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None

    def url(self, name):
        raise NoPublicURL(
            f"{name} is private: it has no public URL; the {self._served_by} "
            "view serves it."
        )
