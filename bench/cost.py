"""LLM tokens spent per neuron explained and scored, by simulator strategy, against the
study's recipe, counted with one tokenizer (SmolLM2's) on the same neuron record.

The study's recipe (neuron-explainer): explain on 5 top excerpts; score on 5 top + 5 random
excerpts with one all-at-once prompt per excerpt; every explanation and simulation prompt
holds its whole few-shot set (ORIGINAL_EXAMPLES: 3 neurons of 2 excerpts, 34+22, 21+37 and
11+21 tokens, shown as token-activation lines). The baseline renders that recipe with this
service's own prompt builders and wording, few-shot excerpts of those lengths cut from the
corpus, so only the recipe's shape differs from ours. Ours builds the real prompts of this
service for what an explanation operation runs: with samples = 1 (the study's k) the
explanation is scored on the test split only, in one all-at-once prompt that holds every
scored excerpt (the prefix is paid once), calibrated by cross-fitting on those excerpts (the
default); `calibration: split` also simulates the calibration split; best-of-3 scores 3
candidates on valid and the best on test. The generated and JSON strategies send one chat
call per excerpt, their completion counted as the ideal answer. The figure with the
baseline built on our own (smaller) few-shot set is printed too.

    .venv/bin/python bench/cost.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _record_excerpts(tokenizer, count: int, length: int = 64):  # noqa: ANN001, ANN202
    from autointerp.interp.records import ActivationRecord
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.scan import pack_excerpts

    texts = Corpora(REPO / ".autointerp" / "corpora").texts(BuiltinCorpus())
    rng = random.Random(0)
    records = []
    for window in pack_excerpts(texts, tokenizer, length, count * length):
        tokens = [tokenizer.decode([t]) for t in window]
        records.append(ActivationRecord(tokens, [max(0.0, rng.gauss(0, 1)) for _ in tokens]))
    return records


# neuron-explainer's ORIGINAL_EXAMPLES: per few-shot neuron, its excerpts' lengths in tokens.
_STUDY_FEW_SHOT_LENGTHS = [(34, 22), (21, 37), (11, 21)]


def _study_shaped_examples(tokenizer):  # noqa: ANN001, ANN202
    """Few-shot examples of the study's shape: corpus excerpts of its lengths, sparse values."""
    from autointerp.interp.prompts import Example
    from autointerp.interp.records import ActivationRecord

    pool = _record_excerpts(tokenizer, 30)[20:]  # not the excerpts under test
    examples = []
    for number, lengths in enumerate(_STUDY_FEW_SHOT_LENGTHS):
        excerpts = []
        for length in lengths:
            tokens = pool.pop().tokens[:length]
            acts = [1.0 if i % 9 == number else 0.0 for i in range(length)]
            excerpts.append(ActivationRecord(tokens, acts))
        examples.append(Example(excerpts, "a made-up pattern of this example neuron"))
    return examples


def main() -> None:
    from autointerp.interp.prompts import EXAMPLES, explanation_prompt
    from autointerp.interp.simulation import (
        _JSON_FORMAT,
        _LINES_FORMAT,
        _chat_messages,
        all_at_once_prompt,
        shown_token,
    )
    from autointerp.subjects.catalog import ModelCatalog, builtin_sources
    from autointerp.subjects.loading import ModelLoader

    loader = ModelLoader(ModelCatalog(builtin_sources()), REPO / ".autointerp" / "models")
    tokenizer = loader.tokenizer("smollm2-135m")

    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    def chat_tokens(messages) -> int:  # noqa: ANN001
        rendered = [{"role": m.role, "content": m.content} for m in messages]
        text = tokenizer.apply_chat_template(rendered, add_generation_prompt=True, tokenize=False)
        return count(text)

    records = _record_excerpts(tokenizer, 20)
    explain_top, scored = records[:5], records[5:15]  # 5 top to explain; 5 top + 5 random
    calibration = records[15:]
    explanation = "numbers written as digits, most strongly amounts and counts"
    explain_prompt = chat_tokens(explanation_prompt(explain_top))
    explain = explain_prompt + count(explanation)
    study_examples = _study_shaped_examples(tokenizer)
    study_explain = chat_tokens(explanation_prompt(explain_top, study_examples))
    study_explain += count(explanation)

    def all_at_once(excerpts, examples=EXAMPLES[:1]) -> int:  # noqa: ANN001
        tokens = [r.tokens for r in excerpts]
        return count(all_at_once_prompt(explanation, tokens, examples).text)

    def per_call(excerpts, answer_format: str) -> int:  # noqa: ANN001
        total = 0
        for r in excerpts:
            total += chat_tokens(_chat_messages(explanation, r.tokens, answer_format))
            if answer_format == _LINES_FORMAT:
                answer = "\n".join(f"{shown_token(t)}\t0" for t in r.tokens)
            else:
                answer = json.dumps({"activations": [0] * len(r.tokens)})
            total += count(answer)
        return total

    candidates = [explanation, "digits", "numbers and amounts"]
    explain_3 = explain_prompt + sum(map(count, candidates))
    study = study_explain + sum(all_at_once([r], study_examples) for r in scored)
    rows = {
        "study recipe (all-at-once, 1 prompt per excerpt)": study,
        "  the same with our few-shot set": explain + sum(all_at_once([r]) for r in scored),
        "ours: all-at-once, k=1 (default calibration)": explain + all_at_once(scored),
        "ours: all-at-once, k=1, calibration: split": explain + all_at_once(calibration + scored),
        "ours: all-at-once, best-of-3": explain_3
        + sum(all_at_once(scored) for _ in candidates)  # valid: same size as test
        + all_at_once(scored),
        "ours: generated logprobs, k=1": explain + per_call(scored, _LINES_FORMAT),
        "ours: JSON, k=1": explain + per_call(scored, _JSON_FORMAT),
    }
    print("LLM tokens (prompt + completion) per neuron explained and scored, SmolLM2 tokenizer,")
    print("64-token excerpts; explain on 5 top, score on 5 top + 5 random (k = 1):")
    print(f"  (explanation prompt and answer: study {study_explain}, ours {explain} tokens)")
    for name, tokens in rows.items():
        print(f"  {name:50s} {tokens:7d} tokens  {tokens / study:5.2f}x study")


if __name__ == "__main__":
    main()
