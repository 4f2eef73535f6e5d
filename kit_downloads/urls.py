from django.urls import path  # noqa: F401

app_name = "kit_downloads"
urlpatterns: list = []
