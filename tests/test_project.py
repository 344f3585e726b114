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


def test_an_empty_cache_variable_means_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("IPCKG_CACHE", "")
    assert Project(tmp_path).cache_dir == tmp_path / ".ipckg"
    monkeypatch.setenv("IPCKG_CACHE", str(tmp_path / "elsewhere"))
    assert Project(tmp_path).cache_dir == tmp_path / "elsewhere"


def test_files_of_a_change_being_committed_are_left_out(project_copy):
    added = project_copy.data_dir / "added"
    added.mkdir()
    (added / "half.ttl").write_text("")
    (project_copy.data_dir / ".ipckg-journal.json").write_text(
        '{"files": [{"staged": "added/.half.ttl.x.ipckg-staged", "target": "added/half.ttl"}]}')
    assert added / "half.ttl" not in project_copy.data_files()
    (project_copy.data_dir / ".ipckg-journal.json").unlink()
    assert added / "half.ttl" in project_copy.data_files()
