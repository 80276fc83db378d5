"""A user's alias file: explicit merges, splits, ignores and types, applied on every run.

```toml
# Names never made into entities (any case).
ignore = ["Reuters", "Getty Images"]
# Names no rule may merge into another entity (a `Jordan` that is not Michael Jordan):
# everywhere, or only in some articles (ids, or globs of their paths) or sentences (words).
split = [
    "Jordan",
    { name = "Brown", paths = ["*/music/*"] },
    { name = "Hai", articles = ["20ee96ebc4b93a35"], context = ["Haiti"] },
]

# Canonical name = the other names that mean it.
[merge]
"United Nations" = ["UN", "U.N."]
"Helen Hai" = ["Hai"]

# The type of an entity, whatever the model and the corpus said.
[type]
"Liberal Democrats" = "organization"
```
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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


class Where(BaseModel):
    """The mention of `name` a split applies to: in one of `articles` (ids), at a path one of
    `paths` matches (globs: `*/sport/*`), in a sentence naming one of `context` (whole words,
    any case). Each list given must hold; none given: everywhere."""

    model_config = ConfigDict(extra="forbid")

    name: str
    articles: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)

    def holds(self, article: str, path: str, sentence: str) -> bool:
        return (
            (not self.articles or article in self.articles)
            and (not self.paths or any(fnmatchcase(path, glob) for glob in self.paths))
            and (not self.context or any(_names_word(sentence, w) for w in self.context))
        )


def _names_word(sentence: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", sentence, re.IGNORECASE) is not None


class AliasRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ignore: list[str] = Field(default_factory=list)
    split: list[str | Where] = Field(default_factory=list)
    merge: dict[str, list[str]] = Field(default_factory=dict)
    type: dict[str, Literal["person", "organization", "place"]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_canonical_name_per_alias(self) -> AliasRules:
        merged_into: dict[str, str] = {}
        for canonical, names in self.merge.items():
            for name in names:
                other = merged_into.setdefault(canonical_key(name), canonical)
                if canonical_key(other) != canonical_key(canonical):
                    raise ValueError(f"{name!r} is merged into both {other!r} and {canonical!r}")
        return self

    def says_anything(self) -> bool:
        """Whether any rule is given (an empty file says nothing)."""
        return bool(self.ignore or self.split or self.merge or self.type)

    def ignores(self, name: str) -> bool:
        return bool(self.ignore) and canonical_key(name) in {canonical_key(n) for n in self.ignore}

    def may_split(self, name: str) -> bool:
        """Whether a split names `name`, wherever it applies."""
        key = canonical_key(name)
        return any(canonical_key(r if isinstance(r, str) else r.name) == key for r in self.split)

    def splits(self, name: str, article: str = "", path: str = "", sentence: str = "") -> bool:
        """Whether the mention of `name` (in that article, at that path, in that sentence)
        keeps an entity of its own."""
        key = canonical_key(name)
        for rule in self.split:
            if isinstance(rule, str):
                if canonical_key(rule) == key:
                    return True
            elif canonical_key(rule.name) == key and rule.holds(article, path, sentence):
                return True
        return False

    def split_names(self) -> list[str]:
        """Each split as one line: the name, and where when not everywhere."""
        lines = []
        for rule in self.split:
            if isinstance(rule, str):
                lines.append(rule)
                continue
            where = [
                f"{k} {', '.join(v)}" for k, v in rule.model_dump(exclude={"name"}).items() if v
            ]
            lines.append(f"{rule.name} ({'; '.join(where)})" if where else rule.name)
        return lines

    def types(self) -> dict[str, str]:
        """Canonical key → the type the file gives it."""
        return {canonical_key(name): t for name, t in self.type.items()}

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
        errors = exc.errors()
        # A split is a name or a table: for a table, say what is wrong with the table.
        first = next((e for e in errors if "str" not in e["loc"]), errors[0])
        where = ".".join(str(p) for p in first["loc"] if p != "Where")
        raise AliasFileError(
            f"{path}: {where + ': ' if where else ''}{first['msg'].removeprefix('Value error, ')}"
        ) from exc
