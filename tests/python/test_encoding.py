"""Text and files: every reader checks UTF-8 (Python's codec is the oracle), reads Latin-1/cp1252
with ``encoding=``, accepts a BOM, reads .csv.gz and names other compressions, and reports
every bad input with one location convention: ``row`` the 0-based data row (a DataFrame's
index), ``line``/``column`` the 1-based position in the file."""
import bz2
import gzip
import lzma
import random

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from masterymap import bkt

LATIN = "Caf\xe9 Jos\xe9".encode("latin-1")  # not UTF-8: 0xE9 followed by a space / the end


def fw_text():
    b = mm.FrameworkBuilder("t")
    b.add_competency("A")
    b.add_competency("B")
    return b.build()


# Every text reader: (write the file's bytes, then read it with encoding=...). Each places the
# Latin-1 bytes in data row 1, on line 3, starting at `COLUMN`.
CSV_READERS = {
    "framework CSV edges": (
        lambda name: b"prerequisite,dependent\nA,B\nB," + name + b"\n",
        lambda p, **kw: mm.io.read_framework_csv(p, **kw), 3),
    "framework CSV competencies": (
        lambda name: b"id,title\nA,x\nB," + name + b"\n",
        lambda p, **kw: mm.io.read_framework_csv(_edges(p), p, add_missing=True, **kw), 3),
    "evidence CSV": (
        lambda name: b"learner,competency,time,score\ns1,A,1,1\n" + name + b",A,2,1\n",
        lambda p, **kw: mm.EvidenceLog.read_csv(p, **kw), 1),
    "evidence CSV (append)": (
        lambda name: b"learner,competency,time,score\ns1,A,1,1\n" + name + b",A,2,1\n",
        lambda p, **kw: mm.EvidenceLog().append_csv(p, **kw), 1),
    "BKT CSV": (
        lambda name: b"user_id,skill_name,correct\na,s,1\nb," + name + b",0\n",
        lambda p, **kw: bkt.read_csv(p, **kw), 3),
}


def _edges(path):
    edges = path.parent / "edges.csv"
    edges.write_text("prerequisite,dependent\nA,B\n")
    return edges


def names_of(result):
    """Every name a reader's result hands out (each must decode)."""
    if isinstance(result, mm.Framework):
        return [result[c].title for c in result] + list(result)
    if isinstance(result, mm.EvidenceLog):
        return list(result.to_dataframe().learner.astype(str))
    return list(result.learner_names) + list(result.skill_names)


@pytest.mark.parametrize("reader", sorted(CSV_READERS))
def test_csv_readers_reject_latin1_bytes_and_read_them_with_encoding(reader, tmp_path):
    make, read, column = CSV_READERS[reader]
    path = tmp_path / "data.csv"
    path.write_bytes(make(LATIN))
    with pytest.raises(mm.ParseError, match=r"invalid UTF-8 \(byte 0xE9\); if the file is not "
                                            r"UTF-8, give its encoding \('latin-1' or 'cp1252': "
                                            r"encoding= in Python") as e:
        read(path)
    assert (e.value.row, e.value.line, e.value.column) == (1, 3, column + 3)
    for encoding in ("latin-1", "cp1252", "ISO-8859-1"):
        result = read(path, encoding=encoding)
        assert "Café José" in names_of(result)
    with pytest.raises(ValueError, match="unknown encoding 'utf-16'"):
        read(path, encoding="utf-16")


JSON_READERS = {
    "framework JSON": lambda p: mm.Framework.read_json(p),
    "framework JSON (text)": lambda p: mm.Framework.from_json(p.read_bytes().decode("latin-1")),
    "policy JSON": lambda p: mm.Policy.read(p),
    "BKT model": lambda p: bkt.Model.load(p),
}


