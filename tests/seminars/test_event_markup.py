"""Seminar pages carry schema.org Event markup; an online seminar's meeting link
stays out of it (it is for registered people only)."""

import json
import re

from tests.seminars.factories import make_seminar


def _event(client, seminar) -> dict:
    html = client.get(seminar.url).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD"
    return json.loads(found.group(1))


def test_a_seminar_in_a_venue_is_an_offline_event(client, seminar):
    event = _event(client, seminar)
    assert event["@type"] == "Event"
    assert event["startDate"] == seminar.start.isoformat()
    assert event["endDate"] == seminar.end.isoformat()
    assert event["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")
    assert event["location"] == {
        "@type": "Place",
        "name": "Sala conferenze",
        "address": "Via Nazionale 12",
    }
    assert event["inLanguage"] == "it"


def test_an_online_seminar_never_publishes_its_meeting_link(client, index):
    online = make_seminar(
        index,
        slug="webinar",
        is_online=True,
        venue="",
        address="",
        online_url="https://meet.example.org/segreto",
    )
    event = _event(client, online)
    assert event["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert event["location"]["@type"] == "VirtualLocation"
    assert "segreto" not in json.dumps(event)
    assert event["location"]["url"].endswith(online.url)
