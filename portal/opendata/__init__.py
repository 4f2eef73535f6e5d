"""Open data: the licence every dataset carries and the DCAT-AP_IT catalogue.

Declare, don't import: an app that publishes open data declares its datasets in
its own ``datasets.py`` as ``DATASETS``, a tuple of functions each returning
``Dataset`` records (see ``portal/monitoring/datasets.py``); the catalogue
(``/dati/catalogo.jsonld``) finds them at start-up and imports no app.
"""
