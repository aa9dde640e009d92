// HotlineImport: see README.md
