from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import FundingSource, ServiceType, TargetGroup, Topic


class _TermViewSet(SnippetViewSet):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class TopicViewSet(_TermViewSet):
    model = Topic
    icon = "tag"


class TargetGroupViewSet(_TermViewSet):
    model = TargetGroup
    icon = "group"


class ServiceTypeViewSet(_TermViewSet):
    model = ServiceType
    icon = "cogs"


class FundingSourceViewSet(_TermViewSet):
    model = FundingSource
    icon = "doc-full"


class VocabularyGroup(SnippetViewSetGroup):
    menu_label = _("Vocabulary")
    menu_icon = "tag"
    menu_order = 250
    items = (TopicViewSet, TargetGroupViewSet, ServiceTypeViewSet, FundingSourceViewSet)


register_snippet(VocabularyGroup)
