"""The portal's own pages: home, section landing pages and plain content pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .blocks import BodyBlock
from .home import home_context
from .opendata.conf import OPEN_DATA_LICENCE_CHOICES


def restricted_paths() -> frozenset[str]:
    """The tree paths whose pages carry a view restriction for themselves and
    their descendants: each restricted page (not an alias) and each alias of a
    restricted page, as Wagtail's rule reads them. Cached under the tree's
    version, which portal.signals moves on when a restriction is saved or
    deleted, an alias is saved, or pages move or go."""
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    from .routing import tree_version

    key = f"portal:restricted-paths:{tree_version()}"
    paths = cache.get(key)
    if paths is None:
        restricted = PageViewRestriction.objects.values_list(
            "page_id", "page__path", "page__alias_of_id"
        )
        ids = {page_id for page_id, _path, _alias in restricted}
        paths = frozenset(
            [path for _id, path, alias_of in restricted if alias_of is None]
            + list(
                Page.objects.filter(alias_of_id__in=ids).values_list("path", flat=True)
            )
        )
        cache.set(key, paths, 3600)
    return paths


class BasePage(Page):
    """Fields every content page has: a summary for lists, search and meta tags."""

    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=400,
        help_text=_(
            "One or two sentences shown in lists, search results and previews."
        ),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [*Page.promote_panels, FieldPanel("summary")]
    # The field that dates this page in search results and the year facet (a
    # seminar's start, a release's date); None: the page has no date of its own.
    search_date_field: str | None = None
    # Whether visitors can narrow a search to this type of page; structural
    # pages (home, sections, indexes) set it to False.
    search_type_facet = True

    def get_view_restrictions(self):
        """Wagtail's rule in one query instead of two: the restrictions of this
        page and its ancestors, an alias's being its source page's (ancestor
        paths come from this page's own path). No query at all when none of
        those paths is restricted (``restricted_paths``, cached with the tree)."""
        from django.db.models import Q
        from wagtail.models import PageViewRestriction

        paths = [
            self.path[:end]
            for end in range(self.steplen, len(self.path) + 1, self.steplen)
        ]
        if restricted_paths().isdisjoint(paths):
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True)
            | Q(page__aliases__path__in=paths)
        ).distinct()

    def route(self, request, path_components):
        """Wagtail's routing, with the child read in one query joined to its own
        table when this page allows one type of child (an index of practices,
        seminars, issues): Wagtail reads the base page, then its specific row."""
        if path_components:
            models = type(self).allowed_subpage_models()
            if len(models) == 1:
                try:
                    child = (
                        models[0].objects.child_of(self).get(slug=path_components[0])
                    )
                except models[0].DoesNotExist:
                    pass  # another type of child after all: Wagtail's way
                else:
                    child._cached_parent_obj = self
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)

    class Meta:
        abstract = True


class HighlightBlock(blocks.StructBlock):
    """A page the editors put forward on the home, with optional words of
    their own instead of the page's title and summary."""

    page = blocks.PageChooserBlock(label=_("page"))
    title = blocks.CharBlock(
        label=_("title"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the page's title."),
    )
    text = blocks.TextBlock(
        label=_("text"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to use the page's summary."),
    )

    class Meta:
        icon = "pick"
        label = _("Highlighted item")


class HomePage(BasePage):
    """The portal's front page: a hero and highlighted items the editors
    compose, then sections that fill themselves (see ``portal.home``) and the
    table of contents of the portal's sections."""

    search_type_facet = False  # a way in, not a type of content

    hero_title = models.CharField(_("hero title"), max_length=255, blank=True)
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Decorative: shown behind the title, without alternative text."),
    )
    hero_link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call to action: page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_text = models.CharField(
        _("call to action: text"),
        max_length=80,
        blank=True,
        help_text=_('The button\'s words, e.g. "Discover the good practices".'),
    )
    highlights = StreamField(
        [("item", HighlightBlock())],
        blank=True,
        max_num=6,
        verbose_name=_("highlighted items"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("intro"),
                FieldPanel("hero_image"),
                PageChooserPanel("hero_link_page"),
                FieldPanel("hero_link_text"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("highlights"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    # The call to action keeps the source's page until an editor chooses the
    # translated one (as chosen pages in StreamFields do); the home shows the
    # page in its own language whenever there is one.
    override_translatable_fields = [
        SynchronizedField("hero_link_page", overridable=True),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        if self.hero_link_page_id and not self.hero_link_text.strip():
            raise ValidationError(
                {"hero_link_text": _("Write the words of the call to action.")}
            )

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        from . import pagecache

        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragment has to be rendered again.
        context["home"] = SimpleLazyObject(
            lambda: home_context(page=self, request=request)
        )
        context["home_generation"] = pagecache.generation()
        return context


class SectionPage(BasePage):
    """A section of the portal (good practices, projects, ...) listing its pages."""

    search_type_facet = False  # a way in, not a type of content

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("section page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.get_children().live().public().specific()
        return context


class StandardPage(BasePage):
    """A plain content page, such as the accessibility statement or privacy notice."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class AttachedDocument(Orderable):
    """A document attached to a page, in order, with an optional display title.

    Subclasses add the ParentalKey to their page (``related_name`` is what the
    page's InlinePanel names).
    """

    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )
    title = models.CharField(_("title"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Site-wide links shown in the footer."""

    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accessibility statement"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice"),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    open_data_licence = models.CharField(
        _("licence of the open data"),
        max_length=16,
        blank=True,
        choices=OPEN_DATA_LICENCE_CHOICES,
        help_text=_(
            "The licence every dataset of the portal is published under. Empty: "
            "the deployment's default, CC BY 4.0 unless configured otherwise."
        ),
    )

    panels = [
        PageChooserPanel("accessibility_page"),
        PageChooserPanel("privacy_page"),
        FieldPanel("contact_email"),
        FieldPanel("open_data_licence"),
    ]

    class Meta:
        verbose_name = _("portal settings")
