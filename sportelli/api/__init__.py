"""The job desks' REST API (version 1) and the national export of vacancies."""
