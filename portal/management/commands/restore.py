"""Restore a backup made by `manage.py backup`: database and files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Check ARCHIVE against its manifest, then replace the database and the "
        "private and media files with its content. Stop the web and worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that the current database and files are to be replaced.",
        )

    def handle(self, *args, **options):
        archive = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist or is not a file.")
        if not options["yes"]:
            raise CommandError(
                "This replaces the whole database and the private and media files "
                f"with the content of {archive}. Run again with --yes to do it."
            )
        try:
            manifest = backup_restore(archive=archive)
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(
            f"Restored {archive} (made {manifest['created']}, "
            f"{len(manifest['files']) - 1} files). Run `manage.py migrate` if the "
            "backup is older than the code."
        )
