"""Shared pytest fixtures: the bundled project, its store, and real SPARQL servers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ipckg.project import Project
from ipckg.store import open_store
from servers import oxigraph_server, virtuoso_server

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def checkout_on_path():
    """Real processes the tests start import this checkout's package, not whichever one pip installed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])))
        yield


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Keep every store the tests build out of the working tree."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPCKG_CACHE", str(tmp_path_factory.mktemp("ipckg-cache")))
        yield


@pytest.fixture(scope="session")
def project() -> Project:
    """The bundled graph, read-only: tests that write use `project_copy`."""
    return Project(REPO)


@pytest.fixture(scope="session")
def store(project):
    return open_store(project)


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Project:
    """A private copy of the bundled project that a test may change."""
    root = tmp_path / "project"
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.setenv("IPCKG_CACHE", str(tmp_path / "cache"))
    return Project(root)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso for the whole test session, SPARQL updates granted."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def wikidata_copy(tmp_path_factory):
    """A real SPARQL server (oxigraph serve) holding a Wikidata-shaped fixture, for federated queries."""
    with oxigraph_server(tmp_path_factory.mktemp("wikidata-copy"),
                         data=[FIXTURES / "wikidata" / "federation-sample.ttl"]) as server:
        yield server
