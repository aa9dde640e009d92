// Tests for HotlineCLI.
