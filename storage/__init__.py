"""The store: the `Store` protocol and its records (storage.base), and the TinyDB backend.

    store = open_store(config.data_dir)   # a Path; BRIEFBOT_DATA_DIR is read by the bot's config
    await store.open()                    # in post_init
    ...
    await store.close()                   # in post_shutdown
"""

from storage.base import (
    Article,
    DeletionReport,
    DigestRecord,
    FeedState,
    HistoryItem,
    RetentionPolicy,
    Store,
    StoreError,
    StoreHealth,
    Subscription,
    UserExport,
    UserSettings,
)
from storage.tinydb_store import TinyStore, open_store

__all__ = [
    "Article",
    "DeletionReport",
    "DigestRecord",
    "FeedState",
    "HistoryItem",
    "RetentionPolicy",
    "Store",
    "StoreError",
    "StoreHealth",
    "Subscription",
    "TinyStore",
    "UserExport",
    "UserSettings",
    "open_store",
]
