"""Generates xAPI statements as JSON lines with a fixed seed (for bench_xapi.py).

Each statement is a realistic LMS export row (about 560 bytes): a UUID, an Agent with mbox and
name (or an account, 1 in 10), an ADL verb with a display map, an Activity with a definition,
a result (scaled + raw/min/max score, success, completion, duration), a context with a
registration and a parent activity, a timestamp with a time zone offset (+00:00, Z or +02:00).
About 1 in 12 statements uses a session verb (launched/initialized/terminated), which creates
no evidence.

    /usr/bin/python3 benchmarks/make_xapi_statements.py out.jsonl [count]
"""
import json
import random
import sys
import uuid

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = ["passed", "failed", "completed", "answered", "scored", "attempted", "mastered"]
SESSION = ["launched", "initialized", "terminated"]


def activity_id(k: int) -> str:
    return f"https://lms.example.org/activities/{k:05d}"


def statements(count: int, seed: int = 13, learners: int = 20_000, activities: int = 500):
    rng = random.Random(seed)
    zones = ["Z", "+00:00", "+02:00", "-05:00"]
    for n in range(count):
        learner = rng.randrange(learners)
        if learner % 10 == 0:
            actor = {"objectType": "Agent", "name": f"Learner {learner}",
                     "account": {"homePage": "https://lms.example.org", "name": f"u{learner}"}}
        else:
            actor = {"objectType": "Agent", "name": f"Learner {learner}",
                     "mbox": f"mailto:learner{learner}@example.org"}
        session = rng.random() < 1 / 12
        verb = rng.choice(SESSION) if session else rng.choice(VERBS)
        act = rng.randrange(activities)
        day = 1 + n * 365 // max(count, 1)
        month, dom = 1 + (day - 1) // 31 % 12, 1 + (day - 1) % 28
        stamp = (f"2024-{month:02d}-{dom:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
                 f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}{rng.choice(zones)}")
        s = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": actor,
            "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": activity_id(act),
                       "definition": {"name": {"en-US": f"Activity {act}"},
                                      "type": "http://adlnet.gov/expapi/activities/assessment"}},
            "context": {"registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "contextActivities": {"parent": [{"id": "https://lms.example.org/course"}]}},
            "timestamp": stamp,
        }
        if not session:
            raw = rng.randrange(0, 101)
            s["result"] = {"score": {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100},
                           "success": raw >= 70, "completion": True,
                           "duration": f"PT{rng.randrange(1, 3600)}S"}
        yield s


def write(path: str, count: int, seed: int = 13) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for s in statements(count, seed):
            f.write(json.dumps(s, separators=(",", ":")))
            f.write("\n")


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
