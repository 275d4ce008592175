"""Every limit of the engine, with its unit, in one place."""

# Input longer than this is cut (at a paragraph boundary) before any work: characters.
MAX_INPUT_CHARS = 200_000
# Sentences split out of an article, and the characters searched for them; the rest is ignored:
# sentences, characters.
MAX_SENTENCES = 400
MAX_SPLIT_CHARS = 60_000
# Sentences the ranker looks at (from the start of the article); LexRank's similarity matrix grows
# with n squared, and news puts the point first: sentences.
MAX_RANKED_SENTENCES = 25
# Fewer letters than this and there is nothing to brief: letters.
MIN_LETTERS = 40
# Below this share of letters among the visible characters the input is not prose
# (binary garbage, tables of numbers, emoji): fraction of non-space characters.
MIN_LETTER_SHARE = 0.5
# Fewer words than this is a phrase, not an article: words.
MIN_WORDS = 8
# Words of prose average a handful of letters; above this mean it is a hash, base64 or one key
# held down: letters.
MAX_MEAN_WORD_LETTERS = 20
# Sample of the text the checks above look at: characters.
PROSE_SAMPLE_CHARS = 20_000
# Text sample given to the language detector (its cost grows with the length): characters.
LANGUAGE_SAMPLE_CHARS = 800
# Stems remembered per language (a bounded cache: about 100 bytes a word): words.
STEM_CACHE_WORDS = 50_000
# Default and maximum number of summary sentences.
DEFAULT_SUMMARY_SENTENCES = 3
MAX_SUMMARY_SENTENCES = 10

# Normalisation.
# A header, byline or timestamp line is at most this long: words.
MAX_META_LINE_WORDS = 25
# A headline (a short first line without final punctuation) is at most this long: words, characters.
MAX_HEADLINE_WORDS = 25
MAX_HEADLINE_CHARS = 200
# Paragraphs at the start of an article searched for a dateline or a photo credit: paragraphs.
DATELINE_PARAGRAPHS = 3
# A dateline or agency prefix ("MOSCOW (UrduPoint News / Sputnik - 10th February, 2021)") is at most
# this long: characters.
MAX_PREFIX_CHARS = 120

# Sentences.
# Quotations open at once (nested or never closed) that are tracked: quotations.
MAX_QUOTE_DEPTH = 8
# A quotation longer than this is taken to be unbalanced (a missing closing mark), so sentence
# boundaries inside it are kept: characters.
MAX_QUOTE_CHARS = 1_500
# A summary sentence has at least this many words; shorter ones are fragments: words.
MIN_SUMMARY_SENTENCE_WORDS = 4
# A summary sentence is cut (with an ellipsis) beyond this: characters.
MAX_SUMMARY_SENTENCE_CHARS = 600
# A summary sentence longer than this is a run-on (a table, a list glued together): words.
MAX_SUMMARY_SENTENCE_WORDS = 80