@pytest.mark.parametrize("reader", sorted(JSON_READERS))
def test_json_readers_reject_latin1_bytes_with_line_and_column(reader, tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{\n  "name": "' + LATIN + b'"\n}')
    if reader == "framework JSON (text)":  # a str is UTF-8 by construction: it passes the check
        with pytest.raises(mm.ParseError):
            JSON_READERS[reader](path)
        return
    with pytest.raises(mm.ParseError, match=r"line 2, column 15: invalid UTF-8 \(byte 0xE9\)") as e:
        JSON_READERS[reader](path)
    assert (e.value.line, e.value.column, e.value.row) == (2, 15, None)


def test_a_bom_is_accepted_by_every_reader(tmp_path):
    bom = b"\xef\xbb\xbf"
    for name, (make, read, _) in CSV_READERS.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(bom + make(b"Caf\xc3\xa9"))
        assert "Café" in names_of(read(path))
        # A UTF-8 byte order mark says UTF-8 whatever encoding= says.
        assert "Café" in names_of(read(path, encoding="latin-1")), name
    fw = fw_text()
    (tmp_path / "fw.json").write_bytes(bom + fw.to_json().encode())
    assert mm.Framework.read_json(tmp_path / "fw.json") == fw
    policy = mm.Policy(mm.Scale.four_point())
    (tmp_path / "p.json").write_bytes(bom + policy.to_json().encode())
    assert mm.Policy.read(tmp_path / "p.json") == policy


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read_by_every_csv_reader(codec, tmp_path):
    """Excel's "Unicode text" and many Windows tools write UTF-16 with a byte order mark: it
    decides the encoding, whatever ``encoding`` says (the text is the same as in UTF-8)."""
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    for name, (make, read, _) in CSV_READERS.items():
        path = tmp_path / f"{name}.csv"
        text = make("Café 𝔘".encode()).decode()
        path.write_bytes(bom + text.encode(codec))
        assert "Café 𝔘" in names_of(read(path)), name
        assert "Café 𝔘" in names_of(read(path, encoding="latin-1")), name


@pytest.mark.parametrize("reader", sorted(JSON_READERS))
def test_json_readers_refuse_utf16(reader, tmp_path):
    """JSON is UTF-8 by definition (RFC 8259): a UTF-16 file is named, not transcoded."""
    if reader == "framework JSON (text)":
        return  # a str has no byte order
    path = tmp_path / "x.json"
    for codec, name in (("utf-16", "UTF-16LE"), ("utf-16-be", "UTF-16BE"), ("utf-32", "UTF-32")):
        bom = b"\xfe\xff" if codec == "utf-16-be" else b""
        path.write_bytes(bom + '{"name": "Café"}'.encode(codec))
        with pytest.raises(mm.ParseError, match=f"the input is {name} .*save it as UTF-8"):
            JSON_READERS[reader](path)


def test_broken_utf16_and_utf32_are_parse_errors(tmp_path):
    path = tmp_path / "e.csv"
    text = "learner,competency,time,score\ns1,A,1,1\n"
    path.write_bytes(text.encode("utf-16") + b"\x41")  # an odd trailing byte
    with pytest.raises(mm.ParseError, match=r"UTF-16LE .* byte offset 80 ends in the middle"):
        mm.EvidenceLog.read_csv(path)
    path.write_bytes(b"\xff\xfe" + "s1".encode("utf-16-le") + b"\x00\xd8A\x00")  # lone surrogate
    with pytest.raises(mm.ParseError, match=r"byte offset 6 is not valid UTF-16"):
        mm.EvidenceLog.read_csv(path)
    path.write_bytes(text.encode("utf-32"))
    with pytest.raises(mm.ParseError, match="UTF-32"):
        mm.EvidenceLog.read_csv(path)


def test_utf8_check_agrees_with_pythons_codec(tmp_path):
    """Random bytes in a skill name: the reader accepts exactly what Python decodes, and reports
    the first bad byte where Python's decoder does (as a line and character column)."""
    rng = random.Random(10)
    pieces = [b"a", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80", b"\xc0\xaf",
              b"\xf4\x90\x80\x80", b"\xe0\x80", b"\x80", b"\xff", b"\xf0\x9f"]
    for _ in range(600):
        field = b"".join(rng.choice(pieces) if rng.random() < 0.5 else bytes([rng.choice(b"xyz09 ")])
                         for _ in range(rng.randint(1, 12)))
        text = b"user_id,skill_name,correct\na,s,1\nb," + field + b",0\n"
        try:
            expected = field.decode("utf-8")
        except UnicodeDecodeError as err:
            with pytest.raises(mm.ParseError) as e:
                bkt._core.parse_csv(text)
            assert (e.value.row, e.value.line) == (1, 3)
            assert e.value.column == 3 + len(field[:err.start].decode("utf-8"))
            continue
        assert bkt._core.parse_csv(text).skill_names == ["s", expected]


def test_no_name_accessor_or_to_json_fails_after_a_read(tmp_path):
    """The issue's example: a Latin-1 byte used to load, then every accessor raised
    UnicodeDecodeError. Now the read fails, or (with encoding=) everything decodes."""
    path = tmp_path / "f.csv"
    path.write_bytes(b"prerequisite,dependent\nA\xe9,B\n")
    with pytest.raises(mm.ParseError):
        mm.io.read_framework_csv(path)
    fw = mm.io.read_framework_csv(path, encoding="latin-1")
    assert list(fw) == ["Aé", "B"]
    assert "Aé" in fw.to_json()


def test_location_convention_row_is_the_dataframes_index(tmp_path):
    """For each CSV reader, `.row` of a bad value is the index pandas gives that row."""
    cases = {
        "evidence": (b"learner,competency,time,score\n\ns1,A,1,1\n\"s\n2\",A,2,1\ns3,A,x,1\n",
                     lambda p: mm.EvidenceLog.read_csv(p), 2, "time"),
        "bkt": (b"user_id,skill_name,correct\na,s,1\n\n\"b\nc\",s,1\nd,s,7\n",
                lambda p: bkt.read_csv(p), 2, "correct"),
        "framework": (b"prerequisite,dependent,s\nA,B,required\n\"B\nx\",C,required\nC,D,hard\n",
                      lambda p: mm.io.read_framework_csv(p, strength_column="s"), 2, "s"),
    }
    for name, (text, read, row, column) in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(text)
        frame = pd.read_csv(path, dtype=str)
        with pytest.raises((mm.ParseError, mm.EvidenceError)) as e:
            read(path)
        err = e.value
        got = err.rows[0] if isinstance(err, mm.EvidenceError) else err.row
        assert got == row == frame.index[-1], name
        line = err.lines[0] if isinstance(err, mm.EvidenceError) else err.line
        assert line == text.count(b"\n"), name  # the last line of the file
        if isinstance(err, mm.ParseError):  # the column: where the bad value starts
            last = text.rstrip(b"\n").split(b"\n")[-1]
            assert err.column == last.rindex(frame[column].iloc[-1].encode()) + 1


def test_multi_skill_errors_name_the_row_on_every_path(tmp_path):
    df = pd.DataFrame({"user_id": ["a", "a", "b"], "skill_name": ["x", "x_y", "y__z"],
                       "correct": [1, 0, 1]})
    with pytest.raises(mm.ParseError) as e:
        bkt.fit(df, multi_skill="reject")
    assert (e.value.row, e.value.line, e.value.column) == (1, None, None)
    assert "row 1: skill 'x_y' joins several skills" in str(e.value)
    assert "row 1: row 1" not in str(e.value)
    with pytest.raises(mm.ParseError) as e:  # was a plain ValueError
        bkt.fit(df, multi_skill="split")
    assert e.value.row == 2 and "has an empty part" in str(e.value)
    path = tmp_path / "ms.csv"
    df.to_csv(path, index=False)
    with pytest.raises(mm.ParseError) as e:
        bkt.read_csv(path, multi_skill="reject")
    assert (e.value.row, e.value.line, e.value.column) == (1, 3, 3)  # was line 0
    with pytest.raises(mm.ParseError) as e:
        bkt.read_csv(path, multi_skill="split")
    assert (e.value.row, e.value.line, e.value.column) == (2, 4, 3)


def test_evidence_read_csv_reads_gzip_and_names_other_compressions(tmp_path):
    text = b"learner,competency,time,score\ns1,A,1,1\ns2,B,2,0.5\n"
    packed = tmp_path / "ev.csv.gz"
    packed.write_bytes(gzip.compress(text))
    log = mm.EvidenceLog.read_csv(packed)
    plain = tmp_path / "ev.csv"
    plain.write_bytes(text)
    pd.testing.assert_frame_equal(log.to_dataframe(), mm.EvidenceLog.read_csv(plain).to_dataframe())
    assert len(mm.EvidenceLog().append_csv(packed).append_csv(packed)) == 4
    # Two gzip members (cat a.gz b.gz), as gunzip reads them.
    two = tmp_path / "two.csv.gz"
    two.write_bytes(gzip.compress(text) + gzip.compress(b"s3,A,3,1\n"))
    assert len(mm.EvidenceLog.read_csv(two)) == 3
    for name, data in (("xz", lzma.compress(text)), ("bzip2", bz2.compress(text))):
        path = tmp_path / f"ev.{name}"
        path.write_bytes(data)
        with pytest.raises(mm.ParseError, match=f"{name}-compressed; decompress it first"):
            mm.EvidenceLog.read_csv(path)
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(text)[:-12])
    with pytest.raises(mm.ParseError, match="corrupt gzip data"):
        mm.EvidenceLog.read_csv(broken)
    with pytest.raises(mm.ParseError, match="gzip-compressed"):  # bytes in memory
        bkt._core.parse_csv(gzip.compress(text))


