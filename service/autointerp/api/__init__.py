"""HTTP layer: thin FastAPI routers over the operation framework."""
