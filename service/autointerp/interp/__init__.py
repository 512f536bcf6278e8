"""The pure core: the method of METHOD.md, with no I/O, no web, no Redis and no torch."""
