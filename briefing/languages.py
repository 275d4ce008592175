"""The languages the engine supports, and their names for the sentence splitter and stemmers."""

SUPPORTED: dict[str, str] = {
    "en": "english",
    "ru": "russian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
}
