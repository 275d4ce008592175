"""Real-looking article pages for the tests."""

from __future__ import annotations

PARAGRAPHS = [
    "The European Union announced new sanctions against Russia on Tuesday over the poisoning "
    "and imprisonment of the opposition politician Alexei Navalny, EU foreign policy chief "
    "Josep Borrell told reporters in Brussels after a meeting of foreign ministers.",
    "Kremlin spokesman Dmitry Peskov said Moscow regretted the decision. \u201cWe have "
    "repeatedly said that we regret this and that we are looking for ways to normalize "
    "relations,\u201d Peskov told journalists, adding that the Europeans had switched to "
    "double standards.",
    "Borrell said the bloc would keep a channel of dialogue open with Moscow on climate, "
    "health and the Iran nuclear deal, while the sanctions would target officials "
    "responsible for the case.",
]


def article_html(
    *,
    title: str = "Moscow looks for ways to improve relations with EU despite differences",
    canonical: str | None = "/news/moscow-eu",
    paragraphs: list[str] | None = None,
    charset_meta: str | None = "utf-8",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html>
<html lang="en"><head>{meta}
<title>{title} - World Desk</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="World Desk">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2021-02-10T09:30:00Z">
{link}
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
{body}
</article>
<footer>Copyright World Desk. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""
