"""How it is asked: the Textual app and the `klaspeil` command line."""
