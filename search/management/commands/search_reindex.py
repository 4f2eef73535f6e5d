from django.core.management.base import BaseCommand

from search import services


class Command(BaseCommand):
    help = "Rebuild the search index (pages, threads, posts) in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        def progress(count: int) -> None:
            self.stdout.write(f"\rindexed {count} documents", ending="")
            self.stdout.flush()

        total = services.index_rebuild(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {total} documents.")
        )
