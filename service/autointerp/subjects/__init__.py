"""Subject models: the transformers whose MLP neurons we record (torch lives here)."""
