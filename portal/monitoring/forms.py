"""Upload forms of the monitoring imports (shown in the Wagtail admin)."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from .importers import MAX_BYTES


class _UploadForm(forms.Form):
    extensions: tuple[str, ...] = ()

    publish = forms.BooleanField(
        label=_("Publish the page straight away"),
        required=False,
        help_text=_("Otherwise the import is saved as a draft for review."),
    )

    def __init__(self, *args, can_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(
            FileExtensionValidator(allowed_extensions=list(self.extensions))
        )
        if not can_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ObjectiveImportForm(_UploadForm):
    extensions = ("csv", "xlsx")

    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=[("actions", _("Actions")), ("indicators", _("Indicators"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "First row: column names, as in the page's CSV export. The rows replace "
            "all the current actions (or indicators). Statuses are computed, so a "
            "status column is ignored."
        ),
    )
    field_order = ["kind", "file", "publish"]


class ReportImportForm(_UploadForm):
    extensions = ("tsv", "txt", "html", "htm")

    file = forms.FileField(
        label=_("TSV or HTML table"),
        help_text=_(
            "Five columns: the area (AMBITO) and four periods, with a header row "
            "starting with AMBITO. The rows replace the current table."
        ),
    )
    field_order = ["file", "publish"]
