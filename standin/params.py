"""Reading Bot API parameters as Telegram does: form fields, multipart parts or a JSON body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from standin.errors import bad_request


@dataclass(frozen=True)
class Upload:
    content: bytes
    filename: str | None
    content_type: str | None


class Params:
    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload]) -> None:
        self._values = values
        self._uploads = uploads

    @classmethod
    async def read(cls, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.content_type == "application/json":
            body = await request.json()
            values.update(body if isinstance(body, dict) else {})
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue
                data = await part.read()
                filename = getattr(part, "filename", None)
                if filename:
                    content_type = part.headers.get("Content-Type")
                    uploads[part.name] = Upload(bytes(data), filename, content_type)
                else:
                    values[part.name] = bytes(data).decode()
        elif request.can_read_body:
            form = await request.post()
            values.update({key: value for key, value in form.items() if isinstance(value, str)})
        return cls(values, uploads)

    def has(self, name: str) -> bool:
        return name in self._values or name in self._uploads

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self._values.get(name, default)
        return None if value is None else value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be a number') from None

    def required_integer(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def flag(self, name: str) -> bool:
        value = self._values.get(name)
        return value is True or (isinstance(value, str) and value.lower() == "true")

    def json_value(self, name: str) -> Any:
        value = self._values.get(name)
        if value is None or not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def file(self, name: str) -> Upload | str | None:
        """An uploaded file (directly or via ``attach://``), or a file_id string."""
        if name in self._uploads:
            return self._uploads[name]
        value = self.text(name)
        if value and value.startswith("attach://"):
            return self._uploads.get(value.removeprefix("attach://"))
        return value
