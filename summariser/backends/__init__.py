"""Model backends behind one small interface, looked up by name."""

from .base import Backend, Conversation, get_backend, register_backend

__all__ = ["Backend", "Conversation", "get_backend", "register_backend"]
