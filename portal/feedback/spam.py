"""The signed token between the two steps and the honeypot field's name.

The token carries the page, the rating and the time it was issued, signed with
the secret key: step 2 trusts them, so it is refused if sent too soon (a
script) or too late (an old form), see ``portal.feedback`` for the why.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

HONEYPOT_FIELD = "website"
_SALT = "portal.feedback.step"


class TokenInvalid(Exception):
    """The token is forged, expired or for another page."""


@dataclass(frozen=True)
class Step:
    rating: int
    age: float  # seconds since step 1


def min_seconds() -> float:
    return getattr(settings, "FEEDBACK_MIN_SECONDS", 3)


def max_age() -> int:
    return getattr(settings, "FEEDBACK_TOKEN_MAX_AGE", 2 * 60 * 60)


def clock() -> float:
    return time.time()


def token_issue(*, page_id: int, rating: int) -> str:
    """The token step 1 hands to step 2."""
    return signing.dumps({"p": page_id, "r": rating, "t": clock()}, salt=_SALT)


def token_read(*, token: str, page_id: int) -> Step:
    """The rating and age of a token issued for ``page_id``; ``TokenInvalid``
    when it was not issued by us, for this page, within ``max_age()``."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(data, dict) or data.get("p") != page_id:
        raise TokenInvalid
    age = clock() - float(data.get("t", 0))
    if age < 0 or age > max_age():
        raise TokenInvalid
    return Step(rating=int(data["r"]), age=age)


def too_fast(step: Step) -> bool:
    return step.age < min_seconds()
