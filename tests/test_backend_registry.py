"""The backend registry: plugins by entry point, names checked against it, loaded models reused."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import types

import pytest

from summariser.backends import Backend, registry
from summariser.config import GenerationConfig, ModelConfig, load_settings
from summariser.errors import ConfigError


class EchoBackend(Backend):
    """A plugin's backend: answers each conversation with its last turn, counts how often it loads."""

    name = "echo"
    load_fields = ("name",)
    loads = 0

    def __init__(self, config: ModelConfig) -> None:
        type(self).loads += 1
        self.config = config
        self.model_id = f"echo:{config.name}"

    @property
    def context_window(self) -> int:
        return 512

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, conversations, options, should_stop=None):
        return [c[-1]["content"] for c in conversations]


@pytest.fixture()
def echo_plugin(monkeypatch):
    """`echo` installed as a plugin would be: an entry point in the summariser.backends group."""
    module = types.ModuleType("echo_plugin")
    module.EchoBackend = EchoBackend  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "echo_plugin", module)
    entry = importlib.metadata.EntryPoint(name="echo", value="echo_plugin:EchoBackend", group=registry.ENTRY_POINT_GROUP)
    real = importlib.metadata.entry_points

    def entry_points(**params):
        if params.get("group") == registry.ENTRY_POINT_GROUP:
            return importlib.metadata.EntryPoints([entry])
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    EchoBackend.loads = 0
    yield
    registry._loaded.clear()


def test_a_plugin_backend_is_chosen_by_name_from_config(echo_plugin):
    settings = load_settings(model={"name": "m1", "backend": "echo"})
    assert "echo" in registry.backend_names()
    backend = registry.get_backend(settings.model)
    assert isinstance(backend, EchoBackend)
    assert backend.generate([[{"role": "user", "content": "hello"}]], GenerationConfig()) == ["hello"]


def test_an_unknown_backend_is_refused_with_the_known_names(echo_plugin):
    with pytest.raises(ConfigError) as err:
        load_settings(model={"backend": "nope"})
    message = str(err.value)
    assert "unknown backend 'nope'" in message
    assert "auto, echo, hf, llamacpp, openai" in message  # plugins listed beside the built-ins


def test_without_the_plugin_its_name_is_unknown():
    with pytest.raises(ConfigError, match="unknown backend 'echo'"):
        load_settings(model={"backend": "echo"})


def test_changing_batch_size_reuses_the_loaded_backend(echo_plugin):
    first = registry.get_backend(ModelConfig(name="m1", backend="echo", batch_size=4))
    second = registry.get_backend(ModelConfig(name="m1", backend="echo", batch_size=1))
    assert EchoBackend.loads == 1  # not loaded again
    assert (first.config.batch_size, second.config.batch_size) == (4, 1)  # each caller sees its own settings
    assert registry.get_backend(ModelConfig(name="m1", backend="echo", batch_size=4)) is first
    registry.get_backend(ModelConfig(name="m2", backend="echo"))
    assert EchoBackend.loads == 2  # other weights: a new load


def test_changing_batch_size_reuses_the_loaded_hf_model(tiny_settings):
    first = registry.get_backend(tiny_settings.model)
    second = registry.get_backend(tiny_settings.model.model_copy(update={"batch_size": 1, "prefix_cache": False}))
    assert second is not first
    assert second._model is first._model and second._tok is first._tok
    assert second.config.batch_size == 1 and first.config.batch_size == tiny_settings.model.batch_size
    other_dtype = "bfloat16" if first.dtype == "float32" else "float32"
    third = registry.get_backend(tiny_settings.model.model_copy(update={"dtype": other_dtype}))
    assert third._model is not first._model  # the dtype changes the weights: loaded on its own


def test_a_plugin_that_fails_to_import_is_a_one_line_error(monkeypatch):
    entry = importlib.metadata.EntryPoint(name="broken", value="no_such_module_xyz:Backend",
                                          group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **params: importlib.metadata.EntryPoints([entry]))
    with pytest.raises(ConfigError, match="backend plugin 'broken' .*could not be loaded"):
        registry.get_backend(ModelConfig(backend="broken"))


def test_register_backend_at_run_time(monkeypatch):
    monkeypatch.setattr(registry, "_registered", {})
    registry.register_backend("echo2", EchoBackend)
    backend = registry.get_backend(ModelConfig(name="x", backend="echo2"))
    assert isinstance(backend, EchoBackend)
    with pytest.raises(ConfigError):
        registry.register_backend("auto", EchoBackend)
    registry._loaded.clear()


@pytest.mark.parametrize("module", ["summariser.backends.base", "summariser.backends.registry",
                                    "summariser.backends.gguf", "summariser.backends.hf",
                                    "summariser.backends.llamacpp", "summariser.config", "summariser.paths"])
def test_backend_modules_import_on_their_own(module):
    # A fresh interpreter per module: an import circle fails here even when another import order hides it.
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_base_imports_no_backend_implementation():
    code = ("import sys, summariser.backends.base; "
            "print(sorted(m for m in sys.modules if m.startswith('summariser.backends.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    loaded = eval(done.stdout)  # noqa: S307 - our own printed list
    assert not {"summariser.backends.hf", "summariser.backends.llamacpp", "summariser.backends.openai_compat"} & set(loaded)
