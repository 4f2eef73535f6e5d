"""Kit managers' screens in the Wagtail admin: release files (upload with checksum),
the install base and which release each administration is on."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from . import selectors, services
from .models import KitReleasePage, ReleaseFile
from .permissions import can_manage_kit
from .versions import semver_key


def _require_kit_manager(request) -> None:
    if not can_manage_kit(request.user):
        raise PermissionDenied


class ReleaseFileUploadForm(forms.Form):
    release = forms.ModelChoiceField(
        label=gettext_lazy("Release"), queryset=KitReleasePage.objects.none()
    )
    component = forms.CharField(
        label=gettext_lazy("Component"), max_length=128, required=False
    )
    platform = forms.CharField(label=gettext_lazy("Format or platform"), max_length=64)
    kind = forms.SlugField(
        label=gettext_lazy("File key (optional)"),
        max_length=64,
        required=False,
        help_text=gettext_lazy(
            "The same key in every release, such as web-app-zip or manual-pdf: "
            "the product's latest/<key>/ address always leads to the file with "
            "this key in the newest final release."
        ),
    )
    file = forms.FileField(label=gettext_lazy("File"))
    declared_sha256 = forms.RegexField(
        label=gettext_lazy("Expected SHA-256 (optional)"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        required=False,
        error_messages={
            "invalid": gettext_lazy("A SHA-256 checksum is 64 hexadecimal characters.")
        },
        help_text=gettext_lazy(
            "If given, the upload is refused when the file's checksum differs."
        ),
    )
    signature = forms.CharField(
        label=gettext_lazy("Detached signature (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The ASCII-armoured output of gpg --armor --detach-sign FILE. It is "
            "verified against the portal's active signing keys; the upload is "
            "refused if it does not verify the file."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = (
            KitReleasePage.objects.filter(
                locale__language_code=Locale.get_default().language_code
            )
            .select_related("locale")
            .order_by("path")
        )
        self.fields["release"].label_from_instance = lambda release: (
            f"{release.get_parent().title} {release.version}"
        )


@require_http_methods(["GET", "POST"])
def file_index(request):
    _require_kit_manager(request)
    files = sorted(
        ReleaseFile.objects.select_related("release"),
        key=lambda file: (file.release.path, file.filename),
    )
    return render(request, "kit_downloads/admin/file_index.html", {"files": files})


@require_http_methods(["GET", "POST"])
def file_upload(request):
    _require_kit_manager(request)
    form = ReleaseFileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.release_file_add(
                release=form.cleaned_data["release"],
                upload=form.cleaned_data["file"],
                platform=form.cleaned_data["platform"],
                component=form.cleaned_data["component"],
                declared_sha256=form.cleaned_data["declared_sha256"],
                signature=form.cleaned_data["signature"],
                uploaded_by=request.user,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("%(name)s uploaded, SHA-256 %(sha)s.")
                % {"name": record.filename, "sha": record.sha256},
            )
            return redirect("kit_downloads_admin:files")
    return render(request, "kit_downloads/admin/file_upload.html", {"form": form})


@require_http_methods(["GET"])
def install_base(request):
    _require_kit_manager(request)
    rows = selectors.install_base()
    for row in rows:
        row["versions"] = sorted(
            row["versions"], key=lambda item: semver_key(item[0]), reverse=True
        )
    return render(request, "kit_downloads/admin/install_base.html", {"rows": rows})


@require_http_methods(["GET"])
def organisation_releases(request):
    """Which release each administration last downloaded, and who is behind a
    security release; ``?behind=1`` lists only those."""
    rows = selectors.organisation_release_report(user=request.user)
    only_behind = request.GET.get("behind") == "1"
    if only_behind:
        rows = [row for row in rows if row.behind]
    return render(
        request,
        "kit_downloads/admin/organisation_releases.html",
        {
            "rows": rows,
            "only_behind": only_behind,
            "behind_count": sum(1 for row in rows if row.behind),
        },
    )


class ChecksumsSignatureForm(forms.Form):
    signature = forms.CharField(
        label=gettext_lazy("SHA256SUMS.asc"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Download SHA256SUMS above, check it, sign it offline with gpg "
            "--armor --detach-sign SHA256SUMS and paste SHA256SUMS.asc here."
        ),
    )


@require_http_methods(["GET", "POST"])
def checksums_sign(request, pk: int):
    """Attach the offline signature of a release's SHA256SUMS (verified)."""
    _require_kit_manager(request)
    release = get_object_or_404(
        KitReleasePage.objects.filter(
            locale__language_code=Locale.get_default().language_code
        ),
        pk=pk,
    )
    form = ChecksumsSignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.release_checksums_sign(
                release=release,
                signature=form.cleaned_data["signature"],
                uploaded_by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The signature of SHA256SUMS of %(version)s was verified and saved.")
                % {"version": release.version},
            )
            return redirect("kit_downloads_admin:files")
    return render(
        request,
        "kit_downloads/admin/checksums_sign.html",
        {
            "form": form,
            "release": release,
            "sums": selectors.release_sha256sums(release=release),
            "current": selectors.release_checksums_signature(release=release),
            "keys": selectors.signing_key_list_active(),
        },
    )
