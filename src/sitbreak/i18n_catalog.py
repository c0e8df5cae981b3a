"""Build the translation catalogues: ``python -m sitbreak.i18n_catalog [--check]``.

One reproducible command: extract every ``_()``, ``N_()`` and ``ngettext()`` msgid from the
package's source (with ``ast``), write ``locale/sitbreak.pot``, bring each
``locale/<lang>/LC_MESSAGES/sitbreak.po`` in line with it (new msgids get an empty msgstr,
gone ones are dropped and listed), and compile each ``.po`` to the ``.mo`` gettext reads.
Output is sorted and dated nowhere, so the same source gives the same bytes; ``--check`` only
says whether anything would change (a test runs it). A tiny msgfmt rather than Babel: the
format is ~40 lines to write, and the package needs no build step or extra dependency.
"""

from __future__ import annotations

import argparse
import ast
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitbreak.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, locale_dir

PACKAGE = Path(__file__).resolve().parent
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
Key = tuple[str, str | None]  # (msgid, msgid_plural)


@dataclass
class Message:
    msgid: str
    plural: str | None = None
    files: set[str] = field(default_factory=set)

    @property
    def key(self) -> Key:
        return (self.msgid, self.plural)


def extract(package: Path = PACKAGE) -> dict[Key, Message]:
    """Every literal msgid in the package's Python source."""
    found: dict[Key, Message] = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for msgid, plural in _messages_in(node):
                msg = found.setdefault((msgid, plural), Message(msgid, plural))
                msg.files.add(rel)
    return dict(sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")))


def _messages_in(node: ast.AST) -> Iterable[tuple[str, str | None]]:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return
    args = node.args
    strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
               for a in args]
    if node.func.id in ("_", "N_") and len(args) == 1 and strings[0]:
        yield strings[0], None
    elif node.func.id == "ngettext" and len(args) == 3 and strings[0] and strings[1]:
        yield strings[0], strings[1]


# -- PO files ---------------------------------------------------------------------------------


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


def _unquote(token: str) -> str:
    value = ast.literal_eval(token)
    if not isinstance(value, str):
        raise ValueError(f"not a string: {token}")
    return value


def header(language: str | None) -> str:
    lines = ["Project-Id-Version: sitbreak", "MIME-Version: 1.0",
             "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"]
    if language is not None:
        lines[1:1] = [f"Language: {language}"]
        lines.append(f"Plural-Forms: {PLURAL_FORMS[language]}")
    return "".join(line + "\n" for line in lines)


def render(messages: Iterable[Message], language: str | None,
           translations: dict[Key, list[str]] | None = None) -> str:
    out = ['msgid ""', 'msgstr ""', *(_quote(line + "\n") for line in
                                       header(language).splitlines())]
    for msg in messages:
        out.append("")
        out.append("#: " + " ".join(sorted(msg.files)))
        out.append("msgid " + _quote(msg.msgid))
        old = (translations or {}).get(msg.key, [])
        if msg.plural is None:
            out.append("msgstr " + _quote(old[0] if old else ""))
        else:
            out.append("msgid_plural " + _quote(msg.plural))
            for i in range(2):
                out.append(f"msgstr[{i}] " + _quote(old[i] if len(old) > i else ""))
    return "\n".join(out) + "\n"


def parse_po(text: str) -> dict[Key, list[str]]:
    """msgid (and plural) → msgstr forms; the header entry is left out."""
    entries: dict[Key, list[str]] = {}
    current: dict[str, str] = {}
    last: str | None = None

    def flush() -> None:
        if current.get("msgid"):
            key = (current["msgid"], current.get("msgid_plural"))
            forms = sorted(k for k in current if k.startswith("msgstr"))
            entries[key] = [current[k] for k in forms]
        current.clear()

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and current:
                flush()
            continue
        try:
            if line.startswith('"'):
                if last is None:
                    raise ValueError("a string outside an entry")
                current[last] += _unquote(line)
                continue
            keyword, _sep, token = line.partition(" ")
            if keyword == "msgid" and "msgid" in current:
                flush()
            current[keyword] = _unquote(token)
            last = keyword
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"line {n}: {exc}") from None
    flush()
    return entries


# -- MO files ---------------------------------------------------------------------------------


def compile_mo(language: str, translations: dict[Key, list[str]]) -> bytes:
    """GNU .mo bytes (what ``gettext.GNUTranslations`` reads), untranslated entries left out."""
    pairs: dict[bytes, bytes] = {b"": header(language).encode()}
    for (msgid, plural), forms in translations.items():
        if not any(forms):
            continue
        key = msgid if plural is None else msgid + "\0" + plural
        pairs[key.encode()] = "\0".join(forms).encode()
    keys = sorted(pairs)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(pairs[k] + b"\0" for k in keys)
    n = len(keys)
    start = 7 * 4 + 16 * n  # header, then the two offset tables
    id_offsets, str_offsets = [], []
    pos = 0
    for k in keys:
        id_offsets += [len(k), start + pos]
        pos += len(k) + 1
    pos = 0
    for k in keys:
        str_offsets += [len(pairs[k]), start + len(ids) + pos]
        pos += len(pairs[k]) + 1
    head = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    return head + struct.pack(f"<{4 * n}I", *id_offsets, *str_offsets) + ids + strs


# -- the command ------------------------------------------------------------------------------


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def build(*, write: bool) -> tuple[list[str], dict[str, list[str]]]:
    """(files that are or would be changed, language → msgids still untranslated)."""
    messages = extract()
    changed: list[str] = []
    missing: dict[str, list[str]] = {}

    def put(path: Path, data: bytes) -> None:
        if not path.is_file() or path.read_bytes() != data:
            changed.append(str(path.relative_to(PACKAGE.parent)))
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)

    put(locale_dir() / f"{DOMAIN}.pot", render(messages.values(), None).encode())
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        path = po_path(language)
        old = parse_po(path.read_text(encoding="utf-8")) if path.is_file() else {}
        gone = [k[0] for k in old if k not in messages]
        if gone and write:
            print(f"{language}: dropped {len(gone)} msgid(s) no longer in the source:",
                  *(f"  {g!r}" for g in gone), sep="\n")
        kept = {k: v for k, v in old.items() if k in messages}
        put(path, render(messages.values(), language, kept).encode())
        missing[language] = [k[0] for k in messages if not all(kept.get(k, [""])) or k not in kept]
        put(path.with_suffix(".mo"), compile_mo(language, kept))
    return changed, missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitbreak.i18n_catalog",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if the catalogues are out of date")
    args = parser.parse_args(argv)
    changed, missing = build(write=not args.check)
    for path in changed:
        print(("out of date: " if args.check else "wrote ") + path)
    for language, ids in missing.items():
        if ids:
            print(f"{language}: {len(ids)} untranslated")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
