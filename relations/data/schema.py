"""The dataset's one schema: the Table Schema declarations in data/datapackage.json."""

import json
from dataclasses import dataclass
from pathlib import Path

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    separator: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str
    key: str


@dataclass(frozen=True)
class TableSchema:
    name: str
    path: str
    title: str
    fields: tuple[Field, ...]
    foreign_keys: tuple[ForeignKey, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _field(spec: dict) -> Field:
    constraints = spec.get("constraints", {})
    enum = constraints.get("enum")
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        required=constraints.get("required", False),
        unique=constraints.get("unique", False),
        enum=tuple(enum) if enum else None,
        pattern=constraints.get("pattern"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        separator=spec.get("separator"),
        format=spec.get("format"),
    )


def read_schemas(data_dir: Path) -> dict[str, TableSchema]:
    """Table schemas by resource name, in the descriptor's order (which is also load order)."""
    package = json.loads((data_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    schemas = {}
    for resource in package["resources"]:
        schema = resource["schema"]
        schemas[resource["name"]] = TableSchema(
            name=resource["name"],
            path=resource["path"],
            title=resource.get("title", resource["name"]),
            fields=tuple(_field(f) for f in schema["fields"]),
            foreign_keys=tuple(
                ForeignKey(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
                for fk in schema.get("foreignKeys", [])
            ),
        )
    return schemas


def read_package_metadata(data_dir: Path) -> dict:
    """The descriptor's top-level metadata (title, updated date), without the resources."""
    package = json.loads((data_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    return {k: v for k, v in package.items() if k != "resources"}
