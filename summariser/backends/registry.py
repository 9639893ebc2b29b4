"""The registry of backend names: the built-in backends and those plugins add.

A plugin package makes its backend available by name with an entry point in the `summariser.backends`
group of its pyproject.toml:

    [project.entry-points."summariser.backends"]
    mybackend = "my_package.backend:MyBackend"

The object named is a factory: called with the `ModelConfig`, it returns a `Backend` (a `Backend`
subclass is one). The built-ins are named the same way (`BUILTIN`) and imported only when chosen;
`register_backend` adds a factory at run time (tests, notebooks). Loaded backends are kept per process,
keyed on what they load (`Backend.load_fields`), so changing e.g. `batch_size` reuses the loaded model.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import ConfigError
from .gguf import names_gguf

if TYPE_CHECKING:
    from ..config import ModelConfig
    from .base import Backend

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "summariser.backends"
AUTO = "auto"
BUILTIN: dict[str, str] = {
    "hf": "summariser.backends.hf:HFBackend",
    "llamacpp": "summariser.backends.llamacpp:LlamaCppBackend",
    "openai": "summariser.backends.openai_compat:OpenAIBackend",
}
MAX_LOADED = 4  # backends kept loaded at once (each may hold a model's weights)

BackendFactory = Callable[["ModelConfig"], "Backend"]

_registered: dict[str, BackendFactory] = {}
# Full-config key -> (load key, backend), most recently used last.
_loaded: OrderedDict[str, tuple[str, Backend]] = OrderedDict()
_lock = threading.RLock()  # one load at a time (two threads asking for one model load it once); reentrant: a
# plugin's factory may itself get_backend() the backend it wraps


def register_backend(name: str, factory: BackendFactory) -> None:
    """Make a backend available under `name` for this process (plugins installed as packages use the
    `summariser.backends` entry-point group instead, so every process sees them)."""
    if not name or name == AUTO:
        raise ConfigError(f"a backend cannot be named {name!r}")
    with _lock:
        _registered[name] = factory
        for key in [k for k, (load, _) in _loaded.items() if json.loads(load)[0] == name]:
            del _loaded[key]  # a factory registered again replaces what the old one loaded


def _plugins() -> dict[str, importlib.metadata.EntryPoint]:
    """The entry points of the `summariser.backends` group, by name (the first of a name wins)."""
    found: dict[str, importlib.metadata.EntryPoint] = {}
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in BUILTIN or entry.name == AUTO:
            log.warning("backend plugin %s (%s) ignored: the name is built in", entry.name, entry.value)
            continue
        found.setdefault(entry.name, entry)
    return found


def backend_names() -> list[str]:
    """Every backend that can be chosen by name ('auto' aside): built-ins, plugins and registered ones."""
    return sorted({*BUILTIN, *_plugins(), *_registered})


def unknown_backend_message(name: str) -> str:
    """The one-line error for a backend name nobody provides."""
    return (f"unknown backend {name!r}; known backends: {', '.join([AUTO, *backend_names()])} "
            f"(a plugin adds one through the {ENTRY_POINT_GROUP!r} entry-point group)")


def check_backend_name(name: str) -> str:
    """`name` if a backend of that name exists (or it is 'auto'); else ValueError saying which exist."""
    if name == AUTO or name in _registered or name in BUILTIN or name in _plugins():
        return name
    raise ValueError(unknown_backend_message(name))


def factory_for(name: str) -> BackendFactory:
    """The factory of backend `name`, imported now (built-ins and plugins are imported only when chosen)."""
    if name in _registered:
        return _registered[name]
    if name in BUILTIN:
        module, _, attr = BUILTIN[name].partition(":")
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
    entry = _plugins().get(name)
    if entry is None:
        raise ConfigError(unknown_backend_message(name))
    try:
        return entry.load()  # type: ignore[no-any-return]
    except Exception as exc:  # noqa: BLE001 - a broken plugin is a one-line error, not a traceback
        raise ConfigError(f"backend plugin {name!r} ({entry.value}) could not be loaded: {exc}") from None


def llamacpp_installed() -> bool:
    """Whether the llamacpp extra (llama-cpp-python) is importable, without importing it."""
    return importlib.util.find_spec("llama_cpp") is not None


def backend_name(config: ModelConfig) -> str:
    """The backend a model config resolves to. 'auto': openai when a server URL is set; llamacpp for a
    GGUF model (the default is one) when the llamacpp extra is installed; else hf."""
    if config.backend != AUTO:
        return config.backend
    if config.base_url:
        return "openai"
    return "llamacpp" if names_gguf(config.name) and llamacpp_installed() else "hf"


def _key(name: str, config: ModelConfig, fields: tuple[str, ...] | None = None) -> str:
    data = config.model_dump(mode="json", include=set(fields) if fields is not None else None)
    return json.dumps([name, data], sort_keys=True)


def get_backend(config: ModelConfig) -> Backend:
    """The backend for `config`, loaded once per process and shared by every caller.

    A config that differs from a loaded one only outside the backend's `load_fields` (say `batch_size`)
    gets the loaded backend under the new settings (`Backend.with_config`): the model is not loaded again.
    """
    name = backend_name(config)
    full = _key(name, config)
    with _lock:
        if full in _loaded:
            _loaded.move_to_end(full)
            return _loaded[full][1]
        factory = factory_for(name)
        load = _key(name, config, getattr(factory, "load_fields", None))
        same = next((backend for key, backend in reversed(_loaded.values()) if key == load), None)
        backend = same.with_config(config) if same is not None else factory(config)
        _loaded[full] = (load, backend)
        while len(_loaded) > MAX_LOADED:
            _loaded.popitem(last=False)
        return backend
