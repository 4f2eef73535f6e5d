"""The pages every Italian public-sector site must have (AgID): the
accessibility statement, contacts and legal notes."""
