"""Chat conversations rendered to token ids with a Hugging Face tokenizer's chat template.

One renderer for every backend that tokenizes here (hf, llamacpp, openai with a local tokenizer), so
the same conversation is the same prompt, token for token, whichever runs it.
"""

from __future__ import annotations

from typing import Any

# A chat conversation: [{"role": "system"|"user"|"assistant", "content": "..."}]
Conversation = list[dict[str, str]]


def template_ids(tok: Any, conversation: Conversation, **options: bool) -> list[int]:
    """Token ids of `conversation` rendered with the chat template (newer tokenizers return a dict)."""
    ids = tok.apply_chat_template(conversation, tokenize=True, **options)
    if isinstance(ids, dict) or hasattr(ids, "keys"):
        ids = ids["input_ids"]
    return list(ids)


def encode_conversation(tok: Any, conversation: Conversation) -> list[int]:
    """Token ids of a chat, rendered with the model's chat template; a final assistant turn is
    continued (prefill) rather than closed."""
    if tok.chat_template:
        prefilled = conversation[-1]["role"] == "assistant"  # continue a started answer
        return template_ids(tok, conversation, add_generation_prompt=not prefilled, continue_final_message=prefilled)
    text = "\n\n".join(m["content"] for m in conversation) + "\n\n"
    return list(tok(text)["input_ids"])
