"""Wire types: pydantic models of requests, results and operations (the HTTP contract)."""
