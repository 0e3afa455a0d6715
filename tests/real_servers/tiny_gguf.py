"""Write a tiny random-weight llama model as GGUF, for protocol tests against real model servers.

Why: real OpenAI-compatible servers (llama.cpp's ``llama-server``, ``llama-cpp-python``'s server)
need a model file, no trained weights can be had here, and nothing may download one. A 2-layer,
64-wide llama with a byte-level SentencePiece vocabulary (3 special tokens + 256 byte tokens) is
written in well under a second and stays under 1 MB. Its output projection is zero, so every token
is equally likely and sampling is uniform over whatever the server's grammar allows: the text is
nonsense, but the *shape* (JSON that a schema grammar admits) is exactly what the server enforces.
"""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

SPECIAL_TOKENS = ("<unk>", "<s>", "</s>")
BYTE_TOKEN_COUNT = 256
VOCAB_SIZE = len(SPECIAL_TOKENS) + BYTE_TOKEN_COUNT
WIDTH = 64
LAYERS = 2
HEADS = 4
FEED_FORWARD = 128
CONTEXT_LENGTH = 32768
CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def write_tiny_llama(path: Path, *, seed: int = 0, context_length: int = CONTEXT_LENGTH) -> Path:
    """Write the model to ``path`` (parent folders created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("summarizer-tiny-random")
    writer.add_context_length(context_length)
    writer.add_embedding_length(WIDTH)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FEED_FORWARD)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(HEADS)
    writer.add_rope_dimension_count(WIDTH // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)

    tokens = [*SPECIAL_TOKENS, *(f"<0x{byte:02X}>" for byte in range(BYTE_TOKEN_COUNT))]
    token_types = [
        gguf.TokenType.UNKNOWN,
        gguf.TokenType.CONTROL,
        gguf.TokenType.CONTROL,
        *([gguf.TokenType.BYTE] * BYTE_TOKEN_COUNT),
    ]
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * VOCAB_SIZE)
    writer.add_token_types(token_types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    writer.add_chat_template(CHATML_TEMPLATE)

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    writer.add_tensor("token_embd.weight", weights(VOCAB_SIZE, WIDTH))
    writer.add_tensor("output_norm.weight", np.ones(WIDTH, dtype=np.float32))
    # Zero output projection: uniform next-token distribution, so only the grammar shapes output.
    writer.add_tensor("output.weight", np.zeros((VOCAB_SIZE, WIDTH), dtype=np.float32))
    for layer in range(LAYERS):
        prefix = f"blk.{layer}"
        writer.add_tensor(f"{prefix}.attn_norm.weight", np.ones(WIDTH, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{prefix}.{name}.weight", weights(WIDTH, WIDTH))
        writer.add_tensor(f"{prefix}.ffn_norm.weight", np.ones(WIDTH, dtype=np.float32))
        writer.add_tensor(f"{prefix}.ffn_gate.weight", weights(FEED_FORWARD, WIDTH))
        writer.add_tensor(f"{prefix}.ffn_up.weight", weights(FEED_FORWARD, WIDTH))
        writer.add_tensor(f"{prefix}.ffn_down.weight", weights(WIDTH, FEED_FORWARD))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
