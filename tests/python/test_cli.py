"""The ``masterymap`` program (src/cli), run as a user runs it: every subcommand, exit codes (0 ok,
1 data error, 2 usage error), ``-`` for stdin and stdout, and the library's messages for bad
input. The oracle is the Python package on the same input files: ``rate`` equals ``mm.ratings``,
``groups`` equals ``Roster.groups_by_frontier``, ``bkt`` equals ``masterymap.bkt``.

The program's path comes from ``MASTERYMAP_CLI`` (set by tests/python/CMakeLists.txt); without
it (no CLI11) the module is skipped.
"""
import io
import json
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
import masterymap.testing as mmt

CLI = os.environ.get("MASTERYMAP_CLI")
pytestmark = pytest.mark.skipif(not CLI or not pathlib.Path(CLI).is_file(),
                                reason="MASTERYMAP_CLI is not set: the masterymap program was "
                                       "not built (libcli11-dev)")


def run(*args, stdin=None, check=None):
    """Runs the program; returns the CompletedProcess (text). ``check``: the expected exit code."""
    p = subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True, text=True,
                       timeout=120)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout, p.stderr)
    return p


def read(text):
    # round_trip: the program writes the shortest text of each double; pandas' default parser
    # may read it 1 ulp off
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""],
                       float_precision="round_trip")


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fractions(example_data):
    d = example_data / "fractions"
    return {"framework": d / "framework.json", "case": d / "framework.case.json",
            "policy": d / "policy.json", "evidence": d / "evidence.csv"}


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """A chain of 5 competencies, 300 simulated learners (some stuck), as files."""
    d = tmp_path_factory.mktemp("cli")
    fw, pol = mmt.chain(5), mmt.policy()
    evidence, _ = mmt.simulate(fw, pol, learners=300, seed=7,
                               overrides={"C3": {"learns": 0.02}}, attempts=40)
    (d / "framework.json").write_text(fw.to_json())
    (d / "policy.json").write_text(pol.to_json())
    evidence.to_csv(d / "evidence.csv", index=False)
    return {"framework": d / "framework.json", "policy": d / "policy.json",
            "evidence": d / "evidence.csv", "dir": d, "rows": len(evidence)}


def python_ratings(files, as_of=None, all_competencies=False, case=False):
    fw = (mm.io.read_case(str(files["case"])) if case
          else mm.Framework.read_json(str(files["framework"])))
    pol = mm.Policy.from_json(pathlib.Path(files["policy"]).read_text())
    log = mm.EvidenceLog.read_csv(str(files["evidence"]), framework=fw, policy=pol)
    return mm.ratings(fw, pol, log, as_of=as_of, all_competencies=all_competencies)


def assert_same_ratings(out_text, expected):
    got = read(out_text)
    assert list(got.columns) == ["learner", "competency", "status", "score", "rating",
                                 "evidence"]
    exp = pd.DataFrame({c: expected[c].astype(object) for c in ("learner", "competency",
                                                                 "status", "rating")})
    assert len(got) == len(expected)
    for c in ("learner", "competency", "status"):
        assert got[c].astype(str).tolist() == exp[c].astype(str).tolist(), c
    assert got["rating"].where(got["rating"].notna(), None).tolist() == \
        exp["rating"].where(exp["rating"].notna(), None).tolist()
    np.testing.assert_array_equal(got["score"].to_numpy(float),
                                  expected["score"].to_numpy(float))  # exact, NaN == NaN
    assert got["evidence"].tolist() == expected["evidence"].astype(int).tolist()


# --- help, version, usage errors -------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["validate"], ["rate"], ["groups"], ["report"], ["map"],
                                     ["bkt"],
                                     ["bkt", "fit"], ["bkt", "predict"], ["bkt", "evaluate"]])
def test_help_on_every_command(command):
    p = run(*command, "--help", check=0)
    assert "Usage:" in p.stdout or "usage:" in p.stdout.lower()
    assert p.stderr == ""
    if command in (["rate"], ["groups"], ["bkt", "fit"]):
        assert "--progress" in p.stdout


def test_top_level_help_lists_the_subcommands():
    out = run("--help", check=0).stdout
    for name in ("validate", "rate", "groups", "report", "map", "bkt"):
        assert name in out


def test_version():
    assert run("--version", check=0).stdout.strip().startswith("masterymap ")


@pytest.mark.parametrize("args", [
    [],                                                    # no subcommand
    ["frobnicate"],                                        # unknown subcommand
    ["rate", "--no-such-option"],
    ["rate", "-f", "fw.json", "x.csv"],                    # no --policy
    ["rate", "-p", "p.json", "x.csv"],                     # no framework
    ["rate", "-f", "a.json", "--case", "b.json", "-p", "p.json", "x.csv"],  # both frameworks
    ["rate", "-f", "a.json", "-p", "p.json", "--as-of", "yesterday", "x.csv"],
    ["rate", "-f", "a.json", "-p", "p.json", "--as-of", "1725494400000", "x.csv"],  # ms
    ["rate", "-f", "a.json", "-p", "p.json", "--progress", "sometimes", "x.csv"],
    ["groups", "-f", "a.json", "-p", "p.json", "--kind", "lost", "x.csv"],
    ["bkt"],                                               # bkt needs fit|predict|evaluate
    ["bkt", "fit", "--num-fits", "0", "x.csv"],
    ["bkt", "predict", "x.csv"],                           # no --model
    ["validate"],                                          # nothing to validate
])
def test_usage_errors_exit_2(args):
    p = run(*args, check=2)
    assert p.stdout == ""
    assert p.stderr.strip() != ""


