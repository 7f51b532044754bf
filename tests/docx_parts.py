"""Build DOCX files from raw WordprocessingML for the loader tests (no Word, no python-docx)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_XML = '<?xml version="1.0" encoding="UTF-8"?>'


def paragraph(text: str, style: str | None = None, num: tuple[int, int] | None = None, ppr: str = "") -> str:
    """One paragraph; `num` is (numId, ilvl)."""
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    num_xml = f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else ""
    props = f"<w:pPr>{style_xml}{num_xml}{ppr}</w:pPr>" if style or num or ppr else ""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{props}{run}</w:p>"


def raw_docx(body: str, parts: dict[str, tuple[str, str, str]] | None = None,
             extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX built from raw WordprocessingML; `parts` maps a part name to (relationship type,
    content type, xml); `extra` adds files as they are."""
    parts = parts or {}
    overrides = "".join(
        f'<Override PartName="/word/{name}" ContentType="{content}"/>' for name, (_, content, _) in parts.items()
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/{rel}" Target="{name}"/>'
        for i, (name, (rel, _, _)) in enumerate(parts.items(), start=10)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{CT}.document.main+xml"/>{overrides}</Types>'
        ))
        archive.writestr("_rels/.rels", (
            f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ))
        archive.writestr("word/_rels/document.xml.rels", (
            f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>'
        ))
        archive.writestr("word/document.xml", f"{_XML}<w:document {NS}><w:body>{body}</w:body></w:document>")
        for name, (_, _, xml) in parts.items():
            archive.writestr(f"word/{name}", xml)
        for name, blob in (extra or {}).items():
            archive.writestr(name, blob)
    return buffer.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, int] | None = None) -> bytes:
    """A copy of a DOCX with its parts passed through `change`, plus `extra` members of N zero bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
        for name, size in (extra or {}).items():
            with target.open(name, "w", force_zip64=True) as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    member.write(chunk)
    return buffer.getvalue()
