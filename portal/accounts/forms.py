from allauth.account.adapter import get_adapter
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .models import User


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's own admin login form, throttled by allauth's login rate limits.

    Failed attempts count against the same per-account and per-IP limits as the
    site's login, so an attacker gains nothing by switching form.
    """

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            # Raises a ValidationError ("too many failed login attempts") once the
            # limit is reached, before the password is even checked.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": _("First name"), "last_name": _("Last name")}
