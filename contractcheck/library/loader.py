"""Load clause packs from YAML: built-in packs by name, a user's library from a file or folder.

A pack is a folder with a `pack.yaml` (id, title, parties, entity rules, optional `extends`) and clause
files in `clauses/` (one YAML file per clause), or a single YAML file with the clauses inline under
`clauses:`. A pack that `extends` another starts from that pack's clauses: a clause file with an
existing id overrides only the keys it sets, `key+` appends to a list and `key-` removes from it, and
`remove:` drops clauses. Every file is checked against a JSON Schema, and regular expressions and entity
patterns are compiled, so a bad file fails at load with its name, the field and what is wrong.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from contractcheck.library.model import Clause, Condition, Example, Pack, WeakRule
from contractcheck.suggest import PackCues

DEFAULT_PACK = "acr-data-sharing"
_REPO_LIBRARY = Path(__file__).resolve().parents[2] / "clause_library"


class LibraryError(Exception):
    """A clause library cannot be loaded. The message is one line naming the file and the field."""


def builtin_library_dir() -> Path:
    """The folder of built-in packs: inside an installed wheel, or the repository's clause_library/."""
    packaged = Path(str(resources.files("contractcheck"))) / "_clause_library"
    return packaged if packaged.is_dir() else _REPO_LIBRARY


def builtin_pack_names() -> list[str]:
    root = builtin_library_dir()
    return sorted(p.name for p in root.iterdir() if (p / "pack.yaml").is_file()) if root.is_dir() else []


def builtin_pack_cues() -> list[PackCues]:
    """Each built-in pack's document-type cues, read from its pack.yaml alone (no clauses compiled)."""
    cues = []
    for name in builtin_pack_names():
        pack_file = builtin_library_dir() / name / "pack.yaml"
        raw = _read_yaml(pack_file)
        cues.append(PackCues(raw.get("id", name), raw.get("title", name),
                             _regexes(raw.get("cues", []), f"{pack_file} cues")))
    return cues


@cache
def _validator(name: str) -> Draft202012Validator:
    schema_file = resources.files("contractcheck") / "schemas" / f"{name}.schema.json"
    return Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))


def load_pack(name_or_path: str | Path) -> Pack:
    """Load a built-in pack by name, or a user's pack from a YAML file or a folder."""
    raw = _load_raw(name_or_path, seen=())
    return _compile_pack(raw)


def load_packs(names: list[str], library: Path | None) -> list[Pack]:
    """The packs a review uses: each built-in name given, then the user's library if any."""
    packs = [load_pack(name) for name in names]
    if library is not None:
        packs.append(load_pack(library))
    return packs or [load_pack(DEFAULT_PACK)]


