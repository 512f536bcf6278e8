"""Operation handlers and the taskiq plumbing that runs them on workers."""