def test_unknown_subcommand_is_named():
    p = run("frobnicate", check=2)
    assert "unknown subcommand 'frobnicate'" in p.stderr
    assert "validate, rate, groups, bkt, report, map" in p.stderr


def test_two_inputs_from_stdin_is_a_usage_error(fractions):
    p = run("rate", "-f", "-", "-p", fractions["policy"], "-", stdin="", check=2)
    assert "stdin" in p.stderr


# --- rate -------------------------------------------------------------------------------------

def test_rate_equals_python_ratings(fractions):
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"],
            fractions["evidence"], check=0)
    assert p.stderr == ""  # no progress bar: stderr is not a terminal
    assert_same_ratings(p.stdout, python_ratings(fractions))


def test_rate_as_of_and_all_competencies(fractions):
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"],
            "--as-of", "2026-10-01", "--all-competencies", fractions["evidence"], check=0)
    expected = python_ratings(fractions, as_of="2026-10-01", all_competencies=True)
    assert_same_ratings(p.stdout, expected)
    assert (expected["status"] == "not_started").any()


def test_rate_from_a_case_package(fractions):
    p = run("rate", "--case", fractions["case"], "-p", fractions["policy"],
            fractions["evidence"], check=0)
    assert_same_ratings(p.stdout, python_ratings(fractions, case=True))


def test_rate_simulated_cohort_any_thread_count(simulated):
    args = ["rate", "-f", simulated["framework"], "-p", simulated["policy"],
            simulated["evidence"]]
    one = run(*args, "--threads", "1", check=0).stdout
    assert run(*args, "--threads", "2", check=0).stdout == one  # byte-identical
    assert_same_ratings(one, python_ratings(simulated))
    assert len(read(one)) > 300


def test_rate_stdin_stdout_and_output_file(fractions, tmp_path):
    base = ["rate", "-f", fractions["framework"], "-p", fractions["policy"]]
    from_file = run(*base, fractions["evidence"], check=0).stdout
    text = fractions["evidence"].read_text()
    assert run(*base, "-", stdin=text, check=0).stdout == from_file
    assert run(*base, stdin=text, check=0).stdout == from_file  # evidence defaults to stdin
    out = tmp_path / "ratings.csv"
    p = run(*base, fractions["evidence"], "-o", out, check=0)
    assert p.stdout == ""
    assert out.read_text() == from_file
    # the framework from stdin instead
    p = run("rate", "-f", "-", "-p", fractions["policy"], fractions["evidence"],
            stdin=fractions["framework"].read_text(), check=0)
    assert p.stdout == from_file


def test_rate_bad_evidence_names_rows_lines_and_ids(fractions, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("learner,competency,time,score,kind\n"
                   "ana,FR3.unit,2026-05-04,3,formative\n"
                   "ana,NO.SUCH,2026-05-05,3,formative\n"
                   "ana,FR3.unit,2026-05-06,9,formative\n")
    out = tmp_path / "ratings.csv"
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], bad, "-o", out,
            check=1)
    assert p.stdout == ""
    assert not out.exists()  # nothing written on error
    err = p.stderr
    assert err.startswith("masterymap rate: ")
    assert "NO.SUCH" in err and "line 3" in err and "row 1" in err
    assert "line 4" in err and "row 2" in err and "9" in err
    assert len(err.strip().splitlines()) == 2  # every problem, one a line
    assert str(bad) in err


def test_rate_missing_file_and_malformed_json(fractions, tmp_path):
    p = run("rate", "-f", tmp_path / "absent.json", "-p", fractions["policy"],
            fractions["evidence"], check=1)
    assert "absent.json" in p.stderr and "No such file" in p.stderr
    # Each missing input is named by its role.
    assert "cannot open framework file" in p.stderr
    p = run("rate", "--case", tmp_path / "absent.json", "-p", fractions["policy"],
            fractions["evidence"], check=1)
    assert "cannot open CASE package" in p.stderr
    p = run("rate", "-f", fractions["framework"], "-p", tmp_path / "absent.json",
            fractions["evidence"], check=1)
    assert "cannot open policy file" in p.stderr
    p = run("validate", "-p", tmp_path / "absent.json", check=1)
    assert "cannot open policy file" in p.stderr
    p = run("bkt", "predict", "-m", tmp_path / "absent.json", fractions["evidence"], check=1)
    assert "cannot open model file" in p.stderr
    broken = tmp_path / "policy.json"
    broken.write_text('{"format": "masterymap.policy", ')
    p = run("rate", "-f", fractions["framework"], "-p", broken, fractions["evidence"], check=1)
    assert str(broken) in p.stderr and "line" in p.stderr


def test_rate_reads_latin1_with_encoding_and_utf16_by_its_mark(fractions, tmp_path):
    text = "learner,competency,time,score\nJosé,FR3.unit,2026-05-04,3\n"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(text.encode("latin-1"))
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], latin, check=1)
    assert "invalid UTF-8 (byte 0xE9)" in p.stderr and "--encoding on the command line" in p.stderr
    want = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], "-",
               stdin=text, check=0).stdout
    assert "José" in want
    for enc in ("latin-1", "cp1252"):
        assert run("rate", "-f", fractions["framework"], "-p", fractions["policy"], "--encoding",
                   enc, latin, check=0).stdout == want
    wide = tmp_path / "wide.csv"
    wide.write_bytes(text.encode("utf-16"))
    assert run("rate", "-f", fractions["framework"], "-p", fractions["policy"], wide,
               check=0).stdout == want
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], "--encoding", "koi8",
            latin, check=2)
    assert "unknown encoding 'koi8'" in p.stderr


