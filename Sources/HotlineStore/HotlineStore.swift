// HotlineStore: see README.md
