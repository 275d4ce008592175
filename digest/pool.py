"""The article pool: every briefed article (forwarded or from a feed) kept once, without its sender.

An article is the same as one already pooled when its canonical URL is the same (tracking
parameters, fragments, `www.` and default ports do not count) or when its text is a near duplicate:
the 64-bit simhash of its word shingles differs in at most NEAR_DUPLICATE_BITS bits from one
pooled within `DEDUP_WINDOW`. Simhash is a few lines here: the one library on PyPI for it is
unmaintained, and MinHash (datasketch) needs an in-memory LSH index and a long signature where the
store keeps one short `fingerprint` string.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from briefing.model import Brief
from digest.clock import Clock
from digest.topics import BriefTerms, brief_terms, parse_topic
from storage.base import Article, Store

log = logging.getLogger(__name__)

FINGERPRINT_BITS = 64
SHINGLE_WORDS = 3  # words per shingle: short enough to survive small edits, long enough to be rare
# Hamming distance at or below which two texts are the same article. Measured on the seed
# article: a changed word plus a credit line 2 bits, the paragraphs reordered 10, two different
# paragraphs of the same story 38; unrelated texts average 32 (binomial, sd 4).
NEAR_DUPLICATE_BITS = 6
DEDUP_WINDOW = timedelta(days=7)  # near duplicates are looked for among articles this recent
MIN_FINGERPRINT_WORDS = 20  # shorter texts get no fingerprint: too many false twins

# Query parameters that only say who shared a link or which campaign it came from.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "yclid",
        "dclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "_ga",
        "cmpid",
        "ito",
        "ns_mchannel",
        "ns_source",
        "si",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def canonical_url(url: str) -> str | None:
    """A stable key for a URL, or None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return None
    host = host.removeprefix("www.")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    )
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    # http and https name the same article: the key is scheme-less.
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


_BIT_MASKS = [np.uint64(1 << bit) for bit in range(FINGERPRINT_BITS)]


def simhash(text: str) -> int | None:
    """64-bit simhash of the text's word shingles; None for texts too short to fingerprint."""
    tokens = [w.casefold() for w in _WORD.findall(text)]
    if len(tokens) < MIN_FINGERPRINT_WORDS:
        return None
    shingles = len(tokens) - SHINGLE_WORDS + 1
    hashes = np.fromiter(
        (_hash64(" ".join(tokens[i : i + SHINGLE_WORDS])) for i in range(shingles)),
        dtype=np.uint64,
        count=shingles,
    )
    # A bit is set when more shingles have it than not. Counted with numpy, one bit at a time
    # (no shingles x 64 temporary): the per-shingle Python loop cost ~3.5 ms a brief.
    return sum(
        1 << bit
        for bit in range(FINGERPRINT_BITS)
        if 2 * int(np.count_nonzero(hashes & _BIT_MASKS[bit])) > shingles
    )


def fingerprint(text: str) -> str | None:
    value = simhash(text)
    return None if value is None else f"{value:016x}"


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class FingerprintIndex:
    """Near-duplicate lookup over the fingerprints of the last DEDUP_WINDOW.

    A linear scan of popcounts: a week of articles is a few thousand integers (about a
    millisecond); banding (LSH) would only pay for itself at hundreds of thousands.
    """

    def __init__(self) -> None:
        self._values: list[tuple[int, str]] = []

    def add(self, value: int, article_id: str) -> None:
        self._values.append((value, article_id))

    def find(self, value: int) -> str | None:
        best: tuple[int, str] | None = None
        for other, article_id in self._values:
            distance = hamming(value, other)
            if distance <= NEAR_DUPLICATE_BITS and (best is None or distance < best[0]):
                best = (distance, article_id)
        return best[1] if best else None


