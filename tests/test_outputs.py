import pytest

from frontline.outputs import atomic_path, atomic_write, neutralize_cell


def test_failed_write_keeps_the_old_file(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("good")
    with pytest.raises(RuntimeError), atomic_write(out) as f:
        f.write("half")
        raise RuntimeError("interrupted")
    assert out.read_text() == "good"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_atomic_path_creates_folders(tmp_path):
    out = tmp_path / "a" / "b" / "t.txt"
    with atomic_path(out) as tmp:
        assert tmp.parent == out.parent and not tmp.exists()
        tmp.write_text("x")
    assert out.read_text() == "x"


@pytest.mark.parametrize("cell", ["=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\r=1"])
def test_formula_cells_are_neutralized(cell):
    assert neutralize_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Kherson", "", "1-2", "a=b"])
def test_plain_cells_are_kept(cell):
    assert neutralize_cell(cell) == cell
