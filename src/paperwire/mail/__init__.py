"""Email: signed links, digest composition, the durable outbox and the one SMTP sender."""
