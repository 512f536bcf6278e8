"""Explanation search: the index, the embedding model and the Redis log that shares them."""