def test_excel_unicode_text_is_read_with_delimiter_tab(fractions, tmp_path):
    # Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated, CRLF line ends.
    text = "learner,competency,time,score\nJosé,FR3.unit,2026-05-04,3\nAna,FR3.unit,2026-05-05,2\n"
    want = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], "-",
               stdin=text, check=0).stdout
    excel = tmp_path / "excel.txt"
    excel.write_bytes(text.replace(",", "\t").replace("\n", "\r\n").encode("utf-16"))
    for sep in ("tab", "\\t"):
        assert run("rate", "-f", fractions["framework"], "-p", fractions["policy"],
                   "--delimiter", sep, excel, check=0).stdout == want
    semi = tmp_path / "semi.csv"
    semi.write_text(text.replace(",", ";"), encoding="utf-8")
    assert run("validate", "-f", fractions["framework"], "-p", fractions["policy"],
               "--delimiter", ";", semi, check=0).returncode == 0
    assert run("rate", "-f", fractions["framework"], "-p", fractions["policy"],
               "--delimiter", "TAB", excel, check=0).stdout == want
    # without it the header is one field: the error names the delimiter to give
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], excel, check=1)
    assert "missing column 'learner'; the header is one field holding tabs: give the " \
           "delimiter (--delimiter tab" in p.stderr
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], semi, check=1)
    assert "--delimiter ';'" in p.stderr
    for bad, why in (("ab", "expected one ASCII character or 'tab', got 'ab'"),
                     ("é", "expected one ASCII character"), ('"', "cannot be a quote"),
                     ("", "expected one ASCII character")):
        p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"],
                "--delimiter", bad, excel, check=2)
        assert why in p.stderr and "--delimiter: --delimiter" not in p.stderr, p.stderr


def test_days_options_are_usage_errors_alike_in_groups_and_report(fractions, tmp_path):
    for sub in ("groups", "report"):
        for bad in ("-1", "inf", "soon"):
            p = run(sub, "-f", fractions["framework"], "-p", fractions["policy"], "--stuck-days",
                    bad, fractions["evidence"], "-o", tmp_path / "out", check=2)
            assert f"--stuck-days: must be a number of days >= 0 (0 turns the test off), " \
                   f"got '{bad}'" in p.stderr, p.stderr


def test_count_options_name_the_option_the_value_and_the_range(fractions, tmp_path):
    """Issue 14 try-out: a bad count printed CLI11's "Could not convert: ..."; -5 is no count
    (an unsigned would wrap it), nor 1,5 or 2.5. Usage errors (exit code 2) naming all three."""
    common = ["-f", fractions["framework"], "-p", fractions["policy"]]
    out = tmp_path / "out"
    for sub in ("groups", "report"):
        for bad in ("abc", "-5", "2.5", "99999999999", "1,5"):
            p = run(sub, *common, "--stuck-evidence", bad, fractions["evidence"], "-o", out,
                    check=2)
            want = f"--stuck-evidence: expected a whole number from 0 to 4294967295, got '{bad}'"
            assert want in p.stderr, p.stderr
            assert "Could not convert" not in p.stderr
            assert ("without a decimal or thousands separator" in p.stderr) == (bad in ("2.5",
                                                                                    "1,5"))
        run(sub, *common, "--stuck-evidence", "4294967295", fractions["evidence"], "-o", out,
            check=0)
    for args, want in (
            (["rate", *common, "--threads", "-1"],
             "--threads: expected a whole number from 0 to 4294967295, got '-1'"),
            (["report", *common, "--max-curves", "x"],
             "--max-curves: expected a whole number from 0 to 18446744073709551615, got 'x'"),
            (["map", *common, "-l", "leo", "--tooltip-lines", "-2"],
             "--tooltip-lines: expected a whole number from 0 to 18446744073709551615, got '-2'"),
            (["bkt", "fit", "x.csv", "--num-fits", "0"],
             "--num-fits: expected a whole number from 1 to 2147483647, got '0'"),
            (["bkt", "fit", "x.csv", "--seed", "-1"],
             "--seed: expected a whole number from 0 to 18446744073709551615, got '-1'"),
            (["bkt", "fit", "x.csv", "--max-iterations", "1e3"],
             "--max-iterations: expected a whole number from 1 to 2147483647, got '1e3'"),
            # a decimal comma in a number: a hint
            (["bkt", "fit", "x.csv", "--tolerance", "0,5"],
             "--tolerance: expected a number >= 0, got '0,5' (decimal comma? use a point: 0.5)"),
            (["groups", *common, "--stuck-days", "1,5"],
             "--stuck-days: must be a number of days >= 0 (0 turns the test off), got '1,5' "
             "(decimal comma? use a point: 1.5)"),
            (["rate", *common, "--as-of", "1709251200,5"],
             "--as-of: not a time: '1709251200,5' (decimal comma? use a point: 1709251200.5)")):
        p = run(*args, fractions["evidence"], check=2)
        assert want in p.stderr, (args, p.stderr)
        assert "Could not convert" not in p.stderr
        assert p.stdout == ""


