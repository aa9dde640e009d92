# The two commands of the README:
#   make demo   set up, build in release, run the main job on a synthetic city
#   make test   set up and run the whole test suite
SWIFT ?= swift

.PHONY: demo test build bootstrap bench-import clean

bootstrap:
	@bash Scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product hotline

demo: build
	$$($(SWIFT) build -c release --show-bin-path)/hotline demo --out demo-out

test: bootstrap
	$(SWIFT) test

bench-import: build
	bash Scripts/bench-import.sh

clean:
	rm -rf .build demo-out
