"""Fine-tune a small audio-language model on an Audio-FLAN task mixture: one process, DataLoader workers, CPU or
GPU, or several ranks with torchrun.

The model is the usual recipe of current audio-language models, in miniature and randomly initialised from
configs written here (no weights are downloaded): a wav2vec 2.0 encoder (transformers' ``Wav2Vec2Model``) reads
the raw 16 kHz waveform, each audio's frames are pooled into ``--audio-tokens`` vectors and projected into the
embedding space of a Llama decoder (``LlamaForCausalLM``), where they replace the audio placeholder tokens that
the chat template writes for every audio part. The tokenizer is a byte-level BPE trained here on the mixture's
text, wrapped as a ``PreTrainedTokenizerFast`` with a chat template that knows audio parts; the loss is taken
on the assistant's tokens only (``{% generation %}`` in the template, ``return_assistant_tokens_mask``).

Data: ``audio_flan.mixture`` (FLAN-style rates) -> ``split_dataset_by_node`` (one part per rank) -> a torch
``DataLoader`` whose workers decode, resample, pad (``audio_flan.AudioCollator``) and tokenise
(``audio_flan.to_messages`` + ``apply_chat_template``). Only configs whose answer is text are trained here: a
text decoder cannot be taught to produce audio (``--configs`` refuses the others).

    python examples/train_audio_lm.py --max-steps 50                       # the bundled sample, on CPU
    python examples/train_audio_lm.py --data-dir /data --configs speech music --rates temperature \\
        --temperature 2 --cap 100000 --batch-size 16 --workers 4 --max-steps 20000 --output-dir runs/a
    torchrun --standalone --nproc_per_node 2 examples/train_audio_lm.py --max-steps 50    # 2 ranks (gloo on CPU)

Needs the extra: ``pip install 'audio-flan[train]'`` (torch and transformers).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import time
from pathlib import Path
from typing import Optional

import numpy as np
import torch
import torch.distributed as dist
import transformers
from datasets.distributed import split_dataset_by_node
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from torch import nn
from torch.distributed.algorithms.join import Join
from torch.utils.data import DataLoader

import audio_flan
from audio_flan.messages import MARKER, message_skeleton
from audio_flan.mixture import select_configs

SAMPLING_RATE = 16000
AUDIO = "<|audio|>"
SPECIAL = ["<|pad|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|audio_bos|>", "<|audio_eos|>", AUDIO]

# A chat template that knows audio parts: each one becomes <|audio_bos|>, N placeholders, <|audio_eos|>. The
# assistant's turn is marked for transformers' assistant-token mask (the loss is taken there only).
CHAT_TEMPLATE = """{%- for message in messages -%}
{{- '<|im_start|>' + message['role'] + '\\n' -}}
{%- if message['role'] == 'assistant' -%}{%- generation -%}
{%- for part in message['content'] -%}
{%- if part['type'] == 'audio' -%}{{- '<|audio_bos|>' + '<|audio|>' * AUDIO_TOKENS + '<|audio_eos|>' -}}
{%- elif part['type'] == 'text' -%}{{- part['text'] -}}{%- endif -%}
{%- endfor -%}{{- '<|im_end|>' -}}
{%- endgeneration -%}{{- '\\n' -}}
{%- else -%}
{%- if message['content'] is string -%}{{- message['content'] -}}{%- else -%}
{%- for part in message['content'] -%}
{%- if part['type'] == 'audio' -%}{{- '<|audio_bos|>' + '<|audio|>' * AUDIO_TOKENS + '<|audio_eos|>' -}}
{%- elif part['type'] == 'text' -%}{{- part['text'] -}}{%- endif -%}
{%- endfor -%}{%- endif -%}
{{- '<|im_end|>\\n' -}}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}"""


def chat_template(audio_tokens: int) -> str:
    return CHAT_TEMPLATE.replace("AUDIO_TOKENS", str(int(audio_tokens)))


# ------------------------------------------------------------------------------------------------ tokenizer


def train_tokenizer(texts: list[str], vocab_size: int, audio_tokens: int) -> transformers.PreTrainedTokenizerFast:
    """A byte-level BPE over ``texts`` (any text is encodable: unknown bytes fall back to byte tokens)."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<|pad|>",
        eos_token="<|endoftext|>",
        additional_special_tokens=SPECIAL[2:],
    )
    fast.chat_template = chat_template(audio_tokens)
    return fast


