"""The shared vocabulary that places and describes every piece of content.

Topics, target groups, types of service and funding sources are translatable
snippets edited in the Wagtail admin. Territories are the ISTAT list of regions and
provinces, loaded as data (data/istat_territories.csv) rather than typed in, so a
practice or an observatory is placed once and filtered everywhere.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Term(TranslatableMixin, index.Indexed, models.Model):
    """A translatable vocabulary term with a stable slug for URLs and exports."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(
        _("slug"),
        max_length=128,
        allow_unicode=False,
        help_text=_("Stable identifier used in addresses, filters and exports."),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    # Translated with wagtail-localize (the snippet's "Translate" action): the
    # name in each language, the slug kept as the stable identifier it is.
    translatable_fields = [TranslatableField("name"), SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(Term):
    class Meta(Term.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="topic_unique_slug_locale"
            )
        ]


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="targetgroup_unique_slug_locale"
            )
        ]


class ServiceType(Term):
    class Meta(Term.Meta):
        verbose_name = _("type of service")
        verbose_name_plural = _("types of service")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="servicetype_unique_slug_locale"
            )
        ]


class FundingSource(Term):
    class Meta(Term.Meta):
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="fundingsource_unique_slug_locale"
            )
        ]


class Territory(models.Model):
    """An Italian region or province, with its ISTAT code."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    code = models.CharField(_("ISTAT code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=128)
    abbreviation = models.CharField(_("abbreviation"), max_length=2, blank=True)
    region = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provinces",
        limit_choices_to={"kind": "region"},
        verbose_name=_("region"),
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        if self.kind == self.Kind.PROVINCE and self.abbreviation:
            return f"{self.name} ({self.abbreviation})"
        return self.name

    @property
    def region_code(self) -> str:
        return self.code if self.kind == self.Kind.REGION else self.region.code
