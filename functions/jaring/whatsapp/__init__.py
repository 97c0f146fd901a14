"""The WhatsApp Cloud API as Jaring uses it: inbound webhooks and the Graph API client."""
