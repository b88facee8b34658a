# AccessLine — developer commands. Environments are cached outside the clone (ACCESSLINE_CACHE).
SHELL := /bin/bash
GW := .venv-gw/bin/python
export PYTHONPATH := $(CURDIR)

.PHONY: run cluster test envs lint eval eval-heldout bench bench-retrain user voice-check clean intake intake-eval

envs:  ## create or reuse the Rasa and gateway environments
	@bash scripts/ensure-envs.sh

run: envs  ## train if needed, start Rasa + action server + gateway on 127.0.0.1:$${PORT:-8000}
	@bash scripts/ensure-system-packages.sh espeak-ng:espeak-ng   # read-aloud; installs as root, else says how
	@$(GW) -m bot.launcher

cluster: envs  ## nginx + 2 gateways, 2 Rasa, 2 action servers sharing Redis and PostgreSQL (docs/scaling.md)
	@bash scripts/ensure-system-packages.sh --required nginx:nginx
	@$(GW) -m bot.launcher.cluster

test: envs  ## lint, then the whole pytest suite (trains a model once, drives the real stack)
	@[ -f node_modules/axe-core/axe.min.js ] || ! command -v npm >/dev/null || npm ci --no-audit --no-fund
	@.venv-gw/bin/ruff check bot actions voice tests bench
	@$(GW) -m pytest

eval: envs  ## blind understanding corpus on a live stack -> docs/nlu-eval.md (make eval BATCH=b1 RUN=after)
	@nice -n 10 $(GW) -m bench.blind_eval --batch "$${BATCH:-b1}" --run "$${RUN:-latest}"

eval-heldout: envs  ## secondary: `rasa test nlu` on the held-out split tests/nlu_eval/ -> docs/nlu-eval-heldout.md
	@$(GW) -m bench.nlu_eval

bench: envs  ## latency and throughput -> docs/benchmarks.md
	@$(GW) -m bench.chat_latency && $(GW) -m bench.gateway_cpu --repeat 5 --write && $(GW) -m bench.intake_latency && $(GW) -m bench.voice_bench && $(GW) -m bench.login_timing \
		&& $(GW) -m bench.sip_bench && .venv-rasa/bin/python -m bench.e5_cost && $(GW) -m bench.cluster_bench

intake: envs  ## regenerate the Rasa form files from config/benefits.yml (the table of benefits and fields)
	@$(GW) scripts/gen_intake.py

intake-eval: envs  ## run the blind application scripts against a fresh stack -> docs/intake-eval.md
	@$(GW) -m tests.intake tests/blind/intake/b3/scripts.yml --name "blind b3"

bench-retrain: envs  ## seconds from an FAQ edit to the live answer -> docs/benchmarks.md
	@$(GW) -m bench.retrain_latency

user: envs  ## create a staff/operator/admin account: make user NAME=li ROLE=staff (password from stdin)
	@$(GW) -m bot.cli create-user "$(NAME)" --role "$(ROLE)"

voice-check: envs  ## which speech engines work here
	@$(GW) -m voice.check

lint: envs
	@.venv-gw/bin/ruff check bot actions voice tests bench && .venv-gw/bin/ruff format --check bot actions voice tests bench

clean:  ## remove local models, data and environment links (not the cached environments)
	rm -rf models data .venv-rasa .venv-gw
