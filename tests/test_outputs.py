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


def test_every_compatibility_form_of_a_formula_lead_is_neutralized():
    import sys
    import unicodedata

    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.normalize("NFKC", ch)[:1] in ("=", "+", "-", "@"):
            assert neutralize_cell(ch + "1") == "'" + ch + "1", hex(cp)


@pytest.mark.parametrize("cell", ["'=1", "''+x", "\uff1dA1", "plain", "'quoted"])
def test_neutralized_cells_are_restored_exactly(cell):
    from frontline.outputs import restore_cell

    assert restore_cell(neutralize_cell(cell)) == cell


def test_a_folder_target_is_refused(tmp_path):
    from frontline.errors import OutputError

    with pytest.raises(OutputError, match="is a folder"), atomic_path(tmp_path):
        pass


def test_a_running_writers_temporary_file_is_left_alone(tmp_path):
    import os

    out = tmp_path / "e.csv"
    mine = tmp_path / f".e.csv.{os.getppid()}-00.tmp.csv"  # a live process
    mine.write_text("being written")
    with atomic_write(out) as f:
        f.write("x")
    assert mine.exists()
