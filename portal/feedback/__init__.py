""" "Questa pagina ti è stata utile?": page feedback on every content page.

What a visitor sees. A small form at the end of each page: a rating from 1 to 5
(step 1), then, depending on it, "what went wrong" (1-3) or "what did you like"
(4-5) and an optional plain-text comment (step 2), after the Designers Italia
rating pattern. Nothing is stored until step 2 is sent; nothing about the
visitor is stored at all (no user, no address, no session).

Without JavaScript, each step is a plain POST to ``feedback:submit`` (a URL of
its own, never the page's): step 1 answers with step 2 on a page of its own;
step 2 saves and redirects back to the page with a thank-you message.
``static/js/page-feedback.js`` sends the same POSTs with ``fetch`` and puts the
answer (the same template, as a fragment) in place of the form, so the
follow-up step appears without a reload.

Why the form has no CSRF token (the view is ``csrf_exempt``). The widget is part
of every page, and pages are cached for anonymous visitors (portal.pagecache):
a cached page cannot carry a per-visitor token, and a response that used one is
not cacheable at all. The widget therefore holds nothing specific to a visitor.
CSRF protects actions taken in a signed-in user's name; this endpoint takes none
(it reads no session or user and writes one anonymous rating), so forging a
request gains an attacker nothing a direct request would not. Abuse is limited
instead, without third parties:

- a honeypot field (``website``), hidden from people and filled by bots: the
  submission is dropped and answered as if it had been saved;
- a minimal time to submit: step 1 returns a signed token carrying the time it
  was issued; step 2 is refused when sent sooner than ``FEEDBACK_MIN_SECONDS``
  after it, or after ``FEEDBACK_TOKEN_MAX_AGE`` (the token also fixes the page
  and rating, so step 2 cannot change them);
- per-address limits through ``portal.ratelimit`` (address from
  ``portal.clientip``, correct behind nginx): at most ``FEEDBACK_RATE_PER_HOUR``
  answers an hour from one address, and ``FEEDBACK_RATE_PER_PAGE_PER_DAY`` a day
  on one page.

A page type opts out with ``page_feedback = False``.
"""
