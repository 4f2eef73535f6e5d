from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RATING_MIN = 1
RATING_MAX = 5
# Ratings up to this value are "something went wrong"; above it, "what did you like".
RATING_NEGATIVE_MAX = 3
COMMENT_MAX_LENGTH = 500


class Reason(models.TextChoices):
    """The follow-up answers: what went wrong (ratings 1-3) or what the visitor
    liked (ratings 4-5), after the Designers Italia rating pattern."""

    UNCLEAR = "unclear", _("The information was not clear")
    INCOMPLETE = "incomplete", _("The information was incomplete")
    NOT_FOUND = "not_found", _("I did not find what I was looking for")
    TECHNICAL = "technical", _("I had technical problems")
    OTHER_NEGATIVE = "other_negative", _("Something else went wrong")
    CLEAR = "clear", _("The information was clear")
    COMPLETE = "complete", _("The information was complete")
    FOUND = "found", _("I quickly found what I was looking for")
    WORKED = "worked", _("Everything worked without problems")
    OTHER_POSITIVE = "other_positive", _("Something else")


NEGATIVE_REASONS = (
    Reason.UNCLEAR,
    Reason.INCOMPLETE,
    Reason.NOT_FOUND,
    Reason.TECHNICAL,
    Reason.OTHER_NEGATIVE,
)
POSITIVE_REASONS = (
    Reason.CLEAR,
    Reason.COMPLETE,
    Reason.FOUND,
    Reason.WORKED,
    Reason.OTHER_POSITIVE,
)


def reasons_for(rating: int) -> tuple[Reason, ...]:
    """The follow-up answers offered after ``rating``."""
    return NEGATIVE_REASONS if rating <= RATING_NEGATIVE_MAX else POSITIVE_REASONS


class PageFeedback(models.Model):
    """One visitor's answer to "Was this page useful?" on one page.

    Anonymous on purpose: no user, no address, no session is stored; the page's
    locale is kept so the report tells the Italian and English pages apart.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("language"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    reason = models.CharField(
        _("follow-up answer"), max_length=20, choices=Reason.choices, blank=True
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at", "page"], name="feedback_created_page"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="feedback_rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id}: {self.rating}/{RATING_MAX}"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.reason and self.reason not in reasons_for(self.rating or 0):
            raise ValidationError(
                {"reason": _("This answer does not match the rating given.")}
            )