def test_a_decimal_comma_in_a_score_gets_a_hint(fractions, tmp_path):
    ev = tmp_path / "comma.csv"
    ev.write_text('learner,competency,time,score,weight\n'
                  'ana,FR3.unit,2026-05-04,"2,5",1\n'
                  'ana,FR3.unit,2026-05-05,3,"0,5"\n'
                  'ana,FR3.unit,2026-05-06,"2,5,1",1\n')
    p = run("rate", "-f", fractions["framework"], "-p", fractions["policy"], ev, check=1)
    err = p.stderr.splitlines()
    assert err == [
        f"masterymap rate: {ev}: row 0 (line 2): bad score '2,5' (decimal comma? use a point: "
        "2.5)",
        f"masterymap rate: {ev}: row 1 (line 3): weight is not a number (decimal comma? use a "
        "point: 0.5)",
        f"masterymap rate: {ev}: row 2 (line 4): bad score '2,5,1' (not a number or a label of "
        "the scale)"], err
    # the same rows from Python: the same messages
    with pytest.raises(mm.EvidenceError) as e:
        mm.EvidenceLog.read_csv(str(ev), policy=mm.Policy.read(fractions["policy"]))
    assert "bad score '2,5' (decimal comma? use a point: 2.5)" in str(e.value)


def test_a_schools_own_evidence_kinds_are_accepted(fractions, tmp_path):
    ev = pd.read_csv(fractions["evidence"])
    ev["kind"] = ev["kind"].replace({"formative": "quiz"})
    path = tmp_path / "quiz.csv"
    ev.to_csv(path, index=False)
    common = ["-f", fractions["framework"], "-p", fractions["policy"]]
    run("rate", *common, path, check=0)
    run("validate", *common, path, check=0)
    run("groups", *common, path, check=0)
    r = mm.Roster(mm.Framework.read_json(fractions["framework"]),
                  mm.Policy.read(fractions["policy"]))
    r.ingest(ev)
    assert run("report", *common, path, check=0).stdout == r.report()
    # A near-miss of a known kind is still a mistake.
    ev["kind"] = ev["kind"].replace({"quiz": "formativ"})
    ev.to_csv(path, index=False)
    p = run("rate", *common, path, check=1)
    assert "formativ" in p.stderr


def test_rate_policy_that_does_not_fit_the_framework(fractions, tmp_path):
    pol = json.loads(fractions["policy"].read_text())
    pol["overrides"]["competencies"]["NOT.THERE"] = dict(pol["rule"])
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(pol))
    p = run("rate", "-f", fractions["framework"], "-p", path, fractions["evidence"], check=1)
    assert "NOT.THERE" in p.stderr
    assert p.stderr.startswith(f"masterymap rate: {path}: overrides.competencies['NOT.THERE']")
    # from stdin, the policy is named as stdin is everywhere else (it used to print "-: ")
    for sub in ("rate", "groups"):
        p = run(sub, "-f", fractions["framework"], "-p", "-", fractions["evidence"],
                stdin=path.read_text(), check=1)
        assert p.stderr == (f"masterymap {sub}: <stdin>: overrides.competencies['NOT.THERE']: "
                            "unknown competency\n"), p.stderr


def test_rate_with_a_bkt_policy_names_the_file_and_what_the_program_can_do(fractions, tmp_path):
    """Try-out finding: a bkt rule needs a fitted model's probabilities, which no option of the
    program passes. The message named no file and suggested Python's probabilities=; now every
    command that rates refuses the policy naming its file, says the program cannot pass them
    and where to rate instead (Python, C++, the bkt subcommands); validate notes it."""
    pol = json.loads(fractions["policy"].read_text())
    pol["rule"]["method"] = {"name": "bkt", "threshold": 0.95}
    path = tmp_path / "bkt_policy.json"
    path.write_text(json.dumps(pol))
    for sub in ("rate", "groups", "report", "map"):
        args = [sub, "-f", fractions["framework"], "-p", path, fractions["evidence"]]
        if sub in ("report", "map"):
            args += ["-o", tmp_path / f"out.{sub}"]
        if sub == "map":
            args += ["-l", "leo"]
        p = run(*args, check=1)
        lines = p.stderr.splitlines()
        assert len(lines) == 1, p.stderr
        assert lines[0].startswith(f"masterymap {sub}: {path}: rule.method: a bkt rule rates "
                                   "from a fitted BKT model's probabilities, which this program "
                                   "cannot pass"), p.stderr
        assert "probability source; none was given" not in p.stderr
        assert "'masterymap bkt fit'" in p.stderr and "Python" in p.stderr
    p = run("validate", "-f", fractions["framework"], "-p", path, check=0)
    assert f"{path}: ok: policy" in p.stdout
    assert _lines_of(p, path) == [line[len(str(path)) + 2:] for line in p.stderr.splitlines()]
    notes = _lines_of(p, path)
    assert len(notes) == 1 and notes[0].startswith("note: rule.method: a bkt rule"), notes


# --- progress ---------------------------------------------------------------------------------

def test_progress_bar_only_when_asked_or_on_a_terminal(simulated):
    args = ["rate", "-f", simulated["framework"], "-p", simulated["policy"],
            simulated["evidence"]]
    quiet = run(*args, check=0)
    assert quiet.stderr == ""
    assert run(*args, "--progress=never", check=0).stderr == ""
    loud = run(*args, "--progress=always", check=0)
    assert "100%" in loud.stderr and "rating" in loud.stderr
    assert loud.stdout == quiet.stdout  # the bar never reaches stdout


# --- validate ---------------------------------------------------------------------------------

