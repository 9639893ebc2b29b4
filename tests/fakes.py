"""A fake backend with queued answers (as `llm`'s MockModel): tests that see a model answer accepted.

The tiny random model only ever writes noise, so it exercises the fallbacks; `FakeBackend` answers what a
test queues, per prompt template, and records every prompt it was sent, so a test can assert both what the
pipeline asked and what it did with a good (or a bad) answer.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from summariser.backends.base import Backend, Conversation
from summariser.config import GenerationConfig
from summariser.prompts import prompts_dir

# An answer is a string, or a function of the prompt's last user turn (e.g. the sentence it asks about).
Answer = str | Callable[[str], str]


def _systems() -> dict[str, str]:
    """Each prompt template's system text, to tell which template a conversation was made from."""
    out = {}
    for path in sorted(prompts_dir().glob("*.toml")):
        out[tomllib.loads(path.read_text(encoding="utf-8")).get("system", "")] = path.stem
    return out


def document_of(user: str) -> str:
    """The text between the `<document>` markers of a prompt's user turn (the role prompt: its sentence)."""
    found = re.search(r"<document>\n(.*)\n</document>", user, re.DOTALL)
    if found:
        return found.group(1)
    found = re.search(r"Sentence: (.*)\n", user)
    return found.group(1) if found else user


@dataclass(frozen=True)
class Call:
    """One prompt the fake was sent: the template it came from and the whole conversation."""

    prompt: str
    conversation: Conversation

    @property
    def user(self) -> str:
        """The last user turn (the one that carries the document)."""
        return [m["content"] for m in self.conversation if m["role"] == "user"][-1]


class FakeBackend(Backend):
    """Answers from per-template queues; an exhausted queue gives `default` (None: the test fails)."""

    name = "fake"
    model_id = "fake-model"

    def __init__(
        self,
        answers: dict[str, Iterable[Answer]] | None = None,
        default: Answer | None = None,
        parameters: int | None = None,
        context_window: int = 2048,
    ) -> None:
        self.queues: dict[str, deque[Answer]] = {k: deque(v) for k, v in (answers or {}).items()}
        self.default = default
        self.calls: list[Call] = []
        self.batches: list[tuple[str, int]] = []  # one per generate() call: its template and size
        self._parameters = parameters
        self._context = context_window
        self._systems = _systems()

    def queue(self, prompt: str, *answers: Answer) -> None:
        """Add answers for the prompt template `prompt` (e.g. "role", "judgment")."""
        self.queues.setdefault(prompt, deque()).extend(answers)

    @property
    def context_window(self) -> int:
        return self._context

    @property
    def parameters(self) -> int | None:
        return self._parameters

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def prompts(self, name: str) -> list[Call]:
        """The calls made from template `name`, in order."""
        return [c for c in self.calls if c.prompt == name]

    def generate(
        self,
        conversations: list[Conversation],
        options: GenerationConfig,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        out = []
        for conversation in conversations:
            call = Call(self._systems.get(conversation[0]["content"], "unknown"), conversation)
            self.calls.append(call)
            queue = self.queues.get(call.prompt)
            if queue:
                answer = queue.popleft()
            elif self.default is not None:
                answer = self.default
            else:
                raise AssertionError(f"FakeBackend: no answer queued for a {call.prompt!r} prompt")
            out.append(answer(call.user) if callable(answer) else answer)
        if self.calls and conversations:
            self.batches.append((self.calls[-1].prompt, len(conversations)))
        return out
