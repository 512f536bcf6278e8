"""The pure core: the method of docs/method.md, with no I/O, no web, no Redis and no torch."""
