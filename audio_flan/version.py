"""The package's version, in one place: setuptools reads it for the metadata, the builder's configs use it."""

__version__ = "0.1.0"
