"""Every limit of the engine, with its unit, in one place."""

# Input longer than this is cut (at a paragraph boundary) before any work: characters.
MAX_INPUT_CHARS = 200_000
# Sentences considered for the summary; LexRank's similarity matrix grows with n squared.
MAX_SENTENCES = 400
# Fewer letters than this and there is nothing to brief: letters.
MIN_LETTERS = 40
# Default and maximum number of summary sentences.
DEFAULT_SUMMARY_SENTENCES = 3
MAX_SUMMARY_SENTENCES = 10