def test_validate_ok(fractions):
    p = run("validate", "-f", fractions["framework"], "-p", fractions["policy"],
            fractions["evidence"], check=0)
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 3 and all(": ok" in line for line in lines)
    assert "checked against the framework and the policy" in lines[2]
    assert p.stderr == ""
    run("validate", "--case", fractions["case"], check=0)
    run("validate", "-p", fractions["policy"], check=0)


def test_validate_lists_every_problem(fractions, tmp_path):
    fw = json.loads(fractions["framework"].read_text())
    ids = [c["id"] for c in fw["competencies"]]
    fw["competencies"].append(dict(fw["competencies"][0]))       # a duplicate id
    fw["prerequisites"].append({"prerequisite": ids[0], "dependent": "GHOST",
                               "strength": "required"})
    fw_path = tmp_path / "framework.json"
    fw_path.write_text(json.dumps(fw))
    pol = json.loads(fractions["policy"].read_text())
    pol["rule"]["method"] = {"name": "decaying_average", "w": 7}
    pol["overrides"]["domains"]["XX"] = dict(pol["overrides"]["domains"]["FR"])
    pol["overrides"]["competencies"]["GHOST"] = dict(pol["rule"])
    pol_path = tmp_path / "policy.json"
    pol_path.write_text(json.dumps(pol))
    ev = tmp_path / "evidence.csv"
    ev.write_text("learner,competency,time,score\n"
                  ",FR3.unit,2026-05-04,3\n"
                  "ana,FR3.unit,not a time,3\n")
    p = run("validate", "-f", fw_path, "-p", pol_path, ev, check=1)
    err = p.stderr.strip().splitlines()
    fw_lines = [line for line in err if line.startswith(str(fw_path) + ": ")]
    pol_lines = [line for line in err if line.startswith(str(pol_path) + ": ")]
    ev_lines = [line for line in err if line.startswith(str(ev) + ": ")]
    assert len(fw_lines) >= 2 and any("GHOST" in line for line in fw_lines)
    assert any(ids[0] in line for line in fw_lines)
    # the framework did not load: the policy is checked on its own
    assert len(pol_lines) == 2 and any("rule.method.w" in line for line in pol_lines)
    assert len(ev_lines) == 2 and "line 2" in ev_lines[0] and "line 3" in ev_lines[1]
    total = len(fw_lines) + len(pol_lines) + len(ev_lines)
    assert err[-1] == f"{total} problems"
    assert p.stdout == ""
    # against a framework that loads, the policy's ids and domains are checked too
    p = run("validate", "-f", fractions["framework"], "-p", pol_path, check=1)
    pol_lines = [line for line in p.stderr.splitlines() if line.startswith(str(pol_path))]
    assert len(pol_lines) == 4
    assert any("GHOST" in line and "unknown competency" in line for line in pol_lines)
    assert any("'XX'" in line for line in pol_lines)
    # problems reading the policy come with the rules' own (w out of range), not instead of them
    pol["format"] = "x"
    pol["rule"]["min_evidence"] = -2
    pol_path.write_text(json.dumps(pol))
    p = run("validate", "-p", pol_path, check=1)
    pol_lines = [line for line in p.stderr.splitlines() if line.startswith(str(pol_path))]
    assert any("format" in line for line in pol_lines)
    assert any("rule.min_evidence" in line for line in pol_lines)
    assert any("rule.method.w: 7" in line for line in pol_lines)
    # ... and with the framework's checks of the policy as far as it was read, not instead of
    # them (issue 14: a read problem used to hide the unknown ids)
    p = run("validate", "-f", fractions["framework"], "-p", pol_path, check=1)
    pol_lines = [line for line in p.stderr.splitlines() if line.startswith(str(pol_path))]
    assert any("format: expected 'masterymap.policy', got 'x'" in line for line in pol_lines)
    assert any("rule.min_evidence: -2 is not a count from 0 to 4294967295" in line
               for line in pol_lines)
    assert any("rule.method.w: 7" in line for line in pol_lines)
    assert any("GHOST" in line and "unknown competency" in line for line in pol_lines)
    assert any("'XX'" in line for line in pol_lines)
    assert len(pol_lines) == len(set(pol_lines))  # the rules' own problems once, not twice
    assert p.stderr.splitlines()[-1] == f"{len(pol_lines)} problems"


def test_validate_lists_every_row_of_the_wrong_width(fractions, tmp_path):
    """Issue 14: the first row with a wrong field count used to stop the reading; now every
    one is listed with the other rows' problems, in file order, the first 100 of them."""
    ev = tmp_path / "ragged.csv"
    ev.write_text("learner,competency,time,score\n"
                  "ana,FR3.unit,2026-05-04\n"
                  "ana,FR3.unit,not a time,3\n"
                  "ana,FR3.unit,2026-05-05,3,extra\n"
                  "ben,FR3.unit,2026-05-06,3\n")
    p = run("validate", ev, check=1)
    assert p.stdout == ""
    assert p.stderr.splitlines() == [
        f"{ev}: row 0 (line 2): has 3 fields, the header has 4",
        f"{ev}: row 1 (line 3): bad time 'not a time'",
        f"{ev}: row 2 (line 4): has 5 fields, the header has 4",
        "3 problems"]
    # a file of the wrong delimiter: a problem on every row, the first 100 shown
    many = tmp_path / "semicolons.csv"
    many.write_text("learner,competency,time,score\n"
                    + "".join(f"s{i};FR3.unit;2026-05-04;3\n" for i in range(250)))
    p = run("validate", many, check=1)
    err = p.stderr.splitlines()
    assert len(err) == 102
    assert err[0] == f"{many}: row 0 (line 2): has 1 fields, the header has 4"
    assert err[99] == f"{many}: row 99 (line 101): has 1 fields, the header has 4"
    assert err[100] == f"{many}: ... and 150 more"
    assert err[101] == "250 problems"


