"""newsdag: who is mentioned and who said what, from batches of news articles."""

__version__ = "0.1.0"