def tokenizer_texts(configs, args, n: int) -> list[str]:
    """Text of the first ``n`` examples of a mixture of the same configs, markers removed (no audio is read)."""
    ds = audio_flan.mixture(
        configs, data_dir=args.data_dir, split=args.split, seed=args.seed, cap=args.cap, **_rate_kwargs(args)
    )
    texts = []
    for example in itertools.islice(ds.select_columns(["instruction", "input", "output"]), n):
        texts.extend(MARKER.sub(" ", example[key]) for key in ("instruction", "input", "output"))
    return texts


# ------------------------------------------------------------------------------------------------ batches


class TextBatch:
    """The collator's ``text_fn``: each example's messages through the chat template, padded; labels on the
    assistant's tokens only (with ``-100`` elsewhere, the placeholders included)."""

    def __init__(self, tokenizer: transformers.PreTrainedTokenizerFast, system_prompt: Optional[str], max_tokens: int):
        self.tokenizer = tokenizer
        self.system_prompt = system_prompt
        self.max_tokens = max_tokens
        self.audio_id = tokenizer.convert_tokens_to_ids(AUDIO)

    def __call__(self, examples: list) -> dict:
        rows = []
        for example in examples:
            messages = message_skeleton(example, self.system_prompt)  # audio parts by position: nothing decoded
            out = self.tokenizer.apply_chat_template(
                messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True
            )
            ids, mask = list(out["input_ids"]), list(out["assistant_masks"])
            if len(ids) > self.max_tokens:
                raise ValueError(
                    f"instance {example['id']} is {len(ids)} tokens long, more than --max-tokens {self.max_tokens}"
                )
            rows.append((ids, mask))
        width = max((len(ids) for ids, _ in rows), default=0)
        input_ids = np.full((len(rows), width), self.tokenizer.pad_token_id, dtype=np.int64)
        labels = np.full((len(rows), width), -100, dtype=np.int64)
        attention = np.zeros((len(rows), width), dtype=np.int64)
        for i, (ids, mask) in enumerate(rows):
            input_ids[i, : len(ids)] = ids
            attention[i, : len(ids)] = 1
            keep = np.array(mask, dtype=bool) & (np.array(ids) != self.audio_id)
            labels[i, : len(ids)][keep] = np.array(ids)[keep]
        return {"input_ids": input_ids, "labels": labels, "attention_mask": attention}


# ------------------------------------------------------------------------------------------------ model


def encoder_config() -> transformers.Wav2Vec2Config:
    return transformers.Wav2Vec2Config(
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        conv_dim=(32, 32, 32, 32, 32, 32, 32),
        conv_stride=(5, 2, 2, 2, 2, 2, 2),  # 320 samples a frame: 50 frames a second at 16 kHz
        conv_kernel=(10, 3, 3, 3, 3, 2, 2),
        num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=4,
        feat_extract_norm="layer",  # the variant that takes an attention mask over padded audio
        do_stable_layer_norm=True,
        mask_time_prob=0.0,
        layerdrop=0.0,  # LayerDrop skips layers at random: DDP would see parameters without gradients
        apply_spec_augment=False,
    )


def decoder_config(vocab_size: int, pad_id: int) -> transformers.LlamaConfig:
    return transformers.LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        pad_token_id=pad_id,
        tie_word_embeddings=True,
    )


