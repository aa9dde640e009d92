// Tests for HotlineImport.