def _evidence_with_every_kind_of_problem(tmp_path):
    """Rows: ok; an unknown competency; a near-miss of a built-in kind; a score outside the
    four-point scale; a rating label (fine against the scale); a bad time; a decimal comma."""
    ev = tmp_path / "evidence.csv"
    ev.write_text("learner,competency,time,score,kind\n"
                  "ana,FR3.unit,2026-05-04,3,formative\n"
                  "ana,NOPE,2026-05-04,3,formative\n"
                  "ana,FR3.unit,2026-05-05,3,formativ\n"
                  "ben,FR3.unit,2026-05-06,9,formative\n"
                  "ben,FR3.unit,2026-05-07,Proficient,summative\n"
                  "ben,FR3.unit,someday,3,formative\n"
                  "cal,FR3.unit,2026-05-08,\"2,5\",formative\n")
    return ev


def _lines_of(p, path):
    return [line[len(str(path)) + 2:] for line in p.stderr.splitlines()
            if line.startswith(str(path) + ": ")]


def test_validate_checks_evidence_as_far_as_a_bad_policy_allows(fractions, tmp_path):
    """Issue 14 try-out: a bad policy used to drop the evidence checks that need only the
    framework (unknown competencies, near-miss kinds). Now every check runs that can."""
    ev = _evidence_with_every_kind_of_problem(tmp_path)
    pol = json.loads(fractions["policy"].read_text())
    pol["rule"]["method"] = {"name": "decaying_average", "w": 7}   # a problem of its rules
    pol_path = tmp_path / "policy.json"
    pol_path.write_text(json.dumps(pol))
    p = run("validate", "-f", fractions["framework"], "-p", pol_path, ev, check=1)
    pol_lines = _lines_of(p, pol_path)
    assert len(pol_lines) == 1 and "rule.method.w: 7" in pol_lines[0]
    assert _lines_of(p, ev) == [
        "row 1 (line 3): unknown competency 'NOPE'",
        "row 2 (line 4): unknown kind 'formativ': a near-miss of the known kind 'formative' "
        "(new kinds are taken, but not a misspelling of one that has a meaning; correct it)",
        "row 3 (line 5): score 9 is outside [0, 4]",
        "row 5 (line 7): bad time 'someday'",
        "row 6 (line 8): bad score '2,5' (decimal comma? use a point: 2.5)"]
    assert p.stderr.splitlines()[-1] == "6 problems"
    # the policy's scale is bad too: the framework's checks still run, the scores' cannot
    pol["scale"]["mastery"] = "Great"
    pol_path.write_text(json.dumps(pol))
    p = run("validate", "-f", fractions["framework"], "-p", pol_path, ev, check=1)
    ev_lines = _lines_of(p, ev)
    assert any("unknown competency 'NOPE'" in line for line in ev_lines)
    assert any("near-miss of the known kind 'formative'" in line for line in ev_lines)
    assert not any("outside" in line for line in ev_lines)     # no scale to check against
    # A clean evidence file with a bad policy says what it was checked against.
    clean = tmp_path / "clean.csv"
    clean.write_text("learner,competency,time,score\nana,FR3.unit,2026-05-04,3\n")
    p = run("validate", "-f", fractions["framework"], "-p", pol_path, clean, check=1)
    assert f"{clean}: ok: 1 rows, 1 learners, checked against the framework (the policy has " \
           "problems)" in p.stdout


def test_validate_label_scores_with_an_unreadable_scale_name_the_policy_file(fractions, tmp_path):
    """Try-out finding: with the policy's scale unreadable, a label score's message gave the
    library's Python/C++ hint ("policy= in Python, ingest_checks::score_labels in C++"). From
    the program it names the policy file and the option; without a policy, the option."""
    pol = json.loads(fractions["policy"].read_text())
    pol["scale"]["ratings"][0]["value"] = "x"      # the scale cannot be read
    pol_path = tmp_path / "bad_scale.json"
    pol_path.write_text(json.dumps(pol))
    ev = tmp_path / "labels.csv"
    ev.write_text("learner,competency,time,score\nana,FR3.unit,2026-05-04,Proficient\n")
    p = run("validate", "-f", fractions["framework"], "-p", pol_path, ev, check=1)
    assert _lines_of(p, pol_path) == ["scale.ratings[0].value: expected a number"]
    assert _lines_of(p, ev) == [
        "row 0 (line 2): bad score 'Proficient' (not a number; the labels of a scale come from "
        f"the policy, and the scale of the policy file {pol_path} could not be read (its "
        "problems are listed above): mend it and pass it again with -p/--policy)"]
    assert "policy=" not in p.stderr and "ingest_checks" not in p.stderr
    # a policy file that does not parse at all: the same
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    p = run("validate", "-f", fractions["framework"], "-p", broken, ev, check=1)
    assert f"the scale of the policy file {broken} could not be read" in p.stderr
    # no policy given: the option that gives one
    p = run("validate", "-f", fractions["framework"], ev, check=1)
    assert _lines_of(p, ev) == [
        "row 0 (line 2): bad score 'Proficient' (not a number; to use the labels of a scale, "
        "pass its policy file with -p/--policy)"]
    # the library's own wording is unchanged for Python
    with pytest.raises(mm.EvidenceError, match="policy= in Python"):
        mm.EvidenceLog.read_csv(str(ev))


