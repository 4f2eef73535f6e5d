"""Back up the database and the private and media files into one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Write esplora-backup-<time>.tar.gz (database dump, KIT_PRIVATE_ROOT, "
        "COMMUNITY_ATTACHMENT_ROOT, MEDIA_ROOT, manifest with SHA-256) into a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="Folder for the archive (default: <DJANGO_VAR_DIR>/backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Afterwards delete all but the newest N backups in the folder "
            "(0, the default, deletes none).",
        )

    def handle(self, *args, **options):
        output_dir = options["output_dir"] or Path(settings.VAR_DIR) / "backups"
        if options["keep"] < 0:
            raise CommandError("--keep must be 0 or more.")
        try:
            archive = backup_create(output_dir=output_dir)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(str(archive))
        for path in backup_prune(output_dir=output_dir, keep=options["keep"]):
            self.stderr.write(f"deleted old backup {path}")
