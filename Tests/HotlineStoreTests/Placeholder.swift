// Tests for HotlineStore.
