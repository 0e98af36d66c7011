"""What a parser knows about the file besides its bytes."""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.landing.formats.fields import FieldVocabulary


@dataclass(frozen=True)
class ParseContext:
    partner_id: str
    vocabulary: FieldVocabulary
