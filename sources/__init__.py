"""Links and forwarded posts: safe fetching, article extraction, Telegram message parsing.

- `sources.fetch.SafeFetcher`: the SSRF-safe HTTP client (one per application).
- `sources.links.fetch_article` / `brief_link`: a URL to an Article / a Brief.
- `sources.telegram.parse_message` / `merge_album` / `choose_target`: what a post offers.
- `sources.config`: every limit, and BRIEFBOT_ALLOW_PRIVATE_HOSTS.
"""
