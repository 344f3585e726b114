"""Shared pytest fixtures."""

import pytest

from servers import virtuoso_server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso for the whole test session, SPARQL updates granted."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