def _resolve(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if isinstance(name_or_path, str) and re.fullmatch(r"[a-z][a-z0-9-]*", text):
        candidate = builtin_library_dir() / text
        if candidate.is_dir():
            return candidate
        if not Path(text).exists():
            known = ", ".join(builtin_pack_names())
            raise LibraryError(f"unknown pack '{text}' (built-in packs: {known})")
    path = Path(name_or_path)
    if not path.exists():
        raise LibraryError(f"{path}: no such file or folder")
    return path


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise LibraryError(f"{path}:{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LibraryError(f"{path}: cannot read ({error.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise LibraryError(f"{path}: expected a mapping at the top level")
    return data


def _check(data: dict[str, Any], schema: str, where: str) -> None:
    errors = sorted(_validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        field = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise LibraryError(f"{where}: field '{field}': {error.message}")


def _load_raw(name_or_path: str | Path, seen: tuple[str, ...]) -> dict[str, Any]:
    path = _resolve(name_or_path)
    if path.is_dir():
        pack_file = path / "pack.yaml"
        if not pack_file.is_file():
            raise LibraryError(f"{path}: a pack folder needs a pack.yaml")
        pack = _read_yaml(pack_file)
        _check(pack, "pack", str(pack_file))
        clause_files = sorted((path / "clauses").glob("*.yaml")) if (path / "clauses").is_dir() else []
        not_clauses = {"pack.yaml", Path(str(pack.get("calibration", ""))).name}
        clause_files += sorted(p for p in path.glob("*.yaml") if p.name not in not_clauses)
        clauses = list(pack.get("clauses", []))
        for clause_file in clause_files:
            clause = _read_yaml(clause_file)
            clause.setdefault("_source", str(clause_file))
            clauses.append(clause)
    else:
        pack = _read_yaml(path)
        if "clauses" not in pack and "id" in pack and "extends" not in pack and "title" in pack:
            raise LibraryError(f"{path}: a single-file library needs 'clauses:' (or 'extends:')")
        _check(pack, "pack", str(path))
        clauses = [dict(c, _source=str(path)) for c in pack.get("clauses", [])]
    for clause in clauses:
        source = clause.pop("_source", str(path))
        _check(clause, "clause", f"{source} (clause {clause.get('id', '?')})")
        clause["_source"] = source
    pack_id = pack["id"]
    if pack_id in seen:
        raise LibraryError(f"{path}: pack '{pack_id}' extends itself")
    base_names = pack.get("extends", [])
    base_names = [base_names] if isinstance(base_names, str) else list(base_names)
    merged: dict[str, Any] = {"clauses": [], "parties": {}, "entities": []}
    for base_name in base_names:
        base = _load_raw(base_name, (*seen, pack_id))
        if base.get("calibration"):
            merged["calibration"] = base["calibration"]
        merged["parties"] = _merge_parties(merged["parties"], base["parties"])
        merged["entities"] += base["entities"]
        merged["clauses"] = _merge_clauses(merged["clauses"], base["clauses"])
    merged["clauses"] = _merge_clauses(merged["clauses"], clauses)
    removed = set(pack.get("remove", []))
    merged["clauses"] = [c for c in merged["clauses"] if c["id"] not in removed]
    merged["parties"] = _merge_parties(merged["parties"], pack.get("parties", {}))
    merged["entities"] = merged["entities"] + list(pack.get("entities", []))
    for key in ("id", "title", "description", "version"):
        merged[key] = pack.get(key, merged.get(key, ""))
    merged["extends"] = tuple(base_names)
    merged["source"] = str(path)
    if pack.get("calibration"):
        merged["calibration"] = str((path if path.is_dir() else path.parent) / pack["calibration"])
    return merged


def _merge_parties(base: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[str, list[str]]:
    return {role: list(base.get(role, [])) + [t for t in extra.get(role, []) if t not in base.get(role, [])]
            for role in ("discloser", "recipient")}


def _merge_clauses(base: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = [dict(c) for c in base]
    index = {c["id"]: i for i, c in enumerate(result)}
    for override in overrides:
        if override["id"] in index:
            result[index[override["id"]]] = _merge_clause(result[index[override["id"]]], override)
        else:
            index[override["id"]] = len(result)
            result.append(_merge_clause({}, override))
    return result


def _merge_clause(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key.endswith("+"):
            name = key[:-1]
            merged[name] = list(merged.get(name, [])) + list(value)
        elif key.endswith("-"):
            name = key[:-1]
            merged[name] = [v for v in merged.get(name, []) if v not in value]
        else:
            merged[key] = value
    return merged


_REQUIRED_CLAUSE_KEYS = ("title", "area", "severity", "description", "topic", "exemplars", "recommendation")


_LEADING_WORD = re.compile(r"\\b([A-Za-z]{2,})(?![?*+{])")


def fast_start(pattern: str) -> str:
    """The same expression, with a leading "\\bword" written as "word(?<=\\bword)": Python's matcher can
    then skip ahead to the literal word, which searches about twice as fast, and the match is the same."""
    lead = _LEADING_WORD.match(pattern)
    if lead is None or _has_top_level_alternative(pattern):
        return pattern  # "\\bword|other": the rewrite would only slow the other branches
    word = lead.group(1)
    return f"{word}(?<=\\b{word}){pattern[lead.end():]}"


def _has_top_level_alternative(pattern: str) -> bool:
    depth = 0
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def _regexes(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            # ^ and $: paragraph edges
            compiled.append(re.compile(fast_start(pattern), re.IGNORECASE | re.MULTILINE))
        except re.error as error:
            raise LibraryError(f"{where}: bad regular expression {pattern!r}: {error}") from None
    return tuple(compiled)


_LITERAL_OR_ESCAPE = re.compile(r"\\.|[^\\]+", re.DOTALL)
_CASE_SWITCH = re.compile(r"\(\?[a-z]*-[a-z]*i")


def folded(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The expression compiled to find, in lower-cased text and without IGNORECASE, what it finds in the
    original text: its literal letters are lower-cased, escapes ("\\S", "\\B", "\\W") are kept. None when the
    expression switches case rules itself ("(?-i:Warrant)")."""
    source = pattern.pattern
    if _CASE_SWITCH.search(source):
        return None
    lowered = _LITERAL_OR_ESCAPE.sub(lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0).lower(), source)
    return re.compile(lowered, pattern.flags & ~re.IGNORECASE)


def _compile_clause(raw: dict[str, Any]) -> Clause:
    source = raw.get("_source", "?")
    where = f"{source} (clause {raw['id']})"
    for key in _REQUIRED_CLAUSE_KEYS:
        if not raw.get(key):
            raise LibraryError(f"{where}: field '{key}' is required")
    conditions = tuple(
        Condition(
            code=c["code"],
            message=c["message"],
            any=_regexes(c.get("any", []), f"{where} present.{c['code']}"),
            entities=tuple(c.get("entities", [])),
            max_days=c.get("max_days"),
            min_days=c.get("min_days"),
            min_amount=c.get("min_amount"),
            clean=c.get("clean", True),
        )
        for c in raw.get("present", [])
    )
    weak_rules = tuple(
        WeakRule(
            code=w["code"],
            message=w["message"],
            any=_regexes(w["any"], f"{where} weak.{w['code']}"),
            unless=_regexes(w.get("unless", []), f"{where} weak.{w['code']}"),
            unless_present=w.get("unless_present", False),
        )
        for w in raw.get("weak", [])
    )
    examples = tuple(Example(e["text"], e["expect"], e.get("reason")) for e in raw.get("examples", []))
    topic = _regexes(raw["topic"], f"{where} topic")
    return Clause(
        id=raw["id"],
        title=raw["title"],
        area=raw["area"],
        severity=raw["severity"],
        description=" ".join(raw["description"].split()),
        party=raw.get("party", "recipient"),
        obligation=raw.get("obligation", True),
        headings=tuple(raw.get("headings", [])),
        topic=topic,
        topic_folded=tuple(folded(pattern) for pattern in topic),
        also=_regexes(raw.get("also", []), f"{where} also"),
        exclude=_regexes(raw.get("exclude", []), f"{where} exclude"),
        exemplars=tuple(raw["exemplars"]),
        present=conditions,
        weak=weak_rules,
        recommendation=" ".join(raw["recommendation"].split()),
        examples=examples,
        threshold=float(raw.get("threshold", 0.5)),
        source=source,
        requires=tuple(raw.get("requires", [])),
    )


def _compile_pack(raw: dict[str, Any]) -> Pack:
    clauses = tuple(_compile_clause(c) for c in raw["clauses"])
    if not clauses:
        raise LibraryError(f"{raw['source']}: the pack has no clauses")
    ids = {c.id for c in clauses}
    for clause in clauses:
        unknown = [r for r in clause.requires if r not in ids]
        if unknown:
            raise LibraryError(f"{raw['source']}: clause {clause.id}: requires unknown clause(s) {', '.join(unknown)}")
    if raw.get("calibration"):
        clauses = apply_calibration(clauses, read_calibration(Path(raw["calibration"])))
    for entity in raw["entities"]:
        pattern = entity["pattern"]
        if isinstance(pattern, list) and not all(isinstance(t, dict) and t for t in pattern):
            raise LibraryError(f"{raw['source']}: entity {entity['label']}: each token pattern must be a mapping")
    return Pack(
        id=raw["id"],
        title=raw.get("title") or raw["id"],
        description=" ".join(str(raw.get("description", "")).split()),
        version=str(raw.get("version", "")),
        discloser_terms=tuple(raw["parties"].get("discloser", [])),
        recipient_terms=tuple(raw["parties"].get("recipient", [])),
        entity_patterns=tuple(raw["entities"]),
        clauses=clauses,
        source=raw["source"],
        extends=raw["extends"],
        calibration=raw.get("calibration", ""),
    )


def read_calibration(path: Path) -> dict[str, Any]:
    """A calibration file written by `contractcheck calibrate`, checked against its schema."""
    data = _read_yaml(path)
    _check(data, "calibration", str(path))
    return data


def apply_calibration(clauses: tuple[Clause, ...], calibration: dict[str, Any]) -> tuple[Clause, ...]:
    """The clauses with their fitted thresholds and confidences (clauses the file does not name keep theirs)."""
    fitted = calibration.get("clauses", {})
    return tuple(
        replace(clause, threshold=float(fitted[clause.id].get("threshold", clause.threshold)),
                confidence=dict(fitted[clause.id].get("confidence", {})))
        if clause.id in fitted else clause
        for clause in clauses
    )
