"""``/favicon.ico`` (browsers ask for it whatever the page links) leads to the
portal's icon instead of a 404."""

from http import HTTPStatus

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == static("img/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]


def test_the_icon_is_a_real_ico_in_the_usual_sizes():
    path = finders.find("img/favicon.ico")
    assert path is not None
    with Image.open(path) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.ico.sizes())


def test_favicon_accepts_only_reads(client):
    assert client.post("/favicon.ico").status_code == HTTPStatus.METHOD_NOT_ALLOWED
