"""RSS feed of the job board: the newest live public vacancies, read through
the same selector as the board (``selectors.vacancy_list_board``)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE

from . import classifications, selectors


class VacancyRssFeed(Feed):
    def title(self):
        return _("Esplora Lavoro – job vacancies of the Sportelli Lavoro")

    def description(self):
        return _("The newest vacancies published by the network's job desks.")

    def link(self):
        return reverse("sportelli:vacancies")

    def items(self):
        return selectors.vacancy_list_board()[:FEED_SIZE]

    def item_title(self, item):
        place = item.municipality
        return f"{item.title} – {place.name} ({place.province_sigla})"

    def item_description(self, item):
        occupation = classifications.isco_unit(item.isco_code)
        employer = selectors.vacancy_employer_label(item) or item.sportello.name
        deadline = formats.date_format(item.deadline, "DATE_FORMAT")
        parts = [
            employer,
            occupation.title if occupation else item.isco_code,
            item.get_contract_type_display(),
            item.get_working_time_display(),
            _("Applications close on %(date)s") % {"date": deadline},
        ]
        return " – ".join(str(part) for part in parts)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"vacancy-{item.pk}"

    item_guid_is_permalink = False
