from pathlib import Path

import pytest

from ipckg.errors import UsageError
from ipckg.project import Project


def test_found_from_a_subfolder(project):
    assert Project.find(project.root / "queries" / "checks").root == project.root


def test_not_found_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="No ipckg project found"):
        Project.find(tmp_path)


def test_files(project):
    assert [p.name for p in project.ontology_files()] == ["ipckg.ttl"]
    assert project.data_dir / "claims" / "li-gang-2016.ttl" in project.data_files()
    assert project.graph_files()[0] == project.root / "ontology" / "ipckg.ttl"
    assert [p.name for p in project.shape_files()] == ["ipckg-shapes.ttl"]
    assert all(isinstance(p, Path) and p.suffix == ".ttl" for p in project.graph_files())
