"""A user's alias file: explicit merges, splits and ignores, applied on every run.

```toml
# Names never made into entities (any case).
ignore = ["Reuters", "Getty Images"]
# Names no rule may merge into another entity (a `Jordan` that is not Michael Jordan).
split = ["Jordan"]

# Canonical name = the other names that mean it.
[merge]
"United Nations" = ["UN", "U.N."]
"Helen Hai" = ["Hai"]
```
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsents.errors import AliasFileError
from newsents.models import Reason
from newsents.resolve.names import canonical_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class _Keyed(Protocol):
    key: str
    reason: Reason | None

    @property
    def mention(self) -> Any: ...


class AliasRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ignore: list[str] = Field(default_factory=list)
    split: list[str] = Field(default_factory=list)
    merge: dict[str, list[str]] = Field(default_factory=dict)

    def ignores(self, name: str) -> bool:
        return canonical_key(name) in {canonical_key(n) for n in self.ignore}

    def splits(self, name: str) -> bool:
        return canonical_key(name) in {canonical_key(n) for n in self.split}

    def targets(self) -> dict[str, str]:
        """Canonical key of every alias (and of the canonical name itself) → canonical key."""
        found = {}
        for canonical, names in self.merge.items():
            target = canonical_key(canonical)
            for name in [canonical, *names]:
                found[canonical_key(name)] = target
        return found

    def apply_merges(self, items: Iterable[_Keyed]) -> None:
        targets = self.targets()
        for item in items:
            target = targets.get(canonical_key(item.mention.name)) or targets.get(item.key)
            if target and target != item.key:
                item.key, item.reason = target, "alias_file"

    def display_names(self) -> dict[str, str]:
        return {canonical_key(c): c for c in self.merge}


def read_alias_file(path: str | Path) -> AliasRules:
    """Parse and check an alias file; one clear error if it is not right."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot read alias file: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AliasFileError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return AliasRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AliasFileError(f"{path}: {where}: {first['msg']}") from exc
