"""English, as written in the EU's English pages: day month year, a 24-hour clock
and no ambiguous numeric dates ("1 December 2026", "Tuesday 1 December 2026,
21:03", "1 Dec 2026, 21:03")."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "l j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Italy
