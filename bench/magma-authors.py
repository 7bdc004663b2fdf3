"""Runs the MAGMA authors' GA (their SchedulerGA class, unmodified) on m3e job tables.

Needs a checkout of the authors' release (github maestro-project/magma) and python3 with
numpy; their other imports (gym, tensorboardX, scipy, pandas: unused by the GA itself) are
stubbed. Their GA's evaluator is the loop m3e's evaluator reproduces.

  python3 bench/magma-authors.py --repo PATH/TO/magma --tables DIR --seeds 1,2,3 \
      --generations 100 --out authors.json

DIR holds the tables exported by `node dist/bench/magma-ablation.js --export DIR` (one JSON
file per table: systemBandwidth, latency and bandwidth matrices). The population is the
number of jobs, as in their main_ga.py; 100 generations of population + elites evaluations
are their 10,500 for 100 jobs. Writes {table: {seed: best makespan}}.
"""
import argparse
import json
import os
import random
import sys
import types

import numpy as np


def stub_modules():
    for name in ["gym", "gym.spaces", "tensorboardX", "scipy", "scipy.stats", "pandas"]:
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["gym"].spaces = sys.modules["gym.spaces"]
    sys.modules["tensorboardX"].SummaryWriter = object
    sys.modules["scipy.stats"].entropy = None
    utils = types.ModuleType("src.utils")
    utils.__all__ = []
    sys.modules["src"] = types.ModuleType("src")
    sys.modules["src.utils"] = utils


def load_ga(repo):
    stub_modules()
    path = os.path.join(repo, "src", "scheuler_GA.py")
    module = types.ModuleType("scheuler_GA")
    with open(path) as f:
        code = compile(f.read(), path, "exec")
    exec(code, module.__dict__)
    return module.SchedulerGA


def run_one(SchedulerGA, table, seed, generations):
    latency = np.array(table["latency"], dtype=float)
    bandwidth = np.array(table["bandwidth"], dtype=float)
    J, C = latency.shape
    ga = SchedulerGA.__new__(SchedulerGA)
    # The attributes their __init__ sets that run() and evaluate() read.
    ga.core_cfg = list(range(C))
    ga.num_cores = C
    ga.dram_bw = table["systemBandwidth"]
    ga.save_all_records = False
    ga.chkpt_file = os.devnull
    ga.save_chkpt = lambda chkpt_file=None: None
    ga.job_table = np.stack([latency, bandwidth], axis=1)
    ga.sorting_job()
    random.seed(seed)
    np.random.seed(seed)
    _, best_reward = ga.run(num_gen=generations, num_pop=J, log_info=0)
    return -float(best_reward)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repo", required=True)
    p.add_argument("--tables", required=True)
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--generations", type=int, default=100)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    SchedulerGA = load_ga(a.repo)
    out = {}
    if os.path.exists(a.out):
        with open(a.out) as f:
            out = json.load(f)
    for name in sorted(os.listdir(a.tables)):
        if not name.endswith(".json"):
            continue
        key = name[: -len(".json")]
        with open(os.path.join(a.tables, name)) as f:
            table = json.load(f)
        for seed in a.seeds.split(","):
            if seed in out.get(key, {}):
                continue
            makespan = run_one(SchedulerGA, table, int(seed), a.generations)
            out.setdefault(key, {})[seed] = makespan
            print(f"{key} seed {seed}: {makespan:.6g}", file=sys.stderr, flush=True)
            with open(a.out, "w") as f:
                json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
