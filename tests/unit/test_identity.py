from autointerp.store.identity import canonical_json, content_hash


def test_canonical_json_ignores_key_order_and_whitespace():
    assert canonical_json({"b": 1, "a": [1, 2]}) == canonical_json({"a": [1, 2], "b": 1})
    assert canonical_json({"a": "é"}) == '{"a":"é"}'


def test_content_hash_is_stable_and_sensitive():
    first = content_hash({"kind": "x", "request": {"texts": ["a"]}})
    assert first == content_hash({"request": {"texts": ["a"]}, "kind": "x"})
    assert first != content_hash({"kind": "x", "request": {"texts": ["b"]}})
    assert len(first) == 64 and all(c in "0123456789abcdef" for c in first)
