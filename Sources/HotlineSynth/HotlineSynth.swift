// HotlineSynth: see README.md
