"""One rule per event type: each reads a sentence view and yields the events it finds, roles filled."""
