// HotlineAnalysis: see README.md
