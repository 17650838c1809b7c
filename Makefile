# The two commands a newcomer needs: `make run` (install, build the index, start the app)
# and `make test` (install, run the tests). Everything else is a step of those or optional.
PYTHON ?= python3
INDEX ?= .index
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install install-test system browser index app test-slow eval lint bench models train train-reader train-retrieval

run: install system index app

test: install-test system
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	lint-imports
	deptry .
	$(PYTHON) -m pytest --durations=15

# CPU torch first: any other torch spec pulls several GB of CUDA packages.
install:
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -e ".[llm]"

install-test:
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -e ".[llm,test]"

# Debian packages: Chromium for the real-browser test (never a browser downloaded by a test tool),
# Tesseract with Finnish/Swedish/English for OCR of damaged or scanned PDF pages, poppler-utils.
system:
	@test -x /usr/bin/chromium -a -x /usr/bin/tesseract -a -x /usr/bin/pdftoppm \
		-a -f /usr/share/tesseract-ocr/5/tessdata/fin.traineddata -a -f /usr/share/tesseract-ocr/5/tessdata/swe.traineddata \
		|| (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver \
			tesseract-ocr tesseract-ocr-fin tesseract-ocr-swe tesseract-ocr-eng poppler-utils)

# Kept for the old name.
browser: system

# Incremental: an unchanged corpus embeds nothing. Exit code 1 means some file was skipped.
index:
	strategy-chat ingest corpus --index $(INDEX) || test $$? -eq 1

app:
	STRATEGY_CHAT_INDEX_DIR=$(INDEX) $(PYTHON) -m webapp.serve --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false --client.toolbarMode viewer

test-slow: install-test browser
	$(PYTHON) -m pytest -m slow

# Both splits of evaluation/split.json side by side, each on its own incremental index ($(INDEX)-dev,
# $(INDEX)-test); report in evaluation/out/. Exit 1 = a test-split threshold was missed.
eval: install-test
	strategy-chat eval --split both --index-prefix $(INDEX) --out evaluation/out

models:
	strategy-chat models prepare

# Fit the answer scorer on the dev gold set (ingests the dev split into .index-dev first; ~minutes).
train: install-test
	strategy-chat train --index .index-dev

# The span reader (reader/models/), fixed seeds, on this CPU or with DEVICE=cuda: one epoch from e5
# (reader-v1, 56 minutes on 2 cores here), a second at half the learning rate from it (reader-v2, 61 min), a
# third from that with a new seed (reader-v3, 52 min), a fourth at a lower rate with another seed (reader-v4,
# 47 min), then on dev the calibration, the threshold and where it answers for an abstaining scorer, from
# one dev run.
DEVICE ?= cpu
READER ?= reader-v4
# The query adapter (dense side) and the hybrid's fusion, on the train split's written questions, chosen
# on dev (38 min on this 2-core CPU beside other work: 14 embedding for the adapter, 24 asking the
# train questions on the train index for the fusion).
train-retrieval: install-test
	strategy-chat train-retrieval

train-reader: install-test
	strategy-chat train-reader --name reader-v1 --epochs 1 --device $(DEVICE)
	strategy-chat train-reader --name reader-v2 --init reader-v1 --epochs 1 --lr 5e-5 --device $(DEVICE)
	strategy-chat train-reader --name reader-v3 --init reader-v2 --epochs 1 --lr 4e-5 --seed 20261208 \
		--device $(DEVICE)
	strategy-chat train-reader --name $(READER) --init reader-v3 --epochs 1 --lr 3e-5 --seed 20261209 \
		--device $(DEVICE)
	STRATEGY_CHAT_READER_MODEL=$(READER) strategy-chat eval --split dev --sample 2 --configs scorer,reader-all \
		--index-prefix $(INDEX) --json evaluation/out/dev-reader.json --no-report
	strategy-chat train-reader --name $(READER) --calibrate-and-choose evaluation/out/dev-reader.json

# Retake docs/screenshot.png (desktop) and docs/screenshot-phone.png (390 px) from the real app in Chromium.
screenshot: browser
	strategy-chat ingest corpus --index /tmp/sc-index || test $$? -eq 1
	SCREENSHOT_INDEX=/tmp/sc-index SCREENSHOT_OUT=docs/screenshot.png $(PYTHON) -m pytest tests/test_browser.py -m browser -k docs_screenshot

lint:

	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	$(PYTHON) -m ruff format --check .

bench: install-test
	$(PYTHON) benchmarks/run.py
