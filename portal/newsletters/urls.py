from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path(_("confirm/<str:token>/"), views.confirm, name="confirm"),
    path(_("unsubscribe/<uuid:key>/"), views.unsubscribe, name="unsubscribe"),
    path(_("resubscribe/<uuid:key>/"), views.resubscribe, name="resubscribe"),
]
