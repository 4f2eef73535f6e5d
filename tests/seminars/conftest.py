import pytest

from .factories import make_index, make_seminar


@pytest.fixture
def index(tree):
    return make_index(tree.home)


@pytest.fixture
def seminar(index):
    return make_seminar(index)
