"""A local causal LM (transformers) as a LanguageModel: chat by generation, and prompt
logprobs read straight from the logits of one forward pass (all-at-once simulation)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import torch

from autointerp.interp.errors import InvalidRequest
from autointerp.interp.ports import (
    AnswerLogprobsResult,
    ChatChoice,
    ChatParameters,
    ChatResult,
    PromptLogprobsResult,
    PromptToken,
    TokenLogprobs,
    Usage,
)
from autointerp.interp.prompts import ChatMessage
from autointerp.subjects.loading import ModelLoader

# Rows per forward pass when scoring answers (bounds memory on a CPU).
_ANSWER_BATCH = 32


@contextlib.contextmanager
def _seeded(seed: int | None, device: torch.device) -> Iterator[None]:
    """Sampling inside draws from `seed` (the global generators are restored after)."""
    if seed is None:
        yield
        return
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(seed)
        yield


def _answer_logprobs_of(
    model: Any, hidden: torch.Tensor, logits: torch.Tensor, token_ids: Sequence[int]
) -> torch.Tensor:
    """The candidates' log probabilities at each row, their logits in float32 whatever the
    model's precision: a bfloat16 logit near 20 is rounded to 1/8, as large as the difference
    between a small model's "Yes" and "No" (the binary simulator reads that difference). The
    float32 logits are the final hidden state times the output embeddings; a model whose
    logits are more than that (Gemma 2's soft cap, a logit scale) disagrees with them beyond
    rounding, and its own logits are used instead."""
    ids = list(token_ids)
    row = logits.float()
    head = model.get_output_embeddings()
    exact = hidden.float() @ head.weight[ids].float().T
    if getattr(head, "bias", None) is not None:
        exact = exact + head.bias[ids].float()
    if torch.allclose(exact, row[:, ids], rtol=1 / 64, atol=1e-2):
        row[:, ids] = exact
    return row[:, ids] - torch.logsumexp(row, -1, keepdim=True)


class LocalCausalModel:
    """Runs one model from the loader; calls are serialized (one forward at a time)."""

    supports_prompt_logprobs = True
    supports_answer_logprobs = True

    def __init__(self, loader: ModelLoader, model_name: str) -> None:
        self.loader = loader
        self.model_name = model_name
        self._lock = threading.Lock()
        self._token_text: dict[int, str] = {}
        self._controls: list[tuple[str, str]] | None = None
        self._text: Any = None

    def _parts(self) -> tuple[Any, Any]:
        return self.loader.model(self.model_name), self.loader.tokenizer(self.model_name)

    def _check_context(self, model: Any, length: int) -> None:
        limit = getattr(model.config, "max_position_embeddings", None)
        if limit is not None and length > limit:
            raise InvalidRequest(
                f"the prompt is {length} tokens; model {self.model_name!r} takes at most {limit}"
            )

    def _top(
        self, tokenizer: Any, logprobs: torch.Tensor, k: int, include: Sequence[int] = ()
    ) -> dict[str, float]:
        ids = logprobs.topk(k).indices.tolist()
        top: dict[str, float] = {}
        for token_id in ids + [i for i in include if i not in ids]:
            value = float(logprobs[token_id])
            text = self._token_text.get(token_id)
            if text is None:
                text = self._token_text.setdefault(token_id, tokenizer.decode([token_id]))
            top[text] = max(top.get(text, -torch.inf), value)
        return top

    def _text_tokenizer(self, tokenizer: Any) -> Any:
        """A copy of the tokenizer of its own for text mode: `split_special_tokens` is set on
        the underlying tokenizer for the call and stays set, so on the shared one it would
        race with other threads' chat templates (which need their control tokens)."""
        with self._lock:
            if self._text is None:
                self._text = copy.deepcopy(tokenizer)
            return self._text

    def _broken_controls(self, tokenizer: Any) -> list[tuple[str, str]]:
        """The tokenizer's control tokens, longest first, each with a form that reads as
        text (a zero-width non-joiner after its first character)."""
        if self._controls is None:
            added = getattr(tokenizer, "added_tokens_decoder", {}).values()
            controls = {*tokenizer.all_special_tokens, *(t.content for t in added if t.special)}
            ordered = sorted((c for c in controls if len(c) > 1), key=len, reverse=True)
            self._controls = [(c, f"{c[0]}\u200c{c[1:]}") for c in ordered]
        return self._controls

    def _as_text(self, tokenizer: Any, content: str) -> str:
        for control, broken in self._broken_controls(tokenizer):
            content = content.replace(control, broken)
        return content

    def _restored(self, tokenizer: Any, completion: str) -> str:
        """A completion with the broken-up controls it copied back as they were (so that an
        explanation that echoes one is refused as markup, not kept with a hidden character)."""
        for control, broken in self._broken_controls(tokenizer):
            completion = completion.replace(broken, control)
        return completion

    def _chat_ids(self, tokenizer: Any, messages: Sequence[ChatMessage]) -> list[int]:
        """A chat's prompt ids, its messages read as text: a control token a message holds
        (SmolLM2's `<|im_end|>` between documents of an excerpt, which is also Qwen's end of
        turn) is broken up so that it cannot end the turn or open another."""
        rendered = [
            {"role": m.role, "content": self._as_text(tokenizer, m.content)} for m in messages
        ]
        return list(
            tokenizer.apply_chat_template(rendered, add_generation_prompt=True, return_dict=True)[
                "input_ids"
            ]
        )

    def _chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        model, tokenizer = self._parts()
        ids = torch.tensor([self._chat_ids(tokenizer, messages)], device=model.device)
        self._check_context(model, ids.shape[1] + parameters.max_tokens)
        sampling = (
            {"do_sample": False}
            if parameters.deterministic
            else {"do_sample": True, "temperature": parameters.temperature}
        )
        top_logprobs = parameters.top_logprobs
        seed = None if parameters.deterministic else parameters.seed
        with self._lock, torch.inference_mode(), _seeded(seed, model.device):
            output = model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=parameters.max_tokens,
                num_return_sequences=parameters.n,
                output_scores=bool(top_logprobs),
                return_dict_in_generate=True,
                pad_token_id=tokenizer.eos_token_id,
                **sampling,
            )
        choices, completion_tokens = [], 0
        for row, sequence in enumerate(output.sequences):
            new = sequence[ids.shape[1] :].tolist()
            if tokenizer.eos_token_id in new:
                new = new[: new.index(tokenizer.eos_token_id)]
            completion_tokens += len(new)
            tokens = None
            if top_logprobs:
                tokens = [
                    TokenLogprobs(
                        tokenizer.decode([token_id]),
                        self._top(
                            tokenizer,
                            torch.log_softmax(output.scores[step][row].float(), -1),
                            top_logprobs,
                        ),
                    )
                    for step, token_id in enumerate(new)
                ]
            choices.append(ChatChoice(self._restored(tokenizer, tokenizer.decode(new)), tokens))
        return ChatResult(choices, Usage(ids.shape[1], completion_tokens, calls=1))

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        """Generate `parameters.n` completions (json_mode is a prompt-level request here)."""
        return await asyncio.to_thread(self._chat, messages, parameters)

    def _prompt_logprobs(
        self, prompt: str, top_logprobs: int, include: Sequence[str]
    ) -> PromptLogprobsResult:
        model, tokenizer = self._parts()
        single_tokens = [tokenizer(text, add_special_tokens=False)["input_ids"] for text in include]
        include_ids = [ids[0] for ids in single_tokens if len(ids) == 1]
        # The prompt is text: a control token it quotes is read as its characters.
        encoded = self._text_tokenizer(tokenizer)(
            prompt, return_offsets_mapping=True, return_tensors="pt", split_special_tokens=True
        )
        ids = encoded["input_ids"].to(model.device)
        self._check_context(model, ids.shape[1])
        with self._lock, torch.inference_mode():
            logprobs = torch.log_softmax(model(input_ids=ids).logits[0].float(), dim=-1)
        offsets = encoded["offset_mapping"][0].tolist()
        tokens = [
            PromptToken(
                prompt[start:end],
                start,
                self._top(tokenizer, logprobs[i - 1], top_logprobs, include_ids) if i else {},
            )
            for i, (start, end) in enumerate(offsets)
        ]
        return PromptLogprobsResult(tokens, Usage(prompt_tokens=ids.shape[1], calls=1))

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        """The distribution predicted at every prompt token, from one forward pass."""
        return await asyncio.to_thread(self._prompt_logprobs, prompt, top_logprobs, include)

    def _answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        model, tokenizer = self._parts()
        candidate_ids = [tokenizer(c, add_special_tokens=False)["input_ids"][0] for c in candidates]
        prompts = [self._chat_ids(tokenizer, chat) for chat in chats]
        if not prompts:
            return AnswerLogprobsResult([], Usage())
        # The common beginning of every prompt runs once; its cache is shared by the rest,
        # which run in right-padded batches (padding after a row's last token is never seen by
        # it, and each row's answer is read at its own last token).
        shared = 0
        shortest = min(len(p) for p in prompts)
        while shared < shortest - 1 and all(p[shared] == prompts[0][shared] for p in prompts):
            shared += 1
        self._check_context(model, max(len(p) for p in prompts))
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        rows: list[dict[str, float]] = []
        computed = shared
        with self._lock, torch.inference_mode():
            prefix_cache = None
            if shared:
                prefix = torch.tensor([prompts[0][:shared]], device=model.device)
                prefix_cache = model(input_ids=prefix, use_cache=True, logits_to_keep=1).cache
            for start in range(0, len(prompts), _ANSWER_BATCH):
                batch = [p[shared:] for p in prompts[start : start + _ANSWER_BATCH]]
                width = max(len(b) for b in batch)
                ids = torch.tensor(
                    [b + [pad] * (width - len(b)) for b in batch], device=model.device
                )
                cache = None
                if prefix_cache is not None:
                    cache = copy.deepcopy(prefix_cache)
                    cache.batch_repeat_interleave(len(batch))
                # Only the positions some row answers at go through the output layer.
                keep = sorted({len(b) - 1 for b in batch})
                output = model(
                    input_ids=ids,
                    cache=cache,
                    use_cache=True,
                    logits_to_keep=torch.tensor(keep, device=model.device),
                    output_hidden_states=True,
                )
                at = torch.tensor([keep.index(len(b) - 1) for b in batch], device=model.device)
                last = torch.tensor([len(b) - 1 for b in batch], device=model.device)
                hidden = output.hidden_states[-1][torch.arange(len(batch)), last]
                logits = output.logits[torch.arange(len(batch)), at]
                logprobs = _answer_logprobs_of(model, hidden, logits, candidate_ids)
                for row in logprobs:
                    rows.append({c: float(v) for c, v in zip(candidates, row, strict=True)})
                computed += sum(len(b) for b in batch)
        return AnswerLogprobsResult(rows, Usage(prompt_tokens=computed, calls=1))

    async def answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        """Each candidate's first-token log probability as the answer to each chat, read from
        the logits (the chats' common prefix computed once)."""
        return await asyncio.to_thread(self._answer_logprobs, chats, candidates)