def test_validate_checks_evidence_as_far_as_a_bad_framework_allows(fractions, tmp_path):
    """With a bad framework, the checks that need only the policy run: score range and labels,
    near-misses of the built-in kinds and the policy's."""
    ev = _evidence_with_every_kind_of_problem(tmp_path)
    fw_path = tmp_path / "framework.json"
    fw = json.loads(fractions["framework"].read_text())
    fw["competencies"].append(dict(fw["competencies"][0]))   # a duplicate id
    fw_path.write_text(json.dumps(fw))
    p = run("validate", "-f", fw_path, "-p", fractions["policy"], ev, check=1)
    assert _lines_of(p, fw_path)
    assert f"{fractions['policy']}: ok: policy" in p.stdout
    assert _lines_of(p, ev) == [
        "row 2 (line 4): unknown kind 'formativ': a near-miss of the known kind 'formative' "
        "(new kinds are taken, but not a misspelling of one that has a meaning; correct it)",
        "row 3 (line 5): score 9 is outside [0, 4]",
        "row 5 (line 7): bad time 'someday'",
        "row 6 (line 8): bad score '2,5' (decimal comma? use a point: 2.5)"]
    clean = tmp_path / "clean.csv"
    clean.write_text("learner,competency,time,score\nana,ANY,2026-05-04,Proficient\n")
    p = run("validate", "-f", fw_path, "-p", fractions["policy"], clean, check=1)
    assert f"{clean}: ok: 1 rows, 1 learners, checked against the policy (the framework has " \
           "problems)" in p.stdout
    # Without a policy: near-misses of the built-in kinds all the same.
    p = run("validate", "-f", fractions["framework"], ev, check=1)
    ev_lines = _lines_of(p, ev)
    assert any("unknown competency 'NOPE'" in line for line in ev_lines)
    assert any("near-miss of the known kind 'formative'" in line for line in ev_lines)
    p = run("validate", ev, check=1)
    assert any("near-miss of the known kind 'formative'" in line for line in _lines_of(p, ev))
    plain = tmp_path / "plain.csv"
    plain.write_text("learner,competency,time,score\nana,ANY,2026-05-04,3\n")
    p = run("validate", plain, check=0)
    assert "(not checked against a framework or a policy)" in p.stdout


def test_validate_evidence_from_stdin_against_the_framework(fractions):
    text = fractions["evidence"].read_text() + "leo,NOPE,2026-11-01T09:00:00Z,3,formative,x\n"
    p = run("validate", "-f", fractions["framework"], "-", stdin=text, check=1)
    assert "<stdin>: row 13 (line 15): " in p.stderr and "NOPE" in p.stderr


# --- groups -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["ready", "recent", "stuck"])
def test_groups_equal_roster_groups_by_frontier(simulated, kind):
    fw = mm.Framework.read_json(str(simulated["framework"]))
    pol = mm.Policy.from_json(simulated["policy"].read_text())
    log = mm.EvidenceLog.read_csv(str(simulated["evidence"]), framework=fw, policy=pol)
    r = mm.Roster(fw, pol)
    r.ingest(log)
    expected = r.groups_by_frontier(kind, stuck_evidence=8, stuck_days=20, recent_days=10)
    p = run("groups", "-f", simulated["framework"], "-p", simulated["policy"], "--kind", kind,
            "--stuck-evidence", 8, "--stuck-days", 20, "--recent-days", 10,
            simulated["evidence"], check=0)
    got = read(p.stdout)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected) > 0
    for c in ("competency", "learner"):
        assert got[c].astype(str).tolist() == expected[c].astype(str).tolist()
    assert got["counted"].tolist() == expected["counted"].tolist()
    for c in ("first_evidence", "last_evidence"):
        g = pd.to_datetime(got[c], utc=True)
        e = expected[c]
        e = e.dt.tz_localize("UTC") if e.dt.tz is None else e.dt.tz_convert("UTC")
        assert (g.isna() == e.isna()).all()
        assert (g[g.notna()] == e[e.notna()]).all()
    if kind == "stuck":
        assert got["wheel_spinning"].tolist() == expected["wheel_spinning"].tolist()
        assert got["no_progress"].tolist() == expected["no_progress"].tolist()


def test_groups_as_of(simulated):
    args = ["groups", "-f", simulated["framework"], "-p", simulated["policy"],
            simulated["evidence"]]
    early = read(run(*args, "--as-of", "2024-09-10", check=0).stdout)
    late = read(run(*args, check=0).stdout)
    assert not early.equals(late)
    fw = mm.Framework.read_json(str(simulated["framework"]))
    pol = mm.Policy.from_json(simulated["policy"].read_text())
    r = mm.Roster(fw, pol, as_of="2024-09-10")
    r.ingest(mm.EvidenceLog.read_csv(str(simulated["evidence"]), framework=fw, policy=pol))
    assert len(early) == len(r.groups_by_frontier("ready"))


# --- report and map ---------------------------------------------------------------------------

def python_roster(files):
    fw = mm.Framework.read_json(str(files["framework"]))
    pol = mm.Policy.from_json(pathlib.Path(files["policy"]).read_text())
    r = mm.Roster(fw, pol)
    r.ingest(mm.EvidenceLog.read_csv(str(files["evidence"]), framework=fw, policy=pol))
    return r


