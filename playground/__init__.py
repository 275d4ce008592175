"""Briefbot's local playground: a Telegram Bot API emulator and a web chat page.

`playground.emulator.Emulator` is the Bot API emulator used by end-to-end tests.
"""
