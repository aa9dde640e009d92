// HotlineReport: see README.md