def test_report_equals_roster_report(simulated, tmp_path):
    out = tmp_path / "report.html"
    p = run("report", "-f", simulated["framework"], "-p", simulated["policy"], "-o", out,
            simulated["evidence"], check=0)
    assert p.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in html
    # the same bytes as Python's Roster.report (bottlenecks ranked by Roster.bottlenecks)
    assert html == python_roster(simulated).report()
    # stdout and --no-names
    bare = run("report", "-f", simulated["framework"], "-p", simulated["policy"], "--no-names",
               "-", stdin=simulated["evidence"].read_text(), check=0).stdout
    assert bare == python_roster(simulated).report(names=False)


@pytest.mark.skipif(not mm.io.have_graphviz(), reason="built without Graphviz (libgvc)")
def test_map_equals_learner_state_to_svg(fractions, tmp_path):
    import xml.etree.ElementTree as ET
    out = tmp_path / "leo.svg"
    run("map", "-f", fractions["framework"], "-p", fractions["policy"], "-l", "leo", "-o", out,
        fractions["evidence"], check=0)
    svg = out.read_text(encoding="utf-8")
    expected = python_roster(fractions).learner("leo")
    assert svg == expected.to_svg()
    root = ET.fromstring(svg)
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g")
             if "competency" in (g.get("class") or "").split()]
    assert len(nodes) == len(mm.Framework.read_json(str(fractions["framework"])))
    dot = run("map", "-f", fractions["framework"], "-p", fractions["policy"], "-l", "leo",
              "--dot", "--rankdir", "TB", "--no-legend", fractions["evidence"], check=0).stdout
    assert dot == expected.to_dot(rankdir="TB", legend=False)


def test_map_unknown_learner_is_a_data_error(fractions):
    p = run("map", "-f", fractions["framework"], "-p", fractions["policy"], "-l", "nobody",
            fractions["evidence"], check=1)
    assert "nobody" in p.stderr
    assert p.stdout == ""
    run("map", "-f", fractions["framework"], "-p", fractions["policy"], fractions["evidence"],
        check=2)  # --learner is required


# --- bkt --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def responses(tmp_path_factory):
    d = tmp_path_factory.mktemp("bkt")
    params = [{"skill": "add", "prior": 0.2, "learns": 0.15, "guesses": 0.2, "slips": 0.1},
              {"skill": "mul", "prior": 0.1, "learns": 0.08, "guesses": 0.25, "slips": 0.08}]
    mm.bkt.simulate(params, learners=150, length=12, seed=3).to_csv(d / "train.csv",
                                                                      index=False)
    mm.bkt.simulate(params, learners=60, length=12, seed=4).to_csv(d / "test.csv", index=False)
    return d


def test_bkt_fit_equals_python(responses):
    p = run("bkt", "fit", responses / "train.csv", "--num-fits", 3, "--seed", 5, check=0)
    got = mm.bkt.Model.from_json(p.stdout)
    expected = mm.bkt.fit(str(responses / "train.csv"), num_fits=3, seed=5)
    pd.testing.assert_frame_equal(got.params(), expected.params())
    # -o writes the same text to a file; stdin works too
    out = responses / "model.json"
    run("bkt", "fit", "-", "--num-fits", 3, "--seed", 5, "-o", out,
        stdin=(responses / "train.csv").read_text(), check=0)
    assert out.read_text() == p.stdout


def test_bkt_predict_and_evaluate_equal_python(responses):
    model = responses / "model2.json"
    run("bkt", "fit", responses / "train.csv", "--num-fits", 2, "-o", model, check=0)
    m = mm.bkt.Model.load(str(model))
    p = run("bkt", "predict", "-m", model, responses / "test.csv", check=0)
    got = read(p.stdout)
    assert list(got.columns) == ["row", "user_id", "skill_name", "correct",
                                 "correct_predictions", "state_predictions"]
    expected = m.predict(str(responses / "test.csv"))
    assert got["row"].tolist() == list(range(len(expected)))
    np.testing.assert_array_equal(got["correct_predictions"],
                                  expected["correct_predictions"].to_numpy(float))
    np.testing.assert_array_equal(got["state_predictions"],
                                  expected["state_predictions"].to_numpy(float))
    p = run("bkt", "evaluate", "-m", model, responses / "test.csv", check=0)
    metrics = read(p.stdout).iloc[0]
    expected = m.evaluate(str(responses / "test.csv"),
                          metric=["auc", "rmse", "accuracy", "log_likelihood"])
    for name, value in expected.items():
        assert metrics[name] == value, name
    assert metrics["count"] == 60 * 12 * 2


def test_bkt_bad_input(responses, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("user_id,skill_name,correct\nu1,add,1\nu1,add,2\n")
    p = run("bkt", "fit", bad, check=1)
    assert p.stderr.startswith("masterymap bkt fit: ") and "line 3" in p.stderr
    p = run("bkt", "fit", responses / "train.csv", "--skill-column", "skill", check=1)
    assert "skill" in p.stderr
    tampered = tmp_path / "model.json"
    text = run("bkt", "fit", responses / "train.csv", "--num-fits", 1, check=0).stdout
    tampered.write_text(text.replace('"prior": 0.', '"prior": 0.0', 1))
    p = run("bkt", "evaluate", "-m", tampered, responses / "test.csv", check=1)
    assert "checksum" in p.stderr
    p = run("bkt", "predict", "-m", responses / "absent.json", responses / "test.csv", check=1)
    assert "absent.json" in p.stderr
