"""The application: what a request to the service does, above the adapters and runners."""
