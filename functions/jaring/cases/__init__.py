"""Complaints and whistleblowing (WBS): the cases, their routing, intake, stores, service, chat and HTTP routes."""
