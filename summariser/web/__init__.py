"""The web demo: the same pipeline as the CLI, in a browser (Gradio).

`app` wires the page, `jobs` runs one visitor's request in a worker thread, `views` renders the
progress and the briefs as HTML, `downloads` writes the files, `evaluation_tab` explains the
published results.
"""

from __future__ import annotations

from .app import build_app, close_app, serve
from .jobs import BriefJob, documents_from

__all__ = ["BriefJob", "build_app", "close_app", "documents_from", "serve"]
