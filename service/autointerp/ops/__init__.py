"""The operation framework: content-addressed submit, state in Redis, execution by workers."""
