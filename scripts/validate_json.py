#!/usr/bin/env python3
"""Validates a drillcal JSON output against one of the schemas in docs/schema/.

Usage: python3 scripts/validate_json.py SCHEMA.json OUTPUT.json [OUTPUT.json ...]

Every schema in the schema's folder is loaded, so `$ref`s between them ("session.schema.json")
resolve offline. Uses Debian's python3-jsonschema (scripts/setup.sh installs it); works with the
RefResolver of jsonschema 4.10 (Debian 12) and the `referencing` registry of newer releases.
Prints one line per error (path: message) and exits 1 if any output is invalid, 0 otherwise.
"""
import json
import pathlib
import sys

import jsonschema


def validator_for(schema_path):
    folder = pathlib.Path(schema_path).resolve().parent
    schemas = {}
    for path in sorted(folder.glob("*.schema.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        schemas[document["$id"]] = document
    schema = json.loads(pathlib.Path(schema_path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    for document in schemas.values():
        cls.check_schema(document)
    try:
        from referencing import Registry, Resource  # jsonschema >= 4.18

        registry = Registry().with_resources(
            (uri, Resource.from_contents(document)) for uri, document in schemas.items())
        return cls(schema, registry=registry)
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=schemas)
        return cls(schema, resolver=resolver)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    validator = validator_for(argv[1])
    failed = False
    for name in argv[2:]:
        document = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            print(f"{name}: {path}: {error.message}")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