def test_evidence_gz_against_pandas_on_assistments(shared_data, tmp_path):
    """The ASSISTments long file (gzip), with a time column added, read by EvidenceLog.read_csv;
    pandas is the oracle."""
    src = shared_data / "assistments-2009-skill-builder-dkt" / "builder_test_long.csv.gz"
    if not src.exists():
        pytest.skip(f"{src} is absent")
    frame = pd.read_csv(src, dtype=str)
    frame.insert(0, "t", np.arange(len(frame)).astype(str))
    packed = tmp_path / "events.csv.gz"
    packed.write_bytes(gzip.compress(frame.to_csv(index=False).encode()))
    log = mm.EvidenceLog.read_csv(packed, {"learner": "user_id", "competency": "skill_id",
                                           "time": "t", "score": "correct"})
    got = log.to_dataframe()
    assert len(got) == len(frame)
    assert got.learner.astype(str).tolist() == frame.user_id.tolist()
    assert got.competency.astype(str).tolist() == frame.skill_id.tolist()
    assert got.score.tolist() == frame.correct.astype(float).tolist()


def test_assistments_2009_files_read_with_encoding_latin1(shared_data):
    """The 2009 ASSISTments exports were Latin-1; the copies in ../shared/data hold only ASCII,
    so a Latin-1 read must give exactly the UTF-8 read (and the pandas oracle)."""
    folder = shared_data / "assistments-2009-skill-builder-dkt"
    for name in ("builder_train_long.csv.gz", "builder_test_long.csv.gz"):
        path = folder / name
        if not path.exists():
            pytest.skip(f"{path} is absent")
        utf8 = bkt.read_csv(path, skill="skill_id")
        latin = bkt.read_csv(path, skill="skill_id", encoding="latin-1")
        assert latin.skill_names == utf8.skill_names
        assert latin.learner_names == utf8.learner_names
        np.testing.assert_array_equal(latin.correct, utf8.correct)
        frame = pd.read_csv(path, encoding="latin-1")
        assert len(latin) == len(frame)
        np.testing.assert_array_equal(latin.correct, frame.correct.to_numpy())
