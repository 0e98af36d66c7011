import pytest

from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.fields import FieldVocabulary
from orchestration.settings import REFERENCE_SEEDS_DIR


@pytest.fixture(scope="session")
def vocabulary() -> FieldVocabulary:
    return FieldVocabulary.from_seeds(REFERENCE_SEEDS_DIR)


@pytest.fixture
def context_for(vocabulary):
    def make(partner_id: str) -> ParseContext:
        return ParseContext(partner_id, vocabulary)

    return make
