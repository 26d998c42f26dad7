"""Side-by-side benchmark of masterymap.bkt against a pure-numpy BKT written here.

Run from a build tree:  PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_bkt.py
Data: the ASSISTments 2009 skill-builder split in ../shared/data (research data, read in place).

The numpy baseline is a straightforward vectorised BKT: per skill, sequences sorted by length
and the scaled forward-backward run over all sequences at once, one time step per numpy call
(the usual way to write BKT in numpy). Both run the same EM (one restart, fixed iterations) so
the per-iteration cost compares like with like; prediction and online updates are compared too.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import time

import numpy as np
import pandas as pd

import masterymap as mm

bkt = mm.bkt
HERE = pathlib.Path(__file__).resolve()
DATA = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA", HERE.parents[2] / "shared" / "data"))
SPLIT = DATA / "assistments-2009-skill-builder-dkt"


def best_of(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


# --- the numpy baseline ----------------------------------------------------------------------

def numpy_sequences(df):
    """Per skill: a (sequences x max_length) 0/1 matrix sorted by length (longest first)."""
    out = {}
    for skill, grp in df.groupby("skill_id", sort=False):
        seqs = [g.to_numpy(np.int8) for _, g in grp.groupby("user_id", sort=False)["correct"]]
        seqs.sort(key=len, reverse=True)
        lengths = np.array([len(s) for s in seqs])
        obs = np.zeros((len(seqs), lengths[0]), dtype=np.int8)
        for i, s in enumerate(seqs):
            obs[i, : len(s)] = s
        active = np.searchsorted(-lengths, -np.arange(lengths[0]), side="right")  # rows with length > t
        out[skill] = (obs, lengths, active)
    return out


def numpy_em(obs, lengths, active, iterations, forgets=True):
    prior, learn, forget, guess, slip = 0.5, 0.1, 0.05 if forgets else 0.0, 0.2, 0.1
    n, tmax = obs.shape
    for _ in range(iterations):
        e1 = np.where(obs == 1, 1 - slip, slip)   # P(o | learned)
        e0 = np.where(obs == 1, guess, 1 - guess)  # P(o | not learned)
        alpha = np.zeros((n, tmax))                # P(L_t | o_<=t), normalised
        scale = np.zeros((n, tmax))
        p = np.full(n, prior)
        for t in range(tmax):
            k = active[t]
            a1 = p[:k] * e1[:k, t]
            c = a1 + (1 - p[:k]) * e0[:k, t]
            alpha[:k, t] = a1 / c
            scale[:k, t] = c
            p[:k] = alpha[:k, t] * (1 - forget) + (1 - alpha[:k, t]) * learn
        gamma = np.zeros((n, tmax))
        xi01 = xi10 = from0 = from1 = 0.0
        s = alpha[np.arange(n), lengths - 1]
        gamma[np.arange(n), lengths - 1] = s
        for t in range(tmax - 2, -1, -1):
            k = active[t + 1]  # sequences that have step t + 1
            f = alpha[:k, t]
            q = f * (1 - forget) + (1 - f) * learn
            s_next = gamma[:k, t + 1]
            r1, r0 = s_next / q, (1 - s_next) / (1 - q)
            x01 = (1 - f) * learn * r1
            x10 = f * forget * r0
            g = f * ((1 - forget) * r1 + forget * r0)
            gamma[:k, t] = g
            xi01 += x01.sum()
            xi10 += x10.sum()
            from1 += g.sum()
            from0 += (1 - g).sum()
        mask = np.arange(tmax)[None, :] < lengths[:, None]
        prior = gamma[:, 0].mean()
        if from0 > 0:
            learn = xi01 / from0
        if forgets and from1 > 0:
            forget = xi10 / from1
        right = (obs == 1) & mask
        guess = min(0.5, ((1 - gamma) * right).sum() / ((1 - gamma) * mask).sum())
        slip = min(0.5, (gamma * ((obs == 0) & mask)).sum() / (gamma * mask).sum())
    return prior, learn, forget, guess, slip


def numpy_predict(seqs, params):
    total = 0
    for skill, (obs, lengths, active) in seqs.items():
        prior, learn, forget, guess, slip = params[skill]
        p = np.full(obs.shape[0], prior)
        pred = np.zeros(obs.shape)
        for t in range(obs.shape[1]):
            k = active[t]
            pc = p[:k] * (1 - slip) + (1 - p[:k]) * guess
            pred[:k, t] = pc
            o = obs[:k, t]
            post = np.where(o == 1, p[:k] * (1 - slip) / pc, p[:k] * slip / (1 - pc))
            p[:k] = post * (1 - forget) + (1 - post) * learn
        total += int(lengths.sum())
    return total


def python_online(events, params):
    state = {}
    for u, k, c in events:
        prior, learn, forget, guess, slip = params[k]
        p = state.get((u, k), prior)
        pc = p * (1 - slip) + (1 - p) * guess
        post = p * (1 - slip) / pc if c else p * slip / (1 - pc)
        state[(u, k)] = post * (1 - forget) + (1 - post) * learn
    return len(state)


# --- main ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--em-iterations", type=int, default=10)
    args = ap.parse_args()
    train_path, test_path = SPLIT / "builder_train_long.csv.gz", SPLIT / "builder_test_long.csv.gz"
    if not train_path.exists():
        raise SystemExit(f"data not found: {train_path}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    rows = []

    def row(what, ours, base=None, unit="ms", note=""):
        scale = {"ms": 1e3, "ns": 1e9}[unit]
        rows.append((what, ours * scale, None if base is None else base * scale, unit, note))

    # Fit: CSV read included (the acceptance number).
    t_fit, model = best_of(lambda: bkt.fit(bkt.read_csv(train_path, skill="skill_id"), forgets=True),
                           args.repeat)
    row("read .csv.gz + fit (forgets, num_fits=5)", t_fit, note="pyBKT ~2.5 s here")
    t_fit0, model0 = best_of(lambda: bkt.fit(bkt.read_csv(train_path, skill="skill_id")), args.repeat)
    row("read .csv.gz + fit (no forgets, num_fits=5)", t_fit0)
    test = pd.read_csv(test_path)
    for name, m in (("forgets", model), ("no forgets", model0)):
        s = m.evaluate(test, metric=["auc", "rmse"])
        print(f"test ({name}): AUC {s['auc']:.4f}  RMSE {s['rmse']:.4f}")

    # EM per observation-iteration, one thread, same EM as the baseline.
    train_df = pd.read_csv(train_path)
    data = bkt.dataset(train_df, skill="skill_id")
    n_obs = len(data)
    it = args.em_iterations
    t_em, _ = best_of(lambda: bkt.fit(data, forgets=True, num_fits=1, threads=1, tolerance=0.0,
                                      max_iterations=it), args.repeat)
    seqs = numpy_sequences(train_df)
    t_np, _ = best_of(lambda: [numpy_em(o, l, a, it) for o, l, a in seqs.values()], 1)
    # ours runs it M-steps + 1 E-step for the final likelihood
    row("EM per observation-iteration (1 thread)", t_em / (n_obs * (it + 1)),
        t_np / (n_obs * it), unit="ns")

    # Prediction of the 408K train rows.
    t_pred_core, _ = best_of(lambda: model.core.predict(data, "average"), args.repeat * 4)
    t_pred_df, _ = best_of(lambda: model.predict(train_df, skill="skill_id"), args.repeat * 4)
    params = {}
    for p in model.core.params():
        params[int(p["skill"])] = (p["prior"], p["learn"], p["forget"], p["guess"][0], p["slip"][0])
    t_pred_np, _ = best_of(lambda: numpy_predict(seqs, params), 2)
    row("predict 408K rows (Dataset)", t_pred_core, t_pred_np)
    row("predict 408K rows (DataFrame in and out)", t_pred_df, t_pred_np)

    # Online updates: replay the train split.
    tracer = model.tracer()
    li = np.array([tracer.learner_index(n) for n in data.learner_names], dtype=np.uint32)[data.learners]
    si = np.array([tracer.skill_index(n) for n in data.skill_names], dtype=np.uint32)[data.skills]
    ci = data.correct

    def batch_indices():
        tracer.reset_all()
        return tracer.update_batch(li, si, ci)

    def batch_names():
        tracer.reset_all()
        return bkt.update_batch(tracer, train_df.user_id.to_numpy(), train_df.skill_id.to_numpy(),
                                train_df.correct.to_numpy())

    t_b_idx, _ = best_of(batch_indices, args.repeat * 4)
    t_b_names, _ = best_of(batch_names, args.repeat * 4)
    events = list(zip(train_df.user_id.tolist(), train_df.skill_id.tolist(), train_df.correct.tolist()))
    t_py, _ = best_of(lambda: python_online(events, params), 1)
    row("online update_batch, index arrays", t_b_idx / n_obs, t_py / n_obs, unit="ns")
    row("online update_batch, id arrays (factorised)", t_b_names / n_obs, t_py / n_obs, unit="ns")
    single = events[:50000]
    t_one, _ = best_of(lambda: [tracer.update(str(u), str(k), c) for u, k, c in single], 1)
    row("online update(), one Python call per event", t_one / len(single), t_py / n_obs, unit="ns")

    print()
    print(f"| {'what':46} | {'masterymap':>12} | {'numpy/Python baseline':>22} | {'ratio':>7} |")
    print(f"|{'-' * 48}|{'-' * 14}:|{'-' * 24}:|{'-' * 8}:|")
    for what, ours, base, unit, note in rows:
        b = "" if base is None else f"{base:,.2f} {unit}"
        r = "" if base is None else f"{base / ours:,.0f}x"
        print(f"| {what:46} | {ours:>9,.2f} {unit:2} | {b:>22} | {r:>7} |" + (f" {note}" if note else ""))


if __name__ == "__main__":
    main()
