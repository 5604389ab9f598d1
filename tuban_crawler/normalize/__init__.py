"""Raw extracted values -> clean archive values (pure)."""
