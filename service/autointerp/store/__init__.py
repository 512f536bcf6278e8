"""Redis adapter: connections, the embedded server, and keys for everything we keep."""