def article_id_for(url: str | None, text: str) -> str:
    """The pool key: from the canonical URL, else from the normalised text."""
    canonical = canonical_url(url) if url else None
    if canonical:
        return "u" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
    normal = " ".join(w.casefold() for w in _WORD.findall(text))
    return "t" + hashlib.sha256(normal.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class PooledBrief:
    """An article of the pool with its Brief parsed and its topic terms computed once."""

    article: Article
    brief: Brief
    terms: BriefTerms


class PoolSnapshot:
    """The pool of one digest run, with matches cached by topic and by feed: users share topics,
    so each distinct topic is matched against the pool once per run, not once per user."""

    def __init__(self, pooled: Sequence[PooledBrief]) -> None:
        self.pooled = list(pooled)
        self._by_topic: dict[str, frozenset[int]] = {}
        self._by_feed: dict[str, set[int]] = {}
        for i, p in enumerate(self.pooled):
            if p.article.feed_url:
                key = canonical_url(p.article.feed_url) or p.article.feed_url
                self._by_feed.setdefault(key, set()).add(i)

    def _topic(self, text: str) -> frozenset[int]:
        found = self._by_topic.get(text)
        if found is None:
            topic = parse_topic(text)
            found = frozenset(i for i, p in enumerate(self.pooled) if topic.matches(p.terms))
            self._by_topic[text] = found
        return found

    def matching(
        self, topics: Sequence[str], feeds: Sequence[str], since: datetime
    ) -> list[PooledBrief]:
        """Articles since `since` that match any of the topics or come from any of the feeds."""
        hits: set[int] = set()
        for text in topics:
            hits |= self._topic(text)
        for url in feeds:
            hits |= self._by_feed.get(canonical_url(url) or url, set())
        return [self.pooled[i] for i in sorted(hits) if self.pooled[i].article.created_at >= since]


# Computes `simhash(text)`; the bot passes one that runs it in its worker processes, because it
# is a few milliseconds of pure-Python CPU a brief that would otherwise hold up the event loop.
Fingerprinter = Callable[[str], Awaitable[int | None]]


async def _simhash_here(text: str) -> int | None:
    return simhash(text)


class ArticlePool:
    """Adds briefs to the store's shared pool once, and reads recent ones back for the digest."""

    def __init__(
        self, store: Store, clock: Clock, *, fingerprinter: Fingerprinter = _simhash_here
    ) -> None:
        self._store = store
        self._clock = clock
        self._fingerprint = fingerprinter
        self._index: FingerprintIndex | None = None
        self._parsed: dict[str, PooledBrief] = {}

    async def _load_index(self) -> FingerprintIndex:
        if self._index is None:
            index = FingerprintIndex()
            for article in await self._store.articles_since(self._clock() - DEDUP_WINDOW):
                if article.fingerprint:
                    index.add(int(article.fingerprint, 16), article.id)
            self._index = index
        return self._index

    async def add(
        self,
        brief: Brief,
        *,
        url: str | None = None,
        feed_url: str | None = None,
        published: datetime | None = None,
    ) -> Article:
        """Keep the brief once; returns the pooled article (an earlier twin wins).

        `published` (a feed item's date) dates the article when it is in the past, so an old item
        of a newly followed feed does not show up as today's news.
        """
        now = self._clock()
        created = min(published, now) if published is not None else now
        url = url or brief.source.url
        fp_value = await self._fingerprint(brief.text)
        index = await self._load_index()
        if fp_value is not None:
            twin = index.find(fp_value)
            if twin is not None:
                existing = await self._store.get_article(twin)
                if existing is not None:
                    return existing
        article = Article(
            id=article_id_for(url, brief.text),
            created_at=created,
            brief=brief.to_json(),
            url=url,  # as sent: the canonical form is only a key (it forces https, drops www.)
            fingerprint=None if fp_value is None else f"{fp_value:016x}",
            feed_url=feed_url,
        )
        stored = await self._store.put_article(article)
        if fp_value is not None and stored.id == article.id:
            index.add(fp_value, stored.id)
        return stored

    async def since(self, since: datetime) -> list[PooledBrief]:
        """Pooled articles created at or after `since`, parsed once and cached by id."""
        articles: Sequence[Article] = await self._store.articles_since(since)
        result: list[PooledBrief] = []
        live: set[str] = set()
        for article in articles:
            live.add(article.id)
            pooled = self._parsed.get(article.id)
            if pooled is None:
                try:
                    parsed = Brief.from_json(article.brief)
                except (KeyError, TypeError, ValueError):
                    log.warning("pool: article %s has an unreadable brief, skipped", article.id)
                    continue
                pooled = PooledBrief(article, parsed, brief_terms(parsed))
                self._parsed[article.id] = pooled
            result.append(pooled)
        # Forget what fell out of the window so the cache stays the size of one window.
        for stale in set(self._parsed) - live:
            del self._parsed[stale]
        return result
