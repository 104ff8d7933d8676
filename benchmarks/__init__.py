"""Benchmarks of audio-flan: streaming throughput, laziness, start-up, memory and export, side by side with the
raw limit (a plain soundfile loop) and with lhotse. Run ``python -m benchmarks.run --help``; see README.md here.

Nothing in this package is imported by ``audio_flan`` and nothing here is a dependency of it.
"""
