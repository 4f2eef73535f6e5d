from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Render the 500 page without context processors or database access.

    Whatever led here may be the database itself, so the template needs nothing
    but static files.
    """
    return HttpResponseServerError(loader.get_template("500.html").render())
