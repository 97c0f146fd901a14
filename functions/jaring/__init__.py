"""Jaring: a WhatsApp feedback net for Indonesian public-service offices."""
