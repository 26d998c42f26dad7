"""The exception hierarchy as Python sees it, and the one file error of every reader."""
import errno

import pytest

import masterymap as mm


def test_hierarchy():
    assert issubclass(mm.Error, RuntimeError)
    assert issubclass(mm.ValidationError, mm.Error)
    assert issubclass(mm.CycleError, mm.ValidationError)
    for cls in (mm.UnknownIdError, mm.PolicyError, mm.ParseError):
        assert issubclass(cls, mm.Error)
    assert mm.__version__ == "0.1.0"


# Every reader of the package, Python-side or C++: (name, call with a path).
READERS = {
    "framework JSON": lambda p, d: mm.Framework.read_json(p),
    "framework JSON (io)": lambda p, d: mm.io.read_json(p),
    "framework CSV edges": lambda p, d: mm.io.read_framework_csv(p),
    "framework CSV competencies": lambda p, d: mm.io.read_framework_csv(d["edges"], p),
    "policy JSON": lambda p, d: mm.Policy.read(p),
    "evidence CSV": lambda p, d: mm.EvidenceLog.read_csv(p),
    "evidence CSV (append)": lambda p, d: mm.EvidenceLog().append_csv(p),
    "BKT CSV": lambda p, d: mm.bkt.read_csv(p),
    "BKT CSV .gz": lambda p, d: mm.bkt.read_csv(p + ".gz"),
    "BKT model": lambda p, d: mm.bkt.Model.load(p),
    "roster snapshot": lambda p, d: mm.Roster.load(p),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_raises_the_file_errors(reader, tmp_path):
    edges = tmp_path / "edges.csv"
    edges.write_text("prerequisite,dependent\nA,B\n")
    extra = {"edges": str(edges)}
    missing = str(tmp_path / "missing")
    with pytest.raises(mm.MissingFileError) as info:
        READERS[reader](missing, extra)
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, mm.FileError) and isinstance(info.value, mm.Error)
    assert info.value.filename.startswith(missing)
    assert info.value.errno == errno.ENOENT
    # A directory exists but cannot be read as a file: a FileError, not a missing file.
    folder = tmp_path / "folder"
    (folder.parent / (folder.name + ".gz")).mkdir()
    folder.mkdir()
    with pytest.raises(mm.FileError) as info:
        READERS[reader](str(folder), extra)
    assert not isinstance(info.value, mm.MissingFileError)
    assert isinstance(info.value, OSError)
    assert info.value.filename.startswith(str(folder))


def test_writers_raise_file_error(tmp_path):
    fw = mm.FrameworkBuilder("w").build()
    policy = mm.Policy(mm.Scale.four_point())
    target = str(tmp_path / "no" / "such" / "dir" / "out.json")
    for write in (lambda: fw.write_json(target), lambda: policy.write(target)):
        with pytest.raises(mm.FileError) as info:
            write()
        assert info.value.filename == target


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_takes_a_pathlib_path(reader, tmp_path):
    """The same missing file given as a pathlib.Path: the same error, never a TypeError."""
    edges = tmp_path / "edges.csv"
    edges.write_text("prerequisite,dependent\nA,B\n")
    missing = tmp_path / "missing"
    call = READERS[reader]
    if reader == "BKT CSV .gz":
        call = lambda p, d: mm.bkt.read_csv(p.with_name(p.name + ".gz"))  # noqa: E731
    with pytest.raises(mm.MissingFileError) as info:
        call(missing, {"edges": edges})
    assert info.value.filename.startswith(str(missing))
