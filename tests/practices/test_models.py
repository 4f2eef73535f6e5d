import pytest
from django.core.exceptions import ValidationError

from portal.practices.models import GoodPracticePage
from tests.practices import factories

pytestmark = pytest.mark.django_db


def test_end_year_before_start_year_is_refused(tree):
    index = factories.practice_index(tree.home)
    page = factories.practice(index)
    page.year_start, page.year_end = 2012, 2010

    with pytest.raises(ValidationError) as error:
        page.full_clean()

    assert "year_end" in error.value.message_dict


def test_years_label():
    assert GoodPracticePage(year_start=2010, year_end=2012).years_label == "2010–2012"
    assert GoodPracticePage(year_start=2010, year_end=2010).years_label == "2010"
    assert "2010" in str(GoodPracticePage(year_start=2010).years_label)


def test_practice_page_lists_its_attachments(client, tree):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    index = factories.practice_index(tree.home)
    document = Document.objects.create(
        title="Linee guida ICF",
        file=ContentFile(b"%PDF-1.4 demo", name="linee-guida.pdf"),
    )
    page = factories.practice(index, publish=False)
    page.attachments.create(document=document, title="Linee guida")
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert "<h2>Allegati</h2>" in html
    assert f'href="{document.url}">Linee guida</a> (PDF' in html
