"""Content addressing and key naming: an operation's id is the hash of everything that
determines its result, and every key lives under one versioned namespace."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Bump when stored values or the requests they answer change meaning: old entries are then
# never served for new requests (v2: requests are stored and hashed in their resolved form).
STORAGE_VERSION = "v2"


def namespace(prefix: str) -> str:
    """The key prefix every Redis key of this service starts with."""
    return f"{prefix}:{STORAGE_VERSION}"


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: equal values, equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`, under the versioned namespace."""
    payload = canonical_json({"namespace": STORAGE_VERSION, "value": value})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
