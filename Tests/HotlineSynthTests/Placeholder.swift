// Tests for HotlineSynth.
