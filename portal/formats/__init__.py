"""The portal's date and time formats, one module per language
(``FORMAT_MODULE_PATH``): what ``{{ value|date:"DATE_FORMAT" }}`` and
``formats.date_format`` write. Names not set here fall back to Django's own
locale formats (input formats, separators).

Both languages write the same things in the same order: the weekday in full
dates and times, the day without a leading zero, the month in words, a 24-hour
clock. Italian month and weekday names are lower case ("martedì 15 dicembre
2026"); the names come from Django's translations, which the portal's Italian
catalogue corrects (Django's own capitalises them).
"""
