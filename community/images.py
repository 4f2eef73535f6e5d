"""Image attachments: read by Pillow, turned upright and re-encoded.

Re-encoding drops everything but the pixels (EXIF with GPS positions, XMP, IPTC,
comments, colour profiles), so nothing a camera or phone records about where
and when a photo was taken reaches the other readers. EXIF orientation is
applied first, so the picture still stands the right way up.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# MIME type -> Pillow format name; the keys are the image types accepted.
IMAGE_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
# Longest side kept: larger pictures are scaled down to it.
MAX_SIDE = 2000
# Pictures with more pixels than this are refused before decoding: a small file
# can declare a huge canvas (a "decompression bomb") and exhaust memory.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Reencoded:
    content: ContentFile
    width: int
    height: int


def _unreadable(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s could not be read as an image.") % {"name": name},
        code="bad_image",
    )


def image_reencode(*, data: bytes, mime: str, name: str) -> Reencoded:
    """Decode ``data`` (already checked to be ``mime`` by its signature) and return
    a clean copy: upright, at most ``MAX_SIDE`` pixels a side, no metadata.

    Raises ``ValidationError`` for a picture that cannot be decoded or that
    declares more than ``MAX_PIXELS`` pixels.
    """
    image_format = IMAGE_FORMATS[mime]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[image_format])
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "%(name)s is too large an image: %(width)s × %(height)s "
                        "pixels. Reduce it to at most %(limit)s megapixels."
                    )
                    % {
                        "name": name,
                        "width": width,
                        "height": height,
                        "limit": MAX_PIXELS // 1_000_000,
                    },
                    code="too_many_pixels",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
        except ValidationError:
            raise
        except (
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            UnidentifiedImageError,
            OSError,
            ValueError,
            SyntaxError,
        ) as error:
            raise _unreadable(name) from error
    options: dict = {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 85, "optimize": True, "progressive": True}
    elif image_format == "PNG":
        options = {"optimize": True}
    elif image_format == "WEBP":
        options = {"quality": 85}
    elif image_format == "GIF" and image.mode not in ("P", "L"):
        image = image.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE)
    # A fresh image holds only the pixels (and a palette): no info dictionary to
    # carry EXIF, XMP or comments into the new file.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info and image_format in ("PNG", "GIF"):
            options["transparency"] = image.info["transparency"]
    buffer = io.BytesIO()
    try:
        clean.save(buffer, format=image_format, **options)
    except (OSError, ValueError) as error:
        raise _unreadable(name) from error
    return Reencoded(
        content=ContentFile(buffer.getvalue()),
        width=clean.width,
        height=clean.height,
    )
