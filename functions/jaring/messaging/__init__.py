"""Messages in and out: the conversation's result type, the outbox, its store (contacts, inbound, outbox, numbers), delivery, matching and menus."""