class AudioLM(nn.Module):
    """wav2vec 2.0 encoder -> pooled to ``audio_tokens`` vectors per audio -> linear -> Llama decoder."""

    def __init__(self, vocab_size: int, pad_id: int, audio_id: int, audio_tokens: int):
        super().__init__()
        self.encoder = transformers.Wav2Vec2Model(encoder_config())
        self.decoder = transformers.LlamaForCausalLM(decoder_config(vocab_size, pad_id))
        self.projector = nn.Linear(self.encoder.config.hidden_size, self.decoder.config.hidden_size)
        self.audio_id = audio_id
        self.audio_tokens = audio_tokens

    def audio_embeddings(self, audio: torch.Tensor, audio_mask: torch.Tensor) -> torch.Tensor:
        """(A, audio_tokens, decoder hidden): each audio's valid frames averaged in ``audio_tokens`` equal spans."""
        frames = self.encoder(audio, attention_mask=audio_mask.long()).last_hidden_state  # (A, F, H)
        n_valid = self.encoder._get_feat_extract_output_lengths(audio_mask.sum(-1)).clamp(min=1, max=frames.shape[1])
        position = torch.arange(frames.shape[1], device=frames.device)[None, :]  # (1, F)
        span = (position * self.audio_tokens // n_valid[:, None]).clamp(max=self.audio_tokens - 1)  # (A, F)
        weights = (span[:, None, :] == torch.arange(self.audio_tokens, device=frames.device)[None, :, None]).float()
        weights = weights * (position < n_valid[:, None])[:, None, :]
        # an audio shorter than audio_tokens frames: empty spans take the mean of all its frames
        empty = weights.sum(-1, keepdim=True) == 0
        weights = torch.where(empty, (position < n_valid[:, None]).float()[:, None, :], weights)
        pooled = weights @ frames / weights.sum(-1, keepdim=True)
        return self.projector(pooled)

    def forward(self, batch: dict) -> torch.Tensor:
        embeds = self.decoder.get_input_embeddings()(batch["input_ids"])
        slots = batch["input_ids"] == self.audio_id
        if batch["audio"].shape[0]:
            audio = self.audio_embeddings(batch["audio"], batch["audio_attention_mask"]).to(embeds.dtype)
            if int(slots.sum()) != audio.shape[0] * self.audio_tokens:
                raise ValueError(f"{int(slots.sum())} audio placeholders for {audio.shape[0]} audios")
            embeds = embeds.masked_scatter(slots[..., None], audio.reshape(-1, audio.shape[-1]))
        elif slots.any():
            raise ValueError("audio placeholders in a batch without audio")
        out = self.decoder(inputs_embeds=embeds, attention_mask=batch["attention_mask"], labels=batch["labels"])
        return out.loss


# ------------------------------------------------------------------------------------------------ running


def _rate_kwargs(args) -> dict:
    return (
        {"rates": args.rates, "temperature": args.temperature} if args.rates == "temperature" else {"rates": args.rates}
    )


def text_output_configs(selection) -> list[str]:
    """The configs of ``selection`` whose answer is text; an error naming those whose answer is audio."""
    names, explicit = select_configs(selection)
    tasks = audio_flan.task_table()
    audio_out = [n for n in names if "audio" in tasks[n].outputs.values()]
    if audio_out and explicit:
        raise SystemExit(
            f"these configs answer with audio, which this text decoder cannot learn: {', '.join(audio_out)} "
            "(their audio is in the assistant turn of audio_flan.to_messages; train them with an audio output head)"
        )
    return [n for n in names if n not in audio_out]


def setup_distributed(device_arg: str) -> tuple[int, int, torch.device]:
    rank, world = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    local = int(os.environ.get("LOCAL_RANK", 0))
    use_cuda = device_arg == "cuda" or (device_arg == "auto" and torch.cuda.is_available())
    device = torch.device(f"cuda:{local}" if use_cuda else "cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return rank, world, device


def to_device(batch: dict, device: torch.device) -> dict:
    keys = ("audio", "audio_attention_mask", "input_ids", "labels", "attention_mask")
    return {k: torch.from_numpy(batch[k]).to(device, non_blocking=True) for k in keys}


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--configs", nargs="+", default=["all"], help="config names and/or domains (default: all)")
    p.add_argument("--data-dir", default=None, help="release copy or corpora (default: the bundled sample)")
    p.add_argument("--split", default="train")
    p.add_argument("--rates", default="proportional", choices=["proportional", "temperature"])
    p.add_argument("--temperature", type=float, default=2.0)
    p.add_argument("--cap", type=int, default=None, help="T5's per-config cap on the count")
    p.add_argument("--stopping-strategy", default="all_exhausted")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=4, help="examples per batch on each rank")
    p.add_argument("--workers", type=int, default=0, help="DataLoader workers per rank")
    p.add_argument("--max-steps", type=int, default=100)
    p.add_argument("--epochs", type=int, default=1000, help="at most this many passes (each reshuffled)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--max-seconds", type=float, default=4.0, help="longer audio is cropped to this")
    p.add_argument("--max-tokens", type=int, default=2048)
    p.add_argument("--audio-tokens", type=int, default=8, help="decoder positions per audio")
    p.add_argument("--vocab-size", type=int, default=1000)
    p.add_argument("--tokenizer-examples", type=int, default=500, help="examples whose text trains the tokenizer")
    p.add_argument("--system-prompt", default=None)
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--repeat-batch", action="store_true", help="train on the first batch again and again (a check)")
    p.add_argument("--output-dir", default="runs/audio-lm")
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--ids-out", default=None, help="write the instance ids each rank trained on to DIR/rank<r>.txt")
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    rank, world, device = setup_distributed(args.device)
    torch.manual_seed(args.seed)
    out = Path(args.output_dir)
    configs = text_output_configs(args.configs)

    # the tokenizer: trained once by rank 0, read by the others
    tok_dir = out / "tokenizer"
    if rank == 0:
        tokenizer = train_tokenizer(
            tokenizer_texts(configs, args, args.tokenizer_examples), args.vocab_size, args.audio_tokens
        )
        tokenizer.save_pretrained(tok_dir)
    if world > 1:
        dist.barrier()
    if rank != 0:
        tokenizer = transformers.PreTrainedTokenizerFast.from_pretrained(tok_dir)

    dataset = audio_flan.mixture(
        configs,
        cap=args.cap,
        seed=args.seed,
        stopping_strategy=args.stopping_strategy,
        data_dir=args.data_dir,
        split=args.split,
        **_rate_kwargs(args),
    )
    if rank == 0:
        print(dataset.rates_table(), flush=True)
    if world > 1:
        dataset = split_dataset_by_node(dataset, rank=rank, world_size=world)
    collator = audio_flan.AudioCollator(
        sampling_rate=SAMPLING_RATE,
        max_seconds=args.max_seconds,
        text_fn=TextBatch(tokenizer, args.system_prompt, args.max_tokens),
    )
    loader = DataLoader(
        dataset,
        batch_size=args.batch_size,
        num_workers=args.workers,
        collate_fn=collator,
        pin_memory=device.type == "cuda",
        persistent_workers=False,
    )

    model = AudioLM(len(tokenizer), tokenizer.pad_token_id, tokenizer.convert_tokens_to_ids(AUDIO), args.audio_tokens)
    model.to(device)
    if world > 1:
        model = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)

    losses, seen_ids = [], []
    cropped = dropped = examples = 0
    step, t0 = 0, time.perf_counter()
    first_batch = None
    # DDP's Join lets a rank whose part of the stream ends first stop without hanging the others
    join = Join([model]) if world > 1 else _NoJoin()
    with join:
        for epoch in range(args.epochs):
            dataset.set_epoch(epoch)
            for batch in loader:
                if args.repeat_batch:
                    if first_batch is None:
                        first_batch = batch
                    batch = first_batch
                if not batch["input_ids"].shape[0]:
                    continue  # every example of this batch was dropped
                loss = model(to_device(batch, device))
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                step += 1
                value = float(loss.detach())
                if not math.isfinite(value):
                    raise FloatingPointError(f"loss is {value} at step {step}")
                losses.append(value)
                seen_ids.extend(batch["id"])
                examples += len(batch["id"])
                cropped += batch["num_cropped"]
                dropped += batch["num_dropped"]
                if rank == 0 and (step % args.log_every == 0 or step == 1):
                    rate = examples / (time.perf_counter() - t0)
                    print(f"step {step}  epoch {epoch}  loss {value:.4f}  {rate:.1f} examples/s on rank 0", flush=True)
                if step >= args.max_steps:
                    break
            if step >= args.max_steps:
                break

    summary = {
        "rank": rank,
        "world_size": world,
        "steps": step,
        "examples": examples,
        "cropped_audios": cropped,
        "dropped_examples": dropped,
        "losses": losses,
    }
    if args.ids_out:
        Path(args.ids_out).mkdir(parents=True, exist_ok=True)
        (Path(args.ids_out) / f"rank{rank}.txt").write_text("".join(f"{i}\n" for i in seen_ids), encoding="utf-8")
    if rank == 0:
        out.mkdir(parents=True, exist_ok=True)
        torch.save((model.module if world > 1 else model).state_dict(), out / "model.pt")
        (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        print(f"done: {step} steps, {examples} examples, {cropped} audios cropped, {dropped} examples dropped; {out}")
    if world > 1:
        dist.destroy_process_group()
    return summary


class _NoJoin:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()
