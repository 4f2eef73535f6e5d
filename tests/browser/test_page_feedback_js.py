"""Page feedback with JavaScript, in a real browser: the follow-up step and the
thanks appear without a reload, with the focus moved to them."""

import pytest

from portal.feedback.models import PageFeedback


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_follow_up_and_thanks_appear_without_a_reload(live_server, page):
    from tests.conftest import build_tree

    build_tree()
    tab = page
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(live_server.url + "/buone-pratiche/")
    tab.evaluate("window.__sameDocument = true")

    tab.locator("label[for=page-feedback-rating_1]").click()  # rating 2
    tab.locator("#page-feedback button[type=submit]").click()
    follow_up = tab.locator("#page-feedback form[data-step=follow_up]")
    follow_up.wait_for()

    assert tab.evaluate("window.__sameDocument") is True
    assert tab.evaluate(
        "document.activeElement.hasAttribute('data-page-feedback-step')"
    )
    assert tab.locator("#page-feedback-reason_0").get_attribute("value") == "unclear"
    tab.locator("label[for=page-feedback-reason_1]").click()  # incomplete
    tab.locator("#page-feedback-comment").fill("Mancano gli orari.")
    tab.wait_for_timeout(3500)  # a person reads before sending (min. 3 s)
    follow_up.locator("button[type=submit]").click()
    tab.locator("[data-testid=page-feedback-thanks]").wait_for()

    assert tab.evaluate("window.__sameDocument") is True
    feedback = PageFeedback.objects.get()
    assert (feedback.rating, feedback.reason, feedback.comment) == (
        2,
        "incomplete",
        "Mancano gli orari.",
    )
    assert errors == []
