"""Model backends behind one small interface, looked up by name (built-ins and plugins: `registry`)."""

from .base import Backend, Conversation
from .registry import backend_name, backend_names, get_backend, register_backend

__all__ = ["Backend", "Conversation", "backend_name", "backend_names", "get_backend", "register_backend"]
