"""The demo exchange: proposals at every stage between the example desks,
made through the services, loaded once, sending no email."""

from collections import Counter
from io import StringIO

import pytest
from django.core import mail

from sportelli import demo
from sportelli.demo import candidatures as demo_candidatures
from sportelli.demo import exchange as demo_exchange
from sportelli.models import DeskNotification, Proposal, ProposalStatus

pytestmark = pytest.mark.django_db


def test_the_demo_exchange_loads_every_stage_once(tree, commit_hooks):
    mail.outbox.clear()
    output = StringIO()
    # The job desks' demo loads the candidatures, then the exchange.
    demo.load(home=tree.home, stdout=output)
    created = Proposal.objects.count()
    # As many as the example profiles find a live vacancy of another desk for.
    assert len(demo_exchange.STAGES) <= created <= demo_exchange.TARGET
    assert f"{created} new proposals between desks" in output.getvalue()
    assert demo_candidatures.load(stdout=StringIO()) == 0
    assert demo_exchange.load(stdout=StringIO()) == 0
    assert Proposal.objects.count() == created
    assert "example proposals" in output.getvalue()

    stages = Counter(Proposal.objects.values_list("status", flat=True))
    assert set(stages) == set(ProposalStatus.values)
    for proposal in Proposal.objects.all():
        assert proposal.vacancy_sportello_id != proposal.candidature_sportello_id
        assert proposal.candidature.is_example
        steps = list(proposal.events.values_list("to_status", flat=True))
        assert steps[0] == ProposalStatus.PROPOSED
        assert steps[-1] == proposal.status
        assert all(event.by_id for event in proposal.events.all())
    assert DeskNotification.objects.exists()
    assert not DeskNotification.objects.filter(emailed_at__isnull=True).exists()
    assert mail.outbox == []
