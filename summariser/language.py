"""Which language a document is in, so that English-only models are not trusted on other languages.

The sentence splitter and entity recogniser (spaCy `en_core_web_sm`) and the default model are
English-only: on Russian, Arabic or Chinese news they produce confident debris (a verb typed as an
organisation, "что" as a role). `detect` names the language with py3langid (langid.py's model, 97
languages, deterministic, no download) and says whether the English models can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

SAMPLE_CHARS = 20_000  # enough for a confident answer; detection stays a few milliseconds
MIN_LETTERS = 20  # below this, a guess is noise: trust the default
MIN_PROBABILITY = 0.9  # for Latin-script text, where English and its neighbours share letters

NAMES = {
    "en": "English", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "fa": "Persian", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "he": "Hebrew", "hi": "Hindi",
    "ur": "Urdu", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech",
    "el": "Greek", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "sr": "Serbian", "hr": "Croatian",
    "id": "Indonesian", "ms": "Malay", "vi": "Vietnamese", "th": "Thai", "ka": "Georgian", "hy": "Armenian",
    "az": "Azerbaijani", "kk": "Kazakh",
}


@dataclass(frozen=True)
class Language:
    """A detected language: ISO 639-1 code, the detector's probability, and the share of letters in Latin script."""

    code: str
    probability: float
    latin: float = 1.0

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)

    @property
    def english(self) -> bool:
        """Whether the English-only models can be trusted on this text.

        Text mostly in another script (Cyrillic, Arabic, Han, ...) never is, however unsure the detector;
        Latin-script text is, unless the detector is confident it is another language.
        """
        if self.latin < 0.5:
            return False
        return self.code == "en" or self.probability < MIN_PROBABILITY

    @property
    def warning(self) -> str | None:
        """What the brief should say when the text is not English, else None."""
        if self.english:
            return None
        return (f"the document looks like {self.name} ({self.code}); the sentence "
                "splitter, the entity recogniser and the default model are English-only, so key actors are "
                "left out and the rest of this brief may be unreliable")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> Language:
    """The language of `text` (from its first `SAMPLE_CHARS` characters); English for too little text."""
    sample = text[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return Language("en", 0.0)
    latin = sum(ord(ch) < 0x250 for ch in letters) / len(letters)  # Basic Latin to Latin Extended-B
    code, probability = _identifier().classify(sample)
    return Language(str(code), float(probability), round(latin, 3))
