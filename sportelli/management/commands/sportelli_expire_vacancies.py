from django.core.management.base import BaseCommand

from sportelli.services import vacancy_expire_due


class Command(BaseCommand):
    help = (
        "Close, as expired, the published vacancies whose closing date has passed "
        "(run daily: esplora-daily@sportelli_expire_vacancies.timer)."
    )

    def handle(self, *args, **options):
        closed = vacancy_expire_due()
        self.stdout.write(f"Expired vacancies closed: {closed}")
