"""Round-trip YAML (ruamel.yaml): load and dump nlu_data files keeping comments, order, quotes and indentation."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

# nlu_data uses two layouts: sequences flush with their key (faq/, domain forms) or indented by two (nlu/, rules).
_LAYOUTS = ((2, 2, 0), (2, 4, 2))


class YamlFileError(ValueError):
    """A YAML file that cannot be read; the message is plain Chinese and names the file."""


def _yaml(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long Chinese lines
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


class YamlDocument:
    """One YAML file's data, loaded for editing, that dumps back with the file's own layout."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.original = text
        self._layout = _LAYOUTS[0]
        try:
            self.data = _yaml(self._layout).load(text)
        except YAMLError as exc:
            raise YamlFileError(f"文件 {name} 的格式有错，无法读取：{_first_line(exc)}") from exc
        for layout in _LAYOUTS:  # pick the layout that reproduces the file byte for byte
            if _dump(_yaml(layout), self.data) == text:
                self._layout = layout
                break
        if self.data is None:
            self.data = _yaml(self._layout).map()

    def dump(self) -> str:
        """The document as text, in the file's layout."""
        return _dump(_yaml(self._layout), self.data)


def parse_check(name: str, text: str) -> str | None:
    """None when `text` is valid YAML, else a plain-language message naming the file."""
    try:
        YAML(typ="safe").load(text)
    except YAMLError as exc:
        return f"文件 {name} 保存后不是有效的 YAML：{_first_line(exc)}"
    return None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
