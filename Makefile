# The two commands of the README:
#   make demo   set up, build in release, run the main job on a synthetic city
#   make test   set up and run the whole test suite (the notebooks first, then swift test)
SWIFT ?= swift

.PHONY: demo test build bootstrap bench-import clean notebooks

bootstrap:
	@bash Scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product hotline

demo: build
	$$($(SWIFT) build -c release --show-bin-path)/hotline demo --out demo-out

# The notebooks run against the debug CLI that `swift test` builds anyway;
# swift test stays last so its summary is the last line.
test: bootstrap notebooks
	$(SWIFT) test

notebooks: bootstrap
	$(SWIFT) build --product hotline
	HOTLINE_BIN="$$($(SWIFT) build --show-bin-path)/hotline" bash Scripts/run-notebooks.sh

bench-import: build
	bash Scripts/bench-import.sh

clean:
	rm -rf .build demo-out
