"""The emulator's HTTP endpoints for the bot: `/bot<token>/<method>` and file downloads."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import tornado.web

from playground.records import ApiError, StoredFile, bad_request, new_file

if TYPE_CHECKING:
    from playground.emulator import Emulator

log = logging.getLogger("playground.emulator")


def log_request(handler: tornado.web.RequestHandler) -> None:
    # Tornado's default access log prints the path, and the path holds the bot token.
    status = handler.get_status()
    method = handler.path_args[1] if len(handler.path_args) > 1 else handler.request.method
    log.debug("%s %s %.1f ms", status, method, 1000 * handler.request.request_time())


class ApiHandler(tornado.web.RequestHandler):
    """/bot<token>/<method>: query string, form, multipart or JSON body, as Telegram accepts."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def check_xsrf_cookie(self) -> None:
        return None

    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def _answer(self, token: str, method: str) -> None:
        self.set_header("Content-Type", "application/json")
        try:
            if token != self.emulator.api.token:
                raise ApiError(401, "Unauthorized")
            params, files = self._parameters()
            if method.lower() == "getupdates":
                result: Any = await self.emulator.get_updates(params)
            else:
                result = self.emulator.api.call(method, params, files)
            self.write(json.dumps({"ok": True, "result": result}))
        except ApiError as exc:
            self.set_status(exc.code)
            self.write(json.dumps(exc.to_json()))

    def _parameters(self) -> tuple[dict[str, Any], dict[str, StoredFile]]:
        params: dict[str, Any] = {
            name: values[-1].decode("utf-8", errors="replace")
            for name, values in self.request.arguments.items()
            if values
        }
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(self.request.body or b"{}")
            except ValueError:
                raise bad_request("can't parse JSON body") from None
            if isinstance(body, dict):
                params.update(body)
        files = {
            name: new_file(parts[-1]["body"], parts[-1].get("filename") or None,
                           parts[-1].get("content_type") or None)
            for name, parts in self.request.files.items()
            if parts
        }
        return params, files


class FileHandler(tornado.web.RequestHandler):
    """/file/bot<token>/<file_path>: downloads of files the user sent (getFile's file_path)."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def get(self, token: str, path: str) -> None:
        api = self.emulator.api
        stored = api.files.get(path.rsplit("/", 1)[-1]) if token == api.token else None
        if stored is None:
            self.set_status(404)
            self.write({"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.write(stored.content)
