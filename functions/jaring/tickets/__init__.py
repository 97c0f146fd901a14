"""Service requests: tickets, staff commands, CSV import, their store, service, chat and HTTP routes."""
