from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf
from .models import CommunityProfile, Flag, Group, WatchLevel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _body_field(label):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text or simple HTML: paragraphs, bold, italics, lists, links, "
            "quotes and code. Addresses become links; mention someone with @name."
        ),
    )


# What the composer's file input accepts, as the browser's file picker reads it.
ATTACHMENT_ACCEPT = ".pdf,.odt,.ods,.docx,.xlsx,.png,.jpg,.jpeg,.gif,.webp"


def _attachments_field():
    """The file input, with the server's limits and the messages in the page's
    language as data attributes: static/js/community-composer.js warns as soon
    as a file is chosen; the server checks again on submit."""
    limit_mb = conf.max_attachment_bytes() // (1024 * 1024)
    return MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "PDF, ODT, ODS, DOCX, XLSX, PNG, JPG, GIF or WebP, up to %(size)s MB "
            "each, at most %(count)s files. Pictures are shown in the post."
        )
        % {"size": limit_mb, "count": conf.max_attachments_per_post()},
        widget=MultipleFileInput(
            attrs={
                "accept": ATTACHMENT_ACCEPT,
                "data-max-bytes": conf.max_attachment_bytes(),
                "data-max-files": conf.max_attachments_per_post(),
                "data-allowed": ATTACHMENT_ACCEPT,
                # "{name}" is replaced by the file's name in the browser.
                "data-msg-too-big": _(
                    "%(name)s is larger than the limit of %(limit)s MB."
                )
                % {"name": "{name}", "limit": limit_mb},
                "data-msg-type": _(
                    "%(name)s: this type of file is not accepted. Allowed: PDF, "
                    "ODT, ODS, DOCX, XLSX, PNG, JPG, GIF, WebP."
                )
                % {"name": "{name}"},
                "data-msg-count": _("At most %(count)s attachments per post.")
                % {"count": conf.max_attachments_per_post()},
            }
        ),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = _body_field(_("Text"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form so the size in the help text follows the settings.
        self.fields["attachments"] = _attachments_field()


class ReplyForm(forms.Form):
    body = _body_field(_("Your reply"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form so the size in the help text follows the settings.
        self.fields["attachments"] = _attachments_field()


class EditForm(forms.Form):
    body = _body_field(_("Text"))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the moderators"), max_length=500, required=False
    )


class WatchForm(forms.Form):
    level = forms.ChoiceField(label=_("Notifications"), choices=WatchLevel.choices)


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Move to group"), queryset=Group.objects)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to add"))


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the ban"), max_length=255)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = CommunityProfile
        fields = ["handle", "email_mode"]
